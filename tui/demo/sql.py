"""The four endpoints' queries as jawn builds them, and their time buckets, in ClickHouse SQL.

The filter tree becomes a WHERE clause in filter_sql.py (JavaScript's values in jsvalues.py); both
are re-exported here for the tests that read them from this module. Differences from Helicone, on
purpose: there is no organization condition (a demo data set holds one organization); queries whose
answer depends on read order (histogram, quantile, float sums) are pinned to one thread and an
explicit feed order, so the same data give the same bytes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from tui.api.fields import FieldType, Table
from tui.demo.filter_sql import Args, FilterBuilder, and_tree, coerce, time_leaf

# The `name as name` imports are re-exports: tests/demo/test_demo_sql.py reads them from here.
from tui.demo.filter_sql import FilterThrow as FilterThrow
from tui.demo.jsvalues import InvalidTimeValue as InvalidTimeValue
from tui.demo.jsvalues import JsDate, _days_from_civil, iso_string, js_number_str
from tui.demo.jsvalues import datetime_param as datetime_param
from tui.demo.jsvalues import js_json_number as js_json_number
from tui.demo.jsvalues import js_keys as js_keys
from tui.demo.jsvalues import param_text as param_text
from tui.demo.jsvalues import parse_js_date as parse_js_date

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
            nodes.append(time_leaf(op, JsDate.from_ms(coerce(FieldType.NUMBER,
                                                               time_filter[key]))))
    if user_filter is not None:
        nodes.append(user_filter)
    if name:
        nodes.append({Table.REQUEST.value: {"properties": {"Helicone-Session-Name": {
            "equals": name}}}})
    builder = FilterBuilder()
    return builder.node(and_tree(nodes)), builder.args
