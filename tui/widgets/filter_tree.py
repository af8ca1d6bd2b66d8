"""The filter editor's tree: a view of `EditorModel.rows()`, rebuilt after every edit.

The model is the truth. This `Tree` has no keys, no move and no inline edit of its own: the
editor screen binds the keys, edits the model, then calls `show(rows, cursor)`, which rebuilds
every node and puts the cursor back on the model's cursor. Each caveat of a condition is a line
of its own just under it. A click moves the cursor; the screen hears it as `CursorMoved`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text, TextType
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.filters.editing import Path, Row

CAVEAT_MARK = "! "


@dataclass(frozen=True, slots=True)
class Line:
    """What a tree node shows: a node of the filter (`caveat` None) or one caveat of it."""

    path: Path
    depth: int
    is_group: bool = False
    caveat: str | None = None


def _label_text(node: TreeNode[Line]) -> Text:
    # Textual keeps every label as Text (Tree.process_label); the property is typed wider.
    label = node.label
    return label if isinstance(label, Text) else Text(label)


class FilterTree(Tree[Line], inherit_bindings=False):
    """An and/or tree: groups as AND / OR, conditions in the text language, caveats under them."""

    BINDINGS: ClassVar[list[BindingType]] = []  # the editor screen owns every key

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "filter-tree--group",
        "filter-tree--empty",
        "filter-tree--caveat",
    }

    class CursorMoved(Message):
        """The user put the cursor on another node (a click); `path` names it."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    def __init__(self, *, id: str | None = None) -> None:
        self._building = False
        self._lines: dict[Path, int] = {}
        self._width = 0  # the widget's width, kept here: asking Textual per line is slow
        super().__init__(Text("AND"), id=id)
        self.auto_expand = False
        self.guide_depth = 3

    def _invalidate(self) -> None:
        # Tree re-lays itself out after every node added; a rebuild adds hundreds of nodes and
        # needs it once, at the end (Textual 8.2's Tree: `add` calls `_invalidate`).
        if not self._building:
            super()._invalidate()

    def process_label(self, label: TextType) -> Text:
        # Our labels are one line of plain Text already (never markup: a value may hold '[').
        if isinstance(label, Text) and "\n" not in label.plain:
            return label
        return super().process_label(label)

    # ----------------------------------------------------------------- the view

    def show(self, rows: Sequence[Row], cursor: Path) -> None:
        """Rebuild every node from `rows` (pre-order, the root first) and put the cursor on
        `cursor`."""
        self.cursor_line = -1  # drop the old cursor node before its node is dropped
        self._width = self.size.width
        lines: dict[Path, int] = {}
        nodes: dict[Path, TreeNode[Line]] = {}
        line = 0
        self._building = True
        try:
            # Removing (rather than `clear()`) unlinks the old nodes from each other and from
            # the Tree, so they are freed at once instead of piling up for the cyclic garbage
            # collector, whose full passes would otherwise stall a key now and then.
            self.root.remove_children()
            for row in rows:
                data = Line(row.path, row.depth, row.is_group)
                if not row.path:
                    node = self.root
                    node.label = Text(row.label)
                    node.data = data
                    node.expand()
                else:
                    node = nodes[row.path[:-1]].add(
                        Text(row.label), data, expand=True, allow_expand=False
                    )
                nodes[row.path] = node
                lines[row.path] = line
                line += 1
                for caveat in row.caveats:
                    node.add(
                        Text(CAVEAT_MARK + caveat),
                        Line(row.path, row.depth + 1, caveat=caveat),
                        allow_expand=False,
                    )
                    line += 1
        finally:
            self._building = False
        self._invalidate()
        self._lines = lines
        self.move_to(cursor)

    def move_to(self, path: Path) -> None:
        """Put the cursor on the node at `path` (shown by the last `show`)."""
        line = self._lines.get(path)
        if line is None:
            return
        self.cursor_line = line
        self.scroll_to_line(line, animate=False)
        # The text under the tree may change height with the cursor, and the tree with it:
        # scroll again once the new layout is known, so the cursor stays in view.
        self.call_after_refresh(self.scroll_to_line, line, animate=False)

    @property
    def cursor_path(self) -> Path | None:
        node = self.cursor_node
        return node.data.path if node is not None and node.data is not None else None

    # ----------------------------------------------------------------- drawing

    def on_resize(self) -> None:
        self._width = self.size.width

    def _room(self, data: Line | None) -> int:
        depth = data.depth if data is not None else 0
        return self._width - depth * self.guide_depth - 1

    def get_label_width(self, node: TreeNode[Line]) -> int:
        # What render_label would give, without rendering every line of the tree to learn it.
        room = self._room(node.data)
        width = _label_text(node).cell_len
        return room if room > 8 and width > room else width

    def render_label(self, node: TreeNode[Line], base_style: Style, style: Style) -> Text:
        label = _label_text(node).copy()
        data = node.data
        if data is not None:
            if data.caveat is not None:
                label.stylize(self.get_component_rich_style("filter-tree--caveat", partial=True))
            elif data.is_group:
                name = "filter-tree--empty" if label.plain.endswith("(empty)") else (
                    "filter-tree--group"
                )
                label.stylize(self.get_component_rich_style(name, partial=True))
        label.stylize(style)
        # Long lines end in an ellipsis instead of a horizontal scroll bar: the text line and
        # the detail under the tree show them in full.
        room = self._room(data)
        if room > 8 and label.cell_len > room:
            label.truncate(room, overflow="ellipsis")
        return label

    # ----------------------------------------------------------------- the mouse

    def action_select_cursor(self) -> None:
        """A click only moves the cursor: editing is the screen's `e`."""

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[Line]) -> None:
        event.stop()
        # Our own `show` / `move_to` also highlight; only a move that is still current counts.
        if event.node is not self.cursor_node or event.node.data is None:
            return
        data = event.node.data
        if data.caveat is not None:  # a caveat line stands for its condition
            self.move_to(data.path)
        self.post_message(self.CursorMoved(data.path))
