"""The Scores tab: numeric and boolean scores over time, as charts or as a table.

Keys of very different scales get panels of their own (side by side in their kind's row), each
with its own y axis. Keys: `i` next increment, `I` back to the automatic one, `l` series on/off,
`left`/`right` the bucket cursor (the legends show each key's value and n there), `enter` the
requests of the cursor's bucket (in the table: the row's; scores_drill.py), `z` zoom to it,
`backspace` back (main screen: one stack for zooms and drill-downs); `t` (main
screen) chart / table, `v` (main screen) compare with the previous period: a dimmer line per key,
a change column per key in the table. n comes from the evals endpoint's hourly counts, asked
beside the scores (the scores endpoint answers averages only).

With a breakdown (`b`, main screen; `--breakdown DIM`) the tab shows one score key at a time split
into one line per top value of the dimension: `k` / `K` the next / previous score key, `l` values
on/off, `up`/`down` the value `enter` drills into (the bucket AND the value's condition); the
table has a column group per value. No compare then (scores_split_view.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import ContentSwitcher, Static

from tui import clock
from tui.context import Investigation
from tui.format.times import bucket_label
from tui.query.scores_shape import (
    PANELS_PER_KIND,
    PREVIOUS_SUFFIX,
    ScoresAnswer,
    current_only,
    label,
    next_increment,
    partial_x,
    series_choices,
)
from tui.screens.base import RowTable
from tui.screens.scores_drill import move_to_row
from tui.screens.scores_split import ScoresSplitAnswer
from tui.screens.scores_split_view import TITLES, ScoresSplitView
from tui.widgets.chart import TimeChart
from tui.widgets.legend import Legend

if TYPE_CHECKING:
    from tui.api.timerange import Window

PANELS = PANELS_PER_KIND


def panel_id(kind: str, n: int, what: str) -> str:
    """`numeric-chart`, `numeric-chart-2`, ...: the first panel keeps the plain id."""
    return f"{kind}-{what}" + (f"-{n + 1}" if n else "")


class ScoresTab(ScoresSplitView):
    ENDPOINT: ClassVar[str] = "scores"
    WHAT: ClassVar[str] = "scores"
    HAS_TABLE_VIEW: ClassVar[bool] = True
    CAN_COMPARE: ClassVar[bool] = True
    #: The preset settings this tab owns (see `preset_options`).
    PRESET_KEYS: ClassVar[tuple[str, ...]] = ("increment",)
    EMPTY_MESSAGE: ClassVar[str] = "No scores in this range (no request had a score)."

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("i", "next_increment", "Increment", id="scores.increment"),
        Binding("I", "auto_increment", "Auto increment", id="scores.auto_increment",
                show=False),
        Binding("l", "pick_series", "Series", id="scores.series"),
        Binding("left", "move_cursor(-1)", "Bucket before", id="scores.cursor_left",
                show=False),
        Binding("right", "move_cursor(1)", "Bucket after", id="scores.cursor_right",
                show=False),
        Binding("z", "zoom_cursor", "Zoom to bucket", id="scores.zoom", show=False),
        Binding("enter", "drill_cursor", "Requests", id="scores.enter",
                tooltip="The requests behind the bucket under the cursor"),
    ]

    hidden: reactive[frozenset[str]] = reactive(frozenset(), init=False)  # raw keys
    compare: reactive[bool] = reactive(False, init=False)  # v: with the previous period

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._info_shown: Text | None = None
        #: What the table was last filled with (its column titles and rows).
        self._table_shown: tuple[Any, ...] | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("", id="scores-info", classes="tab-info")
        with ContentSwitcher(initial="scores-charts", id="scores-views"):
            with Vertical(id="scores-charts"):
                for kind in ("numeric", "boolean"):
                    with Vertical(id=f"{kind}-row", classes="chart-row"):
                        yield Static(TITLES[kind], classes="chart-title")
                        with Horizontal(classes="chart-panels"):
                            for n in range(PANELS):
                                with Vertical(id=panel_id(kind, n, "box"), classes="chart-box"):
                                    yield Legend(id=panel_id(kind, n, "legend"))
                                    yield TimeChart(id=panel_id(kind, n, "chart"),
                                                    empty_text=f"no {kind} scores")
            yield RowTable(id="scores-table", cursor_type="row", zebra_stripes=True,
                           header_height=2)

    # ----------------------------------------------------------------- the request

    def options(self) -> Any:
        """The increment, compare, and the investigation's breakdown (a new one is a new
        question: the tab asks again, and the old fan-out's worker is cancelled)."""
        from tui.query.breakdown_views import ScoresBreakdownOptions
        from tui.query.scores import TimeIncrement

        increment = TimeIncrement(self.increment) if self.increment else None
        breakdown = self.context.breakdown if self.context is not None else None
        return ScoresBreakdownOptions(increment=increment, compare=self.compare and not breakdown,
                                      breakdown=breakdown)

    @staticmethod
    def prepare(ctx: Investigation, options: Any, now: datetime) -> tuple[Any, Window]:
        from tui.screens.scores_query import prepare

        return prepare(ctx, options, now)

    async def send(self, client: Any, request: Any) -> Any:
        from tui.screens.scores_query import send

        return await send(client, request)

    @staticmethod
    def shape(raw: Any, window: Window, options: Any) -> ScoresAnswer | ScoresSplitAnswer:
        from tui.screens.scores_query import shape

        return shape(raw, window, options)

    @staticmethod
    def answer_is_empty(answer: Any) -> bool:
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
        if self.context is not None and self.context.breakdown:
            self.notify("A breakdown does not compare with the previous period (b: none "
                        "turns it off).", severity="warning", timeout=3)
            return
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

    def _redraw(self) -> None:
        self._draw()

    def export_write(self) -> Any:
        answer = self.split
        if answer is None:
            return None
        from tui.screens.scores_split import export_write

        return lambda request: export_write(answer, request, clock.local_zone())

    def curl_text(self, base_url: str) -> str | None:
        if self.context is None or not self.context.breakdown:
            return None
        from tui.query import breakdown as bd

        request, _ = self.prepare(self.context, self.options(), clock.now())
        return bd.curl_text(base_url, request)

    def _draw(self) -> None:
        answer: ScoresAnswer | ScoresSplitAnswer | None = self.answer
        if self.body is None:
            return
        self.query_one(ContentSwitcher).current = (
            "scores-table" if self.view == "table" else "scores-charts"
        )
        if answer is None:
            return
        if isinstance(answer, ScoresSplitAnswer):
            self.draw_split(answer)
        else:
            self._draw_plain(answer)
        self._show_cursor()
        if self.view == "table":
            self._fill_table(answer)
            if self._row_to is not None and move_to_row(self._table, self._row_to):
                self._row_to = None

    def _draw_plain(self, answer: ScoresAnswer) -> None:
        self.restore_titles()  # (after a split, which drew its own)
        partial_start = partial_x(answer)
        for kind in ("numeric", "boolean"):
            panels = answer.kind_panels(kind)
            self.query_one(f"#{kind}-row").display = bool(panels)
            for n in range(PANELS):
                box = self.query_one(f"#{panel_id(kind, n, 'box')}")
                box.display = n < len(panels)
                if n >= len(panels):
                    continue
                panel = panels[n]
                hidden = frozenset(label(k) for k in self.hidden if k in panel.keys)
                chart = self.query_one(f"#{panel_id(kind, n, 'chart')}", TimeChart)
                legend = self.query_one(f"#{panel_id(kind, n, 'legend')}", Legend)
                if answer.compared:  # a hidden key hides its previous-period line too
                    hidden_lines = hidden | {h + PREVIOUS_SUFFIX for h in hidden}
                else:
                    hidden_lines = hidden
                chart.hidden = hidden_lines
                chart.data = panel.data
                chart.partial_x = partial_start
                legend.hidden = hidden
                legend.data = current_only(panel.data)

    def watch_cursor_at(self) -> None:
        self._show_cursor()

    def _show_cursor(self) -> None:
        """The cursor's column on every chart, each key's (each value's) number in the legends."""
        answer: ScoresAnswer | ScoresSplitAnswer | None = self.answer
        if self.body is None or answer is None:
            return
        from tui.query.scores_shape import readout

        i = self.cursor
        x = None if i is None else answer.buckets[i].timestamp()
        for chart in self.query(TimeChart):
            chart.cursor_x = x
        if isinstance(answer, ScoresSplitAnswer):
            self.split_cursor(answer, i)
            self._show_info(self.split_info(answer, i if self.view == "chart" else None))
            return
        values = None if i is None else readout(answer, i)
        for legend in self.query(Legend):
            legend.readout = values
        self._update_info(answer)

    def _update_info(self, answer: ScoresAnswer) -> None:
        shown = len(answer.keys) - len(self.hidden & set(answer.keys))
        hidden_note = f", {len(answer.keys) - shown} hidden" if shown < len(answer.keys) else ""
        text = Text()
        text.append(f"{len(answer.keys)} score keys{hidden_note}", "bold")
        i = self.cursor if self.view == "chart" else None
        if i is not None:  # the cursor's bucket, in place of the key hints
            at = bucket_label(answer.buckets[i], clock.local_zone(), answer.increment,
                              short=True)
            text.append(f"  at {at}", "bold")
            if answer.is_partial(i):
                text.append(" (partial)", "italic")
            text.append("  ⏎ requests  z zoom  increment " + answer.increment)
            self._show_info(text)
            return
        origin = "i cycles, I auto" if self.increment else "auto; i cycles"
        text.append(f"  increment {answer.increment} ({origin})")
        if answer.compared:  # in place of the key hints, so it fits in 80 columns
            from tui.format.durations import spell_length

            length = spell_length(answer.window_end - answer.window_start)
            how = "Δ columns" if self.view == "table" else "dim lines"
            text.append(f"  vs previous {length} ({how})", "bold")
        else:
            text.append("  l series  t " + ("chart" if self.view == "table" else "table"))
        self._show_info(text)

    def _show_info(self, text: Text) -> None:
        # The same line again (every refresh of the watch): no update, which would lay out the
        # whole screen again.
        if text != self._info_shown:
            self._info_shown = text
            self.query_one("#scores-info", Static).update(text)

    def _fill_table(self, answer: ScoresAnswer | ScoresSplitAnswer) -> None:
        from tui.query.scores_shape import column_title
        from tui.screens.scores_view import table_rows

        if isinstance(answer, ScoresSplitAnswer):
            self._table_shown = self.fill_split_table(answer, self._table_shown)
            return
        table = self._table
        keys = [k for k in answer.keys if k not in self.hidden]
        titles = [(k, column_title(answer, k)) for k in keys]
        rows = list(zip(
            [b.isoformat() for b in answer.buckets],
            table_rows(answer, keys, clock.local_zone()),
            strict=True,
        ))
        shown = (answer.compared, titles, rows)
        if shown == self._table_shown and table.row_count:
            return  # the same table (a refresh with the same numbers): no refill, no relayout
        self._table_shown = shown

        def fill() -> None:
            table.cursor_type = "row"  # (a split's table has cells: a bucket and a value)
            table.add_column("time (local)", key="time")
            for k, title in titles:
                table.add_column(Text(title), key=k)
                if answer.compared:  # the change from the previous period's same bucket
                    table.add_column("Δ prev", key=f"{k}\x00delta")
            for key, cells in rows:
                table.add_row(*cells, key=key)

        table.refill(fill)

    def focus_main(self) -> None:
        if self.view == "table" and self.body is not None:
            self._table.focus()
        else:
            self.focus()

    # ----------------------------------------------------------------- actions

    def toggle_view(self) -> None:
        self.view = "table" if self.view == "chart" else "chart"

    def action_next_increment(self) -> None:
        current = self.increment
        if current is None:
            current = self.answer.increment if self.answer is not None else None
        if current is None and self.context is not None:
            from tui.api.timerange import default_increment

            current = default_increment(self.context.time_range.resolve(clock.now())).value
        self.increment = next_increment(current)
        self.notify(f"increment: {self.increment}", timeout=2)
        self.options_changed()

    def action_auto_increment(self) -> None:
        """I: back to the automatic increment (Helicone's web rule for the range)."""
        if self.increment is None:
            self.notify("The increment is already automatic.", timeout=2)
            return
        self.increment = None
        self.notify("increment: automatic", timeout=2)
        self.options_changed()

    def action_pick_series(self) -> None:
        answer: ScoresAnswer | ScoresSplitAnswer | None = self.answer
        if answer is None or answer.empty:
            self.notify("No series yet.", severity="warning", timeout=2)
            return
        if isinstance(answer, ScoresSplitAnswer):
            self.pick_values(answer)
            return
        from tui.screens.series_picker import SeriesPicker

        choices = series_choices(answer, self.hidden)

        def apply(visible: frozenset[str] | None) -> None:
            if visible is not None:
                self.hidden = frozenset(answer.keys) - visible

        self.app.push_screen(SeriesPicker(choices), apply)
