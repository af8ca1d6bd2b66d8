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
import re
from dataclasses import dataclass
from typing import Any

from tui.api.fields import FieldType, Table, get_field

# --------------------------------------------------------------------------- JavaScript values


def js_number_str(x: float | int) -> str:
    """JavaScript's Number.prototype.toString for a finite or non-finite double."""
    v = float(x)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if v == 0:
        return "0"
    sign = "-" if v < 0 else ""
    digits, exp = _shortest_digits(abs(v))
    k = len(digits)
    n = exp + k  # value = 0.DIGITS x 10^n
    if k <= n <= 21:
        body = digits + "0" * (n - k)
    elif 0 < n <= 21:
        body = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        body = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
        body = f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"
    return sign + body


def _shortest_digits(v: float) -> tuple[str, int]:
    """(digits, exponent) of the shortest round-trip decimal: v = int(digits) * 10**exponent."""
    text = repr(v)  # Python's repr is the shortest round-trip form, as JavaScript's is
    mantissa, _, exp_text = text.partition("e")
    exp = int(exp_text) if exp_text else 0
    whole, _, frac = mantissa.partition(".")
    if frac == "0":
        frac = ""
    digits = (whole + frac).lstrip("0")
    exp -= len(frac)
    stripped = digits.rstrip("0")
    exp += len(digits) - len(stripped)
    return stripped or "0", exp


def js_json_number(x: float) -> float | int | None:
    """A double as JSON.stringify writes it: integral values without '.0', NaN/Infinity as null."""
    if math.isnan(x) or math.isinf(x):
        return None
    if x.is_integer() and abs(x) < 1e21:
        return int(x)
    return x


#: ±8.64e15 ms: the range of a JavaScript Date.
_MAX_TIME = 8.64e15


@dataclass(frozen=True, slots=True)
class JsDate:
    """A JavaScript Date: ms since the epoch, or None for an Invalid Date."""

    ms: float | None

    @staticmethod
    def from_ms(value: float) -> JsDate:
        """new Date(number): TimeClip (NaN beyond ±8.64e15, else truncated to an integer)."""
        v = float(value)
        if math.isnan(v) or abs(v) > _MAX_TIME:
            return JsDate(None)
        return JsDate(float(math.trunc(v)) + 0.0)


class InvalidTimeValue(ValueError):
    """Date.prototype.toISOString on an Invalid Date throws RangeError("Invalid time value")."""

    def __init__(self) -> None:
        super().__init__("Invalid time value")


_ISO = re.compile(
    r"^(?P<y>[+-]\d{6}|\d{4})(?:-(?P<mo>\d{2})(?:-(?P<d>\d{2}))?)?"
    r"(?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d+))?)?)?"
    r"(?P<z>Z|[+-]\d{2}:?\d{2})?$"
)


def parse_js_date(text: str) -> JsDate:
    """new Date(string) for the ISO 8601 forms V8 reads (date-only = UTC; no zone = local, and
    the demo server's local zone is UTC). Other legacy forms V8 guesses at are Invalid Dates here.
    """
    m = _ISO.match(text.strip())
    if not m:
        return JsDate(None)
    year_text = m["y"]
    if year_text == "-000000":
        return JsDate(None)
    year = int(year_text)
    month = int(m["mo"] or 1)
    day = int(m["d"] or 1)
    hour, minute = int(m["h"] or 0), int(m["mi"] or 0)
    second = int(m["s"] or 0)
    millis = int((m["f"] or "0")[:3].ljust(3, "0"))
    if not (1 <= month <= 12 and 1 <= day <= 31 and minute <= 59 and second <= 59):
        return JsDate(None)
    if hour > 24 or (hour == 24 and (minute or second or millis)):
        return JsDate(None)
    if m["h"] is None and m["z"] is not None:
        return JsDate(None)  # a zone needs a time
    offset = 0
    zone = m["z"]
    if zone and zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        oh, om = int(digits[:2]), int(digits[2:])
        if oh > 23 or om > 59:
            return JsDate(None)
        offset = sign * (oh * 60 + om)
    days = _days_from_civil(year, month, 1) + day - 1
    ms = ((days * 24 + hour) * 60 + minute - offset) * 60_000 + second * 1000 + millis
    if abs(ms) > _MAX_TIME:
        return JsDate(None)
    return JsDate(float(ms))


def _days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm)."""
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _civil_from_days(z: int) -> tuple[int, int, int]:
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return y + (m <= 2), m, d


def iso_string(date: JsDate) -> str:
    """Date.prototype.toISOString: 'YYYY-MM-DDTHH:mm:ss.sssZ' (±YYYYYY beyond 0..9999)."""
    if date.ms is None:
        raise InvalidTimeValue()
    ms = int(date.ms)
    days, rest = divmod(ms, 86_400_000)
    y, mo, d = _civil_from_days(days)
    hh, rest = divmod(rest, 3_600_000)
    mi, rest = divmod(rest, 60_000)
    ss, milli = divmod(rest, 1000)
    year = f"{y:04d}" if 0 <= y <= 9999 else f"{'-' if y < 0 else '+'}{abs(y):06d}"
    return f"{year}-{mo:02d}-{d:02d}T{hh:02d}:{mi:02d}:{ss:02d}.{milli:03d}Z"


def datetime_param(date: JsDate) -> str:
    """How jawn sends a Date to ClickHouse: ISO, 'T' -> ' ', no 'Z', milliseconds dropped."""
    text = iso_string(date).replace("T", " ", 1).replace("Z", "", 1)
    return re.sub(r"\.\d+$", "", text)


def js_value_type(value: Any) -> str:
    """Helicone's clickhouseParam: the ClickHouse type of a bound JavaScript value."""
    if isinstance(value, bool):
        return "UInt8"
    if isinstance(value, int | float):
        v = float(value)
        return "Int32" if (math.isfinite(v) and v.is_integer()) else "Float64"
    if isinstance(value, JsDate):
        return "DateTime"
    return "String"


def param_text(value: Any) -> str:
    """The text a bound value is sent as (raises InvalidTimeValue for an Invalid Date)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        v = float(value)
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        if math.isnan(v):
            return "nan"  # as @clickhouse/client formats NaN
        return js_number_str(v)
    if isinstance(value, JsDate):
        return datetime_param(value)
    # ClickHouse reads parameter values in its Escaped format; the JavaScript client escapes
    # them so that the server sees the string as sent. So do we. It puts them in the URL with
    # URLSearchParams, which turns a lone surrogate (JSON "\ud800") into U+FFFD.
    return _LONE_SURROGATE.sub("\ufffd", str(value)).translate(_ESCAPES)


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "'": "\\'"})
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def js_keys(obj: dict[str, Any]) -> list[str]:
    """Object.keys order: integer-like keys first (ascending), then the rest in insertion order."""
    ints = [k for k in obj if _is_array_index(k)]
    if not ints:
        return list(obj)
    rest = [k for k in obj if not _is_array_index(k)]
    return sorted(ints, key=int) + rest


def _is_array_index(key: str) -> bool:
    return (key == "0" or (key[:1] in "123456789" and key.isdigit())) and int(key) < 2**32 - 1


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
