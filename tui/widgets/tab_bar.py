"""The main screen's tab row: one line of tab titles, the active one marked, drawn as text.

Textual's `TabbedContent` builds a dozen widgets (a tab each, an animated underline, panes) for
what is one line here: the shell's first frame and every tab switch were paying for them. Keys
switch tabs (the main screen's digits); a click on a title posts `TabBar.Chosen` too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class TabBar(Widget):
    """Tab titles as `(id, title)` pairs; `active` is the id of the one shown."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"tab-bar--tab", "tab-bar--active"}

    active: reactive[str] = reactive("")

    class Chosen(Message):
        """A tab title was clicked."""

        def __init__(self, tab_id: str) -> None:
            super().__init__()
            self.tab_id = tab_id

    def __init__(
        self, tabs: Sequence[tuple[str, str]], *, active: str = "", id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.tabs = tuple(tabs)
        self.set_reactive(TabBar.active, active or self.tabs[0][0])
        self._spans: list[tuple[str, int, int]] = []  # (tab id, x from, x to) as last drawn

    def render(self) -> Text:
        tab_style = self.get_component_rich_style("tab-bar--tab", partial=True)
        active_style = self.get_component_rich_style("tab-bar--active", partial=True)
        line = Text(no_wrap=True, overflow="ellipsis")
        spans: list[tuple[str, int, int]] = []
        for tab_id, title in self.tabs:
            if line:
                line.append(" ")
            begin = line.cell_len
            line.append(f" {title} ", active_style if tab_id == self.active else tab_style)
            spans.append((tab_id, begin, line.cell_len))
        self._spans = spans
        return line

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        for tab_id, start, end in self._spans:
            if start <= offset.x < end:
                event.stop()
                self.post_message(self.Chosen(tab_id))
                return
