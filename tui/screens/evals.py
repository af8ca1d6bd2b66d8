"""The Evals tab: one row per score name, honest numbers, sorted and searched here.

Helicone ignores offset/limit on this endpoint and returns every name, so paging (the table
scrolls) and the name search happen in the app. Keys: `o` next sort column, `n` search names,
`enter` opens the selected eval's hourly charts; `v` (main screen) compares with the previous
period: its true mean and count beside the current ones, with the change (Helicone's average,
min and max give way to them, to fit 80 columns).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.widgets import DataTable, Input, Static

from tui import clock
from tui.context import Investigation
from tui.format.numbers import delta_text
from tui.format.numbers import value as number
from tui.query.evals_shape import SORTS, EvalRow, EvalsAnswer, search, sort_rows
from tui.safe import visible
from tui.screens.base import QueryTab, RowTable

if TYPE_CHECKING:
    from tui.api.timerange import Window

NOTE = (
    "true mean: weighted by hourly counts.  helicone avg: Helicone's averageScore "
    "(sum of hourly averages / count).  *clamped toward 0 by empty hours"
)


COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "name"),
    ("true_mean", "true mean"),
    ("average_score", "helicone avg"),
    ("min_score", "min*"),
    ("max_score", "max*"),
    ("count", "count"),
    ("spark", "trend"),
)

#: Compare (v): the previous period beside the current one.
COMPARE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "name"),
    ("true_mean", "true mean"),
    ("prev_mean", "prev mean"),
    ("delta", "Δ"),
    ("count", "count"),
    ("prev_count", "prev n"),
    ("spark", "trend"),
)

#: Longer names end in an ellipsis (the detail, enter, shows the whole name).
NAME_WIDTH = 32


class EvalSearch(Input):
    """The name search line (`n`): narrows as you type; enter keeps it, escape clears it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_search", "Clear", id="evals.search.clear"),
    ]

    def action_clear_search(self) -> None:
        self.value = ""
        self.display = False
        self.post_message(self.Submitted(self, ""))


class EvalsTab(QueryTab):
    ENDPOINT: ClassVar[str] = "evals"
    WHAT: ClassVar[str] = "evals"
    CAN_COMPARE: ClassVar[bool] = True  # v (main screen): the previous period beside
    FILTER_EMPTIES: ClassVar[bool] = False  # the names are all-time, whatever the filter
    EMPTY_MESSAGE: ClassVar[str] = "No score names: this organisation has no scores yet."

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "next_sort", "Sort", id="evals.sort"),
        Binding("n", "search", "Search", id="evals.search"),
        Binding("enter", "open", "Open", id="evals.open", show=False),
        Binding("backspace", "zoom_back", "Range before", id="evals.zoom_back", show=False),
    ]

    sort_index: reactive[int] = reactive(0, init=False)
    query_text: reactive[str] = reactive("", init=False)
    compare: reactive[bool] = reactive(False, init=False)  # v: with the previous period

    def compose_body(self) -> ComposeResult:
        yield Static(Text(NOTE), id="evals-note", classes="tab-info")
        search_line = EvalSearch(
            placeholder="search names (enter keeps, escape clears)",
            id="evals-search",
            compact=True,
        )
        search_line.display = False
        yield search_line
        yield RowTable(id="evals-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="evals-status", classes="tab-info")

    # ----------------------------------------------------------------- the request

    def options(self) -> Any:
        from tui.query.evals import EvalsOptions

        return EvalsOptions(compare=self.compare)

    @staticmethod
    def prepare(ctx: Investigation, options: Any, now: datetime) -> tuple[Any, Window]:
        """The request; when comparing, a `Paired` of it and the previous period's."""
        from tui.query.evals import VIEW

        window = ctx.time_range.resolve(now)
        return VIEW.build(ctx, window, options, compare=options.compare), window

    async def send(self, client: Any, request: Any) -> Any:
        from tui.query.evals import VIEW

        return await VIEW.send(client, request)

    @staticmethod
    def shape(raw: Any, window: Window, options: Any) -> EvalsAnswer:
        from tui.query.evals_shape import shape_evals

        previous = previous_window = None
        if options.compare:
            raw, previous, previous_window = raw
        return shape_evals(
            raw, window_start=window.start, window_end=window.end, tz=clock.local_zone(),
            previous=previous, previous_window=previous_window,
        )

    def toggle_compare(self) -> None:
        """`v`: the previous period's true mean and count beside these (asks for both)."""
        self.compare = not self.compare
        self.notify(
            "comparing with the previous period" if self.compare else "compare off", timeout=2
        )
        self.options_changed()

    @staticmethod
    def answer_is_empty(answer: Any) -> bool:
        return answer is None or answer.empty

    # ----------------------------------------------------------------- showing it

    def watch_answer(self) -> None:
        self._fill()

    def watch_sort_index(self) -> None:
        self._fill()

    def watch_query_text(self) -> None:
        self._fill()

    @property
    def visible_rows(self) -> list[EvalRow]:
        answer: EvalsAnswer | None = self.answer
        if answer is None:
            return []
        column, _, descending = SORTS[self.sort_index]
        return sort_rows(search(answer.rows, self.query_text), column, descending)

    def body_mounted(self) -> None:
        self._fill()

    def _fill(self) -> None:
        answer: EvalsAnswer | None = self.answer
        if answer is None or self.body is None:
            return
        table = self.query_one("#evals-table", RowTable)
        column, header, descending = SORTS[self.sort_index]
        rows = self.visible_rows
        name_width = min(NAME_WIDTH, max([len("name"), *(len(r.name) for r in rows)]))

        def fill() -> None:
            for column_id, title in COMPARE_COLUMNS if answer.compared else COLUMNS:
                arrow = (" ↓" if descending else " ↑") if column_id == column else ""
                width = name_width if column_id == "name" else None
                table.add_column(title + arrow, key=column_id, width=width)
            for row in rows:
                cells = self._compare_cells(row) if answer.compared else self._cells(row)
                # the server's text: never markup, no control characters
                cells[0] = Text(visible(row.name), no_wrap=True, overflow="ellipsis")
                table.add_row(*cells, key=row.name)

        table.refill(fill)  # the cursor stays on its name, the scroll where it was
        shown = f"{len(rows)} of {len(answer.rows)}" if self.query_text else f"{len(rows)}"
        status = Text()
        status.append(f"{shown} score names", "bold")
        if self.query_text:
            status.append(f" matching {self.query_text!r}")
        status.append(f"  sorted by {header} (o)  n search  enter opens")
        if answer.compared and answer.previous_window is not None:
            from tui.format.durations import spell_length

            status.append(
                f"  vs previous {spell_length(answer.window_end - answer.window_start)}", "bold"
            )
        self.query_one("#evals-status", Static).update(status)

    @staticmethod
    def _cells(row: EvalRow) -> list[Any]:
        if not row.has_data:
            return [
                row.name,
                Text("no data", style="dim", justify="right"),
                Text("no data", style="dim", justify="right"),
                Text("-", justify="right"),
                Text("-", justify="right"),
                Text("0", justify="right"),
                "",
            ]
        return [
            row.name,
            Text(number(row.true_mean), justify="right"),
            Text(number(row.average_score), justify="right"),
            Text(number(row.min_score), justify="right"),
            Text(number(row.max_score), justify="right"),
            Text(number(row.count), justify="right"),
            row.spark,
        ]

    def _compare_cells(self, row: EvalRow) -> list[Any]:
        """name, true mean, previous true mean, Δ, count, previous count, trend."""
        from tui.query.compare import delta

        answer: EvalsAnswer = self.answer
        before = answer.before(row)
        mean = row.true_mean if row.has_data else None
        prev_mean = before.true_mean if before is not None and before.has_data else None

        def cell(text: str, style: str = "") -> Text:
            return Text(text, style=style, justify="right")

        return [
            row.name,
            cell(number(mean, missing="no data"), "" if row.has_data else "dim"),
            cell(number(prev_mean, missing="no data"), "" if prev_mean is not None else "dim"),
            cell(delta_text(delta(mean, prev_mean))),
            cell(number(row.count)),
            cell(number(before.count) if before is not None else "-"),
            row.spark,
        ]

    def _selected_name(self) -> str | None:
        if self.body is None:
            return None
        table = self.query_one("#evals-table", DataTable)
        if table.row_count == 0:
            return None
        try:
            key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        except Exception:
            return None
        return None if key.value is None else str(key.value)

    def focus_main(self) -> None:
        if self.body is None:
            self.focus()
        else:
            self.query_one("#evals-table", DataTable).focus()

    # ----------------------------------------------------------------- actions

    def action_next_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORTS)

    def action_search(self) -> None:
        if self.body is None:
            return
        field = self.query_one(EvalSearch)
        field.display = True
        field.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "evals-search":
            event.stop()
            self.query_text = event.value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "evals-search":
            event.stop()
            self.query_text = event.value
            if not event.value:
                event.input.display = False
            self.focus_main()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_zoom_back(self) -> None:
        """backspace: the range before a zoom (z in an eval's charts)."""
        from tui.messages import RangeBack

        self.post_message(RangeBack())

    def action_open(self) -> None:
        name = self._selected_name()
        answer: EvalsAnswer | None = self.answer
        if name is None or answer is None:
            return
        row = next((r for r in answer.rows if r.name == name), None)
        if row is None:
            return
        from tui.messages import RangeChosen
        from tui.screens.eval_detail import EvalDetail

        def zoomed(time_range: object) -> None:
            if time_range is not None:  # z on an hour: the range narrows to it
                self.post_message(RangeChosen(time_range))

        self.app.push_screen(EvalDetail(row, answer), zoomed)
