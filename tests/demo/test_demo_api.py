"""The demo server's HTTP contract: reference examples, auth, validation, errors, injection."""

from __future__ import annotations

import re
from typing import Any

import pytest
from demo_helpers import (
    DISTRIBUTIONS,
    EVALS,
    KEY,
    SCORES,
    SESSIONS,
    Client,
    assert_matches_spec,
)

pytestmark = pytest.mark.demo

WINDOW = {"start": "2026-11-18T00:00:00.000Z", "end": "2026-11-20T00:00:00.000Z"}
WINDOW_MS = {"startTimeUnixMs": 1795478400000, "endTimeUnixMs": 1795651200000}

#: Example bodies of Helicone's reference pages (shared/helicone-api/reference).
SCORES_EXAMPLE = {  # openapi "Example 1"
    "userFilter": "all", "timeFilter": {"start": "2024-01-01", "end": "2024-01-31"},
    "dbIncrement": "day", "timeZoneDifference": 0,
}
EVALS_EXAMPLE = {  # evals-query.md "Example Request"
    "filter": "all",
    "timeFilter": {"start": "2024-01-01T00:00:00Z", "end": "2024-01-31T23:59:59Z"},
    "offset": 0, "limit": 100,
}
CURL_EXAMPLE = {  # dashboard-scores-query-curl.txt, placeholders as the page has them
    "timeFilter": {"end": "<string>", "start": "<string>"},
    "userFilter": {"request_response_rmt": {
        "latency": {"not-equals": 123, "equals": 123, "gte": 123, "lte": 123, "lt": 123,
                    "gt": 123},
        "request_created_at": {"gte": "2023-11-07T05:31:56Z", "lte": "2023-11-07T05:31:56Z",
                               "lt": "2023-11-07T05:31:56Z", "gt": "2023-11-07T05:31:56Z"},
        "model": {"not-equals": "<string>", "equals": "<string>", "like": "<string>",
                  "ilike": "<string>", "contains": "<string>", "not-contains": "<string>"},
        "threat": {"equals": True},
        "properties": {}, "search_properties": {}, "scores": {},
        "request_body": {"contains": "<string>"}, "response_body": {"contains": "<string>"},
    }},
    "dbIncrement": "min", "timeZoneDifference": 123,
}


def test_reference_scores_example(demo: Client) -> None:
    data = demo.data(SCORES, SCORES_EXAMPLE)
    # January 2024 has no demo data: one filler row per day, the 1st to the 31st.
    assert len(data) == 31
    assert data[0] == {"created_at_trunc": "2024-01-01T00:00:00.000Z", "score_key": "",
                       "score_sum": 0}


def test_reference_evals_example(demo: Client) -> None:
    data = demo.data(EVALS, EVALS_EXAMPLE)
    names = [e["name"] for e in data]
    assert names == sorted(names) and "accuracy" in names and "helicone-score-feedback" in names
    assert all(e["averageScore"] is None and e["count"] == 0 for e in data)
    assert len(data[0]["overTime"]) == 31 * 24  # 01-01T00 .. 01-31T23, hourly


def test_reference_curl_example_is_an_invalid_time_filter(demo: Client) -> None:
    # The page's placeholders are not dates: Helicone answers 200 with the error.
    response = demo.post(SCORES, CURL_EXAMPLE)
    assert response.status_code == 200
    assert response.json() == {"data": None, "error": "Invalid time filter"}
    assert_matches_spec(SCORES, response.json())


@pytest.mark.parametrize(("path", "body"), [
    (SCORES, {"userFilter": "all", "timeFilter": WINDOW, "dbIncrement": "hour",
              "timeZoneDifference": 300}),
    (EVALS, {"filter": "all", "timeFilter": WINDOW, "timeZoneDifference": -60}),
    (DISTRIBUTIONS, {"filter": "all", "timeFilter": WINDOW}),
    (SESSIONS, {"nameContains": "", "timezoneDifference": 0, "timeFilter": WINDOW_MS}),
    (SESSIONS, {"nameContains": "Support Chat", "timezoneDifference": 0, "pSize": "p99.9",
                "useInterquartile": True, "timeFilter": WINDOW_MS,
                "filter": {"left": {"request_response_rmt": {"model": {"ilike": "%gpt%"}}},
                           "operator": "or",
                           "right": {"sessions_request_response_rmt": {
                               "session_tag": {"equals": "vip"}}}}}),
])
def test_answers_match_the_strict_spec(demo: Client, path: str, body: dict[str, Any]) -> None:
    data = demo.data(path, body)
    assert data  # the demo data has traffic in these two days


def test_every_answer_has_server_timing(demo: Client) -> None:
    answers = [
        demo.post(DISTRIBUTIONS, {"filter": "all", "timeFilter": WINDOW}),
        demo.post(DISTRIBUTIONS, {"filter": "all"}),  # 422
        demo.post(DISTRIBUTIONS, {"filter": "all", "timeFilter": WINDOW}, headers={}),  # 401
        demo.http.get("/healthcheck"),
        demo.http.get("/no/such/path"),
    ]
    for response in answers:
        assert re.fullmatch(r"engine;dur=\d+(\.\d+)?", response.headers["server-timing"])
    assert float(answers[0].headers["server-timing"].split("=")[1]) > 0


def test_healthcheck(demo: Client) -> None:
    response = demo.http.get("/healthcheck")
    assert response.status_code == 200


# --------------------------------------------------------------------------- auth


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": ""},
    {"Authorization": "Bearer"},
    {"Authorization": "Bearer two words"},
    {"Authorization": "Basic dXNlcjpwYXNz"},
])
def test_missing_or_malformed_authorization_is_401(demo: Client,
                                                  headers: dict[str, str]) -> None:
    response = demo.post(SESSIONS, {"nameContains": "", "timezoneDifference": 0}, headers=headers)
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"error", "trace"}
    assert isinstance(body["error"], str) and body["error"]
    assert body["trace"] == "isAuthenticated.error"


@pytest.mark.parametrize("value", ["Bearer anything-at-all", "sk-helicone-bare-key"])
def test_any_non_empty_key_is_accepted(demo: Client, value: str) -> None:
    response = demo.post(SESSIONS, {"nameContains": "x", "timezoneDifference": 0},
                         headers={"Authorization": value})
    assert response.status_code == 200


def test_auth_is_checked_before_validation(demo: Client) -> None:
    assert demo.post(SCORES, {"nonsense": 1}, headers={}).status_code == 401


# --------------------------------------------------------------------------- validation


def details_of(response: Any) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["message"] == "Validation Failed"
    assert body["details"]
    for path, detail in body["details"].items():
        assert path == "requestBody" or path.startswith("requestBody.")
        assert isinstance(detail["message"], str) and detail["message"]
    return body["details"]


def test_unknown_top_level_key_is_422(demo: Client) -> None:
    # tsoa keys an interface's extra key by its own path, the key name as the value.
    details = details_of(demo.post(SCORES, {**SCORES_EXAMPLE, "limit": 10}))
    assert details == {"requestBody.limit": {
        "message": '"limit" is an excess property and therefore is not allowed',
        "value": "limit"}}


def test_python_names_are_not_wire_names(demo: Client) -> None:
    body = {k: v for k, v in SCORES_EXAMPLE.items() if k != "dbIncrement"}
    details_of(demo.post(SCORES, {**body, "db_increment": "day"}))


def test_missing_field_is_422(demo: Client) -> None:
    details = details_of(demo.post(EVALS, {"filter": "all"}))
    assert details["requestBody.timeFilter"]["message"] == "'timeFilter' is required"


def test_bad_enum_is_422(demo: Client) -> None:
    details = details_of(demo.post(SCORES, {**SCORES_EXAMPLE, "dbIncrement": "days"}))
    assert details["requestBody.dbIncrement"]["value"] == "days"
    assert "should be one of the following" in details["requestBody.dbIncrement"]["message"]


@pytest.mark.parametrize("user_filter", [
    {"request_response_rmt": {"no_such_field": {"equals": "x"}}},
    {"request_response_rmt": {"model": {"startswith": "x"}}},
    {"request_response_rmt": {"model": {"equals": 5}}},  # text operators take strings
    {"request_response_rmt": {"latency": {"equals": True}}},
    {"request_response_rmt": {"model": {"equals": None}}},
    {"sessions_request_response_rmt": {"session_tag": {"equals": "x"}}},  # not on scores
    {"request_response_rmt": {"helicone_score_feedback": {"equals": True}}},  # Python name
    {"left": "all", "operator": "xor", "right": "all"},
    "everything",
])
def test_bad_filters_are_422_at_the_filter(demo: Client, user_filter: Any) -> None:
    details = details_of(demo.post(SCORES, {**SCORES_EXAMPLE, "userFilter": user_filter}))
    assert "requestBody.userFilter" in details


def test_numeric_strings_are_coerced_as_tsoa_does(demo: Client) -> None:
    body = {**SCORES_EXAMPLE, "timeZoneDifference": "0",
            "userFilter": {"request_response_rmt": {"status": {"equals": "200"}}}}
    assert demo.data(SCORES, body)


# --------------------------------------------------------------------------- errors


def test_malformed_json_is_helicones_generic_500(demo: Client) -> None:
    response = demo.http.post(SCORES, content=b'{"userFilter": ',
                              headers={**KEY, "content-type": "application/json"})
    assert response.status_code == 500
    assert response.json() == {"message": "Internal Server Error",
                               "details": "Internal Server Error"}


@pytest.mark.parametrize("user_filter", [
    {"request_response_rmt": {"model": {}}},  # no operator: Helicone's builder throws
    {"request_response_rmt": {}},
    {"request_response_rmt": {"properties": {}}},
])
def test_filters_helicone_throws_on_are_generic_500(demo: Client, user_filter: Any) -> None:
    response = demo.post(SCORES, {**SCORES_EXAMPLE, "userFilter": user_filter})
    assert response.status_code == 500
    assert response.json()["message"] == "Internal Server Error"


def test_scores_errors_are_200_with_data_null(demo: Client) -> None:
    body = {**SCORES_EXAMPLE, "timeZoneDifference": 2000}
    response = demo.post(SCORES, body)
    assert (response.status_code, response.json()) == (
        200, {"data": None, "error": "Invalid time zone difference"})
    reversed_window = {**SCORES_EXAMPLE, "timeFilter": {"start": "2024-02-01", "end": "2024-01-01"}}
    assert demo.post(SCORES, reversed_window).json()["error"] == "Invalid time filter"


@pytest.mark.parametrize(("path", "body", "error"), [
    (EVALS, {"filter": "all", "timeFilter": {"start": "2024-02-01", "end": "2024-01-01"}},
     "Invalid time filter"),
    (DISTRIBUTIONS, {"filter": "all", "timeFilter": {"start": "not a date", "end": "2024-01-01"}},
     "Invalid time value"),
    (SESSIONS, {"nameContains": "", "timezoneDifference": -1441}, "Invalid timezone difference"),
    (SESSIONS, {"nameContains": "", "timezoneDifference": 0,
                "timeFilter": {"startTimeUnixMs": 1e20, "endTimeUnixMs": 0}},
     "No request count found"),
])
def test_other_endpoints_errors_are_500_with_data_null(demo: Client, path: str,
                                                       body: dict[str, Any],
                                                       error: str) -> None:
    response = demo.post(path, body)
    assert response.status_code == 500
    assert response.json() == {"data": None, "error": error}
    assert_matches_spec(path, response.json())


def test_a_field_without_a_column_is_an_engine_error(demo: Client) -> None:
    body = {**SCORES_EXAMPLE, "userFilter": {"request_response_rmt": {"total_tokens": {"gt": 1}}}}
    response = demo.post(SCORES, body)
    assert response.status_code == 200
    assert "total_tokens" in response.json()["error"]
    response = demo.post(DISTRIBUTIONS, {"filter": body["userFilter"], "timeFilter": WINDOW})
    assert response.status_code == 500 and response.json()["data"] is None


# --------------------------------------------------------------------------- injection

INJECTIONS = [
    "x' OR 1=1 --",
    "'); DROP TABLE request_response_rmt; --",
    "\\' OR '1'='1",
    "{val_0:String}",
    "%' OR 1=1 OR '%",
    "production\x00",
    "') UNION ALL SELECT 1 --",
    "trailing backslash \\",
    "tab\tand\nnewline",
]


def _score_rows(demo: Client, user_filter: Any) -> Any:
    response = demo.post(SCORES, {"userFilter": user_filter, "timeFilter": WINDOW,
                                  "dbIncrement": "day", "timeZoneDifference": 0})
    assert response.status_code == 200
    assert response.json()["error"] is None
    return response.json()["data"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_injected_values_are_only_strings(demo: Client, value: str) -> None:
    no_match = _score_rows(demo, {"request_response_rmt": {"model": {"equals": "no-such"}}})
    assert _score_rows(demo, {"request_response_rmt": {"model": {"equals": value}}}) == no_match
    assert _score_rows(demo, {"request_response_rmt": {"user_id": {"contains": value}}}) == (
        no_match)
    prop = {"request_response_rmt": {"properties": {"environment": {"equals": value}}}}
    assert _score_rows(demo, prop) == no_match


@pytest.mark.parametrize("key", INJECTIONS)
def test_injected_map_keys_are_only_strings(demo: Client, key: str) -> None:
    no_match = _score_rows(demo, {"request_response_rmt": {
        "properties": {"no-such-property": {"equals": "production"}}}})
    assert _score_rows(demo, {"request_response_rmt": {
        "properties": {key: {"equals": "production"}}}}) == no_match
    assert _score_rows(demo, {"request_response_rmt": {"scores": {key: {"equals": "1"}}}}) == (
        no_match)
    assert _score_rows(demo, {"request_response_rmt": {"property_key": {"equals": key}}}) == (
        no_match)


def test_injection_in_a_session_tag_and_name(demo: Client) -> None:
    for value in INJECTIONS:
        data = demo.data(SESSIONS, {"nameContains": value, "timezoneDifference": 0})
        assert data["average"]["session_count"] == [{"average": None}]
        tag = {"sessions_request_response_rmt": {"session_tag": {"equals": value}}}
        data = demo.data(SESSIONS, {"nameContains": "", "timezoneDifference": 0, "filter": tag})
        assert data["session_count"] == []
    # and the table is still there
    assert demo.data(DISTRIBUTIONS, {"filter": "all", "timeFilter": WINDOW})
