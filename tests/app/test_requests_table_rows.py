"""The Requests list's rows (OneLineRows, the styles asked once a frame) draw exactly what
DataTable's own row assembly draws: the same characters in the same styles (mouse metadata
included) on every line, under the cursor, the hover, zebra stripes or none, scrolled sideways,
focused or not. A real app (Textual's test driver), two tables side by side."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.coordinate import Coordinate
from textual.geometry import Region

from tui.api.wire_requests import HeliconeRequest
from tui.screens.requests_rows import COLUMNS, row_cells
from tui.screens.requests_table import RequestsTable
from tui.widgets.one_line_table import OneLineCells

ZONE = ZoneInfo("America/New_York")


class TextualRows(OneLineCells):
    """The same cells, rows put together Textual's way."""


def rows() -> list[list[Text]]:
    out = []
    for i in range(60):
        row = HeliconeRequest.model_validate({
            "request_id": f"req-{i:04d}", "request_created_at": f"2026-11-20T11:{i % 60:02d}:00Z",
            "response_status": (200, 503, 429)[i % 3], "model": f"gpt-4o-{i}" * (1 + i % 4),
            "provider": "OPENAI", "delay_ms": 37 * i, "total_tokens": 11 * i,
            "cost": 0.0001 * i, "request_user_id": f"user-{i}", "scores": {"ok": i % 2},
        })
        out.append(row_cells(row, ZONE))
    return out


class Pair(App[None]):
    CSS = "DataTable { height: 1fr; }"
    AUTO_FOCUS = None  # neither focused: the same styles for both

    def __init__(self, zebra: bool) -> None:
        super().__init__()
        self.zebra = zebra

    def compose(self) -> ComposeResult:
        for table in (TextualRows(id="textual"), RequestsTable(id="quick")):
            table.cursor_type = "row"
            table.zebra_stripes = self.zebra
            yield table

    def on_mount(self) -> None:
        for table in self.query(OneLineCells):
            for key, header, right, width in COLUMNS:
                table.add_column(Text(header, justify="right" if right else "left"), key=key,
                                 width=width)
            for i, cells in enumerate(rows()):
                table.add_row(*cells, key=str(i))


def drawn(table: OneLineCells) -> list[list[tuple[str, object]]]:
    lines = table.render_lines(Region(0, 0, table.size.width, table.size.height))
    return [[(ch, seg.style) for seg in line for ch in seg.text] for line in lines]


def tables(app: Pair) -> tuple[OneLineCells, OneLineCells]:
    textual = app.query_one("#textual", OneLineCells)
    quick = app.query_one("#quick", OneLineCells)
    assert type(quick) is RequestsTable and type(textual) is TextualRows
    assert textual.size == quick.size and textual.size.height > 5
    return textual, quick


def same(app: Pair) -> None:
    textual, quick = tables(app)
    assert drawn(quick) == drawn(textual)


@pytest.mark.parametrize("zebra", [True, False])
async def test_rows_drawn_as_textuals(zebra: bool) -> None:
    app = Pair(zebra)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        same(app)
        # The cursor further down, a hover elsewhere, scrolled sideways.
        for table in app.query(OneLineCells):
            table.move_cursor(row=7)
            table._show_hover_cursor = True
            table.hover_coordinate = Coordinate(4, 2)
            table.scroll_to(x=13, y=2, animate=False, immediate=True)
        await pilot.pause()
        same(app)
        textual, quick = tables(app)
        textual.focus()  # focused (each in turn): the cursor's and header's colours change
        await pilot.pause()
        focused = drawn(textual)
        quick.focus()
        await pilot.pause()
        assert drawn(quick) == focused
        assert focused != drawn(textual)  # (the focus did change what is drawn)

