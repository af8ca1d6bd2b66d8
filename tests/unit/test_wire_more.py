"""The wire models of the metrics, request, property, user and session-name endpoints.

Requests built through the models validate against the project's strict spec; the spec copy is
byte-identical to the shared one; what Helicone really sends (SEMANTICS-MORE §2.4, §4.4, §9)
parses, quirks included: counts as numbers or quoted strings, `status: null`, no `data` key for
an unknown request id; and what is not a number (booleans, NaN, text) is refused.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from pydantic import ValidationError
from test_wire_spec import TIME_FILTERS, TZ, trees

from tui.api.enums import PSize, TimeIncrement
from tui.api.models import TimeFilter, TimeFilterMs
from tui.api.wire_endpoints import MORE_ENDPOINTS, More
from tui.api.wire_metrics import (
    QUANTILE_METRICS,
    MetricsFilterBody,
    MetricsOverTimeBody,
    ModelMetricsBody,
    ModelMetricsResponse,
    NumberResponse,
    QuantilesBody,
    RequestCountBody,
    RequestsOverTimeResponse,
)
from tui.api.wire_properties import (
    PropertyQuery,
    PropertySearch,
    TimeFilterRequest,
    TopRequestsResponse,
)
from tui.api.wire_requests import (
    RequestByIdResponse,
    RequestQueryParams,
    RequestsResponse,
    SortLeafRequest,
)
from tui.api.wire_users import (
    SessionNameQuery,
    SortLeafUsers,
    UserMetricsQuery,
    UserMetricsResponse,
    UserTimeFilter,
)
from tui.filters.wire import to_wire

ROOT = Path(__file__).parents[2]
COPY = ROOT / "tui" / "api" / "spec" / "openapi.strict.yaml"
SPEC = yaml.safe_load(COPY.read_text())


def _shared_spec() -> Path | None:
    """../shared/helicone-api/openapi.strict.yaml beside the checkout (or a worktree's parent)."""
    for parent in ROOT.parents:
        candidate = parent / "shared" / "helicone-api" / "openapi.strict.yaml"
        if candidate.is_file():
            return candidate
    return None


def test_spec_copy_is_byte_identical_to_the_shared_spec() -> None:
    shared = _shared_spec()
    if shared is None:
        pytest.skip("no shared/helicone-api/openapi.strict.yaml beside the checkout")
    assert COPY.read_bytes() == shared.read_bytes()


def _validator(schema: dict[str, Any]) -> OAS30Validator:
    return OAS30Validator({**schema, "components": SPEC["components"]},
                          format_checker=oas30_format_checker)


def _operation(name: More) -> dict[str, Any]:
    endpoint = MORE_ENDPOINTS[name]
    return SPEC["paths"][endpoint.path][endpoint.method.lower()]


def request_validator(name: More) -> OAS30Validator:
    schema = _operation(name)["requestBody"]["content"]["application/json"]["schema"]
    return _validator(schema)


def response_validator(name: More) -> OAS30Validator:
    return _validator(_operation(name)["responses"]["200"]["content"]["application/json"]
                      ["schema"])


def assert_request_valid(name: More, body: dict[str, Any]) -> None:
    errors = [e.message for e in request_validator(name).iter_errors(body)]
    assert errors == [], json.dumps(body)


def assert_response_valid(name: More, payload: Any) -> None:
    errors = [e.message for e in response_validator(name).iter_errors(payload)]
    assert errors == [], json.dumps(payload)[:400]


@pytest.mark.parametrize("name", list(More))
def test_every_endpoint_is_in_the_spec_with_its_operation_id(name: More) -> None:
    assert _operation(name)["operationId"] == MORE_ENDPOINTS[name].operation_id


def test_query_clickhouse_succeeds_with_201_and_the_rest_with_200() -> None:
    assert {e.name for e in MORE_ENDPOINTS.values() if e.status == 201} == {More.REQUESTS}


# --------------------------------------------------------------------------- generated requests

OFFSETS = st.one_of(st.integers(0, 10_000), st.floats(0, 1e6))
SORT_DIR = st.sampled_from(["asc", "desc"])
REQUEST_SORTS = st.one_of(
    st.none(),
    st.sampled_from([k for k in SortLeafRequest.model_fields if k not in (
        "random", "properties", "values")]).flatmap(
        lambda k: SORT_DIR.map(lambda d: SortLeafRequest(**{k: d}))),
    st.just(SortLeafRequest(random=True)),
    st.builds(lambda k, d: SortLeafRequest(properties={k: d}),
              st.from_regex(r"[A-Za-z0-9_]{1,10}", fullmatch=True), SORT_DIR),
)
USER_SORTS = st.none() | st.sampled_from(list(SortLeafUsers.model_fields)).flatmap(
    lambda k: SORT_DIR.map(lambda d: SortLeafUsers(**{k: d})))
OPTIONAL_BOOL = st.none() | st.booleans()


@st.composite
def bodies(draw: st.DrawFn, name: More) -> Any:
    """A request model for one endpoint, from a random filter tree and options."""
    endpoint = MORE_ENDPOINTS[name]
    model = endpoint.request
    sessions = name is More.SESSION_NAMES
    wire = to_wire(draw(trees(sessions)), sessions=sessions)
    tf = draw(TIME_FILTERS)
    if model is MetricsFilterBody:
        return MetricsFilterBody(filter=wire, time_filter=tf)
    if model is MetricsOverTimeBody:
        return MetricsOverTimeBody(filter=wire, time_filter=tf, time_zone_difference=draw(TZ),
                                   db_increment=draw(st.none() | st.sampled_from(TimeIncrement)))
    if model is ModelMetricsBody:
        return ModelMetricsBody(filter=wire, time_filter=tf, offset=draw(OFFSETS),
                                limit=draw(OFFSETS))
    if model is QuantilesBody:
        return QuantilesBody(filter=wire, time_filter=tf, time_zone_difference=draw(TZ),
                             metric=draw(st.sampled_from(QUANTILE_METRICS)),
                             db_increment=draw(st.none() | st.sampled_from(TimeIncrement)))
    if model is RequestCountBody:
        return RequestCountBody(filter=wire, is_cached=draw(OPTIONAL_BOOL))
    if model is RequestQueryParams:
        return RequestQueryParams(
            filter=wire, offset=draw(st.none() | OFFSETS), limit=draw(st.none() | OFFSETS),
            sort=draw(REQUEST_SORTS), is_scored=draw(OPTIONAL_BOOL),
            is_cached=draw(OPTIONAL_BOOL), include_inputs=draw(OPTIONAL_BOOL),
            is_part_of_experiment=draw(OPTIONAL_BOOL))
    if model is PropertyQuery:
        return PropertyQuery()
    if model is PropertySearch:
        return PropertySearch(search_term=draw(st.text(max_size=20)))
    if model is TimeFilterRequest:
        return TimeFilterRequest(time_filter=tf)
    if model is UserMetricsQuery:
        seconds = st.integers(0, 2**33)
        return UserMetricsQuery(
            filter=wire, offset=draw(OFFSETS), limit=draw(st.integers(0, 1000)),
            time_filter=draw(st.none() | st.tuples(seconds, seconds).map(lambda t: UserTimeFilter(
                start_time_unix_seconds=t[0], end_time_unix_seconds=t[1]))),
            time_zone_difference_minutes=draw(st.none() | TZ), sort=draw(USER_SORTS))
    assert model is SessionNameQuery
    ms = st.integers(0, 2**42)
    return SessionNameQuery(
        name_contains=draw(st.text(max_size=20)), timezone_difference=draw(TZ),
        p_size=draw(st.none() | st.sampled_from(PSize)), use_interquartile=draw(OPTIONAL_BOOL),
        time_filter=draw(st.none() | st.tuples(ms, ms).map(lambda t: TimeFilterMs(
            start_time_unix_ms=t[0], end_time_unix_ms=t[1]))),
        filter=draw(st.none() | st.just(wire)))


POSTS = [e.name for e in MORE_ENDPOINTS.values() if e.method == "POST"]


@pytest.mark.parametrize("name", POSTS)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_generated_requests_validate_against_the_strict_spec(name: More, data: Any) -> None:
    request = data.draw(bodies(name))
    body = request.to_wire()
    assert_request_valid(name, body)
    # what is sent parses back, by wire names, as the same request
    assert type(request).from_wire(json.loads(json.dumps(body))).to_wire() == body


def test_wire_names_are_helicones() -> None:
    body = RequestQueryParams(filter="all", limit=50, is_scored=False,
                              sort=SortLeafRequest(time_to_first_token="asc")).to_wire()
    assert body == {"filter": "all", "limit": 50, "sort": {"time_to_first_token": "asc"},
                    "isScored": False}
    users = UserMetricsQuery(filter="all", offset=0, limit=10, time_zone_difference_minutes=0,
                             time_filter=UserTimeFilter(start_time_unix_seconds=1,
                                                        end_time_unix_seconds=2)).to_wire()
    assert users["timeFilter"] == {"startTimeUnixSeconds": 1, "endTimeUnixSeconds": 2}
    assert "timeZoneDifferenceMinutes" in users
    assert PropertySearch(search_term="x").to_wire() == {"searchTerm": "x"}


# --------------------------------------------------------------------------- refused


OVER_TIME = {"filter": "all", "timeFilter": {"start": "a", "end": "b"}, "timeZoneDifference": 0}


@pytest.mark.parametrize(("model", "body"), [
    (MetricsOverTimeBody, {**OVER_TIME, "timeZoneDifference": True}),  # a boolean is no number
    (MetricsOverTimeBody, {**OVER_TIME, "dbIncrement": "fortnight"}),
    (MetricsOverTimeBody, {**OVER_TIME, "time_zone_difference": 0}),  # Python names refused
    (MetricsOverTimeBody, {**OVER_TIME, "extra": 1}),  # closed, as tsoa's throw-on-extras
    (MetricsFilterBody, {"filter": "all"}),
    (ModelMetricsBody, {"filter": "all", "timeFilter": OVER_TIME["timeFilter"],
                        "offset": 0, "limit": False}),
    (RequestQueryParams, {"filter": "all", "sort": {"created_at": "up"}}),
    (RequestQueryParams, {"filter": "all", "isScored": "false"}),
    (RequestQueryParams, {"filter": "all", "sort": {"createdAt": "asc"}}),
    (PropertyQuery, {"x": 1}),
    (UserMetricsQuery, {"filter": "all", "offset": 0}),
    (RequestCountBody, {"filter": {"feedback": {"rating": {"equals": True}}}}),
])
def test_invalid_bodies_are_refused(model: Any, body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        model.from_wire(body)


# --------------------------------------------------------------------------- what Helicone sends

ROW_TIME = "2026-11-15T10:00:00.000Z"


@pytest.mark.parametrize("count", [1204, "1204"])
def test_counts_arrive_as_numbers_or_quoted_strings(count: Any) -> None:
    # ClickHouse >= 25.8 writes 64-bit integers as numbers, 24.3 (self-host) quotes them.
    assert NumberResponse.model_validate({"data": count, "error": None}).data == 1204
    models = ModelMetricsResponse.model_validate({"data": [{
        "model": "gpt-4o-mini", "total_requests": count, "total_completion_tokens": count,
        "total_prompt_token": "99", "total_tokens": None, "cost": 0.25,
    }], "error": None})
    row = models.data[0]
    assert (row.total_requests, row.total_prompt_token, row.total_tokens) == (1204, 99, None)


def test_request_over_time_rows_carry_status_null() -> None:
    payload = {"data": [{"time": ROW_TIME, "count": "3", "status": None},
                        {"time": ROW_TIME, "count": 0, "status": None}], "error": None}
    rows = RequestsOverTimeResponse.model_validate(payload).data
    assert [(r.count, r.status) for r in rows] == [(3, None), (0, None)]
    assert_response_valid(More.REQUEST_OVER_TIME, {**payload, "data": [
        {**r, "count": int(r["count"])} for r in payload["data"]]})


def _request_row(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "response_id": None, "response_created_at": None,
        "response_body": {"error": {"message": "upstream error"}}, "response_status": 0,
        "request_id": "d47d38d5-a3c1-47da-81ed-e3e6d153fd1e",
        "request_created_at": "2026-11-15T10:01:02.003Z",
        "request_body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]},
        "request_user_id": "", "request_properties": {"customer": "globex"},
        "provider": "openai", "delay_ms": None, "request_model": "gpt-4o-mini",
        "ai_gateway_body_mapping": "", "time_to_first_token": "0", "total_tokens": None,
        "completion_tokens": None, "reasoning_tokens": "0", "prompt_tokens": "12",
        "prompt_cache_read_tokens": 0, "prompt_cache_write_tokens": 0, "country_code": "",
        "scores": {"accuracy": "84"}, "properties": {"customer": "globex"}, "asset_ids": [],
        "target_url": None, "cache_reference_id": "00000000-0000-0000-0000-000000000000",
        "request_referrer": "", "cache_enabled": False, "cost": 0, "prompt_id": "",
        "prompt_version": "", "updated_at": "2026-11-15T10:01:02.003Z",
        "storage_location": "s3", "feedback_created_at": None, "model": "gpt-4o-mini",
        "signed_body_url": "https://bucket.s3.amazonaws.com/x?X-Amz-Signature=1",
        "asset_urls": {},
    }
    row.update(changes)
    return row


def test_query_clickhouse_rows_parse_with_quoted_counts_and_text_bodies() -> None:
    payload = {"data": [_request_row(request_body="preview text...")], "error": None}
    row = RequestsResponse.model_validate(payload).data[0]
    assert (row.prompt_tokens, row.time_to_first_token, row.scores) == (12, 0, {"accuracy": 84})
    assert row.request_body == "preview text..." and not row.body_inline
    # the JSON-number variant is what the strict spec describes
    numbers = _request_row(time_to_first_token=0, reasoning_tokens=0, prompt_tokens=12,
                           scores={"accuracy": 84})
    assert_response_valid(More.REQUESTS, {"data": [numbers], "error": None})


def test_query_clickhouse_swallowed_error_is_an_empty_page() -> None:
    assert RequestsResponse.model_validate({"data": [], "error": None}).data == []


def test_unknown_request_id_has_no_data_key() -> None:
    answer = RequestByIdResponse.model_validate({"error": None})
    assert answer.data is None and answer.error is None
    assert_response_valid(More.REQUEST, {"error": None})
    assert RequestByIdResponse.model_validate({"data": None, "error": None}).data is None
    found = RequestByIdResponse.model_validate({"data": _request_row(), "error": None})
    assert found.data is not None and found.data.properties == {"customer": "globex"}


def test_top_values_keep_the_empty_and_other_groups() -> None:
    rows = TopRequestsResponse.model_validate({"data": [
        {"value": "", "count": "900"}, {"value": "globex", "count": 40},
        {"value": "Other", "count": 3}], "error": None}).data
    assert [(r.value, r.count) for r in rows] == [("", 900), ("globex", 40), ("Other", 3)]


def test_user_metrics_with_raw_64_bit_fields() -> None:
    payload = {"data": {"users": [{
        "id": "", "user_id": "", "active_for": "30", "first_active": ROW_TIME,
        "last_active": ROW_TIME, "total_requests": 10, "average_requests_per_day_active": 0.33,
        "average_tokens_per_request": 12.5, "total_completion_tokens": 5,
        "total_prompt_tokens": 120, "cost": 0.01, "rate_limited_count": "0"}],
        "count": "1", "hasUsers": True}, "error": None}
    data = UserMetricsResponse.model_validate(payload).data
    assert data is not None and data.count == 1 and data.has_users
    assert data.users[0].active_for == 30 and data.users[0].user_id == ""


@pytest.mark.parametrize("bad", [True, "NaN", "Infinity", "1e400", "twelve", float("nan"), []])
def test_what_is_not_a_number_is_a_model_error(bad: Any) -> None:
    with pytest.raises(ValidationError):
        NumberResponse.model_validate({"data": bad, "error": None})


def test_errors_parse_with_data_null() -> None:
    answer = RequestsOverTimeResponse.model_validate({"data": None,
                                                      "error": "Invalid time filter"})
    assert answer.data is None and answer.error == "Invalid time filter"


def test_a_time_filter_is_any_string_as_in_the_spec() -> None:
    # Helicone's metrics windows are plain strings; a bad one is an error in the answer.
    body = MetricsFilterBody(filter="all", time_filter=TimeFilter(start="x", end="y")).to_wire()
    assert_request_valid(More.TOTAL_REQUESTS, body)
