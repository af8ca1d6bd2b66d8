"""A chart's plot as Textual strips, made in the plot's thread, and its marks made per line.

Textual renders a widget's Rich Text on the UI thread each time the widget is refreshed or
resized: for a plot of 120x15 with a line per value, 20-30 ms (its ~600 styled spans become
Content, then strips). The chart instead hands Textual the strips (`render_line`), made here in
the build's thread the way Textual makes them (`Content.render_strips`, the widget's own style
under them), and marks the bucket cursor's column and the partial bucket's dimming on the lines
drawn, a few segments each, never the whole plot again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.terminal_theme import TerminalTheme
from rich.text import Text
from textual.content import Content, Span
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions

DIM = RichStyle(dim=True)
REVERSE = RichStyle(reverse=True)


@dataclass(eq=False)
class Plot:
    """One built plot: its text (the plain first line finds the columns; tests read its
    spans) and its strips, for the widget style it was made under."""

    text: Text
    strips: list[Strip]
    style: Style
    top: str = field(init=False)  # the first line: the frame's top edge
    inside: int = field(init=False)  # the lines 1..inside-1 are inside the frame (marked)

    def __post_init__(self) -> None:
        lines = self.text.plain.split("\n")
        self.top = lines[0]
        self.inside = next((i for i, line in enumerate(lines) if i and "└" in line),
                           len(lines))


def _get_style(style: Style | str) -> Style:
    # A plot's spans are styles, never names (the CSS lookup Textual does is the UI thread's).
    return style if isinstance(style, Style) else Style()


def make_strips(text: Text, width: int, height: int, style: Style, rules: RulesMap,
                theme: TerminalTheme | None) -> list[Strip]:
    """The strips Textual would render `text` to in a widget of `style` (pure: any thread).
    As `Content.from_rich_text`, with the app's ANSI theme given (no app in this thread)."""
    spans = [Span(start, end, Style.from_rich_style(
        RichStyle.parse(span) if isinstance(span, str) else span, theme))
        for start, end, span in text.spans]
    content = Content(text.plain, spans)
    if text.style:
        base = RichStyle.parse(text.style) if isinstance(text.style, str) else text.style
        content = content.stylize_before(Style.from_rich_style(base, theme))
    options = RenderOptions(_get_style, rules)
    return content.render_strips(width, height, style, options)


def marked_line(strip: Strip, marks: list[tuple[int, int, RichStyle]], y: int) -> Strip:
    """Line `y`, `strip`, with each mark's style over its cells [start, end) (the mark over
    the plot's, as a stylize of the text would; each piece's segments with their own offsets,
    as Textual gives each segment of a text, for the selection)."""
    length = strip.cell_length
    cuts = sorted({c for a, b, _ in marks for c in (a, b) if 0 < c < length} | {length})
    out = []
    start = 0
    for piece in strip.divide(cuts):
        end = start + piece.cell_length
        over: RichStyle | None = None
        for a, b, mark in marks:
            if a <= start and end <= b:
                over = mark if over is None else over + mark
        segments = list(piece)
        if segments and start:  # a cut inside a segment: its right part starts here
            text, style, control = segments[0]
            offset = RichStyle.from_meta({"offset": (start, y)})
            segments[0] = Segment(text, offset if style is None else style + offset, control)
        if over is not None:
            segments = list(Segment.apply_style(segments, post_style=over))
        out.append(Strip(segments, piece.cell_length))
        start = end
    return Strip.join(out)


def line_marks(top: str, cursor: int | None, partial: int | None
               ) -> list[tuple[int, int, RichStyle]]:
    """The marks of a plot line inside the frame: dim from the partial bucket to the frame's
    right edge, reverse on the cursor's column."""
    marks = []
    right = top.rfind("┐")
    if partial is not None and right > partial:
        marks.append((partial, right, DIM))
    if cursor is not None:
        marks.append((cursor, cursor + 1, REVERSE))
    return marks
