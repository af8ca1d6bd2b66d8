"""Property, user-metrics and session-name endpoints on the default demo data over HTTP: answers
against hand-written SQL, Helicone's quirks (the "" group, "Other", errors as HTTP 200 / 400 /
500 by endpoint) and "for whom" the error burst happened.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from demo_helpers import Client
from more_helpers import RMT, Hand, call, data, hand_data, window_sql

from tui.api.wire_endpoints import More

pytestmark = pytest.mark.demo

WEEK = {"start": "2026-11-13T00:00:00.000Z", "end": "2026-11-20T00:00:00.000Z"}
BURST = {"start": "2026-11-15T10:00:00.000Z", "end": "2026-11-15T13:00:00.000Z"}
SECONDS = {"startTimeUnixSeconds": 1794528000, "endTimeUnixSeconds": 1795132800}  # = WEEK


@pytest.fixture(scope="module")
def hand() -> Hand:
    return hand_data()


def top(client: Client, key: str, window: dict[str, str], cost: bool = False) -> Any:
    name = More.TOP_COSTS if cost else More.TOP_REQUESTS
    return data(client, name, {"timeFilter": window}, propertyKey=key)


# --------------------------------------------------------------------------- properties


def test_property_keys_are_every_key_seen(demo: Client, hand: Hand) -> None:
    keys = [r["property"] for r in data(demo, More.PROPERTIES, {})]
    assert keys == [r[0] for r in hand.rows(
        f"SELECT DISTINCT arrayJoin(mapKeys(properties)) AS k FROM {RMT} ORDER BY k")]
    assert {"customer", "environment", "Helicone-Session-Id"} <= set(keys)


def test_search_is_a_case_insensitive_substring_of_at_most_25(demo: Client) -> None:
    assert data(demo, More.PROPERTY_SEARCH, {"searchTerm": "GLOB"},
                propertyKey="customer") == ["globex"]
    assert data(demo, More.PROPERTY_SEARCH, {"searchTerm": "-"}, propertyKey="customer") == [
        "acme-corp", "stark-industries", "wayne-enterprises"]
    assert len(data(demo, More.PROPERTY_SEARCH, {"searchTerm": ""},
                    propertyKey="Helicone-Session-Id")) == 25
    assert data(demo, More.PROPERTY_SEARCH, {"searchTerm": "x"}, propertyKey="no-such") == []


def test_top_requests_are_ranked_by_count_with_the_empty_group(demo: Client,
                                                                hand: Hand) -> None:
    rows = top(demo, "customer", WEEK)
    counts = [r["count"] for r in rows]
    assert counts == sorted(counts, reverse=True)
    expected = {r[0]: r[1] for r in hand.rows(
        f"SELECT properties['customer'], count() FROM {RMT} WHERE "
        f"{window_sql(WEEK['start'], WEEK['end'], '>', '<')} GROUP BY 1")}
    # "" = the requests without the key, competing with the real values
    assert "" in expected and {r["value"]: r["count"] for r in rows} == expected
    assert "Other" not in [r["value"] for r in rows]  # 8 values: nothing beyond the top 10


def test_other_is_the_rest_beyond_the_top_ten(demo: Client, hand: Hand) -> None:
    rows = top(demo, "Helicone-Session-Id", WEEK)
    assert len(rows) == 11 and rows[0]["value"] == "" and rows[-1]["value"] == "Other"
    everything = hand.one(f"SELECT count() FROM {RMT} WHERE "
                          f"{window_sql(WEEK['start'], WEEK['end'], '>', '<')}")
    assert rows[-1]["count"] == everything - sum(r["count"] for r in rows[:-1]) > 0


def test_top_costs_are_ranked_by_cost(demo: Client, hand: Hand) -> None:
    rows = top(demo, "customer-tier", WEEK, cost=True)
    costs = [r["cost"] for r in rows]
    assert costs == sorted(costs, reverse=True)
    expected = {r[0]: r[1] for r in hand.rows(
        f"SELECT properties['customer-tier'], sum(cost) / 1e9 FROM {RMT} WHERE "
        f"{window_sql(WEEK['start'], WEEK['end'], '>', '<')} GROUP BY 1")}
    assert {r["value"]: r["cost"] for r in rows} == pytest.approx(expected, rel=1e-12)


def test_property_errors_are_http_200(demo: Client) -> None:
    response = call(demo, More.TOP_REQUESTS, {"timeFilter": {"start": "x", "end": "y"}},
                    propertyKey="customer")
    assert response.status_code == 200
    assert response.json() == {"data": None, "error": "Invalid time value"}
    assert call(demo, More.PROPERTIES, {"unexpected": 1}).status_code == 422
    assert call(demo, More.PROPERTY_SEARCH, {}, propertyKey="customer").status_code == 422


def test_top_requests_say_for_whom_the_burst_was(demo: Client) -> None:
    # over the week acme-corp sends the most; during the burst globex's retries top the list
    assert top(demo, "customer", WEEK)[0]["value"] == "acme-corp"
    rows = top(demo, "customer", BURST)
    assert rows[0]["value"] == "globex" and rows[0]["count"] > 2 * rows[1]["count"]


# --------------------------------------------------------------------------- users


def users(client: Client, **body: Any) -> dict[str, Any]:
    return data(client, More.USERS, {"filter": "all", "offset": 0, "limit": 10, **body})


def test_users_page_matches_hand_sql(demo: Client, hand: Hand) -> None:
    answer = users(demo, timeFilter=SECONDS, sort={"total_requests": "desc"}, limit=5)
    where = window_sql(WEEK["start"], WEEK["end"], ">", "<")
    expected = hand.rows(
        f"SELECT user_id, count(), sum(prompt_tokens), sum(cost) / 1e9, "
        f"count(DISTINCT toDate(request_created_at)) FROM {RMT} WHERE {where} "
        "GROUP BY user_id ORDER BY count() DESC, user_id LIMIT 5")
    got = [(u["user_id"], u["total_requests"], u["total_prompt_tokens"], u["cost"],
            u["active_for"]) for u in answer["users"]]
    assert got == [(*e[:3], pytest.approx(e[3], rel=1e-12), e[4]) for e in expected]
    assert answer["users"][0]["user_id"] == ""  # the requests without a user are a row
    assert answer["count"] == hand.one(f"SELECT count(DISTINCT user_id) FROM {RMT} "
                                       f"WHERE {where}")
    assert answer["hasUsers"] is True
    first = answer["users"][0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z", first["first_active"])
    assert first["average_requests_per_day_active"] == pytest.approx(
        first["total_requests"] / first["active_for"])


def test_users_time_shift_is_minus_abs_tz(demo: Client) -> None:
    base = users(demo, sort={"user_id": "asc"}, limit=1)["users"][0]
    for tz in (60, -60):  # both signs shift the same way (SEMANTICS-MORE §6.1)
        shifted = users(demo, sort={"user_id": "asc"}, limit=1,
                        timeZoneDifferenceMinutes=tz)["users"][0]
        assert shifted["last_active"][11:13] == f"{int(base['last_active'][11:13]) - 1:02d}"


def test_users_errors_are_400(demo: Client) -> None:
    for body, message in (({"limit": 1001}, "Limit cannot be greater than 1000"),
                          ({"limit": 2.5}, "LIMIT")):
        response = call(demo, More.USERS, {"filter": "all", "offset": 0, **body})
        assert response.status_code == 400
        assert message in response.json()["error"] and response.json()["data"] is None
    assert call(demo, More.USERS, {"filter": "all", "offset": 0}).status_code == 422
    # sort {} orders by a constant, but is accepted
    assert len(users(demo, sort={}, limit=3)["users"]) == 3


def test_users_of_the_burst(demo: Client) -> None:
    failing = users(demo, filter={RMT: {"status": {"gte": 500}}}, sort={"total_requests": "desc"},
                    timeFilter={"startTimeUnixSeconds": 1794736800,
                                "endTimeUnixSeconds": 1794747600})  # = BURST
    top_five = [u["user_id"] for u in failing["users"][:5]]
    assert len(top_five) == 5
    assert all(re.fullmatch(r"user-30[0-2]\d", u) for u in top_five), top_five


# --------------------------------------------------------------------------- session names


def names(client: Client, **body: Any) -> list[dict[str, Any]]:
    return data(client, More.SESSION_NAMES, {"nameContains": "", "timezoneDifference": 0,
                                             **body})


def test_session_names_match_hand_sql(demo: Client, hand: Hand) -> None:
    rows = names(demo)
    expected = hand.rows(
        f"SELECT properties['Helicone-Session-Name'] AS n, "
        f"count(DISTINCT properties['Helicone-Session-Id']) FROM {RMT} "
        "WHERE has(properties, 'Helicone-Session-Id') GROUP BY n ORDER BY n")
    assert [(r["name"], r["session_count"]) for r in rows] == [tuple(e) for e in expected]
    for r in rows:
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}", r["created_at"])
        assert r["first_used"] == r["created_at"] <= r["last_used"] and r["avg_latency"] > 0


def test_session_names_contain_is_case_insensitive_and_tz_is_checked(demo: Client) -> None:
    assert [r["name"] for r in names(demo, nameContains="CHAT")] == ["Support Chat"]
    response = call(demo, More.SESSION_NAMES, {"nameContains": "", "timezoneDifference": 2000})
    assert response.status_code == 500
    assert response.json() == {"data": None, "error": "Invalid timezone difference"}
    plain = names(demo, nameContains="Chat")[0]
    shifted = names(demo, nameContains="Chat", timezoneDifference=-120)[0]
    assert shifted["last_used"][11:13] == f"{int(plain['last_used'][11:13]) - 2:02d}"


def test_session_names_window_and_filter(demo: Client, hand: Hand) -> None:
    window = {"startTimeUnixMs": 1794528000000, "endTimeUnixMs": 1795132800000}
    rows = names(demo, timeFilter=window,
                 filter={RMT: {"model": {"equals": "gpt-4o"}}})
    expected = hand.rows(
        f"SELECT properties['Helicone-Session-Name'] AS n, "
        f"count(DISTINCT properties['Helicone-Session-Id']) FROM {RMT} "
        f"WHERE has(properties, 'Helicone-Session-Id') AND model = 'gpt-4o' AND "
        f"{window_sql(WEEK['start'], WEEK['end'], '>', '<')} GROUP BY n ORDER BY n")
    assert [(r["name"], r["session_count"]) for r in rows] == [tuple(e) for e in expected]


@pytest.mark.parametrize(("name", "body", "params"), [
    (More.TOP_REQUESTS, {}, {"propertyKey": "customer"}),
    (More.TOP_COSTS, {"timeFilter": {"start": "2026-11-13"}}, {"propertyKey": "customer"}),
    (More.PROPERTY_SEARCH, {"searchTerm": 3}, {"propertyKey": "customer"}),
    (More.USERS, {"filter": "all", "offset": 0, "limit": 10, "sort": {"email": "asc"}}, {}),
    (More.USERS, {"filter": "all", "offset": "0", "limit": True}, {}),
    (More.SESSION_NAMES, {"nameContains": 1, "timezoneDifference": 0}, {}),
    (More.SESSION_NAMES, {"timezoneDifference": 0}, {}),
    (More.SESSION_NAMES, {"nameContains": "", "timezoneDifference": 0, "pSize": "p42"}, {}),
])
def test_invalid_bodies_are_422_in_tsoas_shape(
        demo: Client, name: More, body: dict[str, Any], params: dict[str, str]) -> None:
    response = call(demo, name, body, **params)
    assert response.status_code == 422
    payload = response.json()
    assert payload["message"] == "Validation Failed" and payload["details"]
    assert all(key.startswith("requestBody") for key in payload["details"])
