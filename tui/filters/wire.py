"""The filter tree <-> Helicone's filter JSON: right-nested binary branches of one-condition leaves.

`to_wire` writes a tree (in normal form) as what Helicone's web app sends; `from_wire` reads any
filter JSON Helicone takes, with notices where Helicone would have applied less than it says.
"""

from __future__ import annotations

import reprlib
from datetime import tzinfo
from typing import Any, Literal

from tui.api.fields import FieldInfo, FieldType, Op, Table, get_field
from tui.filters.spelling import format_condition, format_field
from tui.filters.tree import (
    ALL,
    INTEGER_RE,
    MAX_CONDITIONS,
    MAX_DEPTH,
    SESSION_FIELDS_MESSAGE,
    SURROGATE_MESSAGE,
    SURROGATE_RE,
    Condition,
    FilterError,
    Group,
    Node,
    check_condition,
    conditions,
    depth,
    integer_map,
    normal,
    number_from_text,
    op_problem,
    size_problem,
    uses_session_fields,
    value_problem,
    wire_timestamp,
)

# --------------------------------------------------------------------------- to the wire


def _wire_leaf(cond: Condition, tz: tzinfo | None) -> dict[str, Any]:
    info = check_condition(cond)
    value: Any = cond.value
    if integer_map(info):
        value = str(value)  # the spec's map values are text operators
    elif info.type is FieldType.TIMESTAMP:
        value = wire_timestamp(str(value), tz)
    ops = {Op(cond.op).value: value}
    # A map field's condition has its key (check_condition): the key is None exactly otherwise.
    body: dict[str, Any] = ops if cond.key is None else {cond.key: ops}
    return {info.table.value: {info.name: body}}


def _wire(node: Node, tz: tzinfo | None) -> dict[str, Any] | str:
    if isinstance(node, Condition):
        return _wire_leaf(node, tz)
    if not node.children:
        return "all"
    parts = [_wire(child, tz) for child in node.children]
    # Right-nested binary branches, as Helicone's web app sends n-ary groups.
    result = parts[-1]
    for part in reversed(parts[:-1]):
        result = {"left": part, "operator": node.op, "right": result}
    return result


def to_wire(
    node: Node, *, sessions: bool = False, tz: tzinfo | None = None
) -> dict[str, Any] | str:
    """The filter as Helicone's JSON: one condition per leaf (Helicone applies only the first
    field and operator of a leaf), "all" for the empty filter. Session fields need
    `sessions=True` (only session metrics accepts them). Timestamps go as UTC with a Z; one
    without a zone is local time, or `tz`."""
    node = normal(node)
    problem = size_problem(node)
    if problem:
        raise FilterError(problem)
    if not sessions and uses_session_fields(node):
        raise FilterError(SESSION_FIELDS_MESSAGE)
    return _wire(node, tz)


# --------------------------------------------------------------------------- from the wire

# Helicone's SQL builder picks these fields of a request leaf first, in this order, whatever the
# key order (SEMANTICS §6.1); the catalogue does not record the builder's priority.
_HELICONE_PRIORITY = ("property_key", "properties", "search_properties", "scores", "cached", "cost")

_BRANCH_KEYS = {"left", "operator", "right"}


def _wire_value(info: FieldInfo, op: Op, raw: Any, label: str) -> Any:
    """The tree value for a wire value, refusing what Helicone's schema refuses."""
    if integer_map(info):
        if not isinstance(raw, str) or not INTEGER_RE.fullmatch(raw):
            raise FilterError(
                f"'{label}': score values are integers sent as text, not {shown(raw)}"
            )
        return int(raw)
    if info.type is FieldType.NUMBER and isinstance(raw, str):
        # Helicone coerces numeric strings for number fields.
        number = number_from_text(raw.strip())
        if number is None:
            raise FilterError(f"'{label}' is a number field, not {shown(raw)}")
        return number
    problem = value_problem(info, raw, label)
    if problem:
        raise FilterError(problem)
    return raw


def _leaf_conditions(table: Table, fields_obj: Any, notices: list[str]) -> list[Condition]:
    if not isinstance(fields_obj, dict):
        raise FilterError(f"'{table.value}' must hold an object of fields")
    found: list[Condition] = []
    for name, ops_obj in fields_obj.items():
        info = get_field(name)
        if info is None or info.table is not table:
            raise FilterError(f"unknown field '{name}' in '{table.value}'")
        if info.is_map:
            if not isinstance(ops_obj, dict):
                raise FilterError(f"'{name}' must map keys to operators")
            pairs = list(ops_obj.items())
        else:
            pairs = [(None, ops_obj)]
        if not pairs:
            notices.append(f"dropped '{name}' with no key: Helicone answers it with an error")
        for key, key_ops in pairs:
            if key is not None and SURROGATE_RE.search(key):
                raise FilterError(f"a key of '{name}': {SURROGATE_MESSAGE}")
            label = format_field(name, key)
            if not isinstance(key_ops, dict):
                raise FilterError(f"'{label}' must hold an object of operators")
            if not key_ops:
                notices.append(
                    f"dropped '{label}' with no operator: Helicone answers it with an error"
                )
            for op_name, raw in key_ops.items():
                try:
                    op = Op(op_name)
                except ValueError:
                    raise FilterError(f"'{label}': unknown operator {shown(op_name)}") from None
                problem = op_problem(info, op, label)
                if problem:
                    raise FilterError(problem)
                found.append(Condition(name, op, _wire_value(info, op, raw, label), key))
    return found


def _applied_by_helicone(table: Table, found: list[Condition]) -> Condition:
    """The one condition Helicone applies from a table of a leaf (SEMANTICS §6.1): the first
    operator of the first map key of the first field, special fields first."""
    if table is Table.REQUEST:
        for name in _HELICONE_PRIORITY:
            for cond in found:
                if cond.field == name:
                    return cond
    return found[0]


def _leaf(obj: dict[str, Any], notices: list[str]) -> Node:
    found: list[Condition] = []
    for table_name, fields_obj in obj.items():
        try:
            table = Table(table_name)
        except ValueError:
            raise FilterError(f"unknown table '{table_name}'") from None
        table_found = _leaf_conditions(table, fields_obj, notices)
        if not fields_obj:
            notices.append(
                f"dropped an empty '{table_name}': Helicone answers it with an error"
            )
        if len(table_found) > 1:
            written = "; ".join(format_condition(c) for c in table_found)
            applied = format_condition(_applied_by_helicone(table, table_found))
            notices.append(
                f"a leaf held {len(table_found)} conditions ({written}); Helicone itself would "
                f"have applied only {applied}: they are now joined by 'and'"
            )
        found.extend(table_found)
    # Helicone ANDs the tables of a leaf, and a leaf with no table ({}) matches everything.
    return Group("and", tuple(found))


_SHOWN = reprlib.Repr()
_SHOWN.maxlevel, _SHOWN.maxstring, _SHOWN.maxother = 3, 40, 40


def shown(value: Any) -> str:
    """A wire value in a message: short, and never the repr of a whole deep structure."""
    return _SHOWN.repr(value)


def _branch_op(item: Any) -> Literal["and", "or"] | None:
    """The operator of a branch ("and"/"or"), None for anything else; FilterError when it is a
    malformed branch."""
    if not isinstance(item, dict) or not _BRANCH_KEYS & item.keys():
        return None
    if item.keys() != _BRANCH_KEYS:
        raise FilterError("a branch needs exactly 'left', 'operator' and 'right'")
    op = item["operator"]
    if op == "and":
        return "and"
    if op == "or":
        return "or"
    raise FilterError(f"a branch's operator is 'and' or 'or', not {shown(op)}")


def _chain(item: dict[str, Any], op: str) -> list[Any]:
    """The operands of the whole same-operator chain under a branch, left to right: the n-ary
    group the right-nested branches stand for."""
    operands: list[Any] = []
    todo = [item]
    while todo:
        node = todo.pop()
        if _branch_op(node) == op:
            todo += [node["right"], node["left"]]
        else:
            operands.append(node)
    return operands


def _join(
    op: Literal["and", "or"], sides: list[tuple[Node, int]], notices: list[str]
) -> tuple[Node, int]:
    """A group of normal-form operands, in normal form, and its depth."""
    if op == "or" and any(isinstance(s, Group) and not s.children for s, _ in sides):
        notices.append("an 'or' with \"all\" on one side matches everything")
        return ALL, 0
    parts: list[tuple[Node, int]] = []
    for side, level in sides:
        if isinstance(side, Group):
            if not side.children:
                continue  # "all" in an "and"
            if side.op == op:  # a leaf's own "and" inside an "and" chain
                parts.extend((child, level - 1) for child in side.children)
                continue
        parts.append((side, level))
    if not parts:
        return ALL, 0
    if len(parts) == 1:
        return parts[0]
    return Group(op, tuple(p for p, _ in parts)), 1 + max(level for _, level in parts)


def _from_wire(obj: Any, notices: list[str]) -> Node:
    """Bottom-up with an explicit stack: a chain of n conditions is n - 1 nested branches."""
    done: list[tuple[Node, int]] = []  # the converted nodes, with their group depth
    todo: list[tuple[int, Any]] = [(0, obj)]  # (0, a node) or (n, op): join the last n done
    count = 0
    while todo:
        join, item = todo.pop()
        if join:
            sides = done[-join:]
            del done[-join:]
            node, level = _join(item, sides, notices)
            if level > MAX_DEPTH:
                raise FilterError(f"the filter nests and/or groups more than {MAX_DEPTH} deep")
            done.append((node, level))
            continue
        if isinstance(item, str):
            if item == "all":
                done.append((ALL, 0))
                continue
            raise FilterError(f'a filter is "all", a branch or a leaf, not {shown(item)}')
        if not isinstance(item, dict):
            raise FilterError(f'a filter is "all", a branch or a leaf, not {shown(item)}')
        op = _branch_op(item)
        if op is not None:
            operands = _chain(item, op)
            todo.append((len(operands), op))
            todo += [(0, operand) for operand in reversed(operands)]
            continue
        leaf = normal(_leaf(item, notices))
        count += len(conditions(leaf))
        if count > MAX_CONDITIONS:
            raise FilterError(f"the filter has more than {MAX_CONDITIONS} conditions")
        done.append((leaf, depth(leaf)))
    return done[0][0]


def from_wire(obj: Any) -> tuple[Node, list[str]]:
    """A tree (in normal form) from Helicone's filter JSON, and notices for the user.

    A leaf holding several fields, operators or map keys becomes an "and" of one condition
    each, with a notice that Helicone itself would have applied only the first. A filter larger
    than the tool takes (MAX_CONDITIONS, MAX_DEPTH) is a FilterError.
    """
    notices: list[str] = []
    return normal(_from_wire(obj, notices)), notices
