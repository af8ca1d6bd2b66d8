"""The filter tree model: n-ary and/or groups of conditions, the normal form, and the checks.

The tree is the one truth about a filter; the text line (`tui.filters.text`) and the tree editor
are views of it; `tui.filters.wire` writes and reads it as Helicone's JSON. Every question about
a field (its table, type, operators) goes to the field catalogue, `tui.api.fields`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import tzinfo
from typing import Literal

from tui.api.clock import ClockError, parse_instant
from tui.api.fields import (
    OP_TEXT,
    OPERATORS,
    FieldInfo,
    FieldType,
    Op,
    get_field,
)
from tui.api.timerange import iso_z
from tui.filters.spelling import format_field, format_value, quote


class FilterError(ValueError):
    """A filter that cannot be used; the message is written for the user."""


SESSION_FIELDS_MESSAGE = (
    "this filter uses session fields, which only the Sessions tab can send"
)

#: The text language's spelling of a number (also what Helicone's numeric-string coercion takes).
NUMBER_PATTERN = r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?"
_NUMBER_RE = re.compile(NUMBER_PATTERN)
INTEGER_RE = re.compile(r"-?[0-9]+")

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
    if INTEGER_RE.fullmatch(text):
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
