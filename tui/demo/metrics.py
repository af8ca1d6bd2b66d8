"""`/v1/metrics/*` (SEMANTICS-MORE §3) on the demo data, with jawn's SQL shapes and quirks.

- totals A1-A5 over [start, end]: averageLatency divides by count(*) (NULL latencies count as 0),
  averageTimeToFirstToken keeps ttft > 0 only, activeUsers counts the "" user;
- over-time series over [start, end] in buckets with WITH FILL (the scores endpoint's helper):
  requestOverTime rows carry `status: null`, requestStatusOverTime groups by exact status (fill
  rows status 0), errorOverTime counts every status but 200, latencyOverTime drops `-batch` models
  and skips NULLs, timeToFirstToken includes the zeros of non-streamed requests;
- models and country: limit floored and clamped to 1..10000, offset floored and >= 0; the ""
  country is a row; quantiles: the metric allow-list is checked first ("Invalid metric");
- requestCount: count(DISTINCT request_id), no window, isCached = cache_enabled.
Errors are HTTP 500 `{data: null, error}`; a filter the builder throws on is the generic 500.

Deterministic where Helicone is not: ties in models/country are broken by name, and quantile()
(a reservoir sampler above 8192 values) runs on one thread so it sees rows in table order.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from tui.api.wire_endpoints import More
from tui.api.wire_metrics import QUANTILE_METRICS
from tui.demo import sql
from tui.demo.answer import Answer
from tui.demo.common import jnum, jraw, number, tz_ok, window
from tui.demo.data import Engine, EngineError
from tui.demo.filter_sql import Args, FilterBuilder, and_tree, time_leaf
from tui.demo.jsvalues import InvalidTimeValue, JsDate

_RMT = "request_response_rmt"
#: user_id as a plain String: the same distinct count, several times faster than ClickHouse's
#: distinct count over the LowCardinality column.
_USER = "toString(user_id)"


def _ok(data: Any, ms: float) -> Answer:
    return Answer(200, {"data": data, "error": None}, ms)


def _fail(message: str, ms: float = 0.0) -> Answer:
    return Answer(500, {"data": None, "error": message}, ms)


def _run(engine: Engine, text: str, args: Args,
         settings: str = "") -> tuple[list[list[Any]] | None, str | None, float]:
    """(rows, error, engine ms): a bad date or an engine error is the manager's error."""
    try:
        params = args.params()
    except InvalidTimeValue as exc:
        return None, str(exc), 0.0
    try:
        rows, ms = engine.query(text, params, settings)
    except EngineError as exc:
        return None, str(exc), 0.0
    return rows, None, ms


def _window_where(start: JsDate, end: JsDate, user_filter: Any,
                  extra: list[Any] | None = None) -> tuple[str, Args]:
    """`<window [start, end]> AND <filter>` (and any extra leaves), as jawn's builder binds it."""
    builder = FilterBuilder()
    nodes = [time_leaf("gte", start), time_leaf("lte", end), user_filter, *(extra or [])]
    return builder.node(and_tree(nodes)), builder.args


# --------------------------------------------------------------------------- totals (A1-A5)

_TOTALS: dict[More, tuple[str, str]] = {
    More.TOTAL_REQUESTS: ("count(*)", ""),
    More.TOTAL_COST: ("ifNull(sum(cost), 0) / 1000000000", ""),
    More.AVERAGE_LATENCY: ("if(count(*) = 0, 0, sum(latency) / count(*))", ""),
    More.AVERAGE_TTFT: ("if(count(*) = 0, 0, sum(time_to_first_token) / count(*))",
                        " AND time_to_first_token > 0"),
    More.ACTIVE_USERS: (f"count(DISTINCT {_USER})", ""),
}


def total(engine: Engine, name: More, raw: dict[str, Any]) -> Answer:
    expr, extra = _TOTALS[name]
    start, end = window(raw["timeFilter"])  # no start <= end check: an inverted window is empty
    where, args = _window_where(start, end, raw["filter"])
    rows, error, ms = _run(engine, f"SELECT {expr} FROM {_RMT} WHERE ({where}){extra}", args)
    if error is not None or rows is None:
        return _fail(error or "no data", ms)
    return _ok(jnum(rows[0][0]), ms)


# --------------------------------------------------------------------------- over time

def _n(column: str) -> str:
    """A column as jawn's Number() hands it to JSON: NULL, NaN and infinities (which
    ClickHouse's JSON writes as null) become 0."""
    return f"ifNotFinite(ifNull({column}, 0), 0)"


#: name -> (columns, group by, extra filter leaf, the JSON row's keys after "time" as SQL)
_SERIES: dict[More, tuple[str, str, dict[str, Any] | None, str]] = {
    More.REQUEST_OVER_TIME: (
        "count(*) AS c", "", None, "c AS count, CAST(NULL AS Nullable(UInt8)) AS status"),
    More.REQUEST_STATUS_OVER_TIME: (
        "status, count(*) AS c", "status", None, "c AS count, status"),
    More.ERROR_OVER_TIME: (
        "count(*) AS c", "", {_RMT: {"status": {"not-equals": 200}}}, "c AS count"),
    More.LATENCY_OVER_TIME: (
        "avg(latency) AS d", "", {_RMT: {"model": {"not-contains": "-batch"}}},
        f"{_n('d')} AS duration"),
    More.TTFT_OVER_TIME: ("avg(time_to_first_token) AS t", "", None, f"{_n('t')} AS ttft"),
    More.COST_OVER_TIME: ("sum(cost) / 1000000000 AS c", "", None, f"{_n('c')} AS cost"),
    More.TOKENS_OVER_TIME: (
        "sum(prompt_tokens) AS p, sum(completion_tokens) AS c", "", None,
        f"{_n('p')} AS prompt_tokens, {_n('c')} AS completion_tokens"),
    More.USERS_OVER_TIME: (f"count(DISTINCT {_USER}) AS c", "", None, "c AS count"),
}


def _iso(tz: float) -> str:
    """The bucket + tz minutes as toISOString() writes it, computed by the engine."""
    at = f"addMilliseconds(toDateTime64(created_at_trunc, 3, 'UTC'), {round(tz * 60_000)})"
    return (f"concat(formatDateTime({at}, '%Y-%m-%dT%H:%i:%S', 'UTC'), '.', "
            f"leftPad(toString(toUnixTimestamp64Milli({at}) % 1000), 3, '0'), 'Z')")


_QUANTILE_COLUMN = {
    "latency": "latency", "prompt_tokens": "prompt_tokens",
    "completion_tokens": "completion_tokens", "total_tokens": "(completion_tokens + prompt_tokens)",
}


def _checks(raw: dict[str, Any], tz: float, increment: str) -> tuple[JsDate, JsDate] | str:
    """getXOverTime's checks, in its order: window, then time zone (then a demo-only cap)."""
    start, end = window(raw["timeFilter"])
    if start.ms is None or end.ms is None or start.ms > end.ms:
        return "Invalid time filter"
    if not tz_ok(tz):
        return "Invalid time zone difference"
    count = sql.bucket_count(start, end, increment)
    if count > sql.MAX_BUCKETS:
        return str(sql.TooManyBuckets(count))
    return start, end


def _series(engine: Engine, raw: dict[str, Any], columns: str, group_by: str,
            extra: dict[str, Any] | None, keys: str, settings: str = "") -> Answer:
    """One over-time answer: getXOverTime's checks, its bucketed query, one JSON row each."""
    increment = raw.get("dbIncrement") or "hour"
    tz = number(raw["timeZoneDifference"])
    checked = _checks(raw, tz, increment)
    if isinstance(checked, str):
        return _fail(checked)
    start, end = checked
    user_filter = raw["filter"]
    if extra is not None:  # jawn ANDs it as a right-hand leaf
        user_filter = {"left": user_filter, "operator": "and", "right": extra}
    query = sql.over_time_query(start, end, user_filter, increment, tz, columns,
                                group_by=group_by,
                                order_extra=f", {group_by} ASC" if group_by else "")
    # The engine writes each row's JSON (time as ISO, numbers as jawn's Number() leaves
    # them), in the fill's order: a month of hours goes out without a Python object per row.
    order = f"created_at_trunc{', ' + group_by if group_by else ''}"
    text = f"SELECT {_iso(tz)} AS time, {keys} FROM ({query.sql}) ORDER BY {order}"
    try:
        lines, ms = engine.query_json_rows(text, query.args.params(), settings)
    except InvalidTimeValue as exc:
        return _fail(str(exc))
    except EngineError as exc:
        return _fail(str(exc))
    return Answer(200, None, ms, '{"data":[' + b",".join(lines).decode() + '],"error":null}')


def over_time(engine: Engine, name: More, raw: dict[str, Any]) -> Answer:
    columns, group_by, extra, keys = _SERIES[name]
    return _series(engine, raw, columns, group_by, extra, keys)


def quantiles(engine: Engine, raw: dict[str, Any]) -> Answer:
    metric = raw["metric"]
    if metric not in QUANTILE_METRICS:
        return _fail("Invalid metric")
    column = _QUANTILE_COLUMN[metric]
    # Helicone runs quantile(p) four times; quantiles(...) is the same estimator with one
    # sample for the four levels (exact below 8192 values a bucket), a quarter of the work.
    # Fill rows and buckets without values read 0, as jawn's Number(null) does.
    columns = (f"quantiles(0.75, 0.9, 0.95, 0.99)({column}) AS q, q[1] AS q1, q[2] AS q2, "
               "q[3] AS q3, q[4] AS q4")
    keys = ", ".join(f"{_n(f'q{i}')} AS {name}"
                     for i, name in enumerate(("p75", "p90", "p95", "p99"), start=1))
    return _series(engine, raw, columns, "", None, keys, settings="max_threads = 1")


# --------------------------------------------------------------------------- models, country


def _clamp(raw: dict[str, Any]) -> tuple[int, int] | str:
    limit, offset = number(raw["limit"]), number(raw["offset"])
    if math.isnan(limit) or math.isnan(offset):
        return "Invalid offset or limit"
    return min(10000, max(1, math.floor(limit))), max(0, math.floor(offset))


def models(engine: Engine, raw: dict[str, Any]) -> Answer:
    clamped = _clamp(raw)
    if isinstance(clamped, str):
        return _fail(clamped)
    limit, offset = clamped
    start, end = window(raw["timeFilter"])
    builder = FilterBuilder()
    where = builder.node(and_tree([raw["filter"], time_leaf("gte", start), time_leaf("lte", end)]))
    text = (
        "SELECT model, count(*) AS total_requests, sum(completion_tokens) AS "
        "total_completion_tokens, sum(prompt_tokens) AS total_prompt_token, "
        "sum(prompt_tokens) + sum(completion_tokens) AS total_tokens, "
        f"sum(cost) / 1000000000 AS cost FROM {_RMT} WHERE ({where}) GROUP BY model "
        f"ORDER BY total_requests DESC, model ASC LIMIT {limit} OFFSET {offset}"
    )
    rows, error, ms = _run(engine, text, builder.args)
    if error is not None or rows is None:
        return _fail(error or "no data", ms)
    keys = ("model", "total_requests", "total_completion_tokens", "total_prompt_token",
            "total_tokens", "cost")
    return _ok([dict(zip(keys, map(jraw, r), strict=True)) for r in rows], ms)


def country(engine: Engine, raw: dict[str, Any]) -> Answer:
    clamped = _clamp(raw)
    if isinstance(clamped, str):
        return _fail(clamped)
    limit, offset = clamped
    start, end = window(raw["timeFilter"])
    builder = FilterBuilder()
    where = builder.node(and_tree([raw["filter"], time_leaf("gte", start), time_leaf("lte", end)]))
    text = (
        f"SELECT country_code AS country, count() AS total_requests FROM {_RMT} "
        f"WHERE ({where}) AND country_code IS NOT NULL GROUP BY country_code "
        f"ORDER BY total_requests DESC, country ASC LIMIT {limit} OFFSET {offset}"
    )
    rows, error, ms = _run(engine, text, builder.args)
    if error is not None or rows is None:
        return _fail(error or "no data", ms)
    return _ok([{"country": r[0], "total_requests": jraw(r[1])} for r in rows], ms)


def request_count(engine: Engine, raw: dict[str, Any]) -> Answer:
    builder = FilterBuilder()
    where = builder.node(raw["filter"])
    cached = " AND cache_enabled = 1" if raw.get("isCached") is True else ""
    # count(DISTINCT request_id), as Helicone counts; the same as count(*) (and far cheaper)
    # when every id is unique, as in the synthetic data.
    counted = "count(*)" if engine.request_ids_unique() else "count(DISTINCT request_id)"
    text = f"SELECT {counted} FROM {_RMT} WHERE ({where}){cached}"
    rows, error, ms = _run(engine, text, builder.args)
    if error is not None or rows is None:
        return _fail(error or "no data", ms)
    return _ok(jraw(rows[0][0]), ms)


def handler(name: More) -> Callable[[Engine, dict[str, Any]], Answer]:
    """The function answering one metrics endpoint."""
    if name in _TOTALS:
        return lambda engine, raw: total(engine, name, raw)
    if name in _SERIES:
        return lambda engine, raw: over_time(engine, name, raw)
    return {More.QUANTILES: quantiles, More.MODELS: models, More.COUNTRY: country,
            More.REQUEST_COUNT: request_count}[name]
