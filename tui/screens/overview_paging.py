"""The Overview's charts in view: as many as the height holds under the strip (one at 80x24),
`up`/`down` page to the next or previous one (and, past the last, into the users' rows), and the
info line that says which are shown, where the bucket cursor is and the keys."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.containers import Vertical
from textual.events import Resize

from tui import clock
from tui.query import overview_shaping as shaping
from tui.screens.base import QueryTab
from tui.screens.overview_panels import PanelBox
from tui.widgets.text_line import TextLine

#: A chart box needs about this many rows (legend, plot, axis) to be read.
CHART_ROWS = 10


class Charts(Vertical):
    """The boxes' container: its height says how many charts fit."""

    def on_resize(self, event: Resize) -> None:
        tab = next((a for a in self.ancestors if isinstance(a, OverviewPaging)), None)
        if tab is not None:
            tab.fit_charts(event.size.height)


class OverviewPaging(QueryTab):
    """The Overview tab's chart paging and its info line."""

    if TYPE_CHECKING:  # the Overview tab's (tui/screens/overview.py)
        view: str
        compare: bool
        first: int
        fits: int
        panels: dict[str, Any]

        @property
        def cursor(self) -> int | None: ...

        def _buckets(self) -> tuple[datetime, ...]: ...

        def users_step(self, step: int, at_end: bool) -> bool: ...

        def _split_panel(self) -> Any: ...

        def split_info(self, text: Text) -> Text: ...

        @property
        def breakdown(self) -> str | None: ...

    def fit_charts(self, height: int) -> None:
        fits = max(1, height // CHART_ROWS)
        if fits != self.fits:
            self.fits = fits

    def watch_fits(self) -> None:
        self._show_charts()

    def watch_first(self) -> None:
        self._show_charts()

    def _show_charts(self) -> None:
        if self.body is None:
            return
        count = len(shaping.PANELS)
        first = max(0, min(self.first, count - self.fits))
        for i, name in enumerate(shaping.PANELS):
            box = self.query_one(f"#ov-{name}", PanelBox)
            shown = first <= i < first + self.fits
            if box.display != shown:  # each set lays the screen out again
                box.display = shown
                if shown:
                    box.shown()
        self._update_info()

    def action_next_chart(self, step: int) -> None:
        count = len(shaping.PANELS)
        last_first = max(0, count - self.fits)
        if self.users_step(step, self.first >= last_first):  # the users' rows, at the end
            return
        self.first = max(0, min(last_first, min(self.first, last_first) + step))

    def _update_info(self) -> None:
        if self.body is None:
            return
        from tui.screens.overview_charts import SHORT, at_text

        count = len(shaping.PANELS)
        first = max(0, min(self.first, count - self.fits))
        shown = shaping.PANELS[first:first + self.fits]
        text = Text()
        if self.view == "table" and self._split_panel() is not None:
            self.query_one("#overview-info", TextLine).show(self.split_info(text))
            return
        if self.view == "table":
            text.append("every chart's numbers per bucket", "bold")
            text.append(" (n: the bucket's requests)  t charts  v compare")
            if self.compare:
                text.append("  (previous period in brackets)", "bold")
            self.query_one("#overview-info", TextLine).show(text)
            return
        text.append(f"{first + 1}-{first + len(shown)} of {count}: " if len(shown) > 1
                    else f"{first + 1} of {count}: ", "bold")
        text.append(", ".join(SHORT[n] for n in shown))
        if self._split_panel() is not None:
            self.query_one("#overview-info", TextLine).show(self.split_info(text))
            return
        i = self.cursor if self.view == "chart" else None
        buckets = self._buckets()
        if i is not None and buckets:
            status = self.panels.get("status") or next(
                (self.panels[n] for n in shaping.CHARTS if n in self.panels), None)
            if status is not None:
                panel = status[0]
                text.append("  at " + at_text(buckets, i, panel.increment, clock.local_zone(),
                                              panel.partial[i]), "bold")
        else:
            text.append("  up/down charts  left/right cursor  t table  v compare")
        if self.compare:
            text.append("  vs previous period", "bold")
        if self.breakdown is not None:
            # Split, its charts on their way: the split's two lines already, so that the charts'
            # room (how many fit) is not changed again, with another layout, when they come.
            from tui.safe import one_line

            text.append(f"\nby {one_line(self.breakdown)}: loading…", "dim")
        self.query_one("#overview-info", TextLine).show(text)
