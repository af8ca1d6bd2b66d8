"""A horizontal bar chart of histogram bins: one labelled bar per bin, its rounded height after it.

Ten bins at most, so the text is laid out in `render()` (microseconds, no thread needed) and kept
per size: a tab switch or a repaint shows the cached text.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tui.format.bars import Bar, layout_bars


class BarChart(Widget):
    """Bars for `bars` (None: nothing yet; empty: `empty_text`)."""

    DEFAULT_CSS = """
    BarChart {
        height: 1fr;
        min-height: 3;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "bar-chart--label",
        "bar-chart--bar",
        "bar-chart--value",
        "bar-chart--empty",
    }

    bars: reactive[tuple[Bar, ...] | None] = reactive(None, always_update=True)
    slots: reactive[int] = reactive(0)  # lay out as if there were this many bars (at least)

    def __init__(
        self,
        *,
        empty_text: str = "no data",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.empty_text = empty_text
        self._cached: tuple[object, Text] | None = None
        self._rendered: object = None  # the key of the text last shown

    def watch_bars(self) -> None:
        self._cached = None

    def watch_slots(self) -> None:
        self._cached = None

    def notify_style_update(self) -> None:
        self._cached = None  # the theme or the CSS changed: the colours with it
        super().notify_style_update()

    @property
    def drawn(self) -> bool:
        """True when the chart shows the current bars at its current size."""
        return self.bars is not None and self._rendered == self._key()

    def _key(self) -> object:
        width, height = self.content_size
        return (id(self.bars), width, height)

    def render(self) -> Text:
        key = self._key()
        self._rendered = key
        if self._cached is not None and self._cached[0] == key:
            return self._cached[1]
        text = self._build()
        self._cached = (key, text)
        return text

    def _build(self) -> Text:
        if self.bars is None:
            return Text("")
        if not self.bars:
            return Text(self.empty_text, style=self._style("bar-chart--empty"))
        width, height = self.content_size
        label, bar, value = (
            self._style(f"bar-chart--{part}") for part in ("label", "bar", "value")
        )
        text = Text(no_wrap=True, overflow="crop", end="")
        for i, row in enumerate(layout_bars(self.bars, width, height, self.slots)):
            if i:
                text.append("\n")
            text.append(row.label, label)
            if row.label or row.bar:
                text.append(" ")
            text.append(row.bar, bar)
            if row.value:
                text.append(" " + row.value, value)
        return text

    def _style(self, component: str) -> Style:
        return self.get_component_rich_style(component, partial=True)
