"""The Overview's bucket cursor: `left`/`right` move it over every chart at once (the legends show
the values there). It is kept as a time, not an index, so that it stays on its bucket when the
answers change; the drill (`enter`) and the peak (`m`) use it."""

from __future__ import annotations

import bisect
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tui.query import overview_shaping as shaping
from tui.screens.base import QueryTab
from tui.screens.overview_panels import PanelBox


class OverviewCursor(QueryTab):
    """The Overview tab's bucket cursor."""

    if TYPE_CHECKING:  # the Overview tab's (tui/screens/overview.py)
        view: str
        cursor_at: datetime | None
        panels: dict[str, Any]

        def _update_info(self) -> None: ...

    def _buckets(self) -> tuple[datetime, ...]:
        for name in shaping.CHARTS:
            value = self.panels.get(name)
            if value is not None and value[0].buckets:
                return value[0].buckets
        return ()

    @property
    def cursor(self) -> int | None:
        buckets = self._buckets()
        if self.cursor_at is None or not buckets:
            return None
        return max(0, min(len(buckets) - 1, bisect.bisect_right(buckets, self.cursor_at) - 1))

    def action_move_cursor(self, step: int) -> None:
        buckets = self._buckets()
        if not buckets or self.view != "chart":
            return
        i = self.cursor
        last = len(buckets) - 1
        self.cursor_at = buckets[last if i is None else max(0, min(last, i + step))]

    def watch_cursor_at(self) -> None:
        self._show_cursor()

    def _show_cursor(self) -> None:
        if self.body is None:
            return
        at = self.cursor_at
        for box in self.query(PanelBox):
            box.cursor(at)
        self._update_info()
