"""The main screen's way back: one stack for `z` zooms and `enter` drill-downs.

A zoom (`RangeChosen` with `remember`) or a drill-down (`DrillDown`) pushes where the user was:
the tab, the filter and the range, and the tab's `view_state()` (cursor, view, increment).
`backspace` (`RangeBack` from a tab, or the main screen's own key) pops one step and gives all of
it back, the tab's state first so that the one fetch it causes asks with it. A part of
`MainScreen` (a mixin) so that main.py stays about its layout and keys.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from textual.widgets import ContentSwitcher

from tui.messages import DrillDown, RangeBack, RangeChosen
from tui.screens.main_dialogs import MainDialogs
from tui.widgets.context_bar import ContextBar

if TYPE_CHECKING:
    from tui.api.timerange import TimeRange
    from tui.filters.tree import Node
    from tui.screens.base import QueryTab

#: The tab a drill-down shows.
DRILL_TAB = "requests"


@dataclass(frozen=True)
class BackStep:
    """Where the user was before a zoom or a drill-down."""

    kind: str  # "zoom" | "drill"
    tab_id: str
    filter: Node
    time_range: TimeRange
    view_state: Any = None
    label: str = ""  # a drill's bucket, for the context bar


class MainBack(MainDialogs):
    """The back stack (see MainScreen for the attributes it uses)."""

    if TYPE_CHECKING:
        @property
        def active_id(self) -> str: ...

        def action_show_tab(self, tab_id: str) -> None: ...

    _back: list[BackStep]

    def _tab(self, tab_id: str) -> QueryTab:
        from tui.screens.base import QueryTab

        return self.query_one(f"#{tab_id}-tab", QueryTab)

    def _remember(self, kind: str, state: Any = None, label: str = "") -> None:
        tab = self.active_tab
        ctx = self.context
        self._back.append(BackStep(kind, self.active_id, ctx.filter, ctx.time_range,
                                   tab.view_state() if state is None else state, label))

    @property
    def back_steps(self) -> tuple[BackStep, ...]:
        return tuple(self._back)

    def on_range_chosen(self, message: RangeChosen) -> None:
        if message.remember:
            self._remember("zoom", message.state)
        self.context = self.context.with_range(message.time_range)

    def on_drill_down(self, message: DrillDown) -> None:
        message.stop()
        self._remember("drill", label=message.label)
        narrowed = self.context.narrowed(message.window_start, message.window_end,
                                         message.condition)
        self._go_to(getattr(message, "tab", DRILL_TAB), narrowed)
        self._show_drill()

    #: The Overview's "what changed" list: a drill that stays on its tab (overview_findings.py).
    on_finding_chosen = on_drill_down

    def on_range_back(self, message: RangeBack) -> None:
        message.stop()
        self.action_back()

    def action_back(self) -> None:
        """backspace: undo the last zoom or drill-down (tab, filter, range, cursor)."""
        if not self._back:
            self.notify("Nothing to go back to (no zoom or drill-down).", timeout=2)
            return
        step = self._back.pop()
        self._tab(step.tab_id).restore_view_state(step.view_state)
        self._go_to(step.tab_id, replace(self.context, filter=step.filter,
                                         time_range=step.time_range))
        self._show_drill()

    def _go_to(self, tab_id: str, context: Any) -> None:
        """Show `tab_id` with `context`: one fetch, by that tab only (the tab left behind is
        hidden first, so it does not ask the new question meanwhile)."""
        leaving = self.active_tab
        moving = tab_id != self.active_id and bool(
            self.query_one(ContentSwitcher).query_children(f"#{tab_id}-tab")
        )
        if moving:
            leaving.shown = False
        self.context = context
        if moving:
            self.action_show_tab(tab_id)
        self._tab(tab_id).ensure_fresh()  # e.g. only the increment came back

    def _show_drill(self) -> None:
        drill = next((s for s in reversed(self._back) if s.kind == "drill"), None)
        self.query_one(ContextBar).drill_text = drill.label if drill is not None else ""
