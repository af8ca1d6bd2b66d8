"""The main screen: header, the filter line, the tabs, the footer, and the global keys.

It owns the investigation context (filter + time range) and binds it to every tab; a tab fetches
when it is shown and its answer is stale. The keys here do not fire inside modals. How the tabs
are mounted and shown is in main_tabs.py; what follows a dialog (presets, curl, export) in
main_dialogs.py.
"""

from __future__ import annotations

from time import monotonic
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.events import Resize
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Static

from tui import clock
from tui.context import Investigation, Target
from tui.messages import (
    FetchCancelled,
    FetchFailed,
    FetchStarted,
    FetchSucceeded,
)
from tui.screens import DEFAULT_TAB, TABS
from tui.screens.main_back import BackStep
from tui.screens.main_keys import MAIN_BINDINGS, MAIN_HELP_GROUPS
from tui.screens.main_tabs import MainTabs
from tui.screens.overview_findings import FindingsReady
from tui.screens.watch_alerts import WatchAlerts, watch_note
from tui.widgets.context_bar import ContextBar
from tui.widgets.filter_line import FilterLine
from tui.widgets.key_lines import KeyLines
from tui.widgets.tab_bar import TabBar
from tui.widgets.timefmt import clock_label, spell_length, window_label

if TYPE_CHECKING:
    from tui.api.timerange import TimeRange
    from tui.filters.tree import Node

#: A second `q` within this many seconds quits while watching or loading.
QUIT_AGAIN_SECONDS = 4.0

#: Below this size the screen shows a notice instead of a broken layout.
MIN_WIDTH = 60
MIN_HEIGHT = 16


class MainScreen(MainTabs):
    AUTO_FOCUS = ""  # focus is given explicitly, to the visible tab

    BINDINGS: ClassVar[list[BindingType]] = [*MAIN_BINDINGS]
    HELP_GROUPS: ClassVar[tuple[tuple[str, tuple[str, ...]], ...]] = MAIN_HELP_GROUPS

    # No repaint: a refresh of the watch sets it, and a repaint of the screen redraws every line.
    context: reactive[Investigation] = reactive(None, init=False, repaint=False)  # type: ignore[arg-type]  # set in __init__, never None
    watching: reactive[bool] = reactive(False, init=False)

    def __init__(
        self,
        *,
        target: Target,
        context: Investigation,
        watch_seconds: float = 30.0,
        watching: bool = False,
        initial_tab: str | None = None,
    ) -> None:
        super().__init__()
        self.target = target
        self.watch_seconds = watch_seconds
        #: The tab shown first (`--tab NAME`; default the first of TABS, the Overview).
        self.initial_tab = initial_tab or DEFAULT_TAB
        self.set_reactive(MainScreen.context, context)
        self.set_reactive(MainScreen.watching, watching)
        self._watch_timer: Timer | None = None
        #: Watch mode's alerts on new triage findings (watch_alerts.py).
        self.alerts = WatchAlerts(self, target.secret())
        #: One way back for zooms and drill-downs (main_back.py).
        self._back: list[BackStep] = []
        #: What had focus when the terminal became too small (given back when it grows).
        self._focus_before_small: Widget | None = None
        #: When a first `q` asked to confirm quitting (watching or a request running).
        self._quit_asked_at: float | None = None
        self._tabs_mounted = False
        #: A tab asked for before the tabs were all mounted.
        self._tab_asked: str | None = None

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield ContextBar(id="context-bar")
        yield TabBar([(spec.id, f"{spec.key} {spec.title}") for spec in TABS],
                     active=self.initial_tab, id="tab-bar")
        # The tabs come right after the first frame (_mount_tabs): their modules and widgets
        # are most of the app's start-up, and the shell (this bar, the tab bar, the keys) shows
        # sooner without them.
        yield ContentSwitcher(id="tabs")
        yield Static(id="too-small")
        yield KeyLines(one_line=True)

    def on_mount(self) -> None:
        bar = self.query_one(ContextBar)
        bar.demo = self.target.demo
        bar.target = self.target.label
        self._show_context()
        self._show_watch()
        self._watch_timer = self.set_interval(
            self.watch_seconds, self._watch_tick, pause=not self.watching
        )
        # A worker, not a callback of this screen: a callback holds the screen's messages (its
        # repaints too) until it returns.
        self.call_after_refresh(self.run_worker, self._mount_tabs(), name="mount tabs")

    def set_focus(
        self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False
    ) -> None:
        if widget is not None and self.too_small:  # e.g. a tab taking focus when its answer lands
            self._focus_before_small = widget
            widget = None
        super().set_focus(widget, scroll_visible, from_app_focus)

    def _restore_focus(self) -> None:
        before, self._focus_before_small = self._focus_before_small, None
        if before is not None and before.is_attached and before.screen is self:
            before.focus()
        elif self._tabs_mounted:
            self.active_tab.focus_main()
        self.refresh_bindings()

    def on_tab_bar_chosen(self, message: TabBar.Chosen) -> None:
        self.action_show_tab(message.tab_id)

    @property
    def too_small(self) -> bool:
        return self.has_class("-too-small")

    def on_resize(self, event: Resize) -> None:
        small = event.size.width < MIN_WIDTH or event.size.height < MIN_HEIGHT
        was_small = self.too_small
        self.set_class(small, "-too-small")
        if small and not was_small:
            # Hidden widgets keep no focus: remember it, and let only `q` act meanwhile.
            self._focus_before_small = self.focused
            self.set_focus(None)
        elif was_small and not small:
            self._restore_focus()
        if small:
            self.query_one("#too-small", Static).update(
                Text(
                    f"Terminal too small ({event.size.width}x{event.size.height}).\n"
                    f"helicone-tui needs at least {MIN_WIDTH}x{MIN_HEIGHT}: "
                    "enlarge the window, or press q to quit.",
                    justify="center",
                )
            )

    # ----------------------------------------------------------------- the header

    def watch_context(self) -> None:
        # (Set by hand, not bound: the tabs are mounted by a worker, after the first frame.)
        for tab in self.tabs:
            tab.context = self.context
        self._show_context()

    def _show_context(self) -> None:
        bar = self.query_one(ContextBar)
        ctx = self.context
        tz = clock.local_zone()
        try:
            window = ctx.time_range.resolve(clock.now())
            span = window_label(window.start, window.end, tz)
        except ValueError as exc:
            span = str(exc)
        prefix = ""
        if ctx.time_range.length is not None:
            prefix = f"last {spell_length(ctx.time_range.length)}: "
        bar.range_text = prefix + span
        bar.filter_text = ctx.filter_text
        bar.breakdown_text = ctx.breakdown or ""
        self._show_preset()

    def _show_preset(self) -> None:
        bar = self.query_one(ContextBar)
        preset = self.context.preset
        bar.preset_text = preset.name if preset is not None else ""
        # (No preset, nothing to compare: asking every tab costs a walk of the screen, twice a
        # refresh.)
        bar.preset_changed = preset is not None and self.context.differs_from_preset(
            self.preset_options()
        )

    def _show_watch(self) -> None:
        bar = self.query_one(ContextBar)
        bar.watching = self.watching
        bar.watch_text = f"{self.watch_seconds:g}s" if self.watching else "off"

    def on_fetch_started(self, message: FetchStarted) -> None:
        self.query_one(ContextBar).fetched_text = "loading..."
        self._show_preset()  # a tab option (e.g. the increment) may have left the preset

    def on_fetch_succeeded(self, message: FetchSucceeded) -> None:
        bar = self.query_one(ContextBar)
        bar.fetched_text = f"{clock_label(message.fetched_at, clock.local_zone())}"
        self._show_context()

    def on_fetch_failed(self, message: FetchFailed) -> None:
        self.query_one(ContextBar).fetched_text = "failed"

    def on_fetch_cancelled(self, message: FetchCancelled) -> None:
        tab = self.active_tab
        self.query_one(ContextBar).fetched_text = (
            clock_label(tab.fetched_at, clock.local_zone()) if tab.fetched_at else "cancelled"
        )

    # ----------------------------------------------------------------- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.too_small and action != "quit":  # the screen is hidden behind the notice
            return False
        if action == "toggle_view":  # hidden on tabs without a table view
            return self._tabs_mounted and self.active_tab.HAS_TABLE_VIEW
        return True

    def action_show_tab(self, tab_id: str) -> None:
        if not self._tabs_mounted:  # (a key past the gate's bound): shown once they are in
            self._tab_asked = tab_id
            return
        if tab_id == self.active_id:
            return
        self.query_one(ContentSwitcher).current = f"{tab_id}-tab"
        self.query_one(TabBar).active = tab_id
        self._activate(tab_id)

    async def action_edit_filter(self) -> None:
        found = self.query(FilterLine)
        if found:
            line = found.first()
        else:  # mounted on first use: one widget less to style before the first frame
            line = FilterLine(id="filter-line")
            await self.mount(line, after=self.query_one(ContextBar))
        line.open(self.context.filter_text)

    def on_filter_line_applied(self, message: FilterLine.Applied) -> None:
        self.context = self.context.with_filter(message.node, message.text)
        self.active_tab.focus_main()

    def on_filter_line_closed(self, message: FilterLine.Closed) -> None:
        self.active_tab.focus_main()

    def action_edit_filter_tree(self) -> None:
        from tui.filters.text import format as format_filter
        from tui.screens.filter_editor import FilterEditor

        def applied(node: Node | None) -> None:
            if node is not None:  # the normal form, as the filter line applies it
                self.context = self.context.with_filter(node, format_filter(node))
            self.active_tab.focus_main()

        editor = FilterEditor.for_tab(self.context.filter, self.active_tab, self.tabs)
        self.app.push_screen(editor, applied)

    def action_pick_range(self) -> None:
        from tui.screens.time_picker import TimeRangePicker

        def chosen(time_range: TimeRange | None) -> None:
            if time_range is not None:
                self.context = self.context.with_range(time_range)
            self.active_tab.focus_main()

        self.app.push_screen(TimeRangePicker(self.context.time_range, clock.now()), chosen)

    def _change_range(self, change: str, amount: float) -> None:
        current = self.context.time_range
        try:
            if change == "shift":
                new = current.shifted(int(amount), clock.now())
            else:
                new = current.zoomed(amount, clock.now())
        except ValueError as exc:
            self.notify(str(exc), severity="warning")
            return
        if new == current:
            self.notify("The window already ends now.", timeout=2)
            return
        self.context = self.context.with_range(new)

    def action_shift(self, k: int) -> None:
        self._change_range("shift", k)

    def action_zoom(self, factor: float) -> None:
        self._change_range("zoom", factor)

    def action_refresh(self) -> None:
        self.context = self.context.refreshed()

    def action_toggle_watch(self) -> None:
        self.watching = not self.watching
        if self.watching:
            self.notify(watch_note(self.watch_seconds), timeout=4)

    def watch_watching(self, watching: bool) -> None:
        if self._watch_timer is not None:
            if watching:
                self._watch_timer.reset()
                self._watch_timer.resume()
            else:
                self._watch_timer.pause()
        self._show_watch()

    def _watch_tick(self) -> None:
        if self._tabs_mounted and not self.active_tab.busy:
            self.context = self.context.refreshed()
            self.alerts.tick(self.context, overview_shown=self.active_id == "overview")

    def on_findings_ready(self, message: FindingsReady) -> None:
        self.alerts.found(message.question, message.result, self.watching)

    def action_toggle_view(self) -> None:
        self.active_tab.toggle_view()

    def action_cancel(self) -> None:
        if not self.active_tab.cancel():
            self.notify("No request is running.", timeout=2)

    def action_compare(self) -> None:
        tab = self.active_tab
        if not tab.CAN_COMPARE:
            self.notify("Compare with the previous period works on Scores, Evals and Sessions.",
                        timeout=3)
            return
        tab.toggle_compare()

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))

    def action_quit(self) -> None:
        busy = [tab.busy for tab in self.tabs]
        if (self.watching or any(busy)) and not self.too_small:
            asked = self._quit_asked_at
            if asked is None or monotonic() - asked > QUIT_AGAIN_SECONDS:
                self._quit_asked_at = monotonic()
                what = "Watching" if self.watching else "A request is running"
                self.notify(f"{what}: press q again to quit.", timeout=QUIT_AGAIN_SECONDS)
                return
        self.app.exit()
