"""A bounded, schema-driven fuzz run: bodies built over the field catalogue, valid or nearly so.

The server must answer every one promptly, in one of Helicone's shapes, with a 5xx only where
Helicone gives one: the generic 500 of a filter its builder throws on, and the 500
`{data: null, error}` of evals, distributions and session metrics (scores errors are 200).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from demo_helpers import DISTRIBUTIONS, EVALS, SCORES, SESSIONS, Client, assert_matches_spec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.api.fields import FieldType, fields_for

pytestmark = pytest.mark.demo

FUZZ = settings(
    max_examples=40, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
INTERNAL = {"message": "Internal Server Error", "details": "Internal Server Error"}
ALL_OPS = ("equals", "not-equals", "gt", "gte", "lt", "lte", "like", "ilike", "contains",
           "not-contains")

texts = st.one_of(
    st.sampled_from(["null", "__empty__", "%", "_", "gpt", "production", "a'b", "", "VIP",
                     "Support Chat", "user-7", "\\", "'; DROP TABLE tags; --"]),
    st.text(max_size=10),
)
numbers = st.one_of(
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, 200, 500, 0.5, 2.5, 1e21, "200", "1.5"]),
)
_base = datetime(2026, 10, 15, tzinfo=UTC)
instants = st.integers(0, 40 * 24 * 60).map(lambda m: _base + timedelta(minutes=m))
timestamps = st.one_of(
    instants.map(lambda t: t.isoformat().replace("+00:00", "Z")),
    st.sampled_from(["2024-01-01", "2026-11-19T10:00:00.123+02:00", "not-a-date", ""]),
)
VALUES = {FieldType.TEXT: texts, FieldType.NUMBER: numbers, FieldType.TIMESTAMP: timestamps,
          FieldType.BOOLEAN: st.booleans()}
map_keys = st.one_of(st.sampled_from(["environment", "Helicone-Session-Id", "accuracy",
                                      "helicone-score-feedback", "customer-tier"]),
                     st.text(max_size=8))


@st.composite
def operator_object(draw: Any, info: Any) -> dict[str, Any]:
    value_type = FieldType.TEXT if info.is_map else info.type
    # Mostly the field's own operators; now and then any operator (a 422) or none (a 500).
    any_op = draw(st.integers(0, 9)) == 4  # middle values: Hypothesis favours the ends
    ops = draw(st.lists(
        st.sampled_from(ALL_OPS if any_op else info.operators),
        min_size=0 if draw(st.integers(0, 19)) == 7 else 1, max_size=2, unique=True))
    return {op: draw(VALUES[value_type]) for op in ops}


@st.composite
def leaf(draw: Any, sessions: bool) -> Any:
    fields = fields_for(sessions)
    chosen = draw(st.lists(st.sampled_from(fields), min_size=1, max_size=2,
                           unique_by=lambda f: f.name))
    node: dict[str, dict[str, Any]] = {}
    for info in chosen:
        table = node.setdefault(info.table.value, {})
        if info.is_map:
            table[info.name] = {draw(map_keys): draw(operator_object(info))}
        else:
            table[info.name] = draw(operator_object(info))
    return node


def filters(sessions: bool) -> Any:
    base = st.one_of(st.just("all"), st.just({}), leaf(sessions))
    return st.recursive(
        base,
        lambda children: st.fixed_dictionaries({
            "left": children, "operator": st.sampled_from(["and", "or"]), "right": children}),
        max_leaves=4,
    )


@st.composite
def windows(draw: Any) -> dict[str, Any]:
    if draw(st.integers(0, 9)) == 5:
        return {"start": draw(timestamps), "end": draw(timestamps)}
    start = draw(instants)
    end = start + timedelta(minutes=draw(st.integers(-60, 3 * 24 * 60)))
    fmt = "%Y-%m-%dT%H:%M:%S.000Z"
    return {"start": start.strftime(fmt), "end": end.strftime(fmt)}


tz_values = st.one_of(st.integers(-1500, 1500), st.sampled_from([0, 300, -60, 330.5]))


def maybe_broken(body: st.SearchStrategy[dict[str, Any]]) -> Any:
    """Mostly valid bodies; now and then an extra or a missing key."""
    @st.composite
    def build(draw: Any) -> dict[str, Any]:
        value = dict(draw(body))
        damage = draw(st.integers(0, 14))
        if damage == 5:
            value["unexpected"] = 1
        elif damage == 9 and value:
            value.pop(draw(st.sampled_from(sorted(value))))
        return value
    return build()


scores_bodies = maybe_broken(st.fixed_dictionaries({
    "userFilter": filters(False), "timeFilter": windows(),
    "dbIncrement": st.sampled_from(["min", "hour", "day", "week", "month", "year", "days"]),
    "timeZoneDifference": tz_values,
}))
eval_bodies = maybe_broken(st.fixed_dictionaries(
    {"filter": filters(False), "timeFilter": windows()},
    optional={"offset": numbers, "limit": numbers, "timeZoneDifference": tz_values},
))
_ms = instants.map(lambda t: int(t.timestamp() * 1000))
session_bodies = maybe_broken(st.fixed_dictionaries(
    {"nameContains": st.one_of(st.just(""), texts), "timezoneDifference": tz_values},
    optional={
        "pSize": st.sampled_from(["p50", "p75", "p95", "p99", "p99.9", "p100"]),
        "useInterquartile": st.booleans(),
        "timeFilter": st.fixed_dictionaries({"startTimeUnixMs": _ms, "endTimeUnixMs": _ms}),
        "filter": filters(True),
    },
))


def check(client: Client, path: str, body: dict[str, Any]) -> None:
    response = client.post(path, body)  # httpx times out after 60 s: a hang fails the test
    payload = response.json()
    assert response.status_code in (200, 422, 500), (response.status_code, body)
    if response.status_code == 200:
        assert_matches_spec(path, payload)
    elif response.status_code == 422:
        assert payload["message"] == "Validation Failed" and payload["details"]
    elif payload != INTERNAL:
        assert path != SCORES, (body, payload)  # scores errors are 200
        assert payload["data"] is None and isinstance(payload["error"], str), payload
        assert_matches_spec(path, payload)


@FUZZ
@given(body=scores_bodies)
def test_fuzz_scores(demo: Client, body: dict[str, Any]) -> None:
    check(demo, SCORES, body)


@FUZZ
@given(body=eval_bodies)
def test_fuzz_evals(demo: Client, body: dict[str, Any]) -> None:
    check(demo, EVALS, body)


@FUZZ
@given(body=eval_bodies)
def test_fuzz_distributions(demo: Client, body: dict[str, Any]) -> None:
    check(demo, DISTRIBUTIONS, body)


@FUZZ
@given(body=session_bodies)
def test_fuzz_sessions(demo: Client, body: dict[str, Any]) -> None:
    check(demo, SESSIONS, body)
