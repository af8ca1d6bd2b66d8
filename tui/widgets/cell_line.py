"""One table cell of one line, rendered without Rich's renderable machinery (the Requests list).

DataTable renders every cell as `Styled(Padding(cell))` through `Console.render_lines`: about
200 µs a cell on this machine, and a page of the list shows 350 of them, so that chain was most
of the time from an answer to its page drawn. For a one-line, unwrapped Text the same segments
come from the steps Text's own `__rich_console__` takes (wrap, join, render) plus the padding
and the styles laid on top: about a fifth of the time. `None` when the cell is not of that kind
(the caller renders it the usual way); tests/unit/test_cell_line.py checks the two agree.
Pure Rich, no Textual.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

_JOIN = Text("\n")


def cell_line(console: Console, options: ConsoleOptions, cell: Any, width: int, padding: int,
              pre_style: Style, post_style: Style) -> list[list[Segment]] | None:
    """The cell's one line at `width` cells (padding included), as DataTable's chain renders
    it with `options` (no_wrap, height 1); None when this is not a plain one-line Text."""
    inner = width - 2 * padding
    if (type(cell) is not Text or inner < 1 or "\n" in cell.plain or options.height != 1
            or cell.end != "\n" or not (options.no_wrap if cell.no_wrap is None else cell.no_wrap)):
        return None  # (DataTable's one-line rows render with no_wrap: a Text's own False wraps)
    justify = cell.justify or options.justify or "default"
    overflow = cell.overflow or options.overflow or "fold"
    line = _plain(console, cell, inner, justify, overflow)
    if line is None:
        tab_size = console.tab_size if cell.tab_size is None else cell.tab_size
        lines = cell.wrap(console, inner, justify=justify, overflow=overflow,
                          tab_size=tab_size or 8, no_wrap=True)
        line = list(_JOIN.join(lines).render(console, end=""))
    line = Segment.adjust_line_length(line, inner, pad=True)
    if padding:
        blank = Segment(" " * padding)
        line = [blank, *line, blank]
    return [list(Segment.apply_style(line, style=pre_style, post_style=post_style))]


def _plain(console: Console, cell: Text, inner: int, justify: str,
           overflow: str) -> list[Segment] | None:
    """The common cell (one style or none, no tab) in string steps: what `wrap` (no_wrap),
    `join` and `render` make of it, without their Text copies and spans (a third of the
    time). None for any other (spans, tabs, centred or full justification)."""
    if (cell._spans or "\t" in cell.plain or justify not in ("left", "right", "default")
            or overflow not in ("fold", "crop", "ellipsis")):
        return None
    plain = cell.plain
    if justify == "right":
        plain = plain.rstrip()
    length = cell_len(plain)
    if length > inner and overflow != "ignore":  # (Text.truncate)
        plain = (set_cell_size(plain, inner - 1) + "…" if overflow == "ellipsis"
                 else set_cell_size(plain, inner))
    elif length < inner and justify == "left":
        plain += " " * (inner - length)
    if justify == "right":
        plain = " " * (inner - cell_len(plain)) + plain
    if not plain:
        return []
    style = cell.style
    if not style:
        return [Segment(plain)]
    if isinstance(style, str):
        style = console.get_style(style, default=Style.null())
    return [Segment(plain, style)]
