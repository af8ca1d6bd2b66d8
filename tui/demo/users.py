"""`POST /v1/user/metrics/query` (SEMANTICS-MORE §6.1): one row per user, Helicone's quirks kept.

- the window is seconds and exclusive, absent = all time; errors are HTTP 400 with the engine's
  message; limit > 1000 is 400 "Limit cannot be greater than 1000"; limit and offset are spliced
  as numbers, so a fraction is an engine error (400);
- first_active / last_active are shifted by -|tz| minutes and labelled Z; active_for counts UTC
  days; the "" user (requests without a user id) is a row;
- sort: the first key only, default last_active desc; `sort: {}` orders by a constant;
- count = the users matching the filter (limit and offset ignored); hasUsers = any user id at
  all in the data, the filter ignored.
Deterministic where Helicone is not: ties of the sort are broken by user id.
"""

from __future__ import annotations

from typing import Any

from tui.demo.answer import Answer
from tui.demo.common import iso_from_ch, jnum, jraw, number
from tui.demo.data import Engine, EngineError
from tui.demo.filter_sql import FilterBuilder, and_tree, time_leaf
from tui.demo.jsvalues import InvalidTimeValue, JsDate, js_number_str

_RMT = "request_response_rmt"
_SORT_KEYS = (
    "id", "user_id", "active_for", "first_active", "last_active", "total_requests",
    "average_requests_per_day_active", "average_tokens_per_request", "total_prompt_tokens",
    "total_completion_tokens", "cost", "rate_limited_count",
)
_KEYS = ("user_id", "id", "active_for", "first_active", "last_active", "total_requests",
         "average_requests_per_day_active", "average_tokens_per_request",
         "total_completion_tokens", "total_prompt_tokens", "cost", "rate_limited_count")


def _fail(message: str, ms: float = 0.0) -> Answer:
    return Answer(400, {"data": None, "error": message}, ms)


_HAS_USERS: dict[int, bool] = {}


def _has_users(engine: Engine) -> tuple[bool, float]:
    """Any request with a user id, filter and window ignored: the data never change once
    loaded, so it is asked once per engine."""
    key = id(engine)
    if key not in _HAS_USERS:
        rows, ms = engine.query(f"SELECT count() > 0 FROM {_RMT} WHERE user_id != ''")
        _HAS_USERS[key] = bool(rows and rows[0][0] == 1)
        return _HAS_USERS[key], ms
    return _HAS_USERS[key], 0.0


def user_metrics(engine: Engine, raw: dict[str, Any]) -> Answer:
    limit, offset = number(raw["limit"]), number(raw["offset"])
    if limit > 1000:
        return _fail("Limit cannot be greater than 1000")
    tz = abs(number(raw.get("timeZoneDifferenceMinutes", 0)))
    shift = f"INTERVAL {js_number_str(tz)} MINUTE"
    builder = FilterBuilder()
    nodes: list[Any] = []
    time_filter = raw.get("timeFilter")
    if time_filter is not None:
        for op, key in (("gt", "startTimeUnixSeconds"), ("lt", "endTimeUnixSeconds")):
            nodes.append(time_leaf(op, JsDate.from_ms(number(time_filter[key]) * 1000)))
    nodes.append(raw["filter"])
    where = builder.node(and_tree(nodes))
    sort = raw.get("sort", {"last_active": "desc"})
    first = next((k for k in sort if k in _SORT_KEYS), None)
    # The column is bound as an Identifier; `{}` binds the constant 'last_active' instead.
    order = f"{first} {sort[first].upper()}" if first else "'last_active' ASC"
    grouped = (
        "SELECT user_id, user_id AS id, "
        "count(DISTINCT date_trunc('day', request_created_at)) AS active_for, "
        f"toDateTime(min(request_created_at) - {shift}) AS first_active, "
        f"toDateTime(max(request_created_at) - {shift}) AS last_active, "
        "toInt32(count(request_id)) AS total_requests, "
        "count(request_id) / active_for AS average_requests_per_day_active, "
        "(sum(prompt_tokens) + sum(completion_tokens)) / count(request_id) "
        "AS average_tokens_per_request, "
        "sum(completion_tokens) AS total_completion_tokens, "
        "sum(prompt_tokens) AS total_prompt_tokens, sum(cost) / 1000000000 AS cost, "
        "sum(properties['Helicone-Rate-Limit-Status'] = 'rate_limited') AS rate_limited_count "
        f"FROM {_RMT} WHERE ({where}) GROUP BY user_id"
    )
    # count(*) OVER (): the number of users before LIMIT, what Helicone's second query counts
    # (the same grouped query), from one aggregation.
    text = (f"SELECT {', '.join(_KEYS)}, count(*) OVER () AS matching FROM ({grouped}) "
            f"ORDER BY {order}, user_id ASC "
            f"LIMIT {js_number_str(limit)} OFFSET {js_number_str(offset)}")
    try:
        params = builder.args.params()
        rows, ms = engine.query(text, params)
        if rows:
            matching, count_ms = rows[0][-1], 0.0
        else:  # a page past the end: count them on their own
            counted, count_ms = engine.query(f"SELECT count(*) FROM ({grouped})", params)
            matching = counted[0][0]
        has_users, has_ms = _has_users(engine)
    except (EngineError, InvalidTimeValue) as exc:
        return _fail(str(exc))
    users = []
    for r in rows:
        row = dict(zip(_KEYS, r[:-1], strict=True))
        for key in ("first_active", "last_active"):
            row[key] = iso_from_ch(row[key])
        for key in ("total_requests", "average_requests_per_day_active",
                    "average_tokens_per_request", "total_completion_tokens",
                    "total_prompt_tokens", "cost"):
            row[key] = jnum(row[key])  # through `+`: NULL -> 0
        row["active_for"] = jraw(row["active_for"])
        row["rate_limited_count"] = jraw(row["rate_limited_count"])
        users.append(row)
    data = {"users": users, "count": jraw(matching), "hasUsers": has_users}
    return Answer(200, {"data": data, "error": None}, ms + count_ms + has_ms)
