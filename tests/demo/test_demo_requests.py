"""query-clickhouse and GET /v1/request/{id} on the default demo data over HTTP: pages against
hand-written SQL, sorts, Helicone's 201 and its swallowed errors, the missing `data` key of an
unknown id, bodies served inline, and the failed requests of the error burst with their bodies.
"""

from __future__ import annotations

from typing import Any

import pytest
from demo_helpers import KEY, Client
from more_helpers import RMT, Hand, call, data, hand_data

from tui.api.wire_endpoints import More
from tui.api.wire_requests import RequestsResponse

pytestmark = pytest.mark.demo

BURST_FROM = "2026-11-15T10:00:00.000Z"
FOUR = {"left": {RMT: {"model": {"equals": "gpt-4o-mini"}}}, "operator": "and", "right": {
    "left": {RMT: {"status": {"gte": 500}}}, "operator": "and", "right": {
        "left": {RMT: {"request_created_at": {"gte": BURST_FROM}}}, "operator": "and",
        "right": {RMT: {"properties": {"customer": {"equals": "globex"}}}}}}}
FOUR_SQL = ("model = 'gpt-4o-mini' AND status >= 500 AND request_created_at >= "
            "toDateTime('2026-11-15 10:00:00', 'UTC') AND properties['customer'] = 'globex'")


@pytest.fixture(scope="module")
def hand() -> Hand:
    return hand_data()


def page(client: Client, **body: Any) -> list[dict[str, Any]]:
    return data(client, More.REQUESTS, {"filter": "all", **body})


def test_a_four_condition_page_is_the_hand_sql_page_with_bodies(demo: Client,
                                                                 hand: Hand) -> None:
    rows = page(demo, filter=FOUR, limit=50)
    expected = hand.rows(f"SELECT toString(request_id) FROM {RMT} WHERE {FOUR_SQL} "
                         "ORDER BY request_created_at DESC, request_id LIMIT 50")
    assert [r["request_id"] for r in rows] == [e[0] for e in expected]
    assert len(rows) == 50
    for row in rows:
        assert row["response_status"] in (429, 500)
        assert row["request_properties"]["customer"] == "globex"
        # bodies are inline, parsed, with no signed URL to fetch
        assert row["request_body"]["messages"][0]["role"] == "user"
        assert "error" in row["response_body"] and "signed_body_url" not in row
        assert row["storage_location"] == "clickhouse" and row["model"] == row["request_model"]
        assert row["feedback_created_at"] is None and "size_bytes" not in row
    # and the models read it
    assert RequestsResponse.model_validate({"data": rows, "error": None}).data


def test_sorts_follow_helicones_keys(demo: Client, hand: Hand) -> None:
    rows = page(demo, filter=FOUR, limit=20, sort={"latency": "asc"})
    expected = hand.rows(f"SELECT toString(request_id) FROM {RMT} WHERE {FOUR_SQL} "
                         "ORDER BY latency ASC NULLS LAST, request_created_at DESC, request_id "
                         "LIMIT 20")
    assert [r["request_id"] for r in rows] == [e[0] for e in expected]
    assert all("size_bytes" in r for r in rows)  # the single-query path selects it
    oldest = page(demo, filter=FOUR, limit=5, sort={"created_at": "asc"})
    times = [r["request_created_at"] for r in oldest]
    assert times == sorted(times) and times[0] >= BURST_FROM
    by_customer = page(demo, limit=5, sort={"properties": {"customer": "desc"}})
    assert [r["properties"]["customer"] for r in by_customer] == ["wayne-enterprises"] * 5


def test_is_scored_false_keeps_only_unscored_requests(demo: Client) -> None:
    unscored = page(demo, limit=100, isScored=False)
    assert len(unscored) == 100 and all(r["scores"] == {} for r in unscored)
    scored = page(demo, limit=100, isScored=True)
    assert len(scored) == 100 and all(r["scores"] for r in scored)
    # ignored by Helicone on this endpoint
    assert page(demo, limit=7, isCached=True, includeInputs=True,
                isPartOfExperiment=True) == page(demo, limit=7)


def test_the_default_page_is_ten_newest(demo: Client) -> None:
    rows = page(demo)
    assert len(rows) == 10
    times = [r["request_created_at"] for r in rows]
    assert times == sorted(times, reverse=True) and times[0] < "2026-11-20T12:05"


@pytest.mark.parametrize("body", [
    {"limit": 2.5},  # a fractional LIMIT: ClickHouse refuses it, Helicone answers []
    {"limit": 5, "sort": {"is_cached": "asc"}},  # a column the migrations never created
    {"limit": 0},
])
def test_engine_errors_are_swallowed_into_201_and_an_empty_page(
        demo: Client, body: dict[str, Any]) -> None:
    response = call(demo, More.REQUESTS, {"filter": "all", **body})
    assert response.status_code == 201
    assert response.json() == {"data": [], "error": None}


@pytest.mark.parametrize("limit", [-1, 1001])
def test_limits_out_of_range_are_500_invalid_limit(demo: Client, limit: int) -> None:
    response = call(demo, More.REQUESTS, {"filter": "all", "limit": limit})
    assert response.status_code == 500
    assert response.json() == {"data": None, "error": "invalid limit"}


@pytest.mark.parametrize(("body", "status"), [
    ({"filter": "all", "sort": {"properties": {"Helicone-Session-Id": "asc"}}}, 500),
    ({"filter": {RMT: {"properties": {}}}}, 500),  # the builder throws
    ({"filter": "all", "sort": {"created_at": "up"}}, 422),
    ({"filter": "all", "isScored": "no"}, 422),
    ({"filter": "all", "page": 2}, 422),
    ({}, 422),
])
def test_bad_bodies(demo: Client, body: dict[str, Any], status: int) -> None:
    response = call(demo, More.REQUESTS, body)
    assert response.status_code == status
    expected = "Internal Server Error" if status == 500 else "Validation Failed"
    assert response.json()["message"] == expected


# --------------------------------------------------------------------------- GET one request


def test_get_request_is_the_row_of_the_list(demo: Client) -> None:
    row = page(demo, filter=FOUR, limit=1)[0]
    found = data(demo, More.REQUEST, None, requestId=row["request_id"])
    assert found == row


@pytest.mark.parametrize("request_id", [
    "00000000-0000-4000-8000-000000000001",  # unknown
    "not-a-uuid",  # ClickHouse cannot parse it; the error is swallowed: not found either
])
def test_an_unknown_request_has_no_data_key(demo: Client, request_id: str) -> None:
    response = call(demo, More.REQUEST, None, requestId=request_id)
    assert response.status_code == 200
    assert response.json() == {"error": None}
    with_body = call(demo, More.REQUEST, {"includeBody": "true"}, requestId=request_id)
    assert with_body.json() == {"data": None, "error": None}


def test_get_request_validates_include_body_and_needs_a_key(demo: Client) -> None:
    row = page(demo, limit=1)[0]
    path = f"/v1/request/{row['request_id']}"
    assert demo.http.get(path, headers=KEY, params={"includeBody": "maybe"}).status_code == 422
    inline = demo.http.get(path, headers=KEY, params={"includeBody": "true"}).json()
    assert inline["data"]["request_body"] == row["request_body"]  # already inline: as is
    assert demo.http.get(path).status_code == 401


def test_failed_requests_of_the_burst_come_with_their_bodies(demo: Client) -> None:
    failed = page(demo, filter={"left": {RMT: {"status": {"gte": 500}}}, "operator": "and",
                                "right": {RMT: {"request_created_at": {"gte": BURST_FROM}}}},
                  limit=200, sort={"created_at": "asc"})
    assert len(failed) == 200
    in_burst = [r for r in failed if r["request_created_at"] < "2026-11-15T13"]
    assert len(in_burst) == 200  # the burst alone has more than 200 failures
    mini = [r for r in in_burst if r["model"] == "gpt-4o-mini"]
    assert len(mini) > 0.9 * len(in_burst)
    assert all(r["response_body"] == {"error": {"message": "upstream error"}} for r in failed)
