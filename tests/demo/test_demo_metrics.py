"""`/v1/metrics/*` on the default demo data over HTTP: each endpoint against SQL written by hand
on the same data (built again in this process), the consistency between endpoints, Helicone's
quirks, validation and error shapes, and the incidents as an on-call engineer would find them.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from demo_helpers import KEY, Client
from more_helpers import RMT, Hand, call, data, hand_data, window_sql

from tui.api.wire_endpoints import More

pytestmark = pytest.mark.demo

DAY = {"start": "2026-11-15T00:00:00.000Z", "end": "2026-11-16T00:00:00.000Z"}
WEEK = {"start": "2026-11-13T00:00:00.000Z", "end": "2026-11-20T00:00:00.000Z"}
EMPTY = {"start": "2024-01-01T00:00:00.000Z", "end": "2024-01-01T05:00:00.000Z"}
MINI = {RMT: {"model": {"equals": "gpt-4o-mini"}}}
ANTHROPIC = {RMT: {"provider": {"equals": "ANTHROPIC"}}}


@pytest.fixture(scope="module")
def hand() -> Hand:
    return hand_data()


def both(a: Any, b: Any) -> Any:
    return {"left": a, "operator": "and", "right": b}


def series(client: Client, name: More, window: dict[str, str], user_filter: Any = "all",
           **extra: Any) -> list[dict[str, Any]]:
    body = {"filter": user_filter, "timeFilter": window, "timeZoneDifference": 0, **extra}
    return data(client, name, body)


def total(client: Client, name: More, window: dict[str, str], user_filter: Any = "all") -> Any:
    return data(client, name, {"filter": user_filter, "timeFilter": window})


def hourly(hand: Hand, expr: str, window: dict[str, str], where: str = "true",
           group: str = "") -> dict[str, Any]:
    """{ISO hour: value} by hand, for the hours that have rows."""
    key = "formatDateTime(toStartOfHour(request_created_at), '%Y-%m-%dT%H:00:00.000Z')"
    rows = hand.rows(
        f"SELECT {key} AS h{', ' + group if group else ''}, {expr} FROM {RMT} "
        f"WHERE {window_sql(window['start'], window['end'])} AND {where} "
        f"GROUP BY h{', ' + group if group else ''}")
    if group:
        return {(r[0], r[1]): r[2] for r in rows}
    return {r[0]: r[1] for r in rows}


# --------------------------------------------------------------------------- totals


def test_totals_match_hand_sql(demo: Client, hand: Hand) -> None:
    where = f"{window_sql(DAY['start'], DAY['end'])} AND model = 'gpt-4o-mini'"
    count = hand.one(f"SELECT count() FROM {RMT} WHERE {where}")
    assert total(demo, More.TOTAL_REQUESTS, DAY, MINI) == count > 1000
    cost = hand.one(f"SELECT sum(cost) / 1e9 FROM {RMT} WHERE {where}")
    assert total(demo, More.TOTAL_COST, DAY, MINI) == pytest.approx(cost, rel=1e-12)
    # averageLatency divides by every row: NULL latencies (no response) count as 0 ...
    nulls = hand.one(f"SELECT countIf(latency IS NULL) FROM {RMT} WHERE {where}")
    assert nulls > 0
    mean = hand.one(f"SELECT sum(latency) / count() FROM {RMT} WHERE {where}")
    assert total(demo, More.AVERAGE_LATENCY, DAY, MINI) == pytest.approx(mean, rel=1e-12)
    assert mean < hand.one(f"SELECT avg(latency) FROM {RMT} WHERE {where}")
    # ... and the time to first token only counts streamed requests (ttft > 0).
    ttft = hand.one(f"SELECT avg(time_to_first_token) FROM {RMT} WHERE {where} "
                    "AND time_to_first_token > 0")
    assert total(demo, More.AVERAGE_TTFT, DAY, MINI) == pytest.approx(ttft, rel=1e-12)
    # activeUsers: the "" user (requests without a user id) is one of them.
    users = hand.one(f"SELECT count(DISTINCT user_id) FROM {RMT} WHERE {where}")
    assert hand.one(f"SELECT countIf(user_id = '') FROM {RMT} WHERE {where}") > 0
    assert total(demo, More.ACTIVE_USERS, DAY, MINI) == users


def test_an_empty_window_is_zero_not_null(demo: Client) -> None:
    for name in (More.TOTAL_REQUESTS, More.TOTAL_COST, More.AVERAGE_LATENCY,
                 More.AVERAGE_TTFT, More.ACTIVE_USERS):
        assert total(demo, name, EMPTY) == 0
    # no start <= end check on the totals: an inverted window simply matches nothing
    assert total(demo, More.TOTAL_REQUESTS, {"start": DAY["end"], "end": DAY["start"]}) == 0


def test_request_count_has_no_window_and_is_cached_means_cache_enabled(
        demo: Client, hand: Hand) -> None:
    assert data(demo, More.REQUEST_COUNT, {"filter": MINI}) == hand.one(
        f"SELECT count(DISTINCT request_id) FROM {RMT} WHERE model = 'gpt-4o-mini'")
    cached = data(demo, More.REQUEST_COUNT, {"filter": MINI, "isCached": True})
    assert cached == hand.one(f"SELECT count() FROM {RMT} WHERE model = 'gpt-4o-mini' "
                              "AND cache_enabled")
    hits = hand.one(f"SELECT count() FROM {RMT} WHERE model = 'gpt-4o-mini' "
                    "AND cache_reference_id != toUUID('00000000-0000-0000-0000-000000000000')")
    assert cached != hits  # caching turned on, not a cache hit


# --------------------------------------------------------------------------- series


def test_request_over_time_sums_to_total_requests_with_status_null(demo: Client) -> None:
    for user_filter in ("all", MINI, both(MINI, {RMT: {"status": {"gte": 500}}})):
        rows = series(demo, More.REQUEST_OVER_TIME, WEEK, user_filter)
        assert len(rows) == 7 * 24 + 1  # [start, end]: the end's hour is a bucket too
        assert all(r["status"] is None for r in rows)
        assert sum(r["count"] for r in rows) == total(demo, More.TOTAL_REQUESTS, WEEK,
                                                      user_filter)


def test_every_series_matches_hand_sql_hour_by_hour(demo: Client, hand: Hand) -> None:
    cases = [
        (More.REQUEST_OVER_TIME, "count()", "true", "count"),
        (More.ERROR_OVER_TIME, "count()", "status != 200", "count"),
        (More.LATENCY_OVER_TIME, "avg(latency)", "model NOT ILIKE '%-batch%'", "duration"),
        (More.TTFT_OVER_TIME, "avg(time_to_first_token)", "true", "ttft"),
        (More.COST_OVER_TIME, "sum(cost) / 1e9", "true", "cost"),
        (More.USERS_OVER_TIME, "count(DISTINCT user_id)", "true", "count"),
        (More.TOKENS_OVER_TIME, "sum(prompt_tokens)", "true", "prompt_tokens"),
        (More.TOKENS_OVER_TIME, "sum(completion_tokens)", "true", "completion_tokens"),
    ]
    for name, expr, where, key in cases:
        expected = hourly(hand, expr, DAY, where)
        rows = series(demo, name, DAY)
        assert len(rows) == 25
        got = {r["time"]: r[key] for r in rows}
        for hour, value in got.items():
            assert value == pytest.approx(expected.get(hour, 0), rel=1e-9), (name, hour)


def test_status_over_time_groups_by_exact_status(demo: Client, hand: Hand) -> None:
    rows = series(demo, More.REQUEST_STATUS_OVER_TIME, DAY)
    got = {(r["time"], r["status"]): r["count"] for r in rows if r["status"]}
    assert got == hourly(hand, "count()", DAY, group="status")
    # the window's last hour (only its first instant is in [start, end]) has no request: one
    # fill row with status 0
    assert [r for r in rows if not r["status"]] == [
        {"time": "2026-11-16T00:00:00.000Z", "count": 0, "status": 0}]
    assert {r["status"] for r in rows} == {0, 200, 400, 429, 500}
    # errorOverTime is every status but 200, bucket by bucket
    errors = {r["time"]: r["count"] for r in series(demo, More.ERROR_OVER_TIME, DAY)}
    for hour, count in errors.items():
        assert count == sum(c for (h, s), c in got.items() if h == hour and s != 200)


def test_fill_rows_of_an_empty_window(demo: Client) -> None:
    assert series(demo, More.REQUEST_STATUS_OVER_TIME, EMPTY)[0] == {
        "time": "2024-01-01T00:00:00.000Z", "count": 0, "status": 0}
    assert series(demo, More.REQUEST_OVER_TIME, EMPTY)[-1] == {
        "time": "2024-01-01T05:00:00.000Z", "count": 0, "status": None}
    assert series(demo, More.LATENCY_OVER_TIME, EMPTY)[0]["duration"] == 0
    assert series(demo, More.QUANTILES, EMPTY, metric="latency")[0] == {
        "time": "2024-01-01T00:00:00.000Z", "p75": 0, "p90": 0, "p95": 0, "p99": 0}
    days = series(demo, More.REQUEST_OVER_TIME, WEEK, dbIncrement="day")
    assert [r["time"][:10] for r in days] == [f"2026-11-{d}" for d in range(13, 21)]


def test_the_chart_and_the_card_disagree_on_ttft_by_design(demo: Client) -> None:
    # the card keeps streamed requests only; the chart averages the zeros of the others in
    card = total(demo, More.AVERAGE_TTFT, DAY)
    chart = [r["ttft"] for r in series(demo, More.TTFT_OVER_TIME, DAY) if r["ttft"]]
    assert max(chart) < card


def test_time_zone_buckets_are_local_days(demo: Client) -> None:
    rows = series(demo, More.REQUEST_OVER_TIME, DAY, dbIncrement="day", timeZoneDifference=300)
    assert [r["time"] for r in rows] == ["2026-11-14T05:00:00.000Z", "2026-11-15T05:00:00.000Z"]
    assert sum(r["count"] for r in rows) == total(demo, More.TOTAL_REQUESTS, DAY)


def test_quantiles_are_monotone_and_match_hand_sql(demo: Client, hand: Hand) -> None:
    for metric, column in (("latency", "latency"), ("total_tokens",
                                                    "completion_tokens + prompt_tokens")):
        rows = series(demo, More.QUANTILES, DAY, metric=metric)
        assert len(rows) == 25
        exact = hourly(hand, f"[quantileExactInclusive(0.75)({column}), "
                             f"quantileExactInclusive(0.9)({column}), "
                             f"quantileExactInclusive(0.95)({column}), "
                             f"quantileExactInclusive(0.99)({column})]", DAY)
        for r in rows:
            assert r["p75"] <= r["p90"] <= r["p95"] <= r["p99"]
            # fewer than 8192 values an hour: ClickHouse's quantile() is exact (interpolated)
            want = exact.get(r["time"], [0, 0, 0, 0])
            got = [r["p75"], r["p90"], r["p95"], r["p99"]]
            assert got == pytest.approx(want, rel=1e-9), r["time"]


def test_quantiles_are_the_same_every_time(demo: Client) -> None:
    body = {"filter": "all", "timeFilter": WEEK, "timeZoneDifference": 0, "metric": "latency",
            "dbIncrement": "day"}
    first = call(demo, More.QUANTILES, body).content
    assert all(call(demo, More.QUANTILES, body).content == first for _ in range(3))


# --------------------------------------------------------------------------- models, country


def test_models_sum_to_total_requests_and_match_hand_sql(demo: Client, hand: Hand) -> None:
    rows = data(demo, More.MODELS, {"filter": "all", "timeFilter": WEEK, "offset": 0,
                                    "limit": 100})
    assert sum(r["total_requests"] for r in rows) == total(demo, More.TOTAL_REQUESTS, WEEK)
    counts = [r["total_requests"] for r in rows]
    assert counts == sorted(counts, reverse=True)
    expected = {r[0]: r[1:] for r in hand.rows(
        f"SELECT model, count(), sum(completion_tokens), sum(prompt_tokens), sum(cost) / 1e9 "
        f"FROM {RMT} WHERE {window_sql(WEEK['start'], WEEK['end'])} GROUP BY model")}
    for r in rows:
        n, ct, pt, cost = expected[r["model"]]
        assert (r["total_requests"], r["total_completion_tokens"], r["total_prompt_token"],
                r["total_tokens"]) == (n, ct, pt, ct + pt)
        assert r["cost"] == pytest.approx(cost, rel=1e-12)


@pytest.mark.parametrize(("limit", "offset", "expected"), [
    (0, 0, 1), (1.9, 0, 1), (3, 0, 3), (1e9, 0, 8), (100, 6.7, 2), (100, -3, 8),
])
def test_models_limit_and_offset_are_floored_and_clamped(
        demo: Client, limit: float, offset: float, expected: int) -> None:
    rows = data(demo, More.MODELS, {"filter": "all", "timeFilter": WEEK, "offset": offset,
                                    "limit": limit})
    assert len(rows) == expected


def test_country_has_the_empty_country_and_sums_to_total(demo: Client, hand: Hand) -> None:
    rows = data(demo, More.COUNTRY, {"filter": "all", "timeFilter": WEEK, "offset": 0,
                                     "limit": 100})
    got = {r["country"]: r["total_requests"] for r in rows}
    assert "" in got and got[""] > 0
    assert sum(got.values()) == total(demo, More.TOTAL_REQUESTS, WEEK)
    assert got == {r[0]: r[1] for r in hand.rows(
        f"SELECT country_code, count() FROM {RMT} WHERE "
        f"{window_sql(WEEK['start'], WEEK['end'])} GROUP BY country_code")}


# --------------------------------------------------------------------------- errors


OVER_TIME = {"filter": "all", "timeFilter": DAY, "timeZoneDifference": 0}


@pytest.mark.parametrize(("name", "body", "message"), [
    (More.REQUEST_OVER_TIME, {**OVER_TIME, "timeFilter": {"start": DAY["end"],
                                                          "end": DAY["start"]}},
     "Invalid time filter"),
    (More.ERROR_OVER_TIME, {**OVER_TIME, "timeFilter": {"start": "soon", "end": "later"}},
     "Invalid time filter"),
    (More.LATENCY_OVER_TIME, {**OVER_TIME, "timeZoneDifference": 2000},
     "Invalid time zone difference"),
    # the metric is checked before the window
    (More.QUANTILES, {**OVER_TIME, "timeFilter": {"start": "x", "end": "y"}, "metric": "cost"},
     "Invalid metric"),
    (More.TOTAL_REQUESTS, {"filter": "all", "timeFilter": {"start": "x", "end": "y"}},
     "Invalid time value"),
    (More.MODELS, {"filter": "all", "timeFilter": {"start": "x", "end": DAY["end"]},
                   "offset": 0, "limit": 5}, "Invalid time value"),
])
def test_manager_errors_are_500_with_the_message(
        demo: Client, name: More, body: dict[str, Any], message: str) -> None:
    response = call(demo, name, body)
    assert response.status_code == 500
    assert response.json() == {"data": None, "error": message}


@pytest.mark.parametrize(("name", "body", "field"), [
    (More.REQUEST_OVER_TIME, {"filter": "all", "timeFilter": DAY}, "timeZoneDifference"),
    (More.REQUEST_OVER_TIME, {**OVER_TIME, "timeZoneDifference": True}, "timeZoneDifference"),
    (More.REQUEST_OVER_TIME, {**OVER_TIME, "dbIncrement": "fortnight"}, "dbIncrement"),
    (More.TOTAL_COST, {"filter": "all"}, "timeFilter"),
    (More.MODELS, {"filter": "all", "timeFilter": DAY, "offset": 0}, "limit"),
    (More.REQUEST_COUNT, {"filter": "all", "isCached": "sometimes"}, "isCached"),
    (More.TOTAL_REQUESTS, {"filter": "all", "timeFilter": DAY, "userFilter": "all"}, ""),
])
def test_invalid_bodies_are_422_in_tsoas_shape(
        demo: Client, name: More, body: dict[str, Any], field: str) -> None:
    response = call(demo, name, body)
    assert response.status_code == 422
    payload = response.json()
    assert payload["message"] == "Validation Failed"
    assert any(field in key for key in payload["details"]), payload


def test_auth_malformed_json_and_builder_throws(demo: Client) -> None:
    path = "/v1/metrics/totalRequests"
    body = {"filter": "all", "timeFilter": DAY}
    response = demo.post(path, body, headers={})
    assert response.status_code == 401
    assert response.json() == {"error": "No authorization header",
                               "trace": "isAuthenticated.error"}
    response = demo.http.post(path, content=b"{nope", headers={
        "Authorization": "Bearer k", "Content-Type": "application/json"})
    assert response.status_code == 500 and response.json()["message"] == "Internal Server Error"
    response = demo.post(path, {"filter": {RMT: {}}, "timeFilter": DAY})
    assert response.status_code == 500 and response.json()["message"] == "Internal Server Error"
    assert "engine;dur=" in response.headers["server-timing"]


# --------------------------------------------------------------------------- the incidents

BURST = ("2026-11-15T10", "2026-11-15T11", "2026-11-15T12")
SPIKE = ("2026-11-18T10", "2026-11-18T11", "2026-11-18T12", "2026-11-18T13")
AROUND_SPIKE = {"start": "2026-11-17T00:00:00.000Z", "end": "2026-11-19T23:00:00.000Z"}
AROUND_BURST = {"start": "2026-11-14T00:00:00.000Z", "end": "2026-11-16T23:00:00.000Z"}


def test_the_error_burst_stands_out_in_errors_and_statuses(demo: Client) -> None:
    errors = {r["time"][:13]: r["count"] for r in series(demo, More.ERROR_OVER_TIME,
                                                         AROUND_BURST)}
    calm = [v for k, v in errors.items() if k not in BURST]
    assert min(errors[h] for h in BURST) > 10 * max(calm)
    statuses = series(demo, More.REQUEST_STATUS_OVER_TIME, AROUND_BURST, MINI)
    fails = {r["time"][:13]: r["count"] for r in statuses if r["status"] == 500}
    assert min(fails[h] for h in BURST) > 10 * max(v for k, v in fails.items() if k not in BURST)


def test_the_latency_spike_stands_out_in_quantiles_and_latency(demo: Client) -> None:
    p95 = {r["time"][:13]: r["p95"] for r in series(demo, More.QUANTILES, AROUND_SPIKE,
                                                    ANTHROPIC, metric="latency")}
    calm = [v for k, v in p95.items() if k not in SPIKE and v]
    assert min(p95[h] for h in SPIKE) > 3 * max(calm)
    mean = {r["time"][:13]: r["duration"] for r in series(demo, More.LATENCY_OVER_TIME,
                                                          AROUND_SPIKE)}
    calm = [v for k, v in mean.items() if k not in SPIKE and v]
    assert min(mean[h] for h in SPIKE) > 1.5 * max(calm)


def test_models_say_which_model_fails(demo: Client) -> None:
    window = {"start": "2026-11-15T10:00:00.000Z", "end": "2026-11-15T12:59:59.000Z"}
    failing = data(demo, More.MODELS, {"filter": {RMT: {"status": {"gte": 500}}},
                                       "timeFilter": window, "offset": 0, "limit": 3})
    assert failing[0]["model"] == "gpt-4o-mini"
    assert failing[0]["total_requests"] > 10 * failing[1]["total_requests"]


def _nested(depth: int) -> str:
    """A filter `depth` branches deep, as JSON text (too deep for json.dumps beyond ~1000)."""
    leaf = json.dumps({RMT: {"status": {"equals": 200}}})
    return '{"left":' * depth + leaf + ',"operator":"and","right":"all"}' * depth


@pytest.mark.parametrize(("depth", "status"), [(100, 200), (200, 500), (5000, 500)])
def test_deeply_nested_filters_answer_in_json(demo: Client, depth: int, status: int) -> None:
    text = '{"filter":' + _nested(depth) + ',"timeFilter":' + json.dumps(DAY) + "}"
    response = demo.http.post("/v1/metrics/totalRequests", content=text.encode(), headers={
        **KEY, "Content-Type": "application/json"})
    assert response.status_code == status
    payload = response.json()  # Helicone's shapes, never a plain-text 500
    if depth == 100:  # answered, as the flat filter is
        assert payload["data"] == total(demo, More.TOTAL_REQUESTS, DAY,
                                        {RMT: {"status": {"equals": 200}}})
    elif depth == 200:  # ClickHouse's own parser limit (max_parser_depth), as for Helicone
        assert "Maximum parse depth" in payload["error"]
    else:
        assert payload["message"] == "Internal Server Error"
