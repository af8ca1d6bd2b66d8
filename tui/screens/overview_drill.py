"""The Overview's drill-down: `enter` on the bucket under the cursor (or a row of the table view)
asks the main screen for the requests of that bucket (DESIGN.md "Drill-down"); from the error-rate
chart only the failed ones, Helicone's "error" being any status but 200."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual.widgets import DataTable

from tui.api.timerange import Window
from tui.messages import DrillDown
from tui.query import overview_shaping as shaping
from tui.screens.base import QueryTab

#: The condition a drill from the error-rate chart adds (Helicone's "error": status != 200).
ERRORS_FILTER = "status != 200"


def bucket_drill(buckets: Sequence[datetime], i: int, window: Window,
                 chart: str) -> DrillDown | None:
    """The drill into bucket i, cut to the window (None: no time of it is inside). A bucket
    ends where the next begins (exclusive); the last one at the window's end (inclusive)."""
    from tui.filters.text import parse

    start = max(buckets[i], window.start)
    after = buckets[i + 1] if i + 1 < len(buckets) else None
    end = min(after, window.end) if after is not None else window.end
    if end <= start:
        return None
    condition = parse(ERRORS_FILTER) if chart == "errors" else None
    return DrillDown.bucket(start, end, end_open=after is not None and end == after,
                            condition=condition)


#: The series whose highest bucket `m` finds, per chart (None: the bucket's request count).
PEAK_OF: dict[str, str | None] = {
    "status": None, "errors": "error rate", "latency": "p99", "cost": "cost", "ttft": "avg TTFT",
}


class OverviewDrill(QueryTab):
    """The Overview tab's drill-down and the place `backspace` gives back."""

    if TYPE_CHECKING:  # the Overview tab's (tui/screens/overview.py)
        view: str
        first: int
        cursor_at: datetime | None
        panels: dict[str, Any]

        @property
        def cursor(self) -> int | None: ...

        def _buckets(self) -> tuple[datetime, ...]: ...

        def drill_user_row(self) -> bool: ...

        def drill_user_key(self, key: str) -> bool: ...

    def action_peak(self) -> None:
        """m: the cursor to the top chart's highest bucket (the whole ones: an edge bucket cut
        by the window is not compared), so the burst is one key away."""
        name = shaping.PANELS[max(0, min(self.first, len(shaping.PANELS) - 1))]
        got = self.panels.get(name)
        if got is None or name not in PEAK_OF or self.view != "chart":
            self.notify("m finds the peak of a chart over time.", timeout=2)
            return
        panel = got[0]
        column = PEAK_OF[name]
        values = (panel.n or ()) if column is None else panel.columns.get(column, ())
        whole = [(v, i) for i, v in enumerate(values)
                 if v is not None and not panel.partial[i]]
        if whole:
            self.cursor_at = panel.buckets[max(whole)[1]]

    def action_drill_cursor(self) -> None:
        """enter: the requests of the cursor's bucket (the failed ones from the error rate)."""
        if self.view == "chart" and self.drill_user_row():
            return
        i = self.cursor
        if i is None or self.view != "chart":
            self.notify("Move the bucket cursor first: left / right.", timeout=2)
            return
        self._drill(i, shaping.PANELS[max(0, min(self.first, len(shaping.PANELS) - 1))])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self.drill_user_key(str(event.row_key.value)):
            return
        buckets, at = self._buckets(), datetime.fromisoformat(str(event.row_key.value))
        if at in buckets:
            self._drill(buckets.index(at), "table")

    def _drill(self, i: int, chart: str) -> None:
        panel = next((self.panels[n][0] for n in shaping.CHARTS if n in self.panels), None)
        drill = None if panel is None else bucket_drill(self._buckets(), i, panel.window, chart)
        if drill is None:
            self.notify("That bucket has no time left inside the window.", timeout=2)
        else:
            self.post_message(drill)

    def view_state(self) -> Any:
        return (self.cursor_at, self.view, self.first)  # the table's row: its refill keeps it

    def restore_view_state(self, state: Any) -> None:
        if isinstance(state, tuple) and len(state) == 3:
            self.cursor_at, self.view, self.first = state
