"""The main screen's tabs: mounted after the shell's first frame, the one shown first before
the others, and which one is shown. A part of `MainScreen` (a mixin), as main_back.py is.

The shell (context bar, tab bar, keys) draws first; a worker then mounts the tab shown first,
which asks its question at once, and the other five one per frame once its answer is drawn (or
after OTHER_TABS_AFTER while a slow server works). Keys typed meanwhile wait (tui.keygate asks
`ready`).
"""

from __future__ import annotations

import asyncio
from time import monotonic
from typing import TYPE_CHECKING

from textual.widgets import ContentSwitcher

from tui import clock, startup_gc
from tui.screens import TABS
from tui.screens.base import QueryTab
from tui.screens.main_back import MainBack
from tui.widgets.context_bar import ContextBar
from tui.widgets.timefmt import clock_label

if TYPE_CHECKING:
    from tui.screens import TabSpec

#: At most this long after the first tab is shown, the others are mounted (and keys go through).
OTHER_TABS_AFTER = 1.5


class MainTabs(MainBack):
    """The tabs' mounting and switching (see MainScreen for the attributes it uses)."""

    initial_tab: str
    _tabs_mounted: bool
    _tab_asked: str | None

    @property
    def ready(self) -> bool:
        """The tabs are mounted: keys wait until then (tui.keygate)."""
        return self._tabs_mounted

    async def _mount_tabs(self) -> None:
        """The tab shown first, asking its question; the others once its answer is in (or after
        OTHER_TABS_AFTER). Keys wait until all are in (`ready`)."""
        if not self.is_attached:  # a quit before the first frame
            return
        first = [spec for spec in TABS if spec.id == self.initial_tab]
        await self._mount_specs(first)
        self.query_one("#tabs", ContentSwitcher).current = f"{self.initial_tab}-tab"
        self._activate()  # the visible tab asks for its data now
        tab = self.active_tab
        # The others once its answer is drawn (each costs a layout of the screen: not while the
        # answers arrive), or while a slow server is still working; one at a time. Keys wait
        # until they are in (tui.keygate), so this is bounded. (Its fetch starts once its body
        # is mounted: "idle" until then.)
        deadline = monotonic() + OTHER_TABS_AFTER
        while (tab.status == "idle" or tab.busy) and monotonic() < deadline and self.is_attached:
            await asyncio.sleep(0.02)
        if not tab.busy:
            await asyncio.sleep(0.2)  # its last draws
        for spec in TABS:
            if spec.id != self.initial_tab:
                await asyncio.sleep(0.02)
                if not self.is_attached or self.app._exit:  # (closing: Textual has no public flag)
                    return
                await self._mount_specs([spec])
        self._tabs_mounted = True
        startup_gc.release()  # the start's objects are made: out of the collector's scans
        self.refresh_bindings()
        if self._tab_asked is not None:
            self.action_show_tab(self._tab_asked)

    async def _mount_specs(self, specs: list[TabSpec]) -> None:
        tabs = []
        for spec in specs:
            tab = spec.load()(id=f"{spec.id}-tab")
            tab.context = self.context  # and again with each change (watch_context)
            tab.display = spec.id == self.initial_tab
            tab.web_region = self.target.region  # for web links (the request detail's)
            tabs.append(tab)
        await self.query_one("#tabs", ContentSwitcher).mount_all(tabs)
        if self.context.preset is not None:  # --preset: its tab options, before their fetch
            for tab in tabs:
                tab.apply_preset(self.context.preset)

    @property
    def tabs(self) -> list[QueryTab]:
        return list(self.query(QueryTab))

    @property
    def active_tab(self) -> QueryTab:
        return self.query_one(f"#{self.active_id}-tab", QueryTab)

    @property
    def active_id(self) -> str:
        """The id of the tab shown (the switcher's child is `<id>-tab`)."""
        current = self.query_one(ContentSwitcher).current
        return current.removesuffix("-tab") if current else TABS[0].id

    def _activate(self, tab_id: str | None = None) -> None:
        """Show one tab (default: whichever is active now; a key may have beaten us to it)."""
        tab_id = tab_id or self.active_id
        active = self.query_one(f"#{tab_id}-tab", QueryTab)
        fetched = active.fetched_at
        self.query_one(ContextBar).fetched_text = (
            clock_label(fetched, clock.local_zone()) if fetched else "never"
        )
        for tab in self.tabs:  # the active one fetches now if its answer is stale
            tab.shown = tab is active
        active.focus_main()
        self.refresh_bindings()
