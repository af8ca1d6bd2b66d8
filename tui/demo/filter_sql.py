"""Helicone's filter tree -> a ClickHouse WHERE clause, as jawn's filter builder writes it.

Translated from the RAW request JSON (after the pydantic models accepted it), because Helicone reads
`Object.keys(obj)[0]`: only the first field of a leaf table and the first operator of an operator
object count (SEMANTICS §6.1), and key order is only in the raw JSON. Every value and map key is
a query parameter (`{val_N : Type}`, typed by jsvalues.js_value_type as Helicone types it, §6.2):
nothing a client sends is ever spliced into SQL text. There is no organization condition (a demo
data set holds one organization). and/or chains compile to flat groups of any length; groups
nested past MAX_GROUP_DEPTH are refused.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from tui.api.fields import FieldType, Table, get_field
from tui.demo.jsvalues import JsDate, js_keys, js_value_type, param_text, parse_js_date


class FilterThrow(Exception):
    """Helicone's filter builder throws here: the request ends in HTTP 500, generic body."""


#: and/or groups (after same-operator chains are merged) may nest this deep. ClickHouse's own
#: max_parser_depth (1000) counts several levels per parenthesis.
MAX_GROUP_DEPTH = 100


class FilterTooDeep(Exception):
    """A filter whose and/or groups nest past MAX_GROUP_DEPTH."""

    def __init__(self) -> None:
        super().__init__(
            f"Max query depth exceeded: the filter nests and/or groups more than "
            f"{MAX_GROUP_DEPTH} deep (the demo server's limit; a chain of one operator, "
            "a and b and c ..., can be any length)")


@dataclass(slots=True)
class _Group:
    op: str
    items: list[Any]


class Args:
    """Helicone's argsAcc: bound values in order, named val_0, val_1, …"""

    def __init__(self) -> None:
        self.values: list[Any] = []

    def place(self, value: Any) -> str:
        index = len(self.values)
        self.values.append(value)
        return f"{{val_{index} : {js_value_type(value)}}}"

    def params(self) -> dict[str, str]:
        """The parameters for the engine; raises InvalidTimeValue like jawn's paramsToValues."""
        return {f"val_{i}": param_text(v) for i, v in enumerate(self.values)}


_OP_SQL = {
    "equals": "=",
    "not-equals": "!=",
    "like": "LIKE",
    "ilike": "ILIKE",
    "gte": ">=",
    "gt": ">",
    "lt": "<",
    "lte": "<=",
    "contains": "ILIKE",
    "not-contains": "NOT ILIKE",
}

#: request_response_rmt fields with a plain column (WHERE mode); some columns do not exist in
#: Helicone's schema, and the engine says so, as it does for Helicone.
_RMT = "request_response_rmt"
_COLUMNS: dict[str, str] = {
    name: f"{_RMT}.{column}"
    for name, column in {
        "latency": "latency", "time_to_first_token": "time_to_first_token", "status": "status",
        "request_created_at": "request_created_at", "response_created_at": "response_created_at",
        "request_id": "request_id", "model": "model", "user_id": "user_id",
        "organization_id": "organization_id", "node_id": "node_id", "job_id": "job_id",
        "threat": "threat", "total_tokens": "total_tokens", "prompt_tokens": "prompt_tokens",
        "completion_tokens": "completion_tokens", "request_body": "request_body",
        "response_body": "response_body", "scores_column": "scores",
        "cache_enabled": "cache_enabled", "cache_reference_id": "cache_reference_id",
        "assets": "asset_ids", "prompt_cache_read_tokens": "prompt_cache_read_tokens",
        "prompt_cache_write_tokens": "prompt_cache_write_tokens", "provider": "provider",
        "country_code": "country_code", "target_url": "target_url", "prompt_id": "prompt_id",
        "prompt_version": "prompt_version", "request_referrer": "request_referrer",
        "is_passthrough_billing": "is_passthrough_billing", "cost": "cost",
        "helicone-score-feedback": "scores['helicone-score-feedback']",
    }.items()
}
_ZERO_UUID = "'00000000-0000-0000-0000-000000000000'"


def _first(obj: Any, what: str) -> tuple[str, Any]:
    """Object.keys(obj)[0] and its value; Helicone throws on an empty object."""
    if not isinstance(obj, dict) or not obj:
        raise FilterThrow(f"Invalid {what} {obj!r}")
    key = js_keys(obj)[0]
    return key, obj[key]


def coerce(field_type: FieldType, value: Any) -> Any:
    """The JavaScript value tsoa hands on (bodyCoercion): numbers, booleans, Dates."""
    if isinstance(value, JsDate):
        return value
    if field_type is FieldType.NUMBER and not isinstance(value, bool):
        return float(value.strip()) if isinstance(value, str) else float(value)
    if field_type is FieldType.TIMESTAMP and isinstance(value, str):
        return parse_js_date(value)
    return value


def _clause(column: str, op: str, value_sql: str, raw: Any, *, plain: bool) -> str:
    """One condition, with Helicone's special values for plain columns."""
    if op not in _OP_SQL:
        raise FilterThrow(f"Invalid operator {op}")  # unreachable past validation
    if plain and raw == "null":
        if op == "equals":
            return f"{column} is null"
        if op == "not-equals":
            return f"{column} is not null"
        value_sql = "null"  # inlined: the clause is never true
    elif plain and raw == "__empty__":
        if op == "equals":
            return f"empty({column})"
        # Helicone inlines the value, unquoted: an unknown identifier, so a database error.
        value_sql = "__empty__"
    if op in ("contains", "not-contains"):
        return f"{column} {_OP_SQL[op]} '%' || {value_sql}::text || '%'"
    return f"{column} {_OP_SQL[op]} {value_sql}"


class FilterBuilder:
    """Builds Helicone's WHERE text for a filter tree, collecting bound values in `args`."""

    def __init__(self, args: Args | None = None) -> None:
        self.args = args or Args()

    def node(self, root: Any) -> str:
        """The WHERE text of a tree, without recursion: a run of branches with one operator
        becomes one group, `(a and b and c)` for Helicone's `(a and (b and (c)))` (the same
        rows; ClickHouse parses a flat chain of any length, but gives up on nesting past its
        max_parser_depth). Groups nested past MAX_GROUP_DEPTH raise FilterTooDeep."""
        top = _Group("", [])
        work: list[tuple[Any, _Group]] = [(root, top)]
        while work:  # flatten, left to right
            node, group = work.pop()
            if isinstance(node, dict) and "left" in node:
                op = node.get("operator")
                if op not in ("and", "or"):
                    raise FilterThrow("Invalid filter: only OR is supported")
                if op != group.op:
                    inner = _Group(op, [])
                    group.items.append(inner)
                    group = inner
                work.append((node.get("right"), group))
                work.append((node.get("left"), group))
            else:
                group.items.append(node)
        done: list[str] = []
        open_groups: list[list[str]] = []
        steps: list[tuple[bool, Any]] = [(False, item) for item in reversed(top.items)]
        while steps:  # then the text, leaves in order (the order their values are bound)
            closing, item = steps.pop()
            if closing:
                text = "(" + f" {item.op} ".join(open_groups.pop()) + ")"
            elif isinstance(item, _Group):
                if len(open_groups) >= MAX_GROUP_DEPTH:
                    raise FilterTooDeep()
                open_groups.append([])
                steps.append((True, item))
                steps.extend((False, x) for x in reversed(item.items))
                continue
            else:
                text = self.leaf(item)
            (open_groups[-1] if open_groups else done).append(text)
        return done[0]

    def leaf(self, node: Any) -> str:
        if node == "all" or node is None:
            return "true"
        if not isinstance(node, dict):
            raise FilterThrow(f"Invalid filter {node!r}")
        clauses: list[str] = []
        for table in js_keys(node):
            clause = self._table(table, node[table])
            if clause is not None:
                clauses.append(clause)
        return " AND ".join(clauses) if clauses else "true"

    def _table(self, table: str, obj: Any) -> str | None:
        if table == Table.REQUEST:
            return self._rmt(obj)
        if table == Table.SESSION:
            return self._sessions(obj)
        raise FilterThrow(f"Unknown table {table}")  # unreachable past validation

    def _rmt(self, t: Any) -> str:
        place = self.args.place
        if not isinstance(t, dict) or not t:
            raise FilterThrow("Invalid operator undefined")
        # Special fields win regardless of key order (SEMANTICS §6.1).
        if "property_key" in t:
            op, value = _first(t["property_key"], "operator")
            if op != "equals":
                raise FilterThrow("property_key only supports equals")
            return f"has({_RMT}.properties, {place(value)})"
        if "properties" in t:
            key, ops = _first(t["properties"], "properties")
            op, value = _first(ops, "operator")
            column = f"{_RMT}.properties[{place(key)}]"
            return _clause(column, op, place(value), value, plain=False)
        if "search_properties" in t:
            key, ops = _first(t["search_properties"], "search_properties")
            op, value = _first(ops, "operator")
            return _clause("key", op, place(value), value, plain=False)
        if "scores" in t:
            key, ops = _first(t["scores"], "scores")
            op, value = _first(ops, "operator")
            column = f"has({_RMT}.scores, {place(key)}) AND {_RMT}.scores[{place(key)}]"
            return _clause(column, op, place(value), value, plain=False)
        if "cached" in t:
            op, value = _first(t["cached"], "operator")
            if op != "equals":
                raise FilterThrow("cached only supports equals")
            return f"{_RMT}.cache_reference_id {'!=' if value else '='} {_ZERO_UUID}"
        if "cost" in t:
            op, value = _first(t["cost"], "operator")
            usd = coerce(FieldType.NUMBER, value)
            nano = usd * 1e9
            nano = float(math.floor(nano)) if math.isfinite(nano) else nano
            return _clause(_COLUMNS["cost"], op, place(nano), nano, plain=True)
        name = js_keys(t)[0]
        op, value = _first(t[name], "operator")
        info = get_field(name)
        field_column = _COLUMNS.get(name)
        if info is None or field_column is None:
            raise FilterThrow(f"Unknown field {name}")  # unreachable past validation
        coerced = coerce(info.type, value)
        # "null" and "__empty__" are never bound: Helicone writes them into the SQL.
        value_sql = coerced if coerced in ("null", "__empty__") else place(coerced)
        return _clause(field_column, op, value_sql, coerced, plain=True)

    def _sessions(self, t: Any) -> str | None:
        if not isinstance(t, dict) or not t:
            raise FilterThrow("Invalid operator undefined")
        name = js_keys(t)[0]
        op, value = _first(t[name], "operator")
        if name != "session_tag":
            return None  # no column in WHERE mode: Helicone ignores the field (true)
        if op not in _OP_SQL:
            raise FilterThrow(f"Invalid operator {op}")
        # 'contains' is ILIKE without the % wrapping here: an exact, case-insensitive match.
        value_sql = "null" if value == "null" else self.args.place(value)
        return (
            f"{_RMT}.properties['Helicone-Session-Id'] IN (SELECT entity_id FROM tags "
            f"WHERE tag {_OP_SQL[op]} {value_sql} AND entity_type = 'session')"
        )


def and_tree(nodes: list[Any]) -> Any:
    """Helicone's filterListToTree(list, "and"): right-nested, an empty list is "all"."""
    if not nodes:
        return "all"
    if len(nodes) == 1:
        return nodes[0]
    return {"left": nodes[0], "operator": "and", "right": and_tree(nodes[1:])}


def time_leaf(op: str, date: JsDate) -> dict[str, Any]:
    return {Table.REQUEST.value: {"request_created_at": {op: date}}}
