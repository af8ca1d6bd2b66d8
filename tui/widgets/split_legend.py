"""A legend for a chart split by value (a breakdown): the Legend, plus a note per series (a value
whose request failed says so on its own entry) and a selected series (the one `enter` drills
into), marked. With neither, it draws exactly as a Legend."""

from __future__ import annotations

from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.reactive import reactive

from tui.format.plot import Series
from tui.widgets.legend import Legend


class SplitLegend(Legend):
    #: Per series label: a note drawn on its entry in place of its value (e.g. "failed").
    notes: reactive[dict[str, str]] = reactive(dict, repaint=False)
    #: The selected series' label (None: none): marked with ▶ and underlined.
    selected: reactive[str | None] = reactive(None, repaint=False)

    def __init__(self, title: str = "", *, id: str | None = None) -> None:
        super().__init__(title, id=id)
        self._floor = 0  # `keep_height()`: never fitted to fewer lines than this

    def keep_height(self, keep: bool = True) -> None:
        """Keep (False: stop keeping) at least the lines it has now: what comes next in the
        same place (a split's lines after its preview's "loading…") lays nothing out."""
        self._floor = self._lines if keep else 0

    def _fit(self, lines: int) -> None:
        super()._fit(max(lines, self._floor))

    def set_title(self, title: str) -> None:
        if title != self.title:
            self.title = title
            self._changed()

    def _changed(self) -> None:
        # Out of view (its chart box hidden): a repaint will do; showing the box lays it out.
        # (Legend lays the screen out again for a legend of no width, once per change.)
        if self._hold():
            return
        box = self.parent
        if self.is_mounted and box is not None and not getattr(box, "display", True):
            self._unfit()
            self.refresh()
            return
        super()._changed()

    def watch_notes(self) -> None:
        self._changed()

    def watch_selected(self) -> None:
        self._changed()

    def _entry(self, text: Text, series: Series) -> None:
        chosen = series.label == self.selected
        if chosen:
            text.append("▶", Style(bold=True))
        text.append("■\u00a0", style=Style(color=Color.from_rgb(*series.color)))
        text.append(series.label, Style(underline=True, bold=True) if chosen else None)
        note = self.notes.get(series.label)
        if note is not None:
            text.append("\u00a0" + note.replace(" ", "\u00a0"), Style(bold=True, color="red"))
        elif self.readout is not None:
            value = self.readout.get(series.label, "-").replace(" ", "\u00a0")
            text.append("\u00a0" + value, Style(bold=True))
