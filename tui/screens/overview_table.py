"""The Overview's table view (`t`): every chart's exact numbers per bucket with n (`v` adds the
previous period in brackets), then the users' rows; split by a breakdown, a column group per value
instead (wider than the screen: it scrolls, the time column stays). `enter` on a row drills into
it (tui/screens/overview_drill.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import ContentSwitcher, DataTable

from tui import clock
from tui.query import overview_shaping as shaping
from tui.screens.base import QueryTab, RowTable

if TYPE_CHECKING:
    from tui.query.overview_users import UserRow


class OverviewTable(QueryTab):
    """The Overview tab's table view and its filling."""

    #: What the table shows now: the same again (a new panel that changes no cell) is not refilled.
    _table_shown: Any = None

    if TYPE_CHECKING:  # the Overview tab's (tui/screens/overview.py)
        view: str
        panels: dict[str, Any]

        def _update_info(self) -> None: ...

        def _split_panel(self) -> Any: ...

        def user_rows(self) -> tuple[UserRow, ...]: ...

    def toggle_view(self) -> None:
        self.view = "table" if self.view == "chart" else "chart"

    def watch_view(self) -> None:
        if self.body is None:
            return
        self.query_one(ContentSwitcher).current = (
            "overview-table" if self.view == "table" else "overview-charts")
        if self.view == "table":
            self._fill_table()
        self._update_info()
        self.focus_main()

    def _fill_table(self) -> None:
        from tui.screens import overview_split
        from tui.screens.overview_charts import table

        panels = {n: v[0] for n, v in self.panels.items() if n in shaping.CHARTS}
        split = self._split_panel() is not None
        grid = self.query_one("#overview-table", RowTable)
        if split:  # a column group per value: wider than the screen, it scrolls, time stays
            panels = {n: p for n, p in panels.items()
                      if isinstance(p, overview_split.SplitPanel) and not p.error}
            columns, rows = overview_split.table(panels, clock.local_zone())
        else:
            columns, rows = table(panels, clock.local_zone())
            if columns:
                from tui.screens.overview_users import table_rows

                rows += table_rows(self.user_rows(), columns)
        if grid.fixed_columns != int(split):
            grid.fixed_columns = int(split)
        shown = (tuple(columns), tuple((k, tuple(str(c) for c in cells)) for k, cells in rows))
        if shown == self._table_shown and grid.row_count:
            return
        self._table_shown = shown

        def fill() -> None:
            for key, title in columns:
                grid.add_column(Text(title), key=key)
            for key, cells in rows:
                grid.add_row(*cells, key=key)

        grid.refill(fill)

    def focus_main(self) -> None:
        if self.view == "table" and self.body is not None:
            self.query_one("#overview-table", DataTable).focus()
        else:
            self.focus()
