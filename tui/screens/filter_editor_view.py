"""What the filter editor shows around the tree: its title, the focused node explained (a group's
note, a condition's caveats or field), and the map keys the condition editor suggests.

Plain functions of the editor's model (no widgets), so the screen in filter_editor.py only puts
them on screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text

from tui.api.fields import get_field
from tui.filters.editing import EditorModel, Row
from tui.filters.paths import Path
from tui.filters.tree import Group, Node, conditions


def title_text(model: EditorModel, tab_title: str) -> Text:
    """`Filter tree (Scores tab)   3 conditions, changed`."""
    count = len(conditions(model.root))
    parts = ["Filter tree"]
    if tab_title:
        parts.append(f"({tab_title} tab)")
    status = f"{count} condition{'s' if count != 1 else ''}"
    if model.changed:
        status += ", changed"
    return Text.assemble(" ".join(parts), ("   " + status, "dim"))


def detail_text(model: EditorModel, rows: Sequence[Row]) -> Text:
    """Under the tree: the focused node explained, its caveats in full."""
    node = model.focused
    text = Text()
    if isinstance(node, Group):
        text.append(group_note(model, node), "dim")
    else:
        caveats = next((row.caveats for row in rows if row.path == model.cursor), ())
        if caveats:
            text.append("\n".join(f"! {c}" for c in caveats), "bold")
        else:
            info = get_field(node.field)
            about = f"{info.description} ({info.type.value})" if info else ""
            text.append(f"{node.field}: {about}; e edits it", "dim")
    return text


def group_note(model: EditorModel, group: Group) -> str:
    """What the focused group does, and what apply's normal form will make of it."""
    name = group.op.upper()
    cursor: Path = model.cursor
    parent = model.node_at(cursor[:-1]) if cursor else None
    n = len(group.children)
    if n == 0:
        return f"empty {name} group: a adds a condition in it (dropped if left empty)"
    if isinstance(parent, Group) and parent.op == group.op:
        return f"{name} inside {name}: merged into the group above on apply; o flips it"
    if n == 1 and cursor:
        return "a group of one: just its entry on apply; a adds to it, o flips it"
    word = "all" if group.op == "and" else "any"
    entries = f"its {n} entries" if n != 1 else "its one entry"
    return f"{name}: {word} of {entries} must match; o flips it"


def keys_used(root: Node, fields: Iterable[str]) -> list[str]:
    """The map keys the tree's conditions on `fields` use, first use first, once each."""
    wanted = set(fields)
    keys = [c.key for c in conditions(root) if c.key is not None and c.field in wanted]
    return list(dict.fromkeys(keys))
