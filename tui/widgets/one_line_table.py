"""DataTable cells of one line, rendered the fast way (the Requests list, the request detail).

DataTable renders each cell as `Styled(Padding(cell))` through Rich's console; for a plain,
unwrapped, one-line Text `tui.widgets.cell_line` gives the same segments at about a fifth of
the cost. `OneLineCells` goes before DataTable (or a subclass) in the bases: Textual's own
`_render_cell`, its cache kept (the same key), with the rendering swapped; any other cell
(a row label, a taller row or header, a string, several lines) goes Textual's whole way.
"""

from __future__ import annotations

from typing import Any

from rich.console import ConsoleOptions
from rich.style import Style
from textual.widgets import DataTable

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
