"""The Overview tab: what broke, at a glance (DESIGN.md "The views").

The totals strip (each total with its change against the previous period), then the charts over
time (requests by status class, error rate, latency, cost, TTFT) and the top-models table, one
under the other: as many as the terminal's height holds (one at 80x24), `up`/`down` bring the
next or previous one. `left`/`right` move the bucket cursor over every chart (the legends show
the values there), `t` (main screen) shows every chart's exact numbers with n, `v` adds the
previous period.

Its ~20 requests go out together through the one client (at most 6 in flight); each panel draws
when its own answers are in (`PanelReady`, posted from the fetch worker with the panel already
shaped off the UI thread), and a failed request shows its message in its panel only.

Split by a breakdown (`b`, `--breakdown DIM`: the investigation's `breakdown`), every chart draws
one line per top value (at most 6, plus "(other)" where the metric adds up: requests, error rate,
cost), the legends name the values and, at the bucket cursor, show each value's number (n beside
a rate or an average). The strip stays the window's unsplit totals (the info line says so, and
how the values were ranked). A value whose request failed says so on its legend entry and in the
chart's note; the other values stay. Changing the breakdown cancels the running fan-out (the
fetch worker is exclusive: its requests are cancelled, not left to finish).

Drill-down from a split chart: `l` picks the value `enter` drills into (all values, then each
one in the legend's order, marked ▶ in the legends); `m` puts the cursor on the top chart's peak
and picks the value whose line it is, so "m, enter" is the burst's requests of the value that
has it. `enter` opens Requests for the cursor's bucket AND the picked value's condition (from
the error-rate chart, only the failed ones); with no value picked, the bucket's requests of
every value. `backspace` returns.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.events import Resize
from textual.reactive import reactive
from textual.widgets import ContentSwitcher

from tui import clock
from tui.context import Investigation
from tui.query import overview_shaping as shaping
from tui.screens.base import RowTable
from tui.screens.overview_cursor import OverviewCursor
from tui.screens.overview_fetch import OverviewDone, PanelReady
from tui.screens.overview_findings import FindingsList
from tui.screens.overview_paging import CHART_ROWS, Charts, OverviewPaging
from tui.screens.overview_panels import PanelBox
from tui.screens.overview_pick import OverviewPick
from tui.screens.overview_split import SplitPreview
from tui.screens.overview_table import OverviewTable
from tui.screens.overview_users import UsersCursor
from tui.widgets.text_line import TextLine

if TYPE_CHECKING:
    from tui.api.timerange import Window
    from tui.query.overview_plan import OverviewPlan

# CHART_ROWS is the paging's; importable from here as before.
__all__ = ["CHART_ROWS", "OverviewTab"]


# Each job its own mixin; OverviewPick first, so that the tab's CSS types (its first widget
# base's line) stay those they were: OverviewPick, OverviewDrill, QueryTab.
class OverviewTab(UsersCursor, OverviewPick, OverviewTable, OverviewPaging, OverviewCursor):
    ENDPOINT: ClassVar[str] = "overview"
    WHAT: ClassVar[str] = "the overview"
    HAS_TABLE_VIEW: ClassVar[bool] = True
    CAN_COMPARE: ClassVar[bool] = True
    EMPTY_MESSAGE: ClassVar[str] = "No requests in this range."
    #: The panels draw as their answers arrive: the body shows while the rest load.
    BODY_WHILE_LOADING: ClassVar[bool] = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "next_chart(1)", "Next chart", id="overview.next_chart"),
        Binding("up", "next_chart(-1)", "Previous chart", id="overview.previous_chart"),
        Binding("left", "move_cursor(-1)", "Bucket before", id="overview.cursor_left",
                show=False),
        Binding("right", "move_cursor(1)", "Bucket after", id="overview.cursor_right",
                show=False),
        Binding("m", "peak", "Peak", id="overview.peak"),
        Binding("l", "next_series", "Value", id="overview.next_series",
                tooltip="Split by a breakdown: the value enter drills into (all, then each)"),
        Binding("enter", "drill_cursor", "Requests", id="overview.drill"),
        Binding("exclamation_mark", "findings", "What changed", id="overview.findings"),
    ]

    view: reactive[str] = reactive("chart", init=False)
    compare: reactive[bool] = reactive(False, init=False)
    #: The first chart shown, and how many fit below the strip.
    first: reactive[int] = reactive(0, init=False)
    fits: reactive[int] = reactive(1, init=False)
    cursor_at: reactive[datetime | None] = reactive(None, init=False)
    #: Split by a breakdown: the label of the value `enter` drills into (None: every value).
    selected: reactive[str | None] = reactive(None, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: What each panel shows now (for the current question).
        self.panels: dict[str, Any] = {}
        self._strip_shown: Any = None
        self._split_keys = False
        #: The question (`request_key`) the answer on screen answers.
        self._answered: tuple[Any, Any] | None = None

    def compose_body(self) -> ComposeResult:
        yield TextLine(id="overview-strip")
        yield FindingsList(id="overview-findings")
        yield TextLine(id="overview-info", classes="tab-info")
        with ContentSwitcher(initial="overview-charts", id="overview-views"):
            with Charts(id="overview-charts"):
                for name in shaping.PANELS:
                    yield PanelBox(name, id=f"ov-{name}")
            yield RowTable(id="overview-table", cursor_type="row", zebra_stripes=True,
                           header_height=2)

    # ----------------------------------------------------------------- the request

    def options(self) -> Any:
        # Split: the breakdown (a split chart does not compare); else compare on or off.
        dimension = self.breakdown
        return self.compare if dimension is None else ("split", dimension)

    @staticmethod
    def prepare(ctx: Investigation, options: Any, now: datetime) -> tuple[Any, Window]:
        from tui.query.overview import OverviewOptions
        from tui.query.overview_plan import build_plan

        window = ctx.time_range.resolve(now)
        if isinstance(options, tuple):
            from tui.query.overview_split import build_split

            return build_split(ctx.filter, window, options[1]), window
        return build_plan(ctx.filter, window, OverviewOptions(), compare=bool(options)), window

    def _another_view(self) -> bool:
        """The answer on screen is to the question asked, seen another way (a split, the
        compare): the same filter, range and refresh."""
        asked = self._loading_key
        return (self.answer is not None and self._answered is not None and asked is not None
                and self._answered[0] == asked[0])

    def question_now(self) -> datetime:
        # Another view keeps the window on screen (a sliding range is not moved on by `b`), so
        # its requests that did not change are answered already (send_ticketed).
        if self._another_view() and self.answer_window is not None:
            return self.answer_window.end
        return super().question_now()

    async def send_ticketed(self, ticket: int, client: Any, plan: OverviewPlan) -> Any:
        from tui.screens.overview_fetch import answered_parts, send_parts

        known = answered_parts(self.answer) if self._another_view() else None
        return await send_parts(self, ticket, client, plan, known)

    @staticmethod
    def shape(raw: Any, window: Window, options: Any) -> Any:
        failed = shaping.all_failed(raw.outcomes)
        if failed is not None:  # nothing to show in any panel: the tab says why, once
            from tui.screens.overview_fetch import AllFailed

            raise AllFailed(failed.message)
        return raw

    @staticmethod
    def answer_is_empty(answer: Any) -> bool:
        return answer is None or shaping.is_empty(answer.outcomes)

    def toggle_compare(self) -> None:
        if self.breakdown is not None:
            self.notify("A split chart does not compare with the previous period: clear the "
                        "breakdown (b) first.", timeout=3)
            return
        self.compare = not self.compare
        self.notify("comparing with the previous period" if self.compare else "compare off",
                    timeout=2)
        self.options_changed()

    # ----------------------------------------------------------------- curl, export

    def curl_text(self, base_url: str) -> str | None:
        from tui.query.overview_plan import curl
        from tui.query.overview_split import SplitPlan

        plan = self._plan()
        if isinstance(plan, SplitPlan):
            from tui.query.breakdown import curl_text

            return (curl(base_url, plan.plan) + "\n\n# the breakdown's ranking (its fan-out "
                    "depends on the answer)\n" + curl_text(base_url, plan.ask))
        return curl(base_url, plan)

    def _plan(self) -> Any:
        answer: OverviewDone | None = self.answer
        if (answer is not None and not self.stale and self.status in ("ready", "empty")
                and answer.split is None):
            return answer.plan
        if self.context is None:
            raise ValueError("The Overview tab has no question yet.")
        return self.prepare(self.context, self.options(), clock.now())[0]

    def export_write(self) -> Any:
        answer: OverviewDone | None = self.answer
        if answer is None:
            return None
        from tui.screens.overview_panels import export_write

        return lambda request: export_write(answer, request)

    # ----------------------------------------------------------------- fetching, states

    def fetch(self) -> None:
        super().fetch()
        if self.status == "loading" and not self._keep:
            self.panels = {}
            for box in self.query(PanelBox):
                box.waiting()
            self._split_changed()
            if self.body is not None:
                self._show_pending_strip()
                self._update_info()  # split: its two lines from now (the charts' room final)

    async def before_prepare(self) -> None:
        # fetch() laid the screen out again (a split's legends, its info's second line): that
        # frame first, then the request's building in a thread, which would share the
        # interpreter lock with it (bench/breakdown.py, side by side: the longest stall 43 -> 31
        # ms median, 47 -> 41 ms max).
        # (Not the first question: nothing on screen moved, the body has just mounted; nor a
        # refresh, which keeps what is shown.)
        if self.answer is not None and not self._keep and self.body is not None:
            await self.wait_for_refresh()  # (the worker's task: not the widget's own)

    def on_panel_ready(self, message: PanelReady) -> None:
        message.stop()
        if message.ticket != self._ticket:
            return
        if isinstance(message.value, SplitPreview):  # a split's values, before their lines
            if self.body is not None:
                self.query_one(f"#ov-{message.panel}", PanelBox).preview(message.value)
            return
        self.panels[message.panel] = message.value
        self._draw_panel(message.panel)

    def watch_answer(self, answer: OverviewDone | None) -> None:
        self._answered = self._answer_key  # whose answer it is (a failure later keeps it)
        if answer is not None and self.view == "table":
            self._fill_table()
        if answer is not None and self.context is not None and self.body is not None:
            self.query_one(FindingsList).ask(self.context, answer.plan.window,
                                             answer.plan.increment)

    def action_findings(self) -> None:
        if self.body is not None:
            self.query_one(FindingsList).focus_list()

    def body_mounted(self) -> None:
        for name in self.panels:
            self._draw_panel(name)
        self._show_charts()

    def _draw_panel(self, name: str) -> None:
        if self.body is None:
            return
        value = self.panels[name]
        if name == "strip":
            self._draw_strip()
            return
        if name in shaping.CHARTS:
            self._draw_strip()  # its trends come from the charts' answers
        box = self.query_one(f"#ov-{name}", PanelBox)
        box.show(value)
        if name == "users":
            self.show_users_cursor()
        self._split_changed()
        if (self.selected is not None and name in shaping.CHARTS
                and self.selected not in self._labels()):
            self.selected = None  # a new split, or none: no such value
        box.select(self.selected)
        self._show_cursor()
        if self.view == "table" and self.status == "ready":
            self._fill_table()

    def _draw_strip(self) -> None:
        from tui.screens.overview_charts import strip_text

        value = self.panels.get("strip")
        if value is None or self.body is None:
            return
        totals, plan = value
        width = max(20, self.size.width - 2)  # the strip's padding
        # Split charts have no unsplit series to draw the totals' trends from.
        trends = shaping.trends({name: self.panels[name][0] for name in shaping.CHARTS
                                 if name in self.panels
                                 and isinstance(self.panels[name][0], shaping.SeriesPanel)})
        shown = (totals, width, trends)
        if shown != self._strip_shown:  # the same strip again (a resize of the height): no update
            self._strip_shown = shown
            self.query_one("#overview-strip", TextLine).show(
                strip_text(totals, plan.window.length.total_seconds(), width, trends))

    def _show_pending_strip(self) -> None:
        """Every total "…" while its answers are on their way: the strip as tall as it will be."""
        from tui.screens.overview_charts import strip_text

        self._strip_shown = None
        try:
            assert self.context is not None
            length = self.context.time_range.resolve(clock.now()).length.total_seconds()
        except (AssertionError, ValueError):
            return  # the fetch fails and says why
        width = max(20, self.size.width - 2)
        self.query_one("#overview-strip", TextLine).show(
            strip_text(shaping.shape_strip({}), length, width))

    def on_resize(self, event: Resize) -> None:
        self._draw_strip()

    def drawn_in_view(self) -> bool:
        """Every panel has its answer and each one in view shows it (the plots built), for
        tests and benches."""
        if "strip" not in self.panels or not all(p in self.panels for p in shaping.PANELS):
            return False
        if self.view == "table":
            return self.query_one("#overview-table", RowTable).row_count > 0
        return all(b.complete for b in self.query(PanelBox) if b.display)
