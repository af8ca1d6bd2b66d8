"""DataTable rows of one line under a row cursor, put together with the styles asked once a frame
(the Requests list, the request detail's fields).

Drawing a page of the list (35 rows at 120x40), DataTable's `_render_line_in_row` asks for every
row the header's and the row's component styles and the background (each walks the DOM above the
table), the columns in order and each one's width, and for every cell two highlight tests, the
row's renderables, the cursor's styles and a new mouse-metadata style: about half the time of
the rows, beside rendering the cells' text. Here the styles are asked once in a frame
(`render_lines`), what a row's cells share once a row, each cell's metadata style once ever,
and a plain one-line cell goes to cell_line directly (the same segments, the same cache entries
as OneLineCells._render_cell, which still takes any other cell); any other table (row labels,
fixed rows or columns, another cursor) goes Textual's whole way.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets.data_table import RowKey

from tui.widgets.cell_line import cell_line
from tui.widgets.one_line_table import OneLineCells


@lru_cache(maxsize=8192)
def _cell_meta(row: int, column: int) -> Style:
    """A cell's mouse metadata as a style: made once, not once a cell a frame (and the same
    object each time, so Rich's cache of style sums finds the cell's sums again)."""
    return Style.from_meta({"row": row, "column": column})


class OneLineRows(OneLineCells):
    """OneLineCells whose rows are put together the quick way (see the module)."""

    _frame_styles: tuple[Style, Style, Style, list[int], int, list[Any]] | None = None
    _in_frame = False

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame_styles, self._in_frame = None, True
        try:
            return super().render_lines(crop)
        finally:
            self._frame_styles, self._in_frame = None, False

    def _styles_now(self) -> tuple[Style, Style, Style, list[int], int, list[Any]]:
        """The header's and the rows' styles, the columns' widths, the table's, the columns'
        keys: once a frame."""
        styles = self._frame_styles
        if styles is None:
            component = self.get_component_styles
            columns = self.ordered_columns
            styles = (component("datatable--header").rich_style,
                      component("datatable--even-row").rich_style,
                      component("datatable--odd-row").rich_style,
                      [column.get_render_width(self) for column in columns],
                      self.size.width, [column.key for column in columns])
            if self._in_frame:
                self._frame_styles = styles
        return styles

    def _render_line_in_row(self, row_key: RowKey, line_no: int, base_style: Style,
                            cursor_location: Coordinate,
                            hover_location: Coordinate) -> Any:
        # (textual 8.2's DataTable._render_line_in_row for its row-cursor, unlabelled, unfixed
        # case, the pinned version: re-check on upgrade.)
        if (self.cursor_type != "row" or self.fixed_columns or self.fixed_rows
                or (self._labelled_row_exists and self.show_row_labels)):
            return super()._render_line_in_row(row_key, line_no, base_style, cursor_location,
                                               hover_location)
        cache_key = (row_key, line_no, base_style, cursor_location, hover_location,
                     self.cursor_type, self.show_cursor, self._show_hover_cursor,
                     self._update_count, self._pseudo_class_state)
        cached = self._row_render_cache.get(cache_key)
        if cached is not None:
            return cached
        header_style, even_style, odd_style, widths, widget_width, _ = self._styles_now()
        located = self._row_locations.get(row_key)
        row_index = -1 if located is None else located
        if row_index == -1:
            row_style = header_style
        elif self.zebra_stripes:
            row_style = odd_style if row_index % 2 else even_style
        else:
            row_style = base_style
        cursor = row_index == cursor_location.row  # (a row cursor: the whole row or none)
        hover = row_index == hover_location.row
        scrollable_row = self._row_cells(row_key, row_index, line_no, row_style, widths,
                                         cursor, hover)
        remaining_space = max(0, widget_width - sum(widths) - self._row_label_column_width)
        extend_style, _ = self._get_styles_to_render_cell(
            row_index == -1, False, False, hover_location.row == (row_index or 0), cursor,
            self.show_cursor, self._show_hover_cursor, False, False)
        extend_style = row_style + extend_style
        extend_style += Style.from_meta({"row": row_index, "column": 0, "out_of_bounds": True})
        scrollable_row.append([Segment(" " * remaining_space, extend_style)])
        row_pair: Any = ([], scrollable_row)
        self._row_render_cache[cache_key] = row_pair
        return row_pair

    def _row_cells(self, row_key: RowKey, row_index: int, line_no: int, row_style: Style,
                   widths: list[int], cursor: bool, hover: bool) -> list[Any]:
        """The row's cells, as `_render_cell` renders them (the same cache): what every cell of
        a row-cursor row shares (its renderables, the cursor's styles) asked once a row."""
        header = row_index == -1
        if header:
            height = self.header_height
        else:
            row = self.rows.get(row_key)
            height = row.height if row is not None else 0
        if height != 1:  # (a taller row: Textual's way, cell by cell)
            return [self._render_cell(row_index, column_index, row_style, width, cursor=cursor,
                                      hover=hover)[line_no]
                    for column_index, width in enumerate(widths)]
        _, cells = self._get_row_renderables(row_index)
        component, post = self._get_styles_to_render_cell(
            header, False, False, hover, cursor, self.show_cursor, self._show_hover_cursor,
            self.cursor_foreground_priority == "css", self.cursor_background_priority == "css")
        # (row + meta) + component in _render_cell: the same style, meta carrying no colour.
        row_pre = row_style + component
        options = self._one_line_options
        if options is None:
            options = self.app.console_options.update_dimensions(1, 1).update(no_wrap=True)
            self._one_line_options = options
        console, padding, cache = self.app.console, self.cell_padding, self._cell_render_cache
        keys = self._styles_now()[5]
        tail = (row_style, cursor, hover, self._show_hover_cursor, self._update_count,
                self._pseudo_class_state)
        out = []
        for column_index, width in enumerate(widths):
            cache_key = (row_key, keys[column_index], *tail)  # (_render_cell's key)
            lines = cache.get(cache_key)
            if lines is None:
                lines = cell_line(console, options, cells[column_index], width, padding,
                                  row_pre + _cell_meta(row_index, column_index), post)
                if lines is None:  # not a plain one-line Text: Textual's way
                    lines = self._render_cell(row_index, column_index, row_style, width,
                                              cursor=cursor, hover=hover)
                else:
                    cache[cache_key] = lines
            out.append(lines[line_no])
        return out
