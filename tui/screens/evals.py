"""The Evals tab: one row per score name, honest numbers, sorted and searched here.

Helicone ignores offset/limit on this endpoint and returns every name, so paging (the table
scrolls) and the name search happen in the app. Keys: `o` next sort column, `n` search names,
`enter` opens the selected eval's hourly charts.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import DataTable, Input, Static

from tui import clock
from tui.context import Investigation
from tui.safe import visible
from tui.screens.base import QueryTab
from tui.screens.eval_stats import SORTS, EvalRow, EvalsAnswer, number, search, sort_rows

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


class EvalSearch(Input):
    """The name search line (`n`): narrows as you type; enter keeps it, escape clears it."""

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("escape", "clear_search", "Clear", id="evals.search.clear"),
    ]

    def action_clear_search(self) -> None:
        self.value = ""
        self.display = False
        self.post_message(self.Submitted(self, ""))


class EvalsTab(QueryTab):
    ENDPOINT: ClassVar[str] = "evals"
    WHAT: ClassVar[str] = "evals"
    EMPTY_MESSAGE: ClassVar[str] = "No score names: this organisation has no scores yet."

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("o", "next_sort", "Sort", id="evals.sort"),
        Binding("n", "search", "Search", id="evals.search"),
        Binding("enter", "open", "Open", id="evals.open", show=False),
    ]

    sort_index: reactive[int] = reactive(0, init=False)
    query_text: reactive[str] = reactive("", init=False)

    def compose_body(self) -> ComposeResult:
        yield Static(Text(NOTE), id="evals-note", classes="tab-info")
        search_line = EvalSearch(
            placeholder="search names (enter keeps, escape clears)",
            id="evals-search",
            compact=True,
        )
        search_line.display = False
        yield search_line
        yield DataTable(id="evals-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="evals-status", classes="tab-info")

    # ----------------------------------------------------------------- the request

    @staticmethod
    def prepare(ctx: Investigation, options: Any, now: datetime) -> tuple[Any, Window]:
        from tui.api.models import EndpointName
        from tui.api.requests import build_request

        window = ctx.time_range.resolve(now)
        return build_request(EndpointName.EVALS, ctx.filter, window), window

    async def send(self, client: Any, request: Any) -> Any:
        return await client.evals(request)

    @staticmethod
    def shape(raw: Any, window: Window, options: Any) -> EvalsAnswer:
        from tui.screens.eval_stats import shape_evals

        return shape_evals(
            raw, window_start=window.start, window_end=window.end, tz=clock.local_zone()
        )

    @staticmethod
    def is_empty(answer: Any) -> bool:
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
        table = self.query_one("#evals-table", DataTable)
        selected = self._selected_name()
        column, header, descending = SORTS[self.sort_index]
        table.clear(columns=True)
        for column_id, title in COLUMNS:
            arrow = (" ↓" if descending else " ↑") if column_id == column else ""
            table.add_column(title + arrow, key=column_id)
        rows = self.visible_rows
        for row in rows:
            table.add_row(*self._cells(row), key=row.name)
        if selected is not None and selected in {r.name for r in rows}:
            table.move_cursor(row=table.get_row_index(selected))
        shown = f"{len(rows)} of {len(answer.rows)}" if self.query_text else f"{len(rows)}"
        status = Text()
        status.append(f"{shown} score names", "bold")
        if self.query_text:
            status.append(f" matching {self.query_text!r}")
        status.append(f"  sorted by {header} (o)  n search  enter opens")
        self.query_one("#evals-status", Static).update(status)

    @staticmethod
    def _cells(row: EvalRow) -> list[Any]:
        name = Text(visible(row.name))  # the server's text: never markup, no control characters
        if not row.has_data:
            return [
                name,
                Text("no data", style="dim", justify="right"),
                Text("no data", style="dim", justify="right"),
                Text("-", justify="right"),
                Text("-", justify="right"),
                Text("0", justify="right"),
                "",
            ]
        return [
            name,
            Text(number(row.true_mean), justify="right"),
            Text(number(row.average_score), justify="right"),
            Text(number(row.min_score), justify="right"),
            Text(number(row.max_score), justify="right"),
            Text(number(row.count), justify="right"),
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

    def action_open(self) -> None:
        name = self._selected_name()
        answer: EvalsAnswer | None = self.answer
        if name is None or answer is None:
            return
        row = next((r for r in answer.rows if r.name == name), None)
        if row is None:
            return
        from tui.screens.eval_detail import EvalDetail

        self.app.push_screen(EvalDetail(row, answer))
