"""Paths into a filter tree and pure surgery on immutable trees, for the tree editor's model.

A path is a tuple of child indices from the root, `()` being the root.
"""

from __future__ import annotations

from collections.abc import Iterator

from tui.filters.tree import Group, Node

Path = tuple[int, ...]


def node_at(root: Group, path: Path) -> Node | None:
    node: Node = root
    for i in path:
        if not isinstance(node, Group) or not 0 <= i < len(node.children):
            return None
        node = node.children[i]
    return node


def replace_at(root: Group, path: Path, new: Node) -> Node:
    """`root` with the node at `path` replaced by `new` (path known to exist)."""
    if not path:
        return new
    i, rest = path[0], path[1:]
    child = root.children[i]
    replaced = new
    if rest:
        assert isinstance(child, Group)
        replaced = replace_at(child, rest, new)
    children = (*root.children[:i], replaced, *root.children[i + 1 :])
    return Group(root.op, children)


def set_children(root: Group, path: Path, children: tuple[Node, ...]) -> Group:
    group = node_at(root, path)
    assert isinstance(group, Group)
    new = replace_at(root, path, Group(group.op, children))
    assert isinstance(new, Group)
    return new


def walk(node: Node, path: Path = ()) -> Iterator[tuple[Path, Node]]:
    yield path, node
    if isinstance(node, Group):
        for i, child in enumerate(node.children):
            yield from walk(child, (*path, i))


def clamp(root: Group, path: Path) -> Path:
    """The nearest existing node to `path`: follow it while it exists; where an index runs past
    the last child, take the last child and stop there; where a node has no children, stop."""
    node: Node = root
    out: list[int] = []
    for i in path:
        if not isinstance(node, Group) or not node.children:
            break
        j = min(max(i, 0), len(node.children) - 1)
        out.append(j)
        node = node.children[j]
        if j != i:
            break
    return tuple(out)
