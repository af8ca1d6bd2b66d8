"""A scrolling view of lines rendered ahead of time (the request detail's bodies).

A body's view can be thousands of wrapped lines; a Static would wrap and render all of them on
the UI thread at every layout (130 ms for 400 lines of chat JSON on this machine, several times
per open). Here the text is rendered to strips once, off the UI thread (`render_strips`, at the
widget's width), and the widget only hands out the strips on screen (Textual's line API), so
scrolling and redraws cost the visible lines alone. A resize renders again, off the thread too.
"""

from __future__ import annotations

import io
from typing import ClassVar

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip


def render_strips(text: Text, width: int) -> list[Strip]:
    """`text` wrapped at `width` cells, as strips (pure Rich: safe to run in a thread)."""
    width = max(10, width)
    console = Console(width=width, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", legacy_windows=False, markup=False,
                      emoji=False, highlight=False)
    lines = console.render_lines(text, console.options.update_width(width), pad=False,
                                 new_lines=False)
    return [Strip(Segment.simplify(line)) for line in lines]


class BodyLines(ScrollView, can_focus=True):
    """Shows `strips`; posts `Resized` when its width changes (the owner renders again)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "scroll_up", "Up", show=False),
        Binding("down", "scroll_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "scroll_home", "Top", show=False),
        Binding("end", "scroll_end", "Bottom", show=False),
    ]

    class Resized(Message):
        def __init__(self, width: int) -> None:
            super().__init__()
            self.width = width

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.strips: list[Strip] = []
        #: The plain text shown (tests and the bench read it; the screen shows the strips).
        self.plain = ""
        self.rendered_width = 0
        self._frame: tuple[Style, int] | None = None

    @property
    def text_width(self) -> int:
        """The width to render at: the content region, less a scrollbar's room."""
        return max(10, self.scrollable_content_region.width or self.size.width or 80)

    def show(self, strips: list[Strip], plain: str, width: int) -> None:
        self.strips = strips
        self.plain = plain
        self.rendered_width = width
        widest = max((s.cell_length for s in strips), default=0)
        self.virtual_size = Size(widest, len(strips))
        self.refresh()

    def on_resize(self) -> None:
        width = self.text_width
        if self.rendered_width and width != self.rendered_width:
            self.post_message(self.Resized(width))

    def render_lines(self, crop: Region) -> list[Strip]:
        # The style and width once a frame, not once a line (each asks the whole DOM above).
        self._frame = (self.rich_style, self.scrollable_content_region.width)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        style, width = self._frame or (self.rich_style, self.scrollable_content_region.width)
        if index >= len(self.strips):
            return Strip.blank(width, style)
        return self.strips[index].crop_extend(scroll_x, scroll_x + width, style) \
            .apply_style(style)
