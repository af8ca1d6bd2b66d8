"""The Sessions tab: Helicone's three session histograms with their averages, as bars or a table.

`/v1/session/metrics/query` answers requests per session, duration (s) and cost (USD) as
`histogram(10)` bins (range_start/range_end are strings; heights smoothed estimates), trimmed at
the chosen percentile (and below 1-p with interquartile on), and averages over all sessions,
untrimmed (null when there are none). The session name is an exact match (Helicone says "contains").
Keys: `P` next percentile, `I` interquartile on/off, `N` session name, `t` (main screen) table;
`up`/`down` move between the charts (they stack, and scroll, in a narrow terminal).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import ContentSwitcher, DataTable, Input, Static

from tui.context import Investigation
from tui.format.numbers import count, readable
from tui.query.sessions import DEFAULT_P_SIZE, P_SIZES
from tui.query.sessions_shape import (
    METRICS,
    SessionsAnswer,
    bound_texts,
    compare_line,
    shape_sessions,
)
from tui.screens.base import QueryTab, RowTable
from tui.screens.session_stats import compared_averages
from tui.widgets.bars import BarChart
from tui.widgets.completion import Completer

#: Narrower than this, the three charts stack (and scroll) instead of sitting side by side.
SIDE_BY_SIDE_WIDTH = 78

if TYPE_CHECKING:
    from tui.api.timerange import Window

class SessionNameInput(Input):
    """`N`: the session name to narrow to (an exact match); enter applies, escape leaves it.
    It completes the window's session names: `down` lists them, `enter` or `tab` picks, the first
    `escape` closes the list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Leave unchanged", id="sessions.name.leave"),
    ]

    class Left(Message):
        """Closed without applying."""

    def action_leave(self) -> None:
        self.display = False
        self.post_message(self.Left())


class SessionsTab(QueryTab):
    ENDPOINT: ClassVar[str] = "sessions"
    WHAT: ClassVar[str] = "session metrics"
    HAS_TABLE_VIEW: ClassVar[bool] = True
    CAN_COMPARE: ClassVar[bool] = True  # v (main screen): the previous period's averages beside

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("P", "next_percentile", "Percentile", id="sessions.percentile"),
        Binding("I", "toggle_interquartile", "Interquartile", id="sessions.interquartile"),
        Binding("N", "session_name", "Session name", id="sessions.name"),
        # Narrow terminals stack the charts: up/down move between them (and scroll them in).
        Binding("down", "next_chart(1)", "Next chart", id="sessions.next_chart", show=False),
        Binding("up", "next_chart(-1)", "Previous chart", id="sessions.prev_chart", show=False),
    ]

    p_size: reactive[str] = reactive(DEFAULT_P_SIZE, init=False)
    interquartile: reactive[bool] = reactive(False, init=False)
    session_name: reactive[str] = reactive("", init=False)  # "": any session
    view: reactive[str] = reactive("chart", init=False)
    compare: reactive[bool] = reactive(False, init=False)  # v: with the previous period

    def compose_body(self) -> ComposeResult:
        yield Static("", id="sessions-options", classes="tab-info")
        name_line = SessionNameInput(
            placeholder="session name, exact match (enter applies, empty = any, escape leaves)",
            id="sessions-name",
            compact=True,
        )
        name_line.display = False
        yield name_line
        yield Static("", id="sessions-note", classes="tab-info")
        with ContentSwitcher(initial="sessions-charts", id="sessions-views"):
            with Horizontal(id="sessions-charts"):
                for key, title, _, _ in METRICS:
                    with Vertical(id=f"{key}-panel", classes="session-panel"):
                        yield Static(Text(title, style="bold"), classes="session-title")
                        yield Static("", id=f"{key}-average", classes="session-average")
                        chart = BarChart(id=f"{key}-chart", empty_text="no sessions")
                        # The keyboard rests on a chart, not on the tab: focusing a container
                        # restyles everything inside it, which made switching here slow.
                        chart.can_focus = True
                        yield chart
            with Vertical(id="sessions-tables"):
                yield Static("", id="sessions-averages", classes="tab-info")
                yield RowTable(id="sessions-table", cursor_type="row", zebra_stripes=True)

    # ----------------------------------------------------------------- the request

    def options(self) -> Any:
        from tui.query.sessions import PSize, SessionsOptions

        return SessionsOptions(
            p_size=PSize(self.p_size), interquartile=self.interquartile,
            session_name=self.session_name or None, compare=self.compare,
        )

    @staticmethod
    def prepare(ctx: Investigation, options: Any, now: datetime) -> tuple[Any, Window]:
        """The request; when comparing, a `Paired` of it and the previous period's."""
        from tui.query.sessions import VIEW

        window = ctx.time_range.resolve(now)
        return VIEW.build(ctx, window, options, compare=options.compare), window

    async def send(self, client: Any, request: Any) -> Any:
        from tui.query.sessions import VIEW

        return await VIEW.send(client, request)

    @staticmethod
    def shape(raw: Any, window: Window, options: Any) -> SessionsAnswer:
        from dataclasses import replace

        p_size = options.p_size.value
        interquartile, session_name = options.interquartile, options.session_name or ""
        previous = None
        if options.compare:
            raw, before = raw
            previous = shape_sessions(before, p_size, interquartile, session_name)
        answer = shape_sessions(raw, p_size, interquartile, session_name)
        return replace(answer, window_start=window.start, window_end=window.end, previous=previous)

    @staticmethod
    def answer_is_empty(answer: Any) -> bool:
        # No sessions still shows the tab (each chart says so), so P, I and N stay in view.
        return answer is None

    # ----------------------------------------------------------------- showing it

    def watch_answer(self) -> None:
        self._draw()

    def watch_view(self) -> None:
        self._show_options()
        self._draw()
        self.focus_main()

    def body_mounted(self) -> None:
        self._show_options()
        self._draw()
        # The window's session names (`/v1/session/name/query`), as the filter line offers them;
        # on the screen, not in the tab: a dropdown inside a one-row container is cut to one row.
        if not self.screen.query("#sessions-name-completion"):
            self.screen.mount(Completer(
                self.query_one(SessionNameInput), mode="value", id="sessions-name-completion",
                field_of=lambda: ("session_session_name", None)))

    def on_resize(self, event: Resize) -> None:
        if event.size.width:  # a hidden tab has no width: keep the layout it will come back to
            self.set_class(event.size.width < SIDE_BY_SIDE_WIDTH, "-stacked")

    def _show_options(self) -> None:
        if self.body is None:
            return
        text = Text()
        text.append(self.p_size, "bold")
        text.append(" (P)  interquartile ")
        text.append("on" if self.interquartile else "off", "bold")
        text.append(" (I)  session ")
        text.append(repr(self.session_name) if self.session_name else "any", "bold")
        text.append(" (N, exact match)  t " + ("chart" if self.view == "table" else "table"))
        self.query_one("#sessions-options", Static).update(text)

    def _draw(self) -> None:
        if self.body is None:
            return
        self.query_one(ContentSwitcher).current = (
            "sessions-tables" if self.view == "table" else "sessions-charts"
        )
        answer: SessionsAnswer | None = self.answer
        if answer is None:
            return
        self.query_one("#sessions-note", Static).update(Text(answer.note))
        slots = max(len(m.bars) for m in answer.metrics)  # same bar thickness side by side
        self.set_class(answer.previous is not None, "-compare")  # a second average line
        for metric in answer.metrics:
            summary = metric.average_text
            if metric.rows:
                summary += f" · {count(metric.total)} shown"
            self.query_one(f"#{metric.metric}-average", Static).update(
                summary + compare_line(answer, metric)
            )
            chart = self.query_one(f"#{metric.metric}-chart", BarChart)
            chart.slots = slots
            chart.bars = metric.bars
        if self.view == "table":
            self._fill_table(answer)

    def _fill_table(self, answer: SessionsAnswer) -> None:
        """Every bin, its bounds and estimate to 4 significant digits (more where neighbouring
        bounds would read the same; export keeps Helicone's exact text), the averages above the
        table (in a column of their own they would not fit 80 columns)."""
        averages = Text("averages over all sessions: ")
        for i, metric in enumerate(answer.metrics):
            if i:
                averages.append("  ")
            averages.append(f"{metric.name} ")
            averages.append(readable(metric.average), "bold")
        if answer.previous is not None:  # compare: now, previous, Δ, change in %
            averages = compared_averages(answer)
        self.query_one("#sessions-averages", Static).update(averages)
        table = self.query_one("#sessions-table", RowTable)

        def fill() -> None:
            table.add_column("metric", key="metric")
            table.add_column("from", key="start")
            table.add_column("to", key="end")
            table.add_column("sessions (est.)", key="value")
            for metric in answer.metrics:
                if not metric.rows:
                    table.add_row(metric.name, "", "", Text("no sessions", style="dim"),
                                  key=f"{metric.metric}-none")
                starts, ends = bound_texts(metric.rows)
                for i, (_, _, value) in enumerate(metric.rows):
                    table.add_row(
                        metric.name if i == 0 else "",
                        Text(starts[i], justify="right"),
                        Text(ends[i], justify="right"),
                        Text(readable(value), justify="right"),
                        key=f"{metric.metric}-{i}",
                    )

        table.refill(fill)

    def focus_main(self) -> None:
        if self.body is None:
            self.focus()
        elif self.view == "table":
            self.query_one("#sessions-table", DataTable).focus()
        else:
            self.query_one(BarChart).focus()

    def toggle_view(self) -> None:
        self.view = "table" if self.view == "chart" else "chart"

    def action_next_chart(self, step: int) -> None:
        charts = list(self.query(BarChart))
        if not charts or self.view != "chart":
            return
        focused = self.screen.focused
        index = charts.index(focused) if focused in charts else 0
        chart = charts[max(0, min(len(charts) - 1, index + step))]
        chart.focus(scroll_visible=False)
        if isinstance(chart.parent, Widget):  # the whole panel, its title included
            chart.parent.scroll_visible(animate=False, top=True)

    # ----------------------------------------------------------------- options

    def toggle_compare(self) -> None:
        """`v`: the previous period's averages beside these (asks for both periods)."""
        self.compare = not self.compare
        self.notify(
            "comparing with the previous period" if self.compare else "compare off", timeout=2
        )
        self.options_changed()

    #: Preset settings equal to these are not saved (a preset holds what was chosen).
    PRESET_DEFAULTS: ClassVar[dict[str, Any]] = {
        "p_size": DEFAULT_P_SIZE, "interquartile": False, "session_name": None,
    }

    def preset_options(self) -> dict[str, Any]:
        """This tab's preset settings as they are now."""
        return {
            "p_size": self.p_size,
            "interquartile": self.interquartile,
            "session_name": self.session_name or None,
        }

    def apply_preset(self, preset: Any) -> None:
        """Take a preset's sessions options (unset ones stay); the caller fetches."""
        if preset.p_size is not None:
            self.p_size = str(preset.p_size)
        if preset.interquartile is not None:
            self.interquartile = preset.interquartile
        if preset.session_name is not None:
            self.session_name = preset.session_name
        self._show_options()

    def _option_set(self) -> None:
        self._show_options()
        self.options_changed()

    def action_next_percentile(self) -> None:
        index = P_SIZES.index(self.p_size) if self.p_size in P_SIZES else 0
        self.p_size = P_SIZES[(index + 1) % len(P_SIZES)]
        self._option_set()

    def action_toggle_interquartile(self) -> None:
        self.interquartile = not self.interquartile
        self._option_set()

    def action_session_name(self) -> None:
        if self.body is None:
            return
        field = self.query_one(SessionNameInput)
        field.value = self.session_name
        field.cursor_position = len(field.value)
        field.display = True
        field.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "sessions-name":
            return
        event.stop()
        event.input.display = False
        name = event.value.strip()
        if name != self.session_name:
            self.session_name = name
            self._option_set()
        self.focus_main()

    def on_session_name_input_left(self, event: SessionNameInput.Left) -> None:
        event.stop()
        self.focus_main()
