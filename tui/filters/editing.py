"""The filter tree editor's model: a working tree, a cursor, unlimited undo/redo. No Textual.

The widget (`f`) is a view of this model: after every edit it rebuilds its `Tree` from `rows()`
and puts its cursor on `cursor`. The working tree may hold empty and one-child groups (so `g`
then `a`, and `w`, work); `text` and `result()` are always the normal form.

Paths name nodes: a tuple of child indices from the root, `()` being the root. The root is
always a `Group`, even for a single condition or `all`, so there is always somewhere to add.

Operations that cannot apply where the cursor is (delete the root, move past the end, edit a
group as a condition) are no-ops that return False and record nothing; malformed arguments (a
condition the filter language rejects, a path that names no node) raise `EditError`. Every
operation that changes the tree records one undo step; cursor moves record none.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from tui.filters.caveats import NOT_SENT_BY_TAB, condition_caveats
from tui.filters.paths import Path, clamp, node_at, replace_at, set_children, walk
from tui.filters.spelling import format_condition
from tui.filters.text import FilterSyntaxError, parse
from tui.filters.text import format as format_filter
from tui.filters.tree import Condition, FilterError, Group, Node, check_condition, normal

GroupOp = Literal["and", "or"]


class EditError(ValueError):
    """An editing operation was given something it cannot use."""


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the rendered tree, in depth-first pre-order."""

    path: Path
    depth: int
    label: str
    caveats: tuple[str, ...] = ()
    is_group: bool = False


@dataclass(frozen=True, slots=True)
class _State:
    root: Group
    cursor: Path


def _opposite(op: str) -> GroupOp:
    return "or" if op == "and" else "and"


def _as_root(node: Node) -> Group:
    return node if isinstance(node, Group) else Group("and", (node,))


def _same(a: Node, b: Node) -> bool:
    # Dataclass equality says 1 == True == 1.0; the text language does not (`= 1` vs `= true`).
    return a == b and repr(a) == repr(b)


@lru_cache(maxsize=4096)
def _label(cond: Condition, _value_type: str) -> str:
    # `_value_type` keeps `= 1` and `= true` apart in the cache (they hash alike).
    return format_condition(cond)


def condition_label(cond: Condition) -> str:
    """A condition in the filter text language, e.g. `status >= 500`."""
    return _label(cond, type(cond.value).__name__)


def group_label(group: Group) -> str:
    label = group.op.upper()
    return f"{label} (empty)" if not group.children else label


# --- the model ------------------------------------------------------------------------------


class EditorModel:
    """The filter editor's state: a working tree, a cursor, unlimited undo and redo."""

    def __init__(self, node: Node | None = None, *, sessions: bool | None = None) -> None:
        start = node if node is not None else Group("and", ())
        self._initial = normal(start)
        self._state = _State(_as_root(start), ())
        self._undo: list[_State] = []
        self._redo: list[_State] = []
        self.sessions = sessions

    # -- reading -----------------------------------------------------------------------------

    @property
    def root(self) -> Group:
        return self._state.root

    @property
    def cursor(self) -> Path:
        return self._state.cursor

    @property
    def focused(self) -> Node:
        node = node_at(self.root, self.cursor)
        assert node is not None
        return node

    def node_at(self, path: Path) -> Node:
        node = node_at(self.root, tuple(path))
        if node is None:
            raise EditError(f"no node at {tuple(path)}")
        return node

    @property
    def text(self) -> str:
        """The whole filter in the text language, in normal form."""
        return format_filter(self.root)

    def result(self) -> Node:
        """The filter to apply: the working tree's normal form."""
        return normal(self.root)

    @property
    def changed(self) -> bool:
        """Whether applying would change the filter the editor was opened with."""
        return not _same(normal(self.root), self._initial)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def rows(self) -> list[Row]:
        """The tree flattened for rendering, depth-first pre-order, the root first."""
        out: list[Row] = []
        for path, node in walk(self.root):
            if isinstance(node, Group):
                out.append(Row(path, len(path), group_label(node), (), True))
            else:
                caveats = condition_caveats(node, sessions=self.sessions)
                out.append(Row(path, len(path), condition_label(node), caveats))
        return out

    def paths(self) -> list[Path]:
        return [path for path, _ in walk(self.root)]

    # -- cursor (not recorded for undo) -----------------------------------------------------------

    def set_cursor(self, path: Path) -> Path:
        """Put the cursor on `path`, or the nearest existing node; returns where it landed."""
        landed = clamp(self.root, tuple(path))
        self._state = _State(self.root, landed)
        return landed

    def cursor_next(self) -> bool:
        return self._step(+1)

    def cursor_prev(self) -> bool:
        return self._step(-1)

    def _step(self, delta: int) -> bool:
        paths = self.paths()
        i = paths.index(self.cursor) + delta
        if not 0 <= i < len(paths):
            return False
        self._state = _State(self.root, paths[i])
        return True

    # -- edits -----------------------------------------------------------------------------------

    def _commit(self, root: Group, cursor: Path) -> bool:
        self._undo.append(self._state)
        self._redo.clear()
        self._state = _State(root, cursor)
        return True

    def _insertion(self) -> tuple[Path, int]:
        """Where `a`/`g` insert: (the group's path, the index in it)."""
        if isinstance(self.focused, Group):
            return self.cursor, len(self.focused.children)
        return self.cursor[:-1], self.cursor[-1] + 1

    def _insert(self, new: Node) -> Path:
        parent_path, index = self._insertion()
        parent = self.node_at(parent_path)
        assert isinstance(parent, Group)
        children = (*parent.children[:index], new, *parent.children[index:])
        cursor = (*parent_path, index)
        self._commit(set_children(self.root, parent_path, children), cursor)
        return cursor

    def add_condition(self, cond: Condition) -> Path:
        """Add after the focused condition, or as the focused group's last child; the cursor
        moves to the new condition, whose path is returned."""
        return self._insert(_checked(cond))

    def add_group(self, op: GroupOp | None = None) -> Path:
        """Add an empty group where `add_condition` would add; the cursor moves to it.

        `op` None (the default) means the opposite of the group it goes into: a group with its
        parent's operator is merged into the parent by the normal form, so it would not group
        anything once the editor closes.
        """
        parent_path, _ = self._insertion()
        parent = self.node_at(parent_path)
        assert isinstance(parent, Group)
        chosen = op if op is not None else _opposite(parent.op)
        if chosen not in ("and", "or"):
            raise EditError(f"a group is 'and' or 'or', not {chosen!r}")
        return self._insert(Group(chosen, ()))

    def flip(self) -> bool:
        """and <-> or: the focused group, or the group holding the focused condition."""
        path = self.cursor if isinstance(self.focused, Group) else self.cursor[:-1]
        group = self.node_at(path)
        assert isinstance(group, Group)
        flipped = replace_at(self.root, path, Group(_opposite(group.op), group.children))
        assert isinstance(flipped, Group)
        return self._commit(flipped, self.cursor)

    def wrap(self) -> bool:
        """Wrap the focused node in a new group; the cursor moves to that group, so `a` then adds
        a sibling of the wrapped node inside it.

        The new group takes the opposite of its parent's operator (the root: the opposite of its
        own). With the parent's operator it would be merged straight back into the parent by the
        normal form, and whatever is added to it would join the parent instead of being grouped
        with the wrapped node: `w` on `b` in `a and b` then `a` must give `a and (b or c)`.
        """
        node = self.focused
        if not self.cursor:
            root = Group(_opposite(self.root.op), (self.root,))
            return self._commit(root, ())
        parent = self.node_at(self.cursor[:-1])
        assert isinstance(parent, Group)
        wrapped = replace_at(self.root, self.cursor, Group(_opposite(parent.op), (node,)))
        assert isinstance(wrapped, Group)
        return self._commit(wrapped, self.cursor)

    def replace(self, cond: Condition) -> bool:
        """Edit: the focused condition becomes `cond`. False on a group (edit its conditions,
        or flip it with `o`) or when `cond` is the same condition."""
        if isinstance(self.focused, Group):
            return False
        checked = _checked(cond)
        if _same(checked, self.focused):
            return False
        new = replace_at(self.root, self.cursor, checked)
        assert isinstance(new, Group)
        return self._commit(new, self.cursor)

    def delete(self) -> bool:
        """Delete the focused node (a group with all it holds); the cursor goes to the next
        sibling, else the previous one, else the parent. The root cannot be deleted."""
        if not self.cursor:
            return False
        parent_path, i = self.cursor[:-1], self.cursor[-1]
        parent = self.node_at(parent_path)
        assert isinstance(parent, Group)
        children = (*parent.children[:i], *parent.children[i + 1 :])
        if i < len(children):
            cursor = self.cursor
        elif children:
            cursor = (*parent_path, i - 1)
        else:
            cursor = parent_path
        return self._commit(set_children(self.root, parent_path, children), cursor)

    def move(self, delta: int) -> bool:
        """Move the focused node by `delta` (+1 down, -1 up) among its siblings; the cursor
        follows it. Past either end, nothing happens."""
        if not self.cursor or delta == 0:
            return False
        parent_path, i = self.cursor[:-1], self.cursor[-1]
        parent = self.node_at(parent_path)
        assert isinstance(parent, Group)
        j = i + delta
        if not 0 <= j < len(parent.children):
            return False
        children = list(parent.children)
        children.insert(j, children.pop(i))
        root = set_children(self.root, parent_path, tuple(children))
        return self._commit(root, (*parent_path, j))

    def set_text(self, text: str) -> bool:
        """Replace the tree by the parsed text (cursor to the root), recorded for undo.

        Raises `FilterSyntaxError` (with its column) and changes nothing when the text does not
        parse. Returns False when the text is the filter already shown.
        """
        parsed = parse(text)
        if _same(normal(parsed), normal(self.root)):
            return False
        return self._commit(_as_root(parsed), ())

    # -- history ---------------------------------------------------------------------------------

    def undo(self) -> bool:
        if not self._undo:
            return False
        self._redo.append(self._state)
        self._state = self._undo.pop()
        return True

    def redo(self) -> bool:
        if not self._redo:
            return False
        self._undo.append(self._state)
        self._state = self._redo.pop()
        return True


def _checked(cond: Condition) -> Condition:
    """`cond` as the filter language reads it back, or EditError saying what is wrong with it.

    The catalogue checks (via `check_condition`) judge field, operator and value; storing what
    the parser reads back keeps `parse(text) == normal(tree)` true after every edit.
    """
    if not isinstance(cond, Condition):
        raise EditError(f"expected a Condition, got {type(cond).__name__}")
    try:
        check_condition(cond)
        parsed = parse(format_condition(cond))
    except FilterError as err:
        raise EditError(str(err)) from err
    if not isinstance(parsed, Condition):  # pragma: no cover - a checked condition reads back
        raise EditError(f"{format_condition(cond)!r} does not read back as one condition")
    return parsed


__all__ = [
    "NOT_SENT_BY_TAB",
    "EditError",
    "EditorModel",
    "FilterSyntaxError",
    "Path",
    "Row",
    "clamp",
    "condition_caveats",
    "condition_label",
    "group_label",
]
