"""The Scores tab's bucket cursor and what acts on the bucket under it: the drill-down (`enter`),
the zoom (`z`), and the place kept for `backspace` (`view_state()`).

`enter` on the bucket under the chart cursor, or on a table row, shows the requests of that
bucket's window. No condition goes with it: a series is a score key, and the filter language can
only say `scores.<key> = <integer>` (one value, not "has this key"), so the requests are all those
of the window under the filter, as the bucket's average was taken over them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.reactive import reactive
from textual.widgets import DataTable

from tui.messages import DrillDown, RangeChosen
from tui.query.scores_shape import ScoresAnswer, bucket_at, zoom_window
from tui.screens.base import QueryTab, RowTable


@dataclass(frozen=True)
class ScoresPlace:
    """Where the reader is in the Scores tab (its `view_state()`)."""

    increment: str | None
    view: str
    cursor_at: datetime | None
    row_key: str | None  # the table's cursor row (a bucket's ISO start)


def bucket_drill(answer: ScoresAnswer, i: int) -> DrillDown | None:
    """The drill into bucket i (None: it has no time inside the window). A bucket ends where the
    next begins (exclusive); the last one at the window's end, which the endpoint includes."""
    span = zoom_window(answer, i)
    if span is None:
        return None
    start, end = span
    end_open = i + 1 < len(answer.buckets) and end == answer.buckets[i + 1]
    return DrillDown.bucket(start, end, end_open=end_open)


def row_bucket(answer: ScoresAnswer, key: object) -> int | None:
    """The bucket index of a table row's key (its bucket's ISO start)."""
    if key is None:
        return None
    at = datetime.fromisoformat(str(key))
    return answer.buckets.index(at) if at in answer.buckets else None


def cursor_row_key(table: DataTable) -> str | None:
    if not table.row_count:
        return None
    try:
        value = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    except Exception:  # no cursor cell (an empty table being filled)
        return None
    return None if value is None else str(value)


def move_to_row(table: DataTable, key: str) -> bool:
    """Put the table's cursor on row `key`; False when the table has no such row (yet)."""
    try:
        index = table.get_row_index(key)
    except Exception:
        return False
    table.move_cursor(row=index)
    return True


class ScoresCursor(QueryTab):
    """The part of the Scores tab about the bucket under the cursor (ScoresTab draws)."""

    increment: reactive[str | None] = reactive(None, init=False)  # None: Helicone's web rule
    view: reactive[str] = reactive("chart", init=False)
    #: The bucket cursor on the charts (its bucket's start; kept across refreshes).
    cursor_at: reactive[datetime | None] = reactive(None, init=False)
    #: The table row `backspace` returns to, once the table holds it again.
    _row_to: str | None = None

    @property
    def cursor(self) -> int | None:
        """The cursor's bucket index in the answer on screen (None: no cursor)."""
        answer: ScoresAnswer | None = self.answer
        return None if answer is None else bucket_at(answer, self.cursor_at)

    @property
    def _table(self) -> RowTable:
        return self.query_one("#scores-table", RowTable)

    def view_state(self) -> ScoresPlace:
        table = cursor_row_key(self._table) if self.body is not None else None
        return ScoresPlace(self.increment, self.view, self.cursor_at, table)

    def restore_view_state(self, state: object) -> None:
        if not isinstance(state, ScoresPlace):
            return
        self.set_reactive(ScoresCursor.increment, state.increment)  # the caller's fetch asks it
        self.view = state.view
        self.cursor_at = state.cursor_at
        self._row_to = state.row_key
        # The rows may be there already (a drill-down leaves the tab's answer as it was).
        if (self.body is not None and state.row_key is not None
                and move_to_row(self._table, state.row_key)):
            self._row_to = None

    def _bucket_here(self) -> int | None:
        """The bucket under the cursor: the table row's in the table, the chart cursor's else."""
        answer: ScoresAnswer | None = self.answer
        if answer is None:
            return None
        if self.view == "table" and self.body is not None:
            return row_bucket(answer, cursor_row_key(self._table))
        return self.cursor

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """enter on a table row: the requests of that row's bucket."""
        event.stop()
        answer: ScoresAnswer | None = self.answer
        i = None if answer is None else row_bucket(answer, event.row_key.value)
        if i is not None:
            self._drill(i)

    def action_drill_cursor(self) -> None:
        """enter on the charts: the requests of the cursor's bucket."""
        i = self._bucket_here()
        if i is None:
            self.notify("Move the bucket cursor first: left / right.", timeout=2)
            return
        self._drill(i)

    def _drill(self, i: int) -> None:
        drill = bucket_drill(self.answer, i)
        if drill is None:
            self.notify("That bucket has no time left inside the window.", timeout=2)
            return
        self.post_message(drill)

    def action_zoom_cursor(self) -> None:
        """z: zoom to the bucket under the cursor (the table row's, in the table)."""
        i = self._bucket_here()
        if i is None:
            self.notify("Move the bucket cursor first: left / right.", timeout=2)
            return
        self._zoom_to(i)

    def _zoom_to(self, i: int) -> None:
        """Zoom the range to bucket i, at the automatic increment for that range: a finer one,
        which is what looking into one bucket is for (a hand-set increment would show the same
        single bucket again)."""
        answer: ScoresAnswer | None = self.answer
        if answer is None:
            return
        span = zoom_window(answer, i)
        if span is None:
            self.notify("That bucket has no time left inside the window.", timeout=2)
            return
        start, end = span
        from tui.api.timerange import TimeRange

        before = self.view_state()  # the increment `backspace` gives back
        self.set_reactive(ScoresCursor.increment, None)  # the context change fetches once
        self.post_message(RangeChosen(TimeRange.absolute(start, end), state=before))

    def action_move_cursor(self, step: int) -> None:
        answer: ScoresAnswer | None = self.answer
        if answer is None or not answer.buckets or self.view != "chart":
            return
        last = len(answer.buckets) - 1
        i = self.cursor
        # The first press lands on the newest bucket.
        self.cursor_at = answer.buckets[last if i is None else max(0, min(last, i + step))]
