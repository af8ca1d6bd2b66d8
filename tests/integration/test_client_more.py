"""Every typed client method of SEMANTICS-MORE's endpoints against the real demo server on
127.0.0.1, with real values: the metrics of one hour (the error burst's) are recomputed here
from the requests query-clickhouse lists for the same hour, so each endpoint is checked against
rows another endpoint returned, not against itself.
"""

from __future__ import annotations

import asyncio
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

pytest.importorskip("chdb", reason="the demo server needs the demo extra (chdb)")

from tui.api.client import HeliconeClient, NotFound
from tui.api.models import TimeFilter, TimeFilterMs
from tui.api.wire_metrics import (
    MetricsFilterBody,
    MetricsOverTimeBody,
    ModelMetricsBody,
    QuantilesBody,
    RequestCountBody,
)
from tui.api.wire_properties import PropertySearch, TimeFilterRequest
from tui.api.wire_requests import HeliconeRequest, RequestQueryParams, SortLeafRequest
from tui.api.wire_users import SessionNameQuery, UserMetricsQuery, UserTimeFilter
from tui.demo.process import DemoServer

pytestmark = pytest.mark.demo

NOW = "2026-11-20T12:00:00Z"
KEY = "sk-helicone-demo-client-test"
RMT = "request_response_rmt"
# The error burst's hour: whole seconds, so every endpoint's ends mean the same instants.
START, END = "2026-11-15T10:00:00.000Z", "2026-11-15T11:00:00.000Z"
WINDOW = TimeFilter(start=START, end=END)
HOURS = [START, END]
IN_WINDOW = {"left": {RMT: {"request_created_at": {"gte": START}}}, "operator": "and",
             "right": {RMT: {"request_created_at": {"lte": END}}}}


def _ms(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


class Hour:
    """The hour's requests as query-clickhouse lists them, and what follows from them."""

    def __init__(self, rows: list[HeliconeRequest]) -> None:
        self.rows = rows
        lo, hi = _ms(START), _ms(END)
        # C3/C4, C6, D2 take the window exclusive at both ends (SEMANTICS-MORE §2.3).
        self.inner = [r for r in rows if lo < _ms(r.request_created_at) < hi]

    def by_bucket(self) -> dict[str, list[HeliconeRequest]]:
        """Hourly: 10:00 and 11:00 (the window's ends are inclusive; 11:00 may be empty)."""
        buckets: dict[str, list[HeliconeRequest]] = {HOURS[0]: [], HOURS[1]: []}
        for row in self.rows:
            buckets[row.request_created_at[:13] + ":00:00.000Z"].append(row)
        return buckets


@pytest.fixture(scope="module")
def demo() -> Iterator[str]:
    server = DemoServer(seed=1, now=NOW, timeout=120).start()
    try:
        yield server.url
    finally:
        server.stop()


async def _all_rows(url: str) -> list[HeliconeRequest]:
    rows: list[HeliconeRequest] = []
    async with HeliconeClient(url, KEY) as client:
        while True:  # by offset until an empty page (pages may be short, §4.1)
            page = await client.requests(RequestQueryParams(
                filter=IN_WINDOW, limit=1000, offset=len(rows),
                sort=SortLeafRequest(created_at="asc")))
            if not page:
                return rows
            rows += page


@pytest.fixture(scope="module")
def hour(demo: str) -> Hour:
    rows = asyncio.run(_all_rows(demo))
    assert len({r.request_id for r in rows}) == len(rows) > 500
    return Hour(rows)


@pytest.fixture
async def client(demo: str) -> Any:
    async with HeliconeClient(demo, KEY) as c:
        yield c


def over_time() -> MetricsOverTimeBody:
    return MetricsOverTimeBody(time_filter=WINDOW, filter="all", time_zone_difference=0,
                               db_increment="hour")


# --------------------------------------------------------------------------- totals


async def test_the_totals_are_those_of_the_listed_requests(client: Any, hour: Hour) -> None:
    body = MetricsFilterBody(filter="all", time_filter=WINDOW)
    rows = hour.rows
    total, cost, latency, ttft, users = await asyncio.gather(
        client.total_requests(body), client.total_cost(body), client.average_latency(body),
        client.average_ttft(body), client.active_users(body))
    assert total == len(rows)
    assert cost == pytest.approx(sum(r.cost or 0 for r in rows), rel=1e-9)
    # sum / count(*): a request without a latency counts as 0
    assert latency == pytest.approx(sum(r.delay_ms or 0 for r in rows) / len(rows), rel=1e-9)
    firsts = [r.time_to_first_token for r in rows if (r.time_to_first_token or 0) > 0]
    assert ttft == pytest.approx(statistics.fmean(firsts), rel=1e-9)
    assert users == len({r.request_user_id for r in rows})  # "" counts as a user


async def test_request_count_takes_the_window_from_the_filter(client: Any, hour: Hour) -> None:
    assert await client.request_count(RequestCountBody(filter=IN_WINDOW)) == len(hour.rows)
    burst = {"left": IN_WINDOW, "operator": "and", "right": {RMT: {"status": {"gte": 500}}}}
    failed = [r for r in hour.rows if r.response_status >= 500]
    assert len(failed) > 50  # the error burst
    assert await client.request_count(RequestCountBody(filter=burst)) == len(failed)


# --------------------------------------------------------------------------- over time


async def test_the_series_add_up_to_the_listed_requests(client: Any, hour: Hour) -> None:
    body = over_time()
    requests, statuses, errors, costs, tokens, users = await asyncio.gather(
        client.request_over_time(body), client.request_status_over_time(body),
        client.error_over_time(body), client.cost_over_time(body),
        client.tokens_over_time(body), client.users_over_time(body))
    buckets = hour.by_bucket()
    assert [r.time for r in requests] == HOURS  # filled: one row a bucket
    assert {r.time: r.count for r in requests} == {t: len(b) for t, b in buckets.items()}
    assert all(r.status is None for r in requests)
    assert sum(r.count for r in requests) == len(hour.rows)

    seen = Counter({(r.time, r.status): r.count for r in statuses if r.count})
    assert seen == Counter((t, row.response_status) for t, b in buckets.items() for row in b)
    assert {r.time: r.count for r in errors} == {
        t: sum(row.response_status != 200 for row in b) for t, b in buckets.items()}
    assert sum(r.count for r in errors) > 50
    for row in costs:
        assert row.cost == pytest.approx(sum(r.cost or 0 for r in buckets[row.time]), rel=1e-9)
    for row in tokens:
        assert row.prompt_tokens == sum(r.prompt_tokens or 0 for r in buckets[row.time])
        assert row.completion_tokens == sum(r.completion_tokens or 0 for r in buckets[row.time])
    assert {r.time: r.count for r in users} == {
        t: len({row.request_user_id for row in b}) for t, b in buckets.items()}


async def test_latency_ttft_and_quantiles_per_bucket(client: Any, hour: Hour) -> None:
    body = over_time()
    latency, ttft = await asyncio.gather(client.latency_over_time(body),
                                         client.ttft_over_time(body))
    quantiles = await client.quantiles(QuantilesBody(
        filter="all", time_filter=WINDOW, time_zone_difference=0, metric="latency",
        db_increment="hour"))
    buckets = hour.by_bucket()
    for row in latency:  # NULLs and -batch models left out (unlike averageLatency)
        kept = [r.delay_ms for r in buckets[row.time]
                if r.delay_ms is not None and "-batch" not in r.model]
        assert row.duration == pytest.approx(statistics.fmean(kept) if kept else 0, rel=1e-9)
    for row in ttft:  # zeros count here (unlike averageTimeToFirstToken)
        kept = [r.time_to_first_token for r in buckets[row.time]
                if r.time_to_first_token is not None]
        assert row.ttft == pytest.approx(statistics.fmean(kept) if kept else 0, rel=1e-9)
    assert [q.time for q in quantiles] == HOURS
    for q in quantiles:
        if not buckets[q.time]:
            assert (q.p75, q.p99) == (0, 0)  # a fill row
            continue
        values = sorted(r.delay_ms for r in buckets[q.time] if r.delay_ms is not None)
        assert values[0] <= q.p75 <= q.p90 <= q.p95 <= q.p99 <= values[-1]
        # each within a step of the order statistic it names
        for share, got in ((0.75, q.p75), (0.99, q.p99)):
            i = share * (len(values) - 1)
            assert values[int(i) - 1] <= got <= values[min(len(values) - 1, int(i) + 2)]


# --------------------------------------------------------------------------- by model, country


async def test_models_and_countries_count_the_listed_requests(client: Any, hour: Hour) -> None:
    body = ModelMetricsBody(filter="all", offset=0, limit=100, time_filter=WINDOW)
    models, countries = await asyncio.gather(client.models(body), client.country(body))
    assert {m.model: m.total_requests for m in models} == Counter(r.model for r in hour.rows)
    assert sum(m.total_requests for m in models) == len(hour.rows)
    for m in models:
        mine = [r for r in hour.rows if r.model == m.model]
        assert m.cost == pytest.approx(sum(r.cost or 0 for r in mine), rel=1e-9)
        assert m.total_prompt_token == sum(r.prompt_tokens or 0 for r in mine)
    assert {c.country: c.total_requests for c in countries} == Counter(
        r.country_code or "" for r in hour.rows)


# --------------------------------------------------------------------------- requests


async def test_get_returns_each_listed_request(client: Any, hour: Hour) -> None:
    picked = [hour.rows[0], hour.rows[len(hour.rows) // 2], hour.rows[-1]]
    picked += [r for r in hour.rows if r.response_status >= 500][:1]
    got = await asyncio.gather(*(client.request(r.request_id) for r in picked))
    for listed, one in zip(picked, got, strict=True):
        assert one.request_id == listed.request_id
        assert one.response_status == listed.response_status
        assert one.request_body == listed.request_body  # inline, parsed
        assert one.response_body == listed.response_body
        assert one.body_inline
    with_body = await client.request(picked[-1].request_id, include_body=True)
    assert with_body.response_body == picked[-1].response_body


@pytest.mark.parametrize("include_body", [None, True])
@pytest.mark.parametrize("request_id", ["00000000-0000-4000-8000-000000000000", "not-a-uuid"])
async def test_an_unknown_id_is_not_found(client: Any, request_id: str,
                                          include_body: bool | None) -> None:
    with pytest.raises(NotFound) as info:
        await client.request(request_id, include_body=include_body)
    assert "no such request" in info.value.message and info.value.exit_code == 3


async def test_a_sorted_page_is_the_listed_requests_in_that_order(client: Any,
                                                                  hour: Hour) -> None:
    page = await client.requests(RequestQueryParams(
        filter=IN_WINDOW, limit=25, sort=SortLeafRequest(latency="desc")))
    slowest = sorted(hour.rows, key=lambda r: (-(r.delay_ms or -1), r.request_created_at))
    assert [r.delay_ms for r in page] == [r.delay_ms for r in slowest[:25]]


# --------------------------------------------------------------------------- properties


async def test_property_keys_values_and_tops(client: Any, hour: Hour) -> None:
    keys = {p.property for p in await client.properties()}
    assert {"customer", "environment", "Helicone-Session-Id"} <= keys
    values = await client.property_search("customer", PropertySearch(search_term="GLOB"))
    assert values == ["globex"]  # case-insensitive substring
    body = TimeFilterRequest(time_filter=WINDOW)
    top, costs = await asyncio.gather(client.top_requests("customer", body),
                                      client.top_costs("customer", body))
    expected = Counter(r.properties.get("customer", "") for r in hour.inner)
    assert {t.value: t.count for t in top if t.value != "Other"} == dict(
        expected.most_common(10))
    assert sum(t.count for t in top) == len(hour.inner)  # "" and "Other" included
    assert top[0].value == "globex"  # the burst's customer
    spent: dict[str, float] = defaultdict(float)
    for r in hour.inner:
        spent[r.properties.get("customer", "")] += r.cost or 0
    for t in costs:
        if t.value != "Other":
            assert t.cost == pytest.approx(spent[t.value], rel=1e-9)


# --------------------------------------------------------------------------- users, sessions


async def test_user_metrics_are_the_listed_users(client: Any, hour: Hour) -> None:
    seconds = UserTimeFilter(start_time_unix_seconds=_ms(START) // 1000,
                             end_time_unix_seconds=_ms(END) // 1000)
    answer = await client.user_metrics(UserMetricsQuery(
        filter="all", offset=0, limit=1000, time_filter=seconds, time_zone_difference_minutes=0))
    per_user = Counter(r.request_user_id for r in hour.inner)
    assert answer.count == len(per_user) and answer.has_users
    assert {u.user_id: u.total_requests for u in answer.users} == dict(per_user)


async def test_session_names_are_the_listed_sessions(client: Any, hour: Hour) -> None:
    window = TimeFilterMs(start_time_unix_ms=_ms(START), end_time_unix_ms=_ms(END))
    names = await client.session_names(SessionNameQuery(
        name_contains="", timezone_difference=0, time_filter=window))
    sessions: dict[str, set[str]] = defaultdict(set)
    for r in hour.inner:
        if "Helicone-Session-Id" in r.properties:
            sessions[r.properties.get("Helicone-Session-Name", "")].add(
                r.properties["Helicone-Session-Id"])
    assert {n.name: n.session_count for n in names} == {k: len(v) for k, v in sessions.items()}
    some = next(iter(sessions))
    narrowed = await client.session_names(SessionNameQuery(
        name_contains=some[1:4].upper(), timezone_difference=0, time_filter=window))
    assert some in {n.name for n in narrowed}


# --------------------------------------------------------------------------- typed errors


async def test_helicones_error_statuses_are_typed_errors(client: Any) -> None:
    from tui.api.client import QueryFailed, ServerFailed

    with pytest.raises(QueryFailed) as info:  # user metrics answer errors with 400
        await client.user_metrics(UserMetricsQuery(filter="all", offset=0, limit=1001))
    assert info.value.status == 400
    assert "Limit cannot be greater than 1000" in info.value.message
    with pytest.raises(ServerFailed, match="Invalid metric"):  # the metrics family: 500
        await client.quantiles(QuantilesBody(filter="all", time_filter=WINDOW,
                                             time_zone_difference=0, metric="cost"))
