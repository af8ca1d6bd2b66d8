"""The Overview's drill-down: `enter` on the bucket under the cursor (or a row of the table view)
asks the main screen for the requests of that bucket (DESIGN.md "Drill-down"); from the error-rate
chart only the failed ones, Helicone's "error" being any status but 200. Split by a breakdown, the
picked value's condition (`l`, or `m`'s peak) is ANDed on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual.widgets import DataTable

from tui.api.timerange import Window
from tui.filters.tree import Group, Node
from tui.messages import DrillDown
from tui.query import overview_shaping as shaping
from tui.screens.base import QueryTab

#: The condition a drill from the error-rate chart adds (Helicone's "error": status != 200).
ERRORS_FILTER = "status != 200"


def bucket_drill(buckets: Sequence[datetime], i: int, window: Window,
                 chart: str, value: Node | None = None) -> DrillDown | None:
    """The drill into bucket i, cut to the window (None: no time of it is inside). A bucket
    ends where the next begins (exclusive); the last one at the window's end (inclusive)."""
    from tui.filters.text import parse

    start = max(buckets[i], window.start)
    after = buckets[i + 1] if i + 1 < len(buckets) else None
    end = min(after, window.end) if after is not None else window.end
    if end <= start:
        return None
    condition = parse(ERRORS_FILTER) if chart == "errors" else None
    if value is not None:  # a split chart's value: its condition, AND the errors' if any
        condition = value if condition is None else Group("and", (value, condition))
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
        selected: str | None
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
        from tui.query.overview_split import SplitPanel

        if isinstance(panel, SplitPanel):  # the highest whole bucket of any value: and whose
            from tui.screens.overview_split import peak

            found = peak(panel)
            if found is not None:
                self.cursor_at = panel.buckets[found[0]]
                self.selected = panel.lines[found[1]].label
            return
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
        value = self._selected_condition()
        drill = None if panel is None else bucket_drill(self._buckets(), i, panel.window, chart,
                                                        value)
        if drill is None:
            self.notify("That bucket has no time left inside the window.", timeout=2)
        else:
            self.post_message(drill)

    def _selected_condition(self) -> Node | None:
        """The picked value's condition (None: no value picked, or the Overview is not split)."""
        from tui.query.overview_split import SplitPanel

        if self.selected is None:
            return None
        for name in shaping.CHARTS:
            got = self.panels.get(name)
            if got is not None and isinstance(got[0], SplitPanel):
                for line in got[0].lines:
                    if line.label == self.selected:
                        return line.condition
        return None

    def view_state(self) -> Any:
        # The table's row: its refill keeps it.
        return (self.cursor_at, self.view, self.first, self.selected)

    def restore_view_state(self, state: Any) -> None:
        if isinstance(state, tuple) and len(state) == 4:
            self.cursor_at, self.view, self.first, self.selected = state
