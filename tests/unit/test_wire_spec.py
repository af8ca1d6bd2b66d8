"""What goes on the wire matches Helicone's strict spec, and what does not is refused first.

Requests are built from random filter trees and options through the request models and validated
against the project's copy of the strict spec; invalid requests are refused by the models
(pydantic ValidationError) before anything could be sent; the reference pages' examples and the
response shapes Helicone really sends (SEMANTICS.md) parse as models and validate against the spec.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from pydantic import TypeAdapter, ValidationError

from tui.api.fields import FIELDS, FieldInfo, FieldType
from tui.api.models import (
    ENDPOINTS,
    EndpointName,
    EvalQuery,
    PSize,
    RequestFilterNode,
    ScoresQuery,
    SessionFilterNode,
    SessionMetricsQuery,
    TimeFilter,
    TimeFilterMs,
    TimeIncrement,
)
from tui.filters.tree import Condition, Group, normal
from tui.filters.wire import from_wire, to_wire

SPEC = yaml.safe_load(
    (Path(__file__).parents[2] / "tui" / "api" / "spec" / "openapi.strict.yaml").read_text()
)


def _validator(ref: str) -> OAS30Validator:
    schema = {"$ref": ref, "components": SPEC["components"]}
    return OAS30Validator(schema, format_checker=oas30_format_checker)


def _operation(name: EndpointName) -> dict[str, Any]:
    return SPEC["paths"][ENDPOINTS[name].path]["post"]


REQUEST_SCHEMA = {
    name: _validator(
        _operation(name)["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    )
    for name in EndpointName
}
RESPONSE_SCHEMA = {
    name: _validator(
        _operation(name)["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    )
    for name in EndpointName
}
REQUEST_NODE = TypeAdapter(RequestFilterNode)
SESSION_NODE = TypeAdapter(SessionFilterNode)


def assert_valid(name: EndpointName, body: dict[str, Any]) -> None:
    errors = [e.message for e in REQUEST_SCHEMA[name].iter_errors(body)]
    assert errors == [], json.dumps(body)


# --------------------------------------------------------------------------- strategies

ZONES = st.sampled_from([UTC, timezone(timedelta(hours=-5)), timezone(timedelta(minutes=330))])
MOMENTS = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=ZONES
)
# RFC 3339 date-times, what the spec's `format: date-time` takes.
TIMESTAMPS = st.one_of(
    MOMENTS.map(lambda d: d.isoformat()),
    MOMENTS.map(lambda d: d.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")),
)
NUMBERS = st.one_of(
    st.integers(-(2**31), 2**31 - 1), st.floats(allow_nan=False, allow_infinity=False)
)


def _values(info: FieldInfo) -> st.SearchStrategy[Any]:
    if info.is_map and info.type is FieldType.NUMBER:
        return st.integers(-1000, 1000)
    return {
        FieldType.TEXT: st.text(max_size=20),
        FieldType.NUMBER: NUMBERS,
        FieldType.TIMESTAMP: TIMESTAMPS,
        FieldType.BOOLEAN: st.booleans(),
    }[info.type]


def trees(sessions: bool) -> st.SearchStrategy[Any]:
    fields = [f for f in FIELDS if sessions or not f.session_only]

    @st.composite
    def conditions(draw: st.DrawFn) -> Condition:
        info = draw(st.sampled_from(fields))
        key = draw(st.text(max_size=12)) if info.is_map else None
        return Condition(
            info.name, draw(st.sampled_from(info.operators)), draw(_values(info)), key
        )

    return st.recursive(
        conditions(),
        lambda children: st.builds(
            Group, st.sampled_from(["and", "or"]), st.lists(children, max_size=4).map(tuple)
        ),
        max_leaves=10,
    )


TIME_FILTERS = st.builds(TimeFilter, start=TIMESTAMPS, end=TIMESTAMPS)
TZ = st.one_of(st.integers(-1440, 1440), st.floats(-1440, 1440))
OPTIONAL_NUMBER = st.one_of(st.none(), st.integers(0, 10_000), st.floats(0, 1e6))


def _ms_window(ends: tuple[int, int]) -> TimeFilterMs:
    return TimeFilterMs(start_time_unix_ms=ends[0], end_time_unix_ms=ends[1])


@st.composite
def requests(draw: st.DrawFn, name: EndpointName) -> tuple[Any, Any]:
    """(the tree, the request model) for one endpoint."""
    sessions = ENDPOINTS[name].sessions
    tree = draw(trees(sessions))
    wire = to_wire(tree, sessions=sessions)
    if name is EndpointName.SCORES:
        request: Any = ScoresQuery(
            time_filter=draw(TIME_FILTERS),
            user_filter=wire,
            db_increment=draw(st.sampled_from(TimeIncrement)),
            time_zone_difference=draw(TZ),
        )
    elif name is EndpointName.SESSIONS:
        ms = st.integers(0, 2**42)
        request = SessionMetricsQuery(
            name_contains=draw(st.text(max_size=20)),
            timezone_difference=draw(TZ),
            p_size=draw(st.none() | st.sampled_from(PSize)),
            use_interquartile=draw(st.none() | st.booleans()),
            time_filter=draw(st.none() | st.tuples(ms, ms).map(_ms_window)),
            filter=wire,
        )
    else:
        request = EvalQuery(
            filter=wire,
            time_filter=draw(TIME_FILTERS),
            offset=draw(OPTIONAL_NUMBER),
            limit=draw(OPTIONAL_NUMBER),
            time_zone_difference=draw(st.none() | TZ),
        )
    return tree, request


# --------------------------------------------------------------------------- generated requests


def _filter_of(name: EndpointName, body: dict[str, Any]) -> Any:
    return body["userFilter"] if name is EndpointName.SCORES else body["filter"]


def _as_sent(node: Any) -> Any:
    """The tree with its timestamps as the wire has them: UTC, `…sssZ` (all of them carry a
    zone here, so the local zone does not matter)."""
    if isinstance(node, Group):
        return Group(node.op, tuple(_as_sent(child) for child in node.children))
    info = next(f for f in FIELDS if f.name == node.field)
    if info.type is FieldType.TIMESTAMP:
        moment = datetime.fromisoformat(node.value.replace("Z", "+00:00")).astimezone(UTC)
        millis = f"{moment.microsecond // 1000:03d}"
        return Condition(node.field, node.op, moment.strftime("%Y-%m-%dT%H:%M:%S.") + millis + "Z")
    return node


@pytest.mark.parametrize("name", list(EndpointName))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_generated_requests_validate_against_the_strict_spec(name: EndpointName, data) -> None:
    tree, request = data.draw(requests(name))
    body = request.to_wire()
    assert_valid(name, body)
    # the models send the tree's wire JSON unchanged (500 stays 500, "80" stays "80")
    wire = to_wire(tree, sessions=ENDPOINTS[name].sessions)
    assert json.dumps(_filter_of(name, body)) == json.dumps(wire)
    # and the filter comes back as the same tree (timestamps as sent: UTC), nothing to tell
    assert from_wire(wire) == (normal(_as_sent(tree)), [])
    # the body, as sent, parses back as the same request
    text = json.dumps(body)
    assert ENDPOINTS[name].request.model_validate_json(text).to_wire() == body


# --------------------------------------------------------------------------- refused before sending

SCORES_BASE: dict[str, Any] = {
    "timeFilter": {"start": "2024-01-01", "end": "2024-01-31"},
    "userFilter": "all",
    "dbIncrement": "day",
    "timeZoneDifference": 0,
}
EVALS_BASE: dict[str, Any] = {
    "filter": "all",
    "timeFilter": {"start": "2024-01-01T00:00:00Z", "end": "2024-01-31T23:59:59Z"},
}
SESSIONS_BASE: dict[str, Any] = {"nameContains": "", "timezoneDifference": 0}


def _rmt(field: str, ops: dict[str, Any]) -> dict[str, Any]:
    return {"request_response_rmt": {field: ops}}


BAD_FILTERS = {
    "unknown field": _rmt("modle", {"equals": "x"}),
    "unknown table": {"requests": {"model": {"equals": "x"}}},
    "text operator on a number": _rmt("latency", {"ilike": "%5%"}),
    "number operator on text": _rmt("model", {"gt": "x"}),
    "not-equals on a boolean": _rmt("cached", {"not-equals": True}),
    "not-equals on a timestamp": _rmt("request_created_at", {"not-equals": "2024-01-01"}),
    "property_key with not-equals": _rmt("property_key", {"not-equals": "x"}),
    "unknown operator": _rmt("model", {"equal": "x"}),
    "number for text": _rmt("model", {"equals": 5}),
    "text for boolean": _rmt("cached", {"equals": "yes"}),
    "timestamp not ISO 8601": _rmt("request_created_at", {"gt": "yesterday"}),
    "score value as a JSON number": _rmt("scores", {"accuracy": {"equals": 80}}),
    "session field on a request table": _rmt("session_tag", {"equals": "x"}),
    "branch operator": {"left": "all", "operator": "xor", "right": "all"},
    "branch without right": {"left": "all", "operator": "and"},
}
SESSION_LEAF = {"sessions_request_response_rmt": {"session_tag": {"equals": "checkout"}}}


def _bodies_with_filter(node: Any) -> list[tuple[EndpointName, dict[str, Any]]]:
    return [
        (EndpointName.SCORES, {**SCORES_BASE, "userFilter": node}),
        (EndpointName.EVALS, {**EVALS_BASE, "filter": node}),
        (EndpointName.DISTRIBUTIONS, {**EVALS_BASE, "filter": node}),
        (EndpointName.SESSIONS, {**SESSIONS_BASE, "filter": node}),
    ]


INVALID = [
    *(
        (f"{what} ({name})", name, body)
        for what, node in BAD_FILTERS.items()
        for name, body in _bodies_with_filter(node)
    ),
    *(
        (f"session field on {name}", name, body)
        for name, body in _bodies_with_filter(SESSION_LEAF)
        if name is not EndpointName.SESSIONS
    ),
    (
        "session field nested in a branch (scores)",
        EndpointName.SCORES,
        {**SCORES_BASE, "userFilter": {"left": "all", "operator": "and", "right": SESSION_LEAF}},
    ),
    ("unknown top-level key (scores)", EndpointName.SCORES, {**SCORES_BASE, "limit": 100}),
    ("unknown top-level key (evals)", EndpointName.EVALS, {**EVALS_BASE, "dbIncrement": "day"}),
    ("unknown top-level key (sessions)", EndpointName.SESSIONS,
     {**SESSIONS_BASE, "userFilter": "all"}),
    ("unknown key in timeFilter", EndpointName.EVALS,
     {**EVALS_BASE, "timeFilter": {"start": "a", "end": "b", "zone": "UTC"}}),
    ("missing dbIncrement", EndpointName.SCORES,
     {k: v for k, v in SCORES_BASE.items() if k != "dbIncrement"}),
    ("missing filter", EndpointName.EVALS, {"timeFilter": EVALS_BASE["timeFilter"]}),
    ("bad dbIncrement", EndpointName.SCORES, {**SCORES_BASE, "dbIncrement": "second"}),
    ("bad pSize", EndpointName.SESSIONS, {**SESSIONS_BASE, "pSize": "p42"}),
    ("timeFilter in ISO on sessions", EndpointName.SESSIONS,
     {**SESSIONS_BASE, "timeFilter": {"start": "2024-01-01", "end": "2024-01-02"}}),
]


@pytest.mark.parametrize(("what", "name", "body"), INVALID, ids=[w for w, _, _ in INVALID])
def test_invalid_requests_are_refused_by_the_models(what: str, name, body) -> None:
    with pytest.raises(ValidationError):
        ENDPOINTS[name].request.model_validate_json(json.dumps(body))
    # the spec agrees: Helicone would answer 422
    assert not REQUEST_SCHEMA[name].is_valid(body), what


def test_a_session_leaf_is_accepted_only_by_session_metrics() -> None:
    with pytest.raises(ValidationError):
        REQUEST_NODE.validate_python(SESSION_LEAF)
    assert SESSION_NODE.dump_python(
        SESSION_NODE.validate_python(SESSION_LEAF), mode="json", by_alias=True, exclude_none=True
    ) == SESSION_LEAF


# --------------------------------------------------------------------------- reference examples

# Copied from the reference pages (helicone-api/reference/*.md, dashboard-scores-query-curl.txt).
SCORES_EXAMPLE = {
    "userFilter": "all",
    "timeFilter": {"start": "2024-01-01", "end": "2024-01-31"},
    "dbIncrement": "day",
    "timeZoneDifference": 0,
}
EVALS_EXAMPLE = {
    "filter": "all",
    "timeFilter": {"start": "2024-01-01T00:00:00Z", "end": "2024-01-31T23:59:59Z"},
    "offset": 0,
    "limit": 100,
}
_TEXT_OPS = {
    "not-equals": "<string>",
    "equals": "<string>",
    "like": "<string>",
    "ilike": "<string>",
    "contains": "<string>",
    "not-contains": "<string>",
}
_NUMBER_OPS = {"not-equals": 123, "equals": 123, "gte": 123, "lte": 123, "lt": 123, "gt": 123}
_TIME_OPS = {
    "gte": "2023-11-07T05:31:56Z",
    "lte": "2023-11-07T05:31:56Z",
    "lt": "2023-11-07T05:31:56Z",
    "gt": "2023-11-07T05:31:56Z",
}
SCORES_CURL_EXAMPLE = {
    "timeFilter": {"end": "<string>", "start": "<string>"},
    "userFilter": {
        "request_response_rmt": {
            "latency": _NUMBER_OPS,
            "status": _NUMBER_OPS,
            "request_created_at": _TIME_OPS,
            "response_created_at": _TIME_OPS,
            "model": _TEXT_OPS,
            "user_id": _TEXT_OPS,
            "organization_id": _TEXT_OPS,
            "node_id": _TEXT_OPS,
            "job_id": _TEXT_OPS,
            "threat": {"equals": True},
            "request_id": _TEXT_OPS,
            "prompt_tokens": _NUMBER_OPS,
            "completion_tokens": _NUMBER_OPS,
            "total_tokens": _NUMBER_OPS,
            "target_url": _TEXT_OPS,
            "properties": {},
            "search_properties": {},
            "scores": {},
            "scores_column": _TEXT_OPS,
            "request_body": {"contains": "<string>"},
            "response_body": {"contains": "<string>"},
        }
    },
    "dbIncrement": "min",
    "timeZoneDifference": 123,
}

REQUEST_EXAMPLES = [
    ("scores swagger example", EndpointName.SCORES, SCORES_EXAMPLE),
    ("scores curl example", EndpointName.SCORES, SCORES_CURL_EXAMPLE),
    ("evals example", EndpointName.EVALS, EVALS_EXAMPLE),
    ("distributions with the evals example", EndpointName.DISTRIBUTIONS, EVALS_EXAMPLE),
]


@pytest.mark.parametrize(
    ("what", "name", "body"), REQUEST_EXAMPLES, ids=[w for w, _, _ in REQUEST_EXAMPLES]
)
def test_reference_request_examples_parse_as_models(what: str, name, body) -> None:
    request = ENDPOINTS[name].request.model_validate_json(json.dumps(body))
    assert request.to_wire() == body
    assert_valid(name, body)


def test_the_curl_examples_many_operator_leaf_imports_one_condition_each() -> None:
    node, notices = from_wire(SCORES_CURL_EXAMPLE["userFilter"])
    leaf = SCORES_CURL_EXAMPLE["userFilter"]["request_response_rmt"]
    expected = sum(len(ops) for ops in leaf.values())
    assert isinstance(node, Group) and node.op == "and"
    assert len(node.children) == expected
    assert Condition("latency", "gte", 123) in node.children
    assert Condition("request_created_at", "lt", "2023-11-07T05:31:56Z") in node.children
    assert Condition("threat", "equals", True) in node.children
    assert any("Helicone itself would have applied only" in n for n in notices)
    # the empty maps Helicone would fail on are named, not silently lost
    assert sum("properties" in n and "no key" in n for n in notices) == 2
    # what we would send instead is valid
    assert_valid(EndpointName.SCORES, {**SCORES_CURL_EXAMPLE, "userFilter": to_wire(node)})


# Helicone's evals example response (reference/evals-query.md).
EVALS_RESPONSE_EXAMPLE = {
    "data": [
        {
            "name": "accuracy",
            "averageScore": 0.85,
            "minScore": 0.65,
            "maxScore": 0.98,
            "count": 150,
            "overTime": [{"date": "2024-01-01", "count": 10}, {"date": "2024-01-02", "count": 15}],
            "averageOverTime": [
                {"date": "2024-01-01", "value": 0.82},
                {"date": "2024-01-02", "value": 0.87},
            ],
        }
    ],
    "error": None,
}
# Shapes Helicone really sends (SEMANTICS.md §2-§5, §1.5).
SCORES_RESPONSE = {
    "data": [
        {"created_at_trunc": "2024-01-01T05:00:00.000Z", "score_key": "acc", "score_sum": 81.5},
        {"created_at_trunc": "2024-01-02T05:00:00.000Z", "score_key": "", "score_sum": 0},
    ],
    "error": None,
}
EVALS_NO_DATA_RESPONSE = {
    "data": [
        {
            "name": "helpful-hcone-bool",
            "averageScore": None,
            "minScore": 0,
            "maxScore": 0,
            "count": 0,
            "overTime": [{"date": "2024-01-01T00:00:00.000Z", "count": 0}],
            "averageOverTime": [{"date": "2024-01-01T00:00:00.000Z", "value": 0}],
        },
        {
            "name": "empty-window",
            "averageScore": None,
            "minScore": None,
            "maxScore": None,
            "count": 0,
            "overTime": [],
            "averageOverTime": [],
        },
    ],
    "error": None,
}
DISTRIBUTIONS_RESPONSE = {
    "data": [
        {
            "name": "helpful-hcone-bool",
            "distribution": [
                {"lower": 0, "upper": 0.5, "value": 2.75},
                {"lower": 0.5, "upper": 1, "value": 1.25},
            ],
        }
    ],
    "error": None,
}
SESSIONS_RESPONSE = {
    "data": {
        "session_count": [{"range_start": "1", "range_end": "2.5", "value": 3.25}],
        "session_duration": [{"range_start": "0", "range_end": "1e-7", "value": 1}],
        "session_cost": [],
        "average": {
            "session_cost": [{"average": None}],
            "session_duration": [{"average": 12.5}],
            "session_count": [{"average": None}],
        },
    },
    "error": None,
}
RESPONSES = [
    ("evals reference example", EndpointName.EVALS, EVALS_RESPONSE_EXAMPLE),
    ("scores with a filler row", EndpointName.SCORES, SCORES_RESPONSE),
    ("evals with no data", EndpointName.EVALS, EVALS_NO_DATA_RESPONSE),
    ("distributions", EndpointName.DISTRIBUTIONS, DISTRIBUTIONS_RESPONSE),
    ("sessions with null averages", EndpointName.SESSIONS, SESSIONS_RESPONSE),
    *(
        (f"error envelope ({name})", name, {"data": None, "error": "Invalid time filter"})
        for name in EndpointName
    ),
]


@pytest.mark.parametrize(("what", "name", "body"), RESPONSES, ids=[w for w, _, _ in RESPONSES])
def test_response_shapes_parse_and_match_the_spec(what: str, name, body) -> None:
    assert RESPONSE_SCHEMA[name].is_valid(body), what
    response = ENDPOINTS[name].response.model_validate_json(json.dumps(body))
    assert (response.data is None) == (body["data"] is None)
    assert response.error == body["error"]


def test_response_details_survive_parsing() -> None:
    scores = ENDPOINTS[EndpointName.SCORES].response.model_validate(SCORES_RESPONSE)
    assert [row.is_filler for row in scores.data] == [False, True]
    evals = ENDPOINTS[EndpointName.EVALS].response.model_validate(EVALS_NO_DATA_RESPONSE)
    assert evals.data[0].average_score is None
    sessions = ENDPOINTS[EndpointName.SESSIONS].response.model_validate(SESSIONS_RESPONSE)
    assert sessions.data.session_duration[0].range_end == "1e-7"
    assert sessions.data.average.session_cost[0].average is None


# --------------------------------------------------------------------------- long chains


def _deep_stack(work: Any) -> Any:
    """Run `work` where a recursive validator (jsonschema) can descend thousands of levels."""
    import sys
    import threading

    result: dict[str, Any] = {}

    def run() -> None:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(100_000)
        try:
            result["value"] = work()
        except BaseException as exc:  # handed to the test's thread
            result["error"] = exc
        finally:
            sys.setrecursionlimit(limit)

    old = threading.stack_size(512 * 1024 * 1024)
    try:
        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
    finally:
        threading.stack_size(old)
    if "error" in result:
        raise result["error"]
    return result["value"]


def _long_chain(count: int) -> Group:
    kinds = [
        lambda i: Condition("status", "equals", 200 + i),
        lambda i: Condition("model", "not-equals", f"m{i}"),
        lambda i: Condition("properties", "equals", f"v{i}", key="environment"),
        lambda i: Condition("request_created_at", "gte", "2026-11-01T00:00:00.000Z"),
    ]
    return Group("and", tuple(kinds[i % 4](i) for i in range(count)))


@pytest.mark.parametrize("name", list(EndpointName))
def test_a_1000_condition_chain_is_a_request_the_strict_spec_takes(name: EndpointName) -> None:
    from tui.api import wirejson
    from tui.api.timerange import Window
    from tui.query.requests import build_request

    tree = _long_chain(1000)
    window = Window(datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 2, tzinfo=UTC))
    request = build_request(name, tree, window)
    body = request.to_wire()
    wire = to_wire(tree, sessions=ENDPOINTS[name].sessions)
    # (compared as text: == on dicts 1,000 deep recurses past Python's limit)
    assert wirejson.dumps(_filter_of(name, body)) == wirejson.dumps(wire)
    # as sent (JSON text, over 1,000 levels deep) it reads back as the same request and tree
    text = wirejson.dumps(body, separators=(",", ":"))
    received = ENDPOINTS[name].request.from_wire(wirejson.loads(text, max_depth=1100))
    assert received == request
    assert wirejson.dumps(received.to_wire(), separators=(",", ":")) == text
    assert from_wire(_filter_of(name, received.to_wire())) == (tree, [])
    # and Helicone's strict spec agrees
    assert _deep_stack(lambda: [e.message for e in REQUEST_SCHEMA[name].iter_errors(body)]) == []


def test_a_bad_leaf_deep_in_a_chain_is_refused_at_its_place() -> None:
    wire = to_wire(_long_chain(600))
    node = wire
    for _ in range(599):
        node = node["right"] if "right" in node["right"] else node
        if "right" not in node["right"]:
            break
    node["right"] = {"request_response_rmt": {"model": {"equals": 5}}}
    body = {**SCORES_BASE, "userFilter": wire}
    with pytest.raises(ValidationError) as info:
        ScoresQuery.from_wire(body)
    (error,) = info.value.errors()
    assert error["loc"] == ("userFilter", *("branch", "right") * 599, "leaf",
                            "request_response_rmt", "model", "equals")
    assert error["type"] == "string_type"
    assert not _deep_stack(lambda: REQUEST_SCHEMA[EndpointName.SCORES].is_valid(body))
