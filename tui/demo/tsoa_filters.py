"""Filter trees through tsoa's union check without recursion (for tui/demo/validation.py).

A filter node is a union (leaf | and/or branch | "all") whose branch holds the union again, so
tsoa's check recurses once per level; here an explicit stack walks the tree post-order. Paths
(`requestBody.userFilter.right.left`) are only built for errors, and every ANCHOR levels a node
keeps its own, so a chain thousands deep costs neither quadratic time nor memory when it is valid.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.demo.jsontext import dumps

#: A union failure's message is cut here (tsoa's nests its members' messages, escaped, at every
#: level of a filter tree: it grows exponentially with depth).
MESSAGE_CAP = 8192
_UNION = "Could not match the union against any of the items. Issues: "


class _Missing:
    """JavaScript's undefined: a key that is absent."""

    def __repr__(self) -> str:
        return "undefined"


MISSING: Any = _Missing()


def entry(message: str, value: Any = MISSING) -> dict[str, Any]:
    return {"message": message} if value is MISSING else {"message": message, "value": value}


def union_message(issues: list[dict[str, Any]]) -> str:
    text = dumps(issues, MESSAGE_CAP)
    if len(text) >= MESSAGE_CAP:
        text += "…"
    return _UNION + text


class _Node:
    """One node of a filter tree on the explicit stack."""

    __slots__ = ("anchor", "children", "clean", "depth", "message", "name", "parent", "prefix",
                 "value")

    #: Every this many levels a node keeps its full path, so a path costs at most this many
    #: steps up and a deep chain never holds a path per level.
    ANCHOR = 64

    def __init__(self, value: Any, name: str, parent: _Node | None, prefix: str = "") -> None:
        self.value, self.name, self.parent, self.prefix = value, name, parent, prefix
        self.depth: int = 0 if parent is None else parent.depth + 1
        self.children: dict[str, _Node] = {}
        self.clean: Any = MISSING
        self.message: str | None = None
        self.anchor: str | None = None
        if self.depth % self.ANCHOR == 0:
            self.anchor = self.path()

    def path(self) -> str:
        if self.anchor is not None:
            return self.anchor
        if self.parent is None:
            return self.prefix + self.name
        names = [self.name]
        node = self.parent
        while node.anchor is None and node.parent is not None:
            names.append(node.name)
            node = node.parent
        base = node.anchor if node.anchor is not None else node.prefix + node.name
        return base + "." + ".".join(reversed(names))

    def path_prefix(self) -> str:
        """tsoa's `parent` argument for this node."""
        return self.prefix if self.parent is None else self.parent.path() + "."


class FilterTreeMixin:
    """The filter-tree part of the validator (mixed into validation._Validator)."""

    if TYPE_CHECKING:  # provided by the validator: declared for the type checker only
        def kind(self, schema: dict[str, Any]) -> tuple[str, dict[str, Any], str]: ...
        def param(self, schema: dict[str, Any], value: Any, name: str, parent: str,
                  errors: dict[str, Any], required: bool = False) -> Any: ...
        def nested(self, schema: dict[str, Any], value: Any, name: str, parent: str,
                   errors: dict[str, Any], children: dict[str, _Node] | None = None) -> Any: ...

    def child(self, node: _Node | None, key: str, prefix: str, errors: dict[str, Any],
              required: bool) -> Any:
        if node is None:
            if required:
                errors[prefix + key] = entry(f"'{key}' is required")
            return MISSING
        if node.message is not None:
            errors[prefix + key] = entry(node.message, node.value)
            return MISSING
        return node.clean

    # -- filter trees, without recursion ---------------------------------------------------

    def filter_tree(self, members: list[dict[str, Any]], branch: int, value: Any, name: str,
                    parent: str, errors: dict[str, Any]) -> Any:
        """validateUnion over a filter node, each member in order, post-order over branches."""
        _, branch_schema, _ = self.kind(members[branch])
        root = _Node(value, name, None, parent)
        stack: list[tuple[_Node, bool]] = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            if not expanded:
                if self._before_branch(members[:branch], node):
                    continue
                stack.append((node, True))
                if isinstance(node.value, dict):
                    for key in ("right", "left"):
                        if key in node.value:
                            child = _Node(node.value[key], key, node)
                            node.children[key] = child
                            stack.append((child, False))
                continue
            # Paths are only needed for errors: try without, redo with them on a failure.
            sub: dict[str, Any] = {}
            clean = self.nested(branch_schema, node.value, node.name, "", sub,
                                children=node.children)
            if not sub:
                node.clean = clean
                node.children = {}  # done with them: free the subtree's results
                continue
            prefix = node.path_prefix()
            sub = {}
            self.nested(branch_schema, node.value, node.name, prefix, sub,
                        children=node.children)
            node.children = {}
            issues = [*self._leaf_issues(members[:branch], node, prefix), sub]
            for member in members[branch + 1:]:
                tail: dict[str, Any] = {}
                clean = self.param(member, node.value, node.name, prefix, tail)
                issues.append(tail)
                if not tail:
                    node.clean = clean
                    break
            else:
                node.message = union_message(issues)
        if root.message is not None:
            errors[parent + name] = entry(root.message, value)
            return MISSING
        return root.clean

    def _before_branch(self, members: list[dict[str, Any]], node: _Node) -> bool:
        """Try the members before the branch (the leaf); True when one matched. Their issues
        are not kept (a long chain would hold one per pending branch): `_leaf_issues` redoes
        them for a node that fails."""
        for member in members:
            sub: dict[str, Any] = {}
            clean = self.param(member, node.value, node.name, "", sub)  # errors not kept
            if not sub:
                node.clean = clean
                return True
        return False

    def _leaf_issues(self, members: list[dict[str, Any]], node: _Node,
                     prefix: str) -> list[dict[str, Any]]:
        issues = []
        for member in members:
            sub: dict[str, Any] = {}
            self.param(member, node.value, node.name, prefix, sub)
            issues.append(sub)
        return issues
