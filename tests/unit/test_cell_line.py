"""tui.widgets.cell_line draws a cell exactly as DataTable's Styled(Padding(cell)) chain does.

The Requests list renders its cells through cell_line (faster); what the user sees must not
change: every kind of cell the list holds, at every width, under the cursor or not, gives the
same segments (text and style) as Rich's way, and anything else is left to Rich (None).
"""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import pytest
from rich.console import Console
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.renderables.styled import Styled

from tui.api.wire_requests import HeliconeRequest
from tui.screens.requests_rows import row_cells
from tui.widgets.cell_line import cell_line

CONSOLE = Console(file=io.StringIO(), width=120, force_terminal=True, color_system="truecolor",
                  legacy_windows=False)
BASE = Style(color="#e0e0e0", bgcolor="#1e1e1e") + Style.from_meta({"row": 3, "column": 2})
CURSOR = Style(color="#000000", bgcolor="#ffa62b", bold=True)
# (A post style unlike the cursor's own, so a post style lost or misplaced shows.)
POST = Style(color="#00ff00", bgcolor="#0000ff")

ROW = HeliconeRequest.model_validate({
    "request_id": "1f2b96a6-2a6e-4e13-999a-91bc0ec91c35",
    "request_created_at": "2026-11-20T11:59:59.999Z", "response_status": 503,
    "model": "gpt-4o-mini-2024-07-18-a-very-long-name", "provider": "OPENAI",
    "delay_ms": 1234, "time_to_first_token": 87, "total_tokens": 12345, "cost": 0.00123,
    "request_user_id": "user-with-a-long-id-0042", "scores": {"helpfulness": 0.8, "ok": 1},
})

CELLS = [
    *row_cells(ROW, ZoneInfo("America/New_York")),
    Text("", no_wrap=True),
    Text("plain", no_wrap=True),
    Text("no_wrap left to the table", style="dim"),
    Text("styled, justified by default", no_wrap=True, style="underline #ff00ff on #333333"),
    Text("right", justify="right", no_wrap=True, style="bold red"),
    Text("centre", justify="center", no_wrap=True, style="yellow"),
    Text("left", justify="left", no_wrap=True, style="dim"),
    Text("cut with an ellipsis", overflow="ellipsis", no_wrap=True),
    Text("cropped text here", overflow="crop", no_wrap=True, justify="right"),
    Text("漢字のモデル名 😀 wide", no_wrap=True),
    Text("  spaced  ", no_wrap=True, justify="right"),
    Text.assemble(("ab", "bold"), ("cd", "italic blue"), no_wrap=True),
    # The string steps' cases (one style or none): each justification and overflow, wide
    # characters cut at an odd width, a Style object, a style Rich cannot parse.
    Text("12,345,678 ms right", justify="right", overflow="ellipsis", no_wrap=True,
         style="bold red"),
    Text("漢字のモデル名 cut", overflow="ellipsis", no_wrap=True, justify="left"),
    Text("漢字のモデル名 crop", overflow="crop", no_wrap=True, justify="right"),
    Text("folded but one line", overflow="fold", no_wrap=True, justify="left", style="dim"),
    Text("ignored overflow", overflow="ignore", no_wrap=True, justify="left"),
    Text("a Style object", no_wrap=True, style=Style(color="#ff0000", italic=True)),
    Text("not a style", no_wrap=True, style="no-such-style", justify="right"),
    Text("trailing   ", no_wrap=True, justify="left", style="underline"),
]


def rich_way(cell: Text, width: int, pre: Style, post: Style) -> list[list[Segment]]:
    options = CONSOLE.options.update_dimensions(width, 1).update(no_wrap=True)
    return CONSOLE.render_lines(Styled(Padding(cell, (0, 1)), pre_style=pre, post_style=post),
                                options)


def flat(lines: list[list[Segment]]) -> list[list[tuple[str, Style | None]]]:
    # Segment boundaries may differ; what is drawn (each cell's character and style) may not.
    out = []
    for line in lines:
        cells = []
        for seg in line:
            cells.extend((ch, seg.style) for ch in seg.text)
        out.append(cells)
    return out


@pytest.mark.parametrize("cursor", [False, True])
@pytest.mark.parametrize("index", range(len(CELLS)))
def test_same_segments_as_datatables_chain(index: int, cursor: bool) -> None:
    cell = CELLS[index]
    pre = BASE + (CURSOR if cursor else Style())
    post = POST if cursor else Style()
    options = CONSOLE.options
    for width in range(3, 45):
        got = cell_line(CONSOLE, options.update_dimensions(width, 1).update(no_wrap=True), cell,
                        width, 1, pre, post)
        assert got is not None, (cell, width)
        assert flat(got) == flat(rich_way(cell, width, pre, post)), (cell, width)


def test_other_cells_left_to_rich() -> None:
    options = CONSOLE.options.update_dimensions(20, 1).update(no_wrap=True)
    for cell in ("a string", Text("two\nlines", no_wrap=True), Text("wraps", no_wrap=False)):
        assert cell_line(CONSOLE, options, cell, 20, 1, BASE, Style()) is None
    # Narrower than its padding, or a taller row: Rich's way.
    assert cell_line(CONSOLE, options, Text("x", no_wrap=True), 2, 1, BASE, Style()) is None
    tall = CONSOLE.options.update_dimensions(20, 2).update(no_wrap=True)
    assert cell_line(CONSOLE, tall, Text("x", no_wrap=True), 20, 1, BASE, Style()) is None
