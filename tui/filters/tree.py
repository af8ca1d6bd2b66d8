"""The filter tree model: n-ary and/or groups of conditions, the normal form, and the wire JSON.

The tree is the one truth about a filter; the text line (`tui.filters.text`) and the tree editor
are views of it. Every question about a field (its table, type, operators) goes to the field
catalogue, `tui.api.fields`.
"""

from __future__ import annotations

import math
import re
import reprlib
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any, Literal

from tui.api.fields import (
    OP_TEXT,
    OPERATORS,
    FieldInfo,
    FieldType,
    Op,
    Table,
    get_field,
)
from tui.api.timerange import iso_z
from tui.clock import ClockError, parse_instant
from tui.filters.spelling import format_condition, format_field, format_value, quote


class FilterError(ValueError):
    """A filter that cannot be used; the message is written for the user."""


SESSION_FIELDS_MESSAGE = (
    "this filter uses session fields, which only the Sessions tab can send"
)

#: The text language's spelling of a number (also what Helicone's numeric-string coercion takes).
NUMBER_PATTERN = r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?"
_NUMBER_RE = re.compile(NUMBER_PATTERN)
_INTEGER_RE = re.compile(r"-?[0-9]+")

#: A lone surrogate: a str can hold one (from argv bytes that are not UTF-8, or a JSON \ud800
#: escape), but no encoding writes it, so it could be neither printed nor sent.
SURROGATE_RE = re.compile("[\ud800-\udfff]")
SURROGATE_MESSAGE = (
    "a lone surrogate is not a character (text that was not valid UTF-8?): retype it"
)

#: Example shown when a timestamp is wrong.
TIMESTAMP_EXAMPLE = "2026-11-01T00:00:00Z"

# Sizes the tool takes (DESIGN.md, "Size"): a filter of more conditions, or of and/or groups
# nested deeper (in its normal form, so only alternating and/or count), is refused with one line.
# A chain of n conditions is n - 1 nested branches on the wire: the JSON depth it needs is
# MAX_CONDITIONS plus the few levels of a leaf (MAX_JSON_DEPTH).
MAX_CONDITIONS = 2000
MAX_DEPTH = 100
MAX_JSON_DEPTH = MAX_CONDITIONS + 8


@dataclass(frozen=True)
class Condition:
    """One leaf: `field op value` (with `key` for the map fields properties/search_properties/
    scores, written `map.key` in the text language)."""

    field: str
    op: Op
    value: str | int | float | bool
    key: str | None = None


@dataclass(frozen=True)
class Group:
    """An n-ary "and"/"or" of its children. Empty and one-child groups exist only while edited."""

    op: Literal["and", "or"]
    children: tuple[Node, ...] = ()


Node = Condition | Group

#: The empty filter: matches everything; sent as "all".
ALL: Node = Group("and", ())


# --------------------------------------------------------------------------- normal form


def normal(node: Node) -> Node:
    """The normal form: same-op nested groups merged, one-child groups replaced by the child,
    empty groups removed, an empty filter is ALL."""
    if isinstance(node, Condition):
        return node
    # Bottom-up with an explicit stack: a tree from the wire can be nested once per condition.
    done: dict[int, Node] = {}
    todo: list[tuple[Group, bool]] = [(node, False)]
    while todo:
        group, ready = todo.pop()
        if id(group) in done:
            continue
        if not ready:
            todo.append((group, True))
            todo.extend((c, False) for c in group.children if isinstance(c, Group))
            continue
        children: list[Node] = []
        for child in group.children:
            child = done[id(child)] if isinstance(child, Group) else child
            if isinstance(child, Group):
                if not child.children:
                    continue  # an empty group is removed
                if child.op == group.op:
                    children.extend(child.children)
                    continue
            children.append(child)
        if not children:
            done[id(group)] = ALL
        elif len(children) == 1:
            done[id(group)] = children[0]
        else:
            done[id(group)] = Group(group.op, tuple(children))
    return done[id(node)]


def is_all(node: Node) -> bool:
    """True when the filter matches everything (its normal form is the empty group)."""
    result = normal(node)
    return isinstance(result, Group) and not result.children


def conditions(node: Node) -> list[Condition]:
    """Every condition of the tree, left to right."""
    found: list[Condition] = []
    todo: list[Node] = [node]
    while todo:
        item = todo.pop()
        if isinstance(item, Condition):
            found.append(item)
        else:
            todo.extend(reversed(item.children))
    return found


def depth(node: Node) -> int:
    """How deeply groups nest: 0 for a condition, 1 for a group of conditions."""
    deepest = 0
    todo: list[tuple[Node, int]] = [(node, 0)]
    while todo:
        item, level = todo.pop()
        if isinstance(item, Group):
            deepest = max(deepest, level + 1)
            todo.extend((child, level + 1) for child in item.children)
    return deepest


def size_problem(node: Node) -> str | None:
    """Why the (normal-form) filter is larger than the tool takes, or None."""
    count = len(conditions(node))
    if count > MAX_CONDITIONS:
        return f"the filter has {count} conditions; at most {MAX_CONDITIONS} are taken"
    if depth(node) > MAX_DEPTH:
        return f"the filter nests and/or groups more than {MAX_DEPTH} deep"
    return None


def uses_session_fields(node: Node) -> bool:
    """True when a condition names a `sessions_request_response_rmt` field."""
    for cond in conditions(node):
        info = get_field(cond.field)
        if info is not None and info.session_only:
            return True
    return False


# --------------------------------------------------------------------------- checks


def is_iso8601(text: str) -> bool:
    """A date or a date-time Helicone's server reads as we do (the one ISO parser's forms)."""
    try:
        parse_instant(text)
    except ClockError:
        return False
    return True


def wire_timestamp(text: str, tz: tzinfo | None = None) -> str:
    """A filter timestamp as sent: UTC with a Z (`YYYY-MM-DDTHH:MM:SS.sssZ`). Without a zone it
    is local time (or `tz`), as --start is: Helicone would read it in its own server's zone."""
    return iso_z(parse_instant(text, tz))


def number_from_text(text: str) -> int | float | None:
    """The number `text` spells in the filter language (integers stay int), or None."""
    if not _NUMBER_RE.fullmatch(text):
        return None
    if _INTEGER_RE.fullmatch(text):
        try:
            return int(text)
        except ValueError:  # longer than Python's int-from-text limit
            return None
    value = float(text)
    return value if math.isfinite(value) else None


def integer_map(info: FieldInfo) -> bool:
    """A map of numbers (scores): its values are integers, sent as text (the spec's map
    values are text operators)."""
    return info.is_map and info.type is FieldType.NUMBER


_KIND_WORDS: dict[FieldType, str] = {
    FieldType.TEXT: "text",
    FieldType.NUMBER: "numbers",
    FieldType.TIMESTAMP: "timestamps",
    FieldType.BOOLEAN: "true/false",
}


def _op_list(ops: tuple[Op, ...]) -> str:
    quoted = [f"'{OP_TEXT[op]}'" for op in ops]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def op_problem(info: FieldInfo, op: Op, label: str) -> str | None:
    """Why `op` cannot be used on the field (None when it can)."""
    if info.allows(op):
        return None
    if info.operators != OPERATORS[info.type]:
        # A field the catalogue restricts further than its type (property_key, scores).
        extra = " with an integer" if integer_map(info) else ""
        return f"'{label}' takes only {_op_list(info.operators)}{extra}"
    if info.type is FieldType.BOOLEAN:
        return f"'{label}' is a boolean field; it takes only '= true' or '= false'"
    kinds = [word for ftype, word in _KIND_WORDS.items() if op in OPERATORS[ftype]]
    return f"'{label}' is a {info.type.value} field; '{OP_TEXT[op]}' takes {' or '.join(kinds)}"


def value_problem(info: FieldInfo, value: object, label: str) -> str | None:
    """Why `value` is of the wrong kind for the field (None when it is right)."""
    if isinstance(value, str) and SURROGATE_RE.search(value):
        return f"'{label}': {SURROGATE_MESSAGE}"
    if integer_map(info):
        if isinstance(value, bool) or not isinstance(value, int):
            return f"score values are integers: '{label}' takes a whole number, e.g. 80"
        return None
    if info.type is FieldType.TEXT:
        if isinstance(value, str):
            return None
        example = quote(format_value(value)) if isinstance(value, int | float) else "'…'"
        return f"'{label}' is a text field: put the value in quotes, e.g. {example}"
    if info.type is FieldType.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            if isinstance(value, str) and number_from_text(value) is not None:
                return f"'{label}' is a number field: write the number without quotes, {value}"
            return f"'{label}' is a number field; expected a number"
        if isinstance(value, float) and not math.isfinite(value):
            return f"'{label}': {value} is not a finite number"
        return None
    if info.type is FieldType.TIMESTAMP:
        if not isinstance(value, str):
            return (
                f"'{label}' is a timestamp field: expected an ISO 8601 date-time in quotes, "
                f"e.g. '{TIMESTAMP_EXAMPLE}'"
            )
        if not is_iso8601(value):
            return (
                f"{quote(value)} is not an ISO 8601 date-time Helicone can read "
                f"(e.g. '{TIMESTAMP_EXAMPLE}', or '2026-11-01 08:00' in local time)"
            )
        return None
    if not isinstance(value, bool):
        return f"'{label}' is a boolean field: expected true or false"
    return None


def field_info(cond: Condition) -> FieldInfo:
    """The catalogue entry of the condition's field, checking the map key is there iff needed."""
    info = get_field(cond.field)
    if info is None:
        raise FilterError(f"unknown field '{cond.field}'")
    if info.is_map and cond.key is None:
        raise FilterError(f"'{info.name}' needs a key: {info.name}.<name>")
    if not info.is_map and cond.key is not None:
        raise FilterError(f"'{info.name}' is not a map and takes no key")
    if cond.key is not None and SURROGATE_RE.search(cond.key):
        raise FilterError(f"a key of '{info.name}': {SURROGATE_MESSAGE}")
    return info


def check_condition(cond: Condition) -> FieldInfo:
    """Raise FilterError if the condition cannot be sent; return its field."""
    info = field_info(cond)
    label = format_field(cond.field, cond.key)
    try:
        op = Op(cond.op)
    except ValueError:
        raise FilterError(f"unknown operator {cond.op!r}") from None
    problem = op_problem(info, op, label) or value_problem(info, cond.value, label)
    if problem:
        raise FilterError(problem)
    return info


# --------------------------------------------------------------------------- to the wire


def _wire_leaf(cond: Condition, tz: tzinfo | None) -> dict[str, Any]:
    info = check_condition(cond)
    value: Any = cond.value
    if integer_map(info):
        value = str(value)  # the spec's map values are text operators
    elif info.type is FieldType.TIMESTAMP:
        value = wire_timestamp(str(value), tz)
    ops = {Op(cond.op).value: value}
    body: dict[str, Any] = {cond.key: ops} if info.is_map else ops
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
        if not isinstance(raw, str) or not _INTEGER_RE.fullmatch(raw):
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


def _branch_op(item: Any) -> str | None:
    """The operator of a branch ("and"/"or"), None for anything else; FilterError when it is a
    malformed branch."""
    if not isinstance(item, dict) or not _BRANCH_KEYS & item.keys():
        return None
    if item.keys() != _BRANCH_KEYS:
        raise FilterError("a branch needs exactly 'left', 'operator' and 'right'")
    op = item["operator"]
    if op not in ("and", "or"):
        raise FilterError(f"a branch's operator is 'and' or 'or', not {shown(op)}")
    return str(op)


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


def _join(op: str, sides: list[tuple[Node, int]], notices: list[str]) -> tuple[Node, int]:
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
    return Group(op, tuple(p for p, _ in parts)), 1 + max(level for _, level in parts)  # type: ignore[arg-type]


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
