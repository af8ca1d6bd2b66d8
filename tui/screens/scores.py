"""The Scores tab: numeric and boolean scores over time, as two charts or as a table.

Keys: `i` next increment, `l` series on/off, `t` (main screen) chart / table, `v` (main screen)
compare with the previous period: a dimmer line per key, a change column per key in the table.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import ContentSwitcher, DataTable, Static

from tui import clock
from tui.context import Investigation
from tui.messages import RangeBack, RangeChosen
from tui.screens.base import QueryTab
from tui.screens.score_series import (
    PREVIOUS_SUFFIX,
    ScoresAnswer,
    current_only,
    is_boolean,
    label,
)
from tui.widgets.chart import TimeChart
from tui.widgets.legend import Legend
from tui.widgets.timefmt import bucket_label

if TYPE_CHECKING:
    from tui.api.timerange import Window

INCREMENTS = ("min", "hour", "day", "week", "month", "year")


class ScoresTab(QueryTab):
    ENDPOINT: ClassVar[str] = "scores"
    WHAT: ClassVar[str] = "scores"
    HAS_TABLE_VIEW: ClassVar[bool] = True
    CAN_COMPARE: ClassVar[bool] = True
    #: The preset settings this tab owns (see `preset_options`).
    PRESET_KEYS: ClassVar[tuple[str, ...]] = ("increment",)
    EMPTY_MESSAGE: ClassVar[str] = "No scores in this range (no request had a score)."

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("i", "next_increment", "Increment", id="scores.increment"),
        Binding("l", "pick_series", "Series", id="scores.series"),
        Binding("backspace", "zoom_back", "Range before", id="scores.zoom_back", show=False),
    ]

    increment: reactive[str | None] = reactive(None, init=False)  # None: Helicone's web rule
    hidden: reactive[frozenset[str]] = reactive(frozenset(), init=False)  # raw keys
    view: reactive[str] = reactive("chart", init=False)
    compare: reactive[bool] = reactive(False, init=False)  # v: with the previous period

    def compose_body(self) -> ComposeResult:
        yield Static("", id="scores-info", classes="tab-info")
        with ContentSwitcher(initial="scores-charts", id="scores-views"):
            with Vertical(id="scores-charts"):
                with Vertical(id="numeric-box", classes="chart-box"):
                    yield Legend("Numeric scores, average per bucket:", id="numeric-legend")
                    yield TimeChart(id="numeric-chart", empty_text="no numeric scores")
                with Vertical(id="boolean-box", classes="chart-box"):
                    yield Legend("Boolean scores, % true per bucket:", id="boolean-legend")
                    yield TimeChart(id="boolean-chart", empty_text="no boolean scores")
            yield DataTable(id="scores-table", cursor_type="row", zebra_stripes=True)

    # ----------------------------------------------------------------- the request

    def options(self) -> tuple[str | None, bool]:
        return (self.increment, self.compare)

    @staticmethod
    def prepare(ctx: Investigation, options: Any, now: datetime) -> tuple[Any, Window]:
        """The request; when comparing, a `Paired` of it and the previous period's."""
        from tui.api.models import EndpointName, TimeIncrement
        from tui.api.requests import QueryOptions, build_request

        window = ctx.time_range.resolve(now)
        increment, compare = options
        query_options = QueryOptions(increment=TimeIncrement(increment) if increment else None)
        request = build_request(EndpointName.SCORES, ctx.filter, window, query_options)
        if compare:
            from tui.compare import previous_request

            return previous_request(EndpointName.SCORES, request, window), window
        return request, window

    async def send(self, client: Any, request: Any) -> Any:
        from tui.compare import Paired

        if isinstance(request, Paired):
            current, previous = await asyncio.gather(
                client.scores(request.current), client.scores(request.previous)
            )
            window = request.previous_window
            return current, previous, (window.start, window.end)
        return await client.scores(request)

    @staticmethod
    def shape(raw: Any, window: Window, options: Any) -> ScoresAnswer:
        from tui.api.timerange import default_increment
        from tui.screens.score_series import shape_scores

        increment, compare = options
        previous = previous_window = None
        if compare:
            raw, previous, previous_window = raw
        return shape_scores(
            raw,
            increment=increment or default_increment(window).value,
            window_start=window.start,
            window_end=window.end,
            tz=clock.local_zone(),
            previous=previous,
            previous_window=previous_window,
        )

    @staticmethod
    def is_empty(answer: Any) -> bool:
        return answer is None or answer.empty

    # ----------------------------------------------------------------- showing it

    def watch_answer(self, answer: ScoresAnswer | None) -> None:
        if answer is None:
            return
        self._draw()

    def watch_hidden(self) -> None:
        self._draw()

    def watch_view(self) -> None:
        self._draw()
        self.focus_main()

    def toggle_compare(self) -> None:
        """`v`: the previous period on or off (asks the server for both periods)."""
        self.compare = not self.compare
        self.notify(
            "comparing with the previous period" if self.compare else "compare off", timeout=2
        )
        self.options_changed()

    # ----------------------------------------------------------------- presets

    def preset_options(self) -> dict[str, Any]:
        """This tab's preset settings as they are now (None: the default, not saved)."""
        return {"increment": self.increment}

    def apply_preset(self, preset: Any) -> None:
        """Take a preset's increment (an unset one leaves the current one). Fetching is left to
        the caller, so a preset that also changes the context sends one request, not two."""
        if preset.increment is not None:
            self.increment = str(preset.increment)

    def body_mounted(self) -> None:
        self._draw()

    def _draw(self) -> None:
        answer: ScoresAnswer | None = self.answer
        if self.body is None:
            return
        self.query_one(ContentSwitcher).current = (
            "scores-table" if self.view == "table" else "scores-charts"
        )
        if answer is None:
            return
        for kind, data, keys in (
            ("numeric", answer.numeric, answer.numeric_keys),
            ("boolean", answer.boolean, answer.boolean_keys),
        ):
            hidden = frozenset(label(k) for k in self.hidden if k in keys)
            self.query_one(f"#{kind}-box").display = bool(keys)
            chart = self.query_one(f"#{kind}-chart", TimeChart)
            legend = self.query_one(f"#{kind}-legend", Legend)
            if answer.compared:  # a hidden key hides its previous-period line too
                hidden_lines = hidden | {h + PREVIOUS_SUFFIX for h in hidden}
            else:
                hidden_lines = hidden
            chart.hidden = hidden_lines
            chart.data = data
            legend.hidden = hidden
            legend.data = current_only(data)
        self._update_info(answer)
        if self.view == "table":
            self._fill_table(answer)

    def _update_info(self, answer: ScoresAnswer) -> None:
        shown = len(answer.keys) - len(self.hidden & set(answer.keys))
        hidden_note = f", {len(answer.keys) - shown} hidden" if shown < len(answer.keys) else ""
        origin = "i cycles" if self.increment else "by range; i cycles"
        text = Text()
        text.append(f"{len(answer.keys)} score keys{hidden_note}", "bold")
        text.append(f"  increment {answer.increment} ({origin})")
        if answer.compared:  # in place of the key hints, so it fits in 80 columns
            from tui.widgets.timefmt import spell_length

            length = spell_length(answer.window_end - answer.window_start)
            how = "Δ columns" if self.view == "table" else "dim lines"
            text.append(f"  vs previous {length} ({how})", "bold")
        else:
            text.append("  l series  t table")
        self.query_one("#scores-info", Static).update(text)

    def _fill_table(self, answer: ScoresAnswer) -> None:
        table = self.query_one("#scores-table", DataTable)
        table.clear(columns=True)
        tz = clock.local_zone()
        keys = [k for k in answer.keys if k not in self.hidden]
        table.add_column("time (local)", key="time")
        for k in keys:
            table.add_column(Text(label(k) + (" %true" if is_boolean(k) else "")), key=k)
            if answer.compared:  # the change from the previous period's same bucket
                table.add_column("Δ prev", key=f"{k}\x00delta")
        rows = []
        for i, bucket in enumerate(answer.buckets):
            cells = [bucket_label(bucket, tz, answer.increment)]
            for k in keys:
                cells.append(answer.display_value(k, answer.values[k][i]))
                if answer.compared:
                    cells.append(answer.display_delta(k, i))
            rows.append(cells)
        for i, cells in enumerate(rows):
            table.add_row(*cells, key=str(i))

    def focus_main(self) -> None:
        if self.view == "table" and self.body is not None:
            self.query_one("#scores-table", DataTable).focus()
        else:
            self.focus()

    # ----------------------------------------------------------------- actions

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """enter on a table row: zoom the range to that row's bucket."""
        event.stop()
        answer: ScoresAnswer | None = self.answer
        if answer is None or event.row_key.value is None:
            return
        i = int(event.row_key.value)
        start = answer.buckets[i]
        end = answer.buckets[i + 1] if i + 1 < len(answer.buckets) else answer.window_end
        start, end = max(start, answer.window_start), min(end, answer.window_end)
        if end <= start:
            return
        from tui.api.timerange import TimeRange

        self.post_message(RangeChosen(TimeRange.absolute(start, end)))

    def action_zoom_back(self) -> None:
        self.post_message(RangeBack())

    def toggle_view(self) -> None:
        self.view = "table" if self.view == "chart" else "chart"

    def action_next_increment(self) -> None:
        current = self.increment
        if current is None:
            current = self.answer.increment if self.answer is not None else None
        if current is None and self.context is not None:
            from tui.api.timerange import default_increment

            current = default_increment(self.context.time_range.resolve(clock.now())).value
        index = INCREMENTS.index(current) if current in INCREMENTS else -1
        self.increment = INCREMENTS[(index + 1) % len(INCREMENTS)]
        self.notify(f"increment: {self.increment}", timeout=2)
        self.options_changed()

    def action_pick_series(self) -> None:
        answer: ScoresAnswer | None = self.answer
        if answer is None or answer.empty:
            self.notify("No series yet.", severity="warning", timeout=2)
            return
        from tui.screens.series_picker import SeriesPicker

        choices = [
            (label(k) + (" (% true)" if is_boolean(k) else ""), k, k not in self.hidden)
            for k in answer.keys
        ]

        def apply(visible: frozenset[str] | None) -> None:
            if visible is not None:
                self.hidden = frozenset(answer.keys) - visible

        self.app.push_screen(SeriesPicker(choices), apply)
