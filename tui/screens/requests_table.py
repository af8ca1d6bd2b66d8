"""The Requests list's table: fixed column widths, rows replaced under the same columns.

A DataTable measures every cell of every new row with Rich (for columns sized to their content)
and a tab's `refill` drops and adds its columns again. The list's columns have widths fixed by
their kind instead (requests_rows.COLUMNS: times, statuses and numbers are bounded, names are
cut), so no cell is measured (OneLineCells skips that for fixed widths), and a new sort, a
refresh or the next page replaces or adds rows only: on a loaded machine the measuring was
about a tenth of `o` to its page drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.message import Message
from textual.widgets.data_table import ColumnKey

from tui.screens.base import RowTable
from tui.widgets.one_line_rows import OneLineRows


class RequestsTable(OneLineRows, RowTable):
    """The list: `pagedown` on the last row asks for the next page instead of doing nothing.

    Its cells render the fast way (OneLineCells): a page is about 350 of them, and Textual's
    way of rendering them was most of the time from an answer to its page drawn; its rows are
    put together with the styles asked once a frame (OneLineRows)."""

    class AtEnd(Message):
        """pagedown with the cursor on the last row."""

    def action_page_down(self) -> None:
        if self.row_count and self.cursor_row >= self.row_count - 1:
            self.post_message(self.AtEnd())
            return
        super().action_page_down()

    def set_columns(self, columns: list[tuple[str, Text, int]]) -> None:
        """The columns as (key, label, width): added the first time, relabelled later (the
        sort's arrow moves), never removed, so their widths are not worked out again."""
        if [key.value for key in self.columns] != [key for key, _, _ in columns]:
            self.clear(columns=True)
            for key, label, width in columns:
                self.add_column(label, key=key, width=width)
            return
        changed = False
        for key, label, _ in columns:
            column = self.columns[ColumnKey(key)]
            if column.label != label:
                column.label = label
                changed = True
        if changed:  # the header's cells are cached by the update count
            self._update_count += 1
            self.refresh()

    def replace_rows(self, add: Callable[[], None], keep_place: bool) -> None:
        """Remove the rows and `add` the new ones under the same columns. `keep_place` (a
        refresh): the cursor stays on the same request (by key; by index when it is gone) and
        the scroll where it was; otherwise the first row (a new question)."""
        row_key: Any = None
        row_index = self.cursor_row
        had_rows = self.row_count > 0
        if keep_place and had_rows:
            try:
                row_key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
            except Exception:  # (the cursor off the rows: keep its index)
                row_key = None
        scroll = (self.scroll_x, self.scroll_y)
        self.clear()
        add()
        if not (keep_place and had_rows and self.row_count):
            return
        index = row_index
        if row_key is not None:
            try:
                index = self.get_row_index(row_key)
            except Exception:  # that request is gone: the same index
                index = row_index
        self.move_cursor(row=min(index, self.row_count - 1), scroll=False)
        self.call_after_refresh(lambda: self.scroll_to(*scroll, animate=False, immediate=True))
