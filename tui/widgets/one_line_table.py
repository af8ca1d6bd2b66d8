"""DataTable cells of one line, rendered the fast way (the Requests list, the request detail).

DataTable renders each cell as `Styled(Padding(cell))` through Rich's console; for a plain,
unwrapped, one-line Text `tui.widgets.cell_line` gives the same segments at about a fifth of
the cost. `OneLineCells` goes before DataTable (or a subclass) in the bases: Textual's own
`_render_cell`, its cache kept (the same key), with the rendering swapped; any other cell (a
row label, a taller row or header, a string, several lines) goes Textual's whole way. Columns
of fixed widths are not measured cell by cell (`_update_dimensions`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import ConsoleOptions
from rich.style import Style
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from tui.widgets.cell_line import cell_line


class OneLineCells(DataTable):
    """A DataTable whose plain one-line cells render through cell_line."""

    _one_line_options: ConsoleOptions | None = None

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                     cursor: bool = False, hover: bool = False) -> Any:
        # (textual 8.2's DataTable._render_cell, the pinned version: re-check on upgrade.)
        header = row_index == -1  # the header's labels too, when it is one line
        if header:
            row_key: Any = self._header_row_key
            height = self.header_height
        else:
            row_key = self._row_locations.get_key(row_index) if row_index >= 0 else None
            row = self.rows.get(row_key) if row_key is not None else None
            height = row.height if row is not None else 0
        column_key = self._column_locations.get_key(column_index) if column_index >= 0 else None
        if (row_key is None or column_key is None or height != 1 or self.fixed_rows
                or self.fixed_columns):
            return super()._render_cell(row_index, column_index, base_style, width, cursor,
                                        hover)
        cache_key = (row_key, column_key, base_style, cursor, hover, self._show_hover_cursor,
                     self._update_count, self._pseudo_class_state)
        cached = self._cell_render_cache.get(cache_key)
        if cached is not None:
            return cached
        _, cells = self._get_row_renderables(row_index)
        component, post = self._get_styles_to_render_cell(
            header, False, False, hover, cursor, self.show_cursor, self._show_hover_cursor,
            self.cursor_foreground_priority == "css", self.cursor_background_priority == "css")
        pre = base_style + Style.from_meta({"row": row_index, "column": column_index})
        # What cell_line reads of the options (justify, overflow, no_wrap, height) is the same
        # for every cell: made once, not a ConsoleOptions a cell.
        options = self._one_line_options
        if options is None:
            options = self.app.console_options.update_dimensions(1, 1).update(no_wrap=True)
            self._one_line_options = options
        lines = cell_line(self.app.console, options, cells[column_index], width,
                          self.cell_padding, pre + component, post)
        if lines is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor,
                                        hover)
        self._cell_render_cache[cache_key] = lines
        return lines

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        # (textual 8.2's DataTable._update_dimensions, less the measuring of every new cell,
        # which only auto-width columns use: re-check on upgrade.) Columns of fixed widths and
        # one-line, unlabelled rows: nothing to measure, only the size to set.
        keys = list(new_rows)
        new = [self.rows.get(key) for key in keys]
        columns = self.columns.values()
        if any(c.auto_width for c in columns) or any(
            row is not None and (row.label is not None or row.auto_height) for row in new
        ):
            super()._update_dimensions(keys)
            return
        header_height = self.header_height if self.show_header else 0
        self.virtual_size = Size(
            sum(c.get_render_width(self) for c in columns) + self._row_label_column_width,
            self._total_row_height + header_height,
        )
