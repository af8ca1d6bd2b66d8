"""Helicone's filter tree -> ClickHouse SQL, and the four endpoints' queries, as jawn builds them.

Translated from the RAW request JSON (after the pydantic models accepted it), because Helicone reads
`Object.keys(obj)[0]`: only the first field of a leaf table and the first operator of an operator
object count (SEMANTICS §6.1), and key order is only in the raw JSON. Every value and map key is
a query parameter (`{val_N : Type}`), typed as Helicone types it (§6.2): whole number Int32 (it
wraps), other number Float64, boolean UInt8, Date DateTime ('YYYY-MM-DD HH:MM:SS', UTC, ms
dropped), anything else String. Nothing a client sends is ever spliced into SQL text.

Differences from Helicone, on purpose: there is no organization condition (a demo data set holds
one organization); queries whose answer depends on read order (histogram, quantile, float sums)
are pinned to one thread and an explicit feed order, so the same data give the same bytes.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

from tui.api.fields import FieldType, Table, get_field

# JavaScript values (number spelling, dates, parameters, key order) live in jsvalues.py.
from tui.demo.jsvalues import (  # noqa: F401 (re-exported for the endpoint modules)
    _ESCAPES,
    _ISO,
    _LONE_SURROGATE,
    _MAX_TIME,
    InvalidTimeValue,
    JsDate,
    _civil_from_days,
    _days_from_civil,
    _is_array_index,
    _shortest_digits,
    datetime_param,
    iso_string,
    js_json_number,
    js_keys,
    js_number_str,
    js_value_type,
    param_text,
    parse_js_date,
)

# --------------------------------------------------------------------------- filter -> SQL


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


def _coerce(field_type: FieldType, value: Any) -> Any:
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
            usd = _coerce(FieldType.NUMBER, value)
            nano = usd * 1e9
            nano = float(math.floor(nano)) if math.isfinite(nano) else nano
            return _clause(_COLUMNS["cost"], op, place(nano), nano, plain=True)
        name = js_keys(t)[0]
        op, value = _first(t[name], "operator")
        info = get_field(name)
        column = _COLUMNS.get(name)
        if info is None or column is None:
            raise FilterThrow(f"Unknown field {name}")  # unreachable past validation
        coerced = _coerce(info.type, value)
        # "null" and "__empty__" are never bound: Helicone writes them into the SQL.
        value_sql = coerced if coerced in ("null", "__empty__") else place(coerced)
        return _clause(column, op, value_sql, coerced, plain=True)

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


# --------------------------------------------------------------------------- time buckets

UNITS = {"min": "MINUTE", "hour": "hour", "day": "day", "week": "week", "month": "month",
         "year": "year"}
_UNIT_SECONDS = {"min": 60, "hour": 3600, "day": 86400, "week": 604800, "month": 2419200,
                 "year": 31536000}
#: Buckets above this are refused: ClickHouse would grind through them until Helicone's
#: max_execution_time; the demo server answers at once instead.
MAX_BUCKETS = 500_000
_DT_MIN_MS, _DT_MAX_MS = 0.0, 4294967295000.0  # ClickHouse DateTime's range


class TooManyBuckets(Exception):
    def __init__(self, count: int) -> None:
        super().__init__(
            "Query timeout. Try a shorter time range or simpler filters. "
            f"(demo server: {count} time buckets is more than its limit of {MAX_BUCKETS})"
        )


def bucket_count(start: JsDate, end: JsDate, increment: str) -> int:
    """About how many WITH FILL rows a window makes (both ends clamped as ClickHouse does)."""
    if start.ms is None or end.ms is None:
        return 0
    lo = min(max(start.ms, _DT_MIN_MS), _DT_MAX_MS)
    hi = min(max(end.ms, _DT_MIN_MS), _DT_MAX_MS)
    return int(max(0.0, hi - lo) / 1000 / _UNIT_SECONDS[increment]) + 2


def date_trunc(increment: str, tz: float, column: str) -> str:
    """Helicone's bucket: shift UTC to local wall time by tz minutes, truncate, as DateTime64(0)."""
    shift = (
        f"- INTERVAL {js_number_str(abs(tz))} minute" if tz >= 0
        else f"+ INTERVAL {js_number_str(abs(tz))} minute"
    )
    return f"toDateTime64(date_trunc('{UNITS[increment]}', {column} {shift}, 'UTC'), 0, 'UTC')"


@functools.lru_cache(maxsize=65536)
def bucket_iso(value: str, tz: float) -> str:
    """moment.utc(value, 'YYYY-MM-DD HH:mm:ss') + tz minutes, as toISOString()."""
    days = _days_from_civil(int(value[0:4]), int(value[5:7]), int(value[8:10]))
    ms = (days * 86400 + int(value[11:13]) * 3600 + int(value[14:16]) * 60
          + int(value[17:19])) * 1000
    return iso_string(JsDate.from_ms(ms + tz * 60_000))


# --------------------------------------------------------------------------- the four queries


@dataclass(frozen=True, slots=True)
class Query:
    sql: str
    args: Args
    settings: str = ""


def over_time_query(start: JsDate, end: JsDate, user_filter: Any, increment: str, tz: float,
                    columns: str, group_by: str = "", order_extra: str = "",
                    per_bucket: str = "") -> Query:
    """getXOverTime: [start, end] window, buckets, WITH FILL from trunc(start) to trunc(end).

    `per_bucket` (optional) folds the (bucket, group) rows into one row per bucket, with those
    columns, before the fill."""
    builder = FilterBuilder()
    window = {"left": time_leaf("gte", start), "operator": "and", "right": time_leaf("lte", end)}
    where = builder.node({"left": window, "operator": "and", "right": user_filter})
    args = builder.args
    trunc = date_trunc(increment, tz, "request_created_at")
    fill_from = date_trunc(increment, tz, args.place(start))
    fill_to = date_trunc(increment, tz, args.place(end))
    unit = UNITS[increment]
    groups = f"{group_by}, {trunc}" if group_by else trunc
    sql = (
        f"SELECT {trunc} AS created_at_trunc, {columns}\n"
        f"FROM request_response_rmt\nWHERE ({where})\nGROUP BY {groups}\n"
    )
    if per_bucket:
        sql = (f"SELECT created_at_trunc, {per_bucket}\nFROM (\n{sql})\n"
               "GROUP BY created_at_trunc\n")
    sql += (
        f"ORDER BY created_at_trunc ASC WITH FILL FROM {fill_from} "
        f"TO {fill_to} + INTERVAL 1 {unit} STEP INTERVAL 1 {unit}{order_extra}"
    )
    return Query(sql, args)


_SCORE = "mapValues(scores)[indexOf(mapKeys(scores), score_key)]"


def scores_query(start: JsDate, end: JsDate, user_filter: Any, increment: str,
                 tz: float) -> Query:
    # Keys within a bucket are sorted (Helicone leaves their order unspecified).
    return over_time_query(
        start, end, user_filter, increment, tz,
        columns=(
            f"arrayJoin(mapKeys(scores)) AS score_key, avg({_SCORE}) AS score_sum"
        ),
        group_by="score_key",
        order_extra=", score_key ASC",
    )


def evals_query(start: JsDate, end: JsDate, user_filter: Any, tz: float) -> Query:
    """Helicone selects avgMap/minMap/maxMap/countMap(scores) per hour; this selects avg, min,
    max and count per (hour, score) instead: the same numbers, about twice as fast. An hour
    whose requests have no scores comes back as a filler row rather than as a row of empty
    maps: either way each name reads 0 there."""
    return over_time_query(
        start, end, user_filter, "hour", tz,
        columns=(
            f"arrayJoin(mapKeys(scores)) AS score_key, avg({_SCORE}) AS average_score, "
            f"min({_SCORE}) AS min_score, max({_SCORE}) AS max_score, count() AS count_score"
        ),
        group_by="score_key",
        order_extra=", score_key ASC",
    )


#: The all-time score names (no window, no filter), as EvalManager.getEvalScores.
SCORE_NAMES_SQL = (
    "SELECT DISTINCT arrayJoin(mapKeys(scores)) AS score FROM request_response_rmt ORDER BY score"
)


def distributions_query(start: JsDate, end: JsDate, user_filter: Any) -> Query:
    """[start, end) window; histogram(10) fed in (request_created_at, request_id) order: the
    table is stored in that order and one thread reads it front to back."""
    builder = FilterBuilder()
    window = {"left": time_leaf("gte", start), "operator": "and", "right": time_leaf("lt", end)}
    where = builder.node({"left": user_filter, "operator": "and", "right": window})
    sql = (
        "SELECT score_name, histogram(10)(score_value) AS distribution\n"
        "FROM (\n"
        "  SELECT arrayJoin(mapKeys(scores)) AS score_name,\n"
        "         mapValues(scores)[indexOf(mapKeys(scores), score_name)] AS score_value\n"
        f"  FROM request_response_rmt\n  WHERE ({where})\n"
        ")\nGROUP BY score_name\nORDER BY score_name"
    )
    return Query(sql, builder.args, "max_threads = 1")


#: pSize -> Helicone's quantile level text (SIZES_TO_PERCENTILES).
P_LEVELS = {"p50": "0.5", "p75": "0.75", "p95": "0.95", "p99": "0.99", "p99.9": "0.999"}

#: Per (session name, session id): what the three metrics need, from one scan of the table.
SESSION_SCRATCH_DDL = (
    "CREATE TABLE IF NOT EXISTS session_scratch (session_name LowCardinality(String), "
    "session_id LowCardinality(String), requests UInt64, first DateTime64(3), "
    "last DateTime64(3), cost Nullable(UInt64)) ENGINE = Memory"
)


def session_scan_query(where: str, args: Args) -> Query:
    """Fill the scratch table: GROUP BY (name, id) as Helicone's count histogram does; the
    per-id metrics re-aggregate it exactly (count, min, max and sum of integers). The keys are
    the table's materialised copies of properties['Helicone-Session-Name'/'-Id']."""
    sql = (
        "INSERT INTO session_scratch\n"
        "SELECT mat_session_name, mat_session_id,\n"
        "       count(*), min(request_created_at), max(request_created_at), sum(cost)\n"
        f"FROM request_response_rmt\nWHERE {where}\nGROUP BY mat_session_name, mat_session_id"
    )
    return Query(sql, args)


#: output key -> the per-session values (Helicone's `request_counts`, `agg_value`).
_SESSION_METRICS = {
    "session_count": "SELECT requests AS agg_value FROM session_scratch",
    "session_duration": (
        "SELECT dateDiff('second', min(first), max(last)) AS agg_value "
        "FROM session_scratch GROUP BY session_id"
    ),
    "session_cost": (
        "SELECT sum(cost) / 1e9 AS agg_value FROM session_scratch GROUP BY session_id"
    ),
}
#: output key -> per-session values of getAveragePerSession (grouped by session id only).
_SESSION_AVERAGES = {
    "session_cost": _SESSION_METRICS["session_cost"],
    "session_duration": _SESSION_METRICS["session_duration"],
    "session_count": "SELECT sum(requests) AS agg_value FROM session_scratch GROUP BY session_id",
}


def session_metrics_sql(p_size: str, interquartile: bool) -> str:
    """Helicone's getHistogramRowOnKeys (x3) and getAveragePerSession (x3) in one SELECT.

    Same functions on the same per-session values: quantile(P) (and quantile(1-P) for the
    interquartile band, BETWEEN inclusive), then histogram(10) of the sessions kept, and avg over
    all sessions. Helicone feeds them in GROUP BY order, which varies; here every one is fed the
    values in ascending order (`arrayReduce` over a sorted array), so the answer is stable.
    """
    upper = P_LEVELS[p_size]
    lower = js_number_str(1 - float(upper)) if interquartile else upper
    if interquartile:
        bounds = (
            f"arrayReduce('quantile({lower})', v) AS lo, "
            f"arrayReduce('quantile({upper})', v) AS hi"
        )
        keep = "x >= lo AND x <= hi"
    else:
        bounds = f"arrayReduce('quantile({upper})', v) AS hi"
        keep = "x <= hi"
    parts = []
    for key, rows in _SESSION_METRICS.items():
        parts.append(
            f"(SELECT arrayReduce('histogram(10)', arrayFilter(x -> {keep}, v)) FROM "
            f"(SELECT v, {bounds} FROM (SELECT arraySort(groupArray(agg_value)) AS v "
            f"FROM ({rows})))) AS {key}"
        )
    for key, rows in _SESSION_AVERAGES.items():
        parts.append(
            f"(SELECT arrayReduce('avg', arraySort(groupArray(agg_value))) FROM ({rows})) "
            f"AS average_{key}"
        )
    return "SELECT\n  " + ",\n  ".join(parts)


def session_where(time_filter: dict[str, Any] | None, user_filter: Any,
                  name: str) -> tuple[str, Args]:
    """SessionManager.getMetrics' filter: (start, end) window, the filter, the exact name."""
    nodes: list[Any] = []
    if time_filter is not None:
        for op, key in (("gt", "startTimeUnixMs"), ("lt", "endTimeUnixMs")):
            nodes.append(time_leaf(op, JsDate.from_ms(_coerce(FieldType.NUMBER,
                                                               time_filter[key]))))
    if user_filter is not None:
        nodes.append(user_filter)
    if name:
        nodes.append({Table.REQUEST.value: {"properties": {"Helicone-Session-Name": {
            "equals": name}}}})
    builder = FilterBuilder()
    return builder.node(and_tree(nodes)), builder.args
