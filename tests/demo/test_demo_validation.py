"""The demo server validates and fails as Helicone does (issue 12: items 6, 11, 12, 14-17).

Each test talks to a real demo server over HTTP on 127.0.0.1. What Helicone does comes from its
tsoa runtime (bodyCoercion, throw-on-extras), validator.js's isFloat, and SEMANTICS.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
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

from tui.demo import jsontext

pytestmark = pytest.mark.demo

RMT = "request_response_rmt"
WINDOW = {"start": "2026-11-18T00:00:00.000Z", "end": "2026-11-20T00:00:00.000Z"}
WINDOW_MS = {"startTimeUnixMs": 1795478400000, "endTimeUnixMs": 1795651200000}
UNION = "Could not match the union against any of the items. Issues: "
JSON_HEADERS = {**KEY, "content-type": "application/json"}


def scores_body(user_filter: Any, **extra: Any) -> dict[str, Any]:
    return {"userFilter": user_filter, "timeFilter": WINDOW, "dbIncrement": "year",
            "timeZoneDifference": 0, **extra}


def post(demo: Client, path: str, body: Any) -> httpx.Response:
    """POST a body of any depth (httpx's own JSON encoder recurses)."""
    return demo.http.post(path, content=jsontext.dumps(body).encode(), headers=JSON_HEADERS)


def score_rows(demo: Client, user_filter: Any) -> list[Any]:
    response = post(demo, SCORES, scores_body(user_filter))
    assert response.status_code == 200, response.text[:500]
    assert_matches_spec(SCORES, response.json())
    assert response.json()["error"] is None, response.text[:500]
    return response.json()["data"]


def details_of(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 422, response.text[:500]
    body = jsontext.parse(response.content)  # echoed values can be deeper than json.loads goes
    assert body["message"] == "Validation Failed"
    return body["details"]


def no_traceback(demo: Client) -> None:
    assert "Traceback" not in demo.server.stderr_tail(200)


def chain(op: str, leaves: list[Any]) -> Any:
    """An n-ary and/or as Helicone's web sends it: right-nested binary branches."""
    node = leaves[-1]
    for item in reversed(leaves[:-1]):
        node = {"left": item, "operator": op, "right": node}
    return node


# --------------------------------------------------------------------------- 11: deep bodies


def _deep_filter(depth: int) -> bytes:
    # {"left": {"left": ... "all" ...}}: no operator, no right, at every level
    inner = b'{"left":' * depth + b'"all"' + b"}" * depth
    body = scores_body("PLACEHOLDER")
    return json.dumps(body).encode().replace(b'"PLACEHOLDER"', inner)


@pytest.mark.parametrize("depth", [2_000, 100_000])
@pytest.mark.parametrize("shape", ["filter", "array"])
def test_deeply_nested_bodies_get_a_json_422(demo: Client, depth: int, shape: str) -> None:
    raw = _deep_filter(depth) if shape == "filter" else b"[" * depth + b"]" * depth
    with httpx.Client(base_url=demo.server.url, timeout=60) as http:
        response = http.post(SCORES, content=raw, headers=JSON_HEADERS)
        details = details_of(response)
        assert all(path.startswith("requestBody") for path in details)
        if depth > 5_000:  # past the documented parse limit: refused before parsing
            assert details == {"requestBody": {
                "message": "the body is nested more than 5000 levels deep "
                           "(the demo server's limit)"}}
        elif shape == "array":  # parsed, and refused as tsoa refuses a non-object body
            assert details["requestBody"]["message"] == "invalid object"
        else:
            assert details["requestBody.userFilter"]["message"].startswith(UNION)
        # The same connection answers the next request.
        follow = http.post(SCORES, json=scores_body("all"), headers=KEY)
        assert follow.status_code == 200 and follow.json()["error"] is None
    no_traceback(demo)


def test_a_body_over_the_size_limit_gets_json_not_a_reset(demo: Client) -> None:
    big = b'{"userFilter": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    with httpx.Client(base_url=demo.server.url, timeout=60) as http:
        response = http.post(SCORES, content=big, headers=JSON_HEADERS)
        assert response.status_code == 413
        assert response.json() == {"message": "request entity too large"}
        follow = http.post(SCORES, json=scores_body("all"), headers=KEY)
        assert follow.status_code == 200
    no_traceback(demo)


# --------------------------------------------------------------------------- 6: long chains

USERS = [f"user-{i}" for i in range(1_000)]


@pytest.fixture(scope="module")
def hand_sql() -> Iterator[Any]:
    """The demo data set built in this process, to run hand-written SQL on (the one shared
    copy: chdb holds one engine per process)."""
    from more_helpers import hand_data

    engine = hand_data().engine

    def run(where: str) -> list[dict[str, Any]]:
        rows, _ = engine.query(
            "SELECT arrayJoin(mapKeys(scores)) AS k, "
            "avg(mapValues(scores)[indexOf(mapKeys(scores), k)]) FROM request_response_rmt "
            "WHERE request_created_at >= toDateTime('2026-11-18 00:00:00', 'UTC') "
            "AND request_created_at <= toDateTime('2026-11-20 00:00:00', 'UTC') "
            f"AND {where} GROUP BY k ORDER BY k")
        return [{"score_key": k, "score_sum": v} for k, v in rows]

    yield run


def _keyed(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(({"score_key": r["score_key"], "score_sum": r["score_sum"]} for r in rows),
                  key=lambda r: r["score_key"])


def test_a_1000_condition_or_chain(demo: Client, hand_sql: Any) -> None:
    leaves = [{RMT: {"user_id": {"equals": u}}} for u in USERS]
    rows = score_rows(demo, chain("or", leaves))
    in_list = ", ".join(f"'{u}'" for u in USERS)
    expected = hand_sql(f"user_id IN ({in_list})")
    assert expected and _keyed(rows) == expected


def test_a_1000_condition_and_chain(demo: Client, hand_sql: Any) -> None:
    leaves = [{RMT: {"user_id": {"not-equals": u}}} for u in USERS]
    rows = score_rows(demo, chain("and", leaves))
    in_list = ", ".join(f"'{u}'" for u in USERS)
    expected = hand_sql(f"user_id NOT IN ({in_list})")
    assert expected and _keyed(rows) == expected


def test_and_or_groups_nested_past_the_limit_are_an_endpoint_error(demo: Client) -> None:
    node: Any = {RMT: {"status": {"equals": 200}}}
    for i in range(150):  # alternating operators: nothing to merge
        node = {"left": {RMT: {"latency": {"gte": i}}}, "operator": "and" if i % 2 else "or",
                "right": node}
    response = post(demo, SCORES, scores_body(node))
    assert response.status_code == 200 and response.json()["data"] is None
    assert "more than 100 deep" in response.json()["error"]
    response = post(demo, EVALS, {"filter": node, "timeFilter": WINDOW})
    assert response.status_code == 500 and "more than 100 deep" in response.json()["error"]
    no_traceback(demo)


# --------------------------------------------------------------------------- 12: surrogates


def test_a_lone_surrogate_is_bound_as_helicones_client_binds_it(demo: Client) -> None:
    # @clickhouse/client puts values in URLSearchParams: a lone surrogate becomes U+FFFD.
    raw = json.dumps(scores_body({RMT: {"model": {"equals": "PLACEHOLDER"}}})).encode()
    response = demo.http.post(SCORES, content=raw.replace(b"PLACEHOLDER", b"\\ud800"),
                              headers=JSON_HEADERS)
    assert response.status_code == 200, response.text
    assert response.json()["error"] is None
    assert response.json()["data"] == score_rows(demo, {RMT: {"model": {"equals": "\ufffd"}}})
    raw = json.dumps({"nameContains": "PLACEHOLDER", "timezoneDifference": 0}).encode()
    response = demo.http.post(SESSIONS, content=raw.replace(b"PLACEHOLDER", b"a\\udfffb"),
                              headers=JSON_HEADERS)
    assert response.status_code == 200 and response.json()["error"] is None


def test_a_lone_surrogate_in_a_refused_body_is_echoed_as_json(demo: Client) -> None:
    raw = json.dumps(scores_body("all", PLACEHOLDER=1)).encode()
    response = demo.http.post(SCORES, content=raw.replace(b"PLACEHOLDER", b"x\\ud800"),
                              headers=JSON_HEADERS)
    assert details_of(response) == {"requestBody.x\ud800": {
        "message": '"x\ud800" is an excess property and therefore is not allowed',
        "value": "x\ud800"}}


# --------------------------------------------------------------------------- 14: booleans


@pytest.mark.parametrize(("field", "real", "coerced"), [
    ("threat", False, "false"),
    ("threat", False, None),
    ("cache_enabled", True, "TRUE"),
    ("cached", True, "True"),
    ("cached", False, "FALSE"),
    ("cached", False, None),
    ("helicone-score-feedback", True, "true"),
    ("helicone-score-feedback", False, None),
])
def test_boolean_strings_and_null_are_coerced(demo: Client, field: str, real: bool,
                                              coerced: Any) -> None:
    expected = score_rows(demo, {RMT: {field: {"equals": real}}})
    assert score_rows(demo, {RMT: {field: {"equals": coerced}}}) == expected
    both = score_rows(demo, {RMT: {field: {"equals": not real}}})
    assert both != expected  # the value really matters on this data


@pytest.mark.parametrize(("real", "coerced"), [(True, "TRUE"), (True, "true"),
                                               (False, "False"), (False, None)])
def test_use_interquartile_is_coerced(demo: Client, real: bool, coerced: Any) -> None:
    body = {"nameContains": "", "timezoneDifference": 0, "timeFilter": WINDOW_MS}
    expected = demo.data(SESSIONS, {**body, "useInterquartile": real})
    assert demo.data(SESSIONS, {**body, "useInterquartile": coerced}) == expected


def test_other_boolean_spellings_are_refused(demo: Client) -> None:
    for value in ("yes", 1, "1", {}):
        details = details_of(demo.post(SESSIONS, {"nameContains": "", "timezoneDifference": 0,
                                                  "useInterquartile": value}))
        assert details == {"requestBody.useInterquartile": {
            "message": "invalid boolean value", "value": value}}


# --------------------------------------------------------------------------- 15: isFloat


@pytest.mark.parametrize("value", [" 5", " 500 ", "1_000", "Infinity", "NaN", "-Infinity",
                                   "0x10", "5px", "", "1e", True])
def test_numbers_isfloat_refuses_are_422(demo: Client, value: Any) -> None:
    details = details_of(demo.post(SCORES, scores_body("all", timeZoneDifference=value)))
    assert details == {"requestBody.timeZoneDifference": {
        "message": "invalid float number", "value": value}}
    leaf = {RMT: {"latency": {"gte": value}}}
    details = details_of(demo.post(SCORES, scores_body(leaf)))
    assert list(details) == ["requestBody.userFilter"]
    issues = json.loads(details["requestBody.userFilter"]["message"].removeprefix(UNION))
    assert issues[0] == {"requestBody.userFilter.request_response_rmt.latency.gte": {
        "message": "invalid float number", "value": value}}


def test_a_json_number_too_big_for_a_double_is_422(demo: Client) -> None:
    raw = json.dumps(scores_body("all")).encode().replace(b'"timeZoneDifference": 0',
                                                          b'"timeZoneDifference": 1e400')
    details = details_of(demo.http.post(SCORES, content=raw, headers=JSON_HEADERS))
    assert details["requestBody.timeZoneDifference"]["message"] == "invalid float number"


@pytest.mark.parametrize(("text", "number"), [("5", 5), ("-5.5", -5.5), ("1e3", 1000),
                                              (".5", 0.5), ("5.", 5), ("+200", 200)])
def test_numbers_isfloat_accepts_are_coerced(demo: Client, text: str, number: float) -> None:
    for field in ("latency", "status"):
        expected = score_rows(demo, {RMT: {field: {"gte": number}}})
        assert score_rows(demo, {RMT: {field: {"gte": text}}}) == expected
    assert demo.post(SCORES, scores_body("all", timeZoneDifference=text)).status_code == 200


# --------------------------------------------------------------------------- 16: __empty__


@pytest.mark.parametrize("op", ["not-equals", "like", "ilike", "contains", "not-contains"])
def test_empty_marker_with_other_operators_is_a_database_error(demo: Client, op: str) -> None:
    leaf = {RMT: {"model": {op: "__empty__"}}}
    response = demo.post(SCORES, scores_body(leaf))
    assert response.status_code == 200  # scores: errors are 200 with data null
    assert response.json()["data"] is None and "__empty__" in response.json()["error"]
    response = demo.post(DISTRIBUTIONS, {"filter": leaf, "timeFilter": WINDOW})
    assert response.status_code == 500
    assert response.json()["data"] is None and "__empty__" in response.json()["error"]


def test_empty_marker_with_equals_still_means_empty(demo: Client) -> None:
    everything = score_rows(demo, "all")
    assert score_rows(demo, {RMT: {"model": {"equals": "__empty__"}}}) != everything


# --------------------------------------------------------------------------- 17: details


def test_each_failure_is_keyed_by_its_path(demo: Client) -> None:
    details = details_of(demo.post(EVALS, {"filter": "all", "limit": "ten", "offset": 1,
                                           "extra": True}))
    assert details == {
        "requestBody.timeFilter": {"message": "'timeFilter' is required"},
        "requestBody.limit": {"message": "invalid float number", "value": "ten"},
        "requestBody.extra": {
            "message": '"extra" is an excess property and therefore is not allowed',
            "value": "extra"},
    }


def test_an_inline_object_reports_its_extras_at_itself(demo: Client) -> None:
    body = scores_body("all", timeFilter={**WINDOW, "zone": "UTC", "step": 1})
    details = details_of(demo.post(SCORES, body))
    assert details == {"requestBody.timeFilter": {
        "message": '"zone,step" is an excess property and therefore is not allowed',
        "value": {"step": 1, "zone": "UTC"}}}


def test_a_union_failure_is_one_message(demo: Client) -> None:
    leaf = {RMT: {"latency": {"gte": "abc"}}}
    details = details_of(demo.post(SCORES, scores_body(leaf)))
    issues = [
        {"requestBody.userFilter.request_response_rmt.latency.gte": {
            "message": "invalid float number", "value": "abc"}},
        {"requestBody.userFilter": {
            "message": '"request_response_rmt" is an excess property and therefore is not '
                       "allowed",
            "value": leaf},
         "requestBody.userFilter.right": {"message": "'right' is required"},
         "requestBody.userFilter.operator": {"message": "'operator' is required"},
         "requestBody.userFilter.left": {"message": "'left' is required"}},
        {"requestBody.userFilter": {"message": "should be one of the following; ['all']",
                                    "value": leaf}},
    ]
    assert details == {"requestBody.userFilter": {
        "message": UNION + json.dumps(issues, separators=(",", ":")), "value": leaf}}


def test_a_bad_enum_is_a_union_of_its_literals(demo: Client) -> None:
    details = details_of(demo.post(SCORES, scores_body("all", dbIncrement="days")))
    members = ["min", "hour", "day", "week", "month", "year"]
    issues = [{"requestBody.dbIncrement": {
        "message": f"should be one of the following; ['{m}']", "value": "days"}}
        for m in members]
    assert details == {"requestBody.dbIncrement": {
        "message": UNION + json.dumps(issues, separators=(",", ":")), "value": "days"}}


def test_a_deep_failure_names_its_full_path(demo: Client) -> None:
    leaves = [{RMT: {"model": {"equals": "gpt"}}} for _ in range(3)]
    leaves.append({RMT: {"model": {"equals": 5}}})
    details = details_of(demo.post(SCORES, scores_body(chain("and", leaves))))
    message = details["requestBody.userFilter"]["message"]
    assert "requestBody.userFilter.right.right.right" in message
    assert "invalid string value" in message


# --------------------------------------------------------------------------- body-parser


@pytest.mark.parametrize("raw", [b"5", b'"all"', b"null"])
def test_a_body_that_is_not_an_object_or_array_is_body_parsers_error(demo: Client,
                                                                     raw: bytes) -> None:
    # express.json() is strict: its SyntaxError reaches Helicone's error handler (a 500).
    response = demo.http.post(SCORES, content=raw, headers=JSON_HEADERS)
    assert response.status_code == 500
    assert response.json() == {"message": "Internal Server Error",
                               "details": "Internal Server Error"}


def test_bytes_that_are_not_utf8_read_as_replacement_characters(demo: Client) -> None:
    raw = json.dumps(scores_body({RMT: {"model": {"equals": "PLACEHOLDER"}}})).encode()
    response = demo.http.post(SCORES, content=raw.replace(b"PLACEHOLDER", b"\xff"),
                              headers=JSON_HEADERS)
    assert response.status_code == 200 and response.json()["error"] is None
    assert response.json()["data"] == score_rows(demo, {RMT: {"model": {"equals": "\ufffd"}}})
