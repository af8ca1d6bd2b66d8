"""The Scores tab under a breakdown (`b`, `--breakdown DIM`): what it draws and its keys there.

The rule: one score key at a time, split into one line per top value of the dimension (legend
labelled with the values); `k` cycles the score key (`K` back), `l` turns values on and off,
`up`/`down` pick the value `enter` drills into (the requests of the cursor's bucket AND that
value's condition). The bucket cursor shows every value's number in the legend. A value whose
request failed keeps its line in the legend, with the error. The table (`t`) has a group of
columns per value (one per score key); `enter` on a cell drills into its bucket and value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.widgets import DataTable, Static

from tui import clock
from tui.format.times import bucket_label
from tui.safe import visible
from tui.screens.scores_drill import ScoresCursor, bucket_drill
from tui.screens.scores_split import ScoresSplitAnswer
from tui.widgets.chart import TimeChart
from tui.widgets.legend import Legend

if TYPE_CHECKING:
    from tui.screens.scores_split import SplitValue

#: Each kind's chart title (the plain tab's; a split shows its own).
TITLES = {
    "numeric": "Numeric scores, average per bucket",
    "boolean": "Boolean scores, % true per bucket",
}
_SPLIT_ONLY = ("next_key", "pick_value")


class ScoresSplitView(ScoresCursor):
    """The breakdown's part of the Scores tab (ScoresTab draws the plain answer)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "next_key(1)", "Score key", id="scores.key",
                tooltip="Breakdown: next key"),
        Binding("K", "next_key(-1)", "Key before", id="scores.key_back", show=False,
                tooltip="Breakdown: key before"),
        Binding("down", "pick_value(1)", "Next value", id="scores.value_next", show=False,
                tooltip="Breakdown: next value"),
        Binding("up", "pick_value(-1)", "Value before", id="scores.value_back", show=False,
                tooltip="Breakdown: value before"),
    ]

    #: The score key the split chart shows (raw; None: the answer's first).
    split_key: reactive[str | None] = reactive(None, init=False)
    #: The values turned off with `l` (raw values).
    hidden_values: reactive[frozenset[str]] = reactive(frozenset(), init=False)
    #: The value `enter` drills into (its index in the answer's values).
    value_index: reactive[int] = reactive(0, init=False)

    @property
    def split(self) -> ScoresSplitAnswer | None:
        answer = self.answer
        return answer if isinstance(answer, ScoresSplitAnswer) else None

    def shown_key(self, answer: ScoresSplitAnswer) -> str | None:
        if self.split_key in answer.keys:
            return self.split_key
        return answer.keys[0] if answer.keys else None

    def watch_split_key(self) -> None:
        self._redraw()

    def watch_hidden_values(self) -> None:
        self._redraw()

    def watch_value_index(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        """ScoresTab draws (plain or split)."""

    # ----------------------------------------------------------------- drawing

    def draw_split(self, answer: ScoresSplitAnswer) -> None:
        if not self._split_titles:  # k, up/down are this view's keys: the footer shows them
            self.screen.refresh_bindings()
        key = self.shown_key(answer)
        kind = "boolean" if key is not None and _is_boolean(key) else "numeric"
        tz = clock.local_zone()
        from tui.query.scores_shape import partial_x

        for row in ("numeric", "boolean"):
            self.query_one(f"#{row}-row").display = row == kind
            for box in self.query(f"#{row}-row .chart-box"):
                box.display = row == kind and box.id == f"{kind}-box"
        title = answer.title(key) if key is not None else f"no scores by {answer.dimension}"
        self._split_titles = True
        self.query_one(f"#{kind}-row .chart-title", Static).update(Text(title))
        chart = self.query_one(f"#{kind}-chart", TimeChart)
        legend = self.query_one(f"#{kind}-legend", Legend)
        hidden = self._hidden_labels(answer)
        data = answer.chart(key, tz) if key is not None else None
        chart.hidden = hidden
        chart.data = data
        chart.partial_x = partial_x(answer)  # type: ignore[arg-type]  # the same fields
        legend.hidden = hidden
        legend.data = data

    #: The chart titles are the split's (draw_split wrote them).
    _split_titles = False

    def restore_titles(self) -> None:
        if not self._split_titles:
            return  # (an update would lay the tab out again on every refresh)
        self._split_titles = False
        self.screen.refresh_bindings()
        for kind, title in TITLES.items():
            self.query_one(f"#{kind}-row .chart-title", Static).update(title)

    def _hidden_labels(self, answer: ScoresSplitAnswer) -> frozenset[str]:
        return frozenset(p.series_label for p in answer.parts if p.value in self.hidden_values)

    def split_cursor(self, answer: ScoresSplitAnswer, i: int | None) -> None:
        key = self.shown_key(answer)
        values = None if i is None or key is None else answer.readout(key, i)
        for legend in self.query(Legend):
            legend.readout = values

    def split_info(self, answer: ScoresSplitAnswer, i: int | None) -> Text:
        """The line over the chart; at most 80 columns (the footer has the other keys)."""
        key = self.shown_key(answer)
        text = Text()
        if i is not None:  # (the header says the dimension)
            at = bucket_label(answer.buckets[i], clock.local_zone(), answer.increment,
                              short=True)
            text.append(f"at {at}", "bold")
            if answer.is_partial(i):
                text.append(" (partial)", "italic")
            part = self.drill_value(answer)
            if part is not None:
                text.append("  ⏎ requests of ")
                text.append(visible(part.label), "bold")
                text.append(" (up/down)")
            text.append("  z zoom")
            return text
        # Sampled: the top values were counted in a sample of the window's requests.
        sampled = "sampled " if answer.breakdown.top.sampled else ""
        text.append(f"by {visible(answer.dimension)}, {len(answer.parts)} {sampled}values",
                    "bold")
        if answer.failed:
            text.append(f", {len(answer.failed)} failed", "bold")
        if key is not None:
            from tui.query.scores_shape import label

            text.append("  key ")
            text.append(label(key), "bold")
            text.append(f" {answer.keys.index(key) + 1}/{len(answer.keys)} (k)")
        text.append(f"  increment {answer.increment}")
        return text

    def drill_value(self, answer: ScoresSplitAnswer) -> SplitValue | None:
        shown = [p for p in answer.parts if p.value not in self.hidden_values]
        if not shown:
            return None
        return shown[min(max(self.value_index, 0), len(shown) - 1)]

    def fill_split_table(self, answer: ScoresSplitAnswer, shown: Any) -> tuple[Any, ...]:
        """The table's content under a breakdown (the tab fills it when it changed)."""
        from tui.screens.scores_split import table_cell, table_columns
        from tui.screens.scores_view import time_cell

        tz = clock.local_zone()
        hidden = frozenset(p.label for p in answer.parts if p.value in self.hidden_values)
        columns = table_columns(answer, hidden)
        rows = [(b.isoformat(), [time_cell(answer, i, tz),  # type: ignore[arg-type]
                                 *(Text(table_cell(answer, c, i), justify="right")
                                   for c, _ in columns)])
                for i, b in enumerate(answer.buckets)]
        content = ("split", answer.dimension, columns, rows)
        table = self._table
        if content == shown and table.row_count:
            return content

        def fill() -> None:
            table.cursor_type = "cell"  # a cell is a bucket and a value: enter drills into both
            table.add_column("time (local)", key="time")
            for key, title in columns:
                table.add_column(Text(title), key=key)
            for key, cells in rows:
                table.add_row(*cells, key=key)

        table.refill(fill)
        return content

    # ----------------------------------------------------------------- drill-down

    def _drill(self, i: int) -> None:
        answer = self.split
        if answer is None:
            super()._drill(i)
            return
        self._drill_value(i, self.drill_value(answer))

    def _drill_value(self, i: int, part: SplitValue | None) -> None:
        answer = self.split
        if answer is None:
            return
        plain = bucket_drill(answer, i)  # type: ignore[arg-type]  # the same fields
        if plain is None:
            self.notify("That bucket has no time left inside the window.", timeout=2)
            return
        if part is None:
            self.post_message(plain)
            return
        from tui.messages import DrillDown

        self.post_message(DrillDown(plain.window_start, plain.window_end, part.condition,
                                    f"{plain.label} {answer.dimension} {part.label}"))

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        """enter on a cell of the split table: its bucket's requests of its column's value."""
        event.stop()
        answer = self.split
        if answer is None:
            return
        from tui.screens.scores_drill import row_bucket
        from tui.screens.scores_split import column_part

        i = row_bucket(answer, event.cell_key.row_key.value)  # type: ignore[arg-type]
        if i is not None:
            self._drill_value(i, column_part(answer, event.cell_key.column_key.value))

    # ----------------------------------------------------------------- keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in _SPLIT_ONLY:
            if self.split is None:
                return False
            return action == "next_key" or self.view == "chart"
        return True

    def action_next_key(self, step: int) -> None:
        answer = self.split
        if answer is None or not answer.keys:
            return
        current = self.shown_key(answer)
        i = answer.keys.index(current) if current in answer.keys else 0
        self.split_key = answer.keys[(i + step) % len(answer.keys)]
        from tui.query.scores_shape import label

        self.notify(f"score key: {label(self.split_key)}", timeout=2)

    def action_pick_value(self, step: int) -> None:
        answer = self.split
        if answer is None:
            return
        shown = [p for p in answer.parts if p.value not in self.hidden_values]
        if shown:
            self.value_index = max(0, min(len(shown) - 1, self.value_index + step))

    def pick_values(self, answer: ScoresSplitAnswer) -> None:
        """`l` under a breakdown: the values on and off."""
        from tui.screens.series_picker import SeriesPicker

        choices = [(visible(p.label), p.value, p.value not in self.hidden_values)
                   for p in answer.parts]

        def apply(visible_values: frozenset[str] | None) -> None:
            if visible_values is not None:
                self.hidden_values = frozenset(p.value for p in answer.parts) - visible_values

        self.app.push_screen(SeriesPicker(choices), apply)


def _is_boolean(key: str) -> bool:
    from tui.query.scores_shape import is_boolean

    return is_boolean(key)
