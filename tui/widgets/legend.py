"""A legend line over a chart: its title, then a coloured mark and a label per series."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import ClassVar

from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.css.scalar import Scalar, Unit
from textual.reactive import reactive
from textual.widget import Widget

from tui.format.plot import ChartData, Series


class Legend(Widget):
    DEFAULT_CSS = """
    Legend {
        height: auto;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"legend--title"}

    # Repainted by `_changed`, and laid out again only when the legend's height changes: a
    # layout of the screen costs far more than a repaint of one line.
    data: reactive[ChartData | None] = reactive(None, repaint=False)
    hidden: reactive[frozenset[str]] = reactive(frozenset(), repaint=False)
    #: At the bucket cursor: each series' value (and n) by label, and the bucket's time.
    readout: reactive[dict[str, str] | None] = reactive(None, repaint=False)
    at: reactive[str] = reactive("", repaint=False)

    def __init__(self, title: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title
        self._holding = 0  # inside `changes()`: the changes are drawn once, at its end
        self._held = False
        self._lines = 0  # the lines last fitted to

    @contextmanager
    def changes(self) -> Iterator[None]:
        """Several settings changed together (title, data, notes, `at`...): the legend is
        measured and repainted once, at the end, not once per setting."""
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1
            if not self._holding and self._held:
                self._held = False
                self._changed()

    def _hold(self) -> bool:
        """Inside `changes()`: note the change for its end (True: nothing to do now)."""
        if self._holding:
            self._held = True
        return bool(self._holding)

    def validate_data(self, data: ChartData | None) -> ChartData | None:
        """A new answer with the same series is the same legend: nothing to draw."""
        current = self.data
        if data is not None and current is not None and data.same_as(current):
            return current
        return data

    def watch_data(self) -> None:
        self._changed()

    def watch_hidden(self) -> None:
        self._changed()

    def watch_readout(self) -> None:
        self._changed()

    def watch_at(self) -> None:
        self._changed()

    def _changed(self) -> None:
        if self._hold():
            return
        width = self.content_size.width
        if not width or not self.is_mounted:
            self.refresh(layout=True)
            return
        self._fit(len(self.render().wrap(self.app.console, width)))

    def _fit(self, lines: int) -> None:
        """The height set to the wrapped lines (not auto), so that a layout of the screen never
        renders the legend to measure it (each layout did, for every legend in view), and only a
        new number of lines asks for one."""
        self._lines = lines
        height = self.styles.height
        if height is not None and height.is_cells and height.value == lines:
            self.refresh()
        elif (height is None or height.is_auto) and lines == self.content_size.height:
            # As tall as it was laid out: the rule set without a layout of the screen.
            self.styles.set_rule("height", Scalar(lines, Unit.CELLS, Unit.HEIGHT))
            self.refresh()
        else:
            self.styles.height = lines

    def _unfit(self) -> None:
        """Back to auto height, without a layout: for a legend out of view that changed (the
        layout that shows it measures it)."""
        height = self.styles.height
        if height is not None and not height.is_auto:
            self.styles.set_rule("height", None)

    def on_resize(self) -> None:
        # Another width may wrap the legend to another number of lines.
        height = self.styles.height
        if height is not None and height.is_cells:
            self._changed()

    def render(self) -> Text:
        text = Text(no_wrap=False, overflow="ellipsis")
        if self.title:
            text.append(self.title, self.get_component_rich_style("legend--title", partial=True))
            text.append("  ")
        if self.at:
            text.append(self.at, Style(bold=True))
            text.append("  ")
        if self.data is None:
            return text
        for i, series in enumerate(self.data.series):
            if i:
                text.append("  ")
            if series.label in self.hidden:
                text.append("- " + series.label, style=Style(dim=True, strike=True))
            else:
                self._entry(text, series)
        return text

    def _entry(self, text: Text, series: Series) -> None:
        """One shown series' entry: its mark, label and value at the cursor."""
        # No-break spaces: a wrapped legend never parts a mark from its label.
        text.append("■\u00a0", style=Style(color=Color.from_rgb(*series.color)))
        text.append(series.label)
        if self.readout is not None:
            value = self.readout.get(series.label, "-").replace(" ", "\u00a0")
            text.append("\u00a0" + value, Style(bold=True))
