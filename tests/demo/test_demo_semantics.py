"""Helicone's semantics, quirks included, on the hand-built data set (tests/demo/demo_datasets.py).

Every expected value is worked out by hand from the rows and SEMANTICS.md.
"""

from __future__ import annotations

from typing import Any

import pytest
from demo_datasets import SCORE_NAMES
from demo_helpers import DISTRIBUTIONS, EVALS, SCORES, SESSIONS, Client

pytestmark = pytest.mark.demo

RMT = "request_response_rmt"


def scores(client: Client, start: str, end: str, user_filter: Any = "all",
           increment: str = "day", tz: float = 0) -> list[dict[str, Any]]:
    return client.data(SCORES, {
        "userFilter": user_filter, "timeFilter": {"start": start, "end": end},
        "dbIncrement": increment, "timeZoneDifference": tz,
    })


def day_average(client: Client, day: str, key: str, user_filter: Any) -> float | None:
    """The score_sum of `key` over one UTC day under `user_filter` (None: no such row)."""
    rows = scores(client, f"{day}T00:00:00Z", f"{day}T23:00:00Z", user_filter)
    values = [r["score_sum"] for r in rows if r["score_key"] == key]
    assert len(values) <= 1
    return values[0] if values else None


def leaf(**fields: Any) -> dict[str, Any]:
    return {RMT: fields}


# --------------------------------------------------------------------------- buckets


def test_score_sum_is_the_bucket_average_and_empty_buckets_are_filled(semantics: Client) -> None:
    rows = scores(semantics, "2024-03-01T00:00:00Z", "2024-03-03T00:00:00Z")
    assert rows == [
        # (2 + 5) / 2: the request without scores does not count.
        {"created_at_trunc": "2024-03-01T00:00:00.000Z", "score_key": "quality", "score_sum": 3.5},
        # No data on the 2nd: one WITH FILL row, key "" and 0.
        {"created_at_trunc": "2024-03-02T00:00:00.000Z", "score_key": "", "score_sum": 0},
        # The row at exactly the window's end is in: scores' window is [start, end].
        {"created_at_trunc": "2024-03-03T00:00:00.000Z", "score_key": "quality", "score_sum": 7},
    ]


def test_time_zone_300_buckets_by_new_york_days(semantics: Client) -> None:
    # 03:00Z is 22:00 on the 9th in UTC-5; 06:00Z is 01:00 on the 10th. Each bucket is reported
    # as the UTC instant of its local midnight.
    rows = scores(semantics, "2024-03-10T00:00:00Z", "2024-03-10T23:59:59Z", tz=300)
    assert rows == [
        {"created_at_trunc": "2024-03-09T05:00:00.000Z", "score_key": "tzs", "score_sum": 10},
        {"created_at_trunc": "2024-03-10T05:00:00.000Z", "score_key": "tzs", "score_sum": 20},
    ]


def test_time_zone_minus_60_buckets_by_central_european_days(semantics: Client) -> None:
    # Both rows fall on the 10th in UTC+1 (local midnight = 23:00Z the day before); the window's
    # end, 23:59:59Z, is already the 11th locally, so that day is a filler row.
    rows = scores(semantics, "2024-03-10T00:00:00Z", "2024-03-10T23:59:59Z", tz=-60)
    assert rows == [
        {"created_at_trunc": "2024-03-09T23:00:00.000Z", "score_key": "tzs", "score_sum": 15},
        {"created_at_trunc": "2024-03-10T23:00:00.000Z", "score_key": "", "score_sum": 0},
    ]


# --------------------------------------------------------------------------- window ends

WINDOW = ("2024-04-01T00:00:00Z", "2024-04-02T00:00:00Z")
WINDOW_MS = {"startTimeUnixMs": 1711929600000, "endTimeUnixMs": 1712016000000}


def test_scores_window_includes_both_ends(semantics: Client) -> None:
    rows = scores(semantics, *WINDOW)
    edge = {r["created_at_trunc"][:10]: r["score_sum"] for r in rows if r["score_key"] == "edge"}
    assert edge == {"2024-04-01": 1, "2024-04-02": 3}


def test_evals_window_includes_both_ends_in_hour_buckets(semantics: Client) -> None:
    evals = {e["name"]: e for e in semantics.data(EVALS, {
        "filter": "all", "timeFilter": {"start": WINDOW[0], "end": WINDOW[1]}})}
    edge = evals["edge"]
    assert len(edge["overTime"]) == 25  # 00:00 on the 1st .. 00:00 on the 2nd, hourly
    assert edge["overTime"][0] == {"date": "2024-04-01T00:00:00.000Z", "count": 1}
    assert edge["overTime"][-1] == {"date": "2024-04-02T00:00:00.000Z", "count": 1}
    assert edge["count"] == 2


def test_distributions_window_excludes_its_end(semantics: Client) -> None:
    data = semantics.data(DISTRIBUTIONS, {
        "filter": "all", "timeFilter": {"start": WINDOW[0], "end": WINDOW[1]}})
    edge = next(d for d in data if d["name"] == "edge")
    assert edge["distribution"] == [{"lower": 1, "upper": 1, "value": 1}]  # the 3 at end is out


def test_sessions_window_excludes_both_ends(semantics: Client) -> None:
    data = semantics.data(SESSIONS, {
        "nameContains": "", "timezoneDifference": 0, "timeFilter": WINDOW_MS})
    # Only edge-mid is left: 3 requests from 05:00 to 12:00, $0.001 + $0.001 + $0.0025.
    assert data["session_count"] == [{"range_start": "3", "range_end": "3", "value": 1}]
    assert data["session_duration"] == [
        {"range_start": "25200", "range_end": "25200", "value": 1}]
    assert data["average"] == {
        "session_cost": [{"average": 0.0045}],
        "session_duration": [{"average": 25200}],
        "session_count": [{"average": 3}],
    }


# --------------------------------------------------------------------------- evals quirks


def test_evals_average_min_max_quirks(semantics: Client) -> None:
    evals = {e["name"]: e for e in semantics.data(EVALS, {
        "filter": "all", "timeFilter": {"start": WINDOW[0], "end": WINDOW[1]},
        "offset": 5, "limit": 1})}  # both ignored by Helicone
    edge, neg = evals["edge"], evals["neg"]
    # averageScore = sum of hourly averages / count: (1 + 3) / 2 = 2 here, but for neg the two
    # values share an hour (average -3), so -3 / 2 = -1.5 while the true mean is -3.
    assert edge["averageScore"] == 2
    assert neg["averageScore"] == -1.5
    # Hours without the score count as 0: min of positives and max of negatives clamp to 0.
    assert (edge["minScore"], edge["maxScore"]) == (0, 3)
    assert (neg["minScore"], neg["maxScore"]) == (-4, 0)
    assert neg["averageOverTime"][5] == {"date": "2024-04-01T05:00:00.000Z", "value": -3}


def test_evals_list_every_all_time_name_in_byte_order(semantics: Client) -> None:
    data = semantics.data(EVALS, {
        "filter": "all",
        "timeFilter": {"start": "2023-01-01T00:00:00Z", "end": "2023-01-01T02:00:00Z"}})
    assert [e["name"] for e in data] == SCORE_NAMES  # names come from all time, not the window
    for item in data:  # no data in the window: NaN average -> null, zeros elsewhere
        assert item["averageScore"] is None
        assert (item["minScore"], item["maxScore"], item["count"]) == (0, 0, 0)
        assert [p["count"] for p in item["overTime"]] == [0, 0, 0]


# --------------------------------------------------------------------------- filters


def test_only_the_first_field_of_a_leaf_counts(semantics: Client) -> None:
    day = "2024-05-01"
    # model is first: latency >= 1000 is ignored, so alpha (ff 1) matches although its
    # latency is 100.
    both = leaf(model={"equals": "alpha"}, latency={"gte": 1000})
    assert day_average(semantics, day, "ff", both) == 1
    # Key order decides: latency first, model ignored: only gamma has latency < 80.
    assert day_average(semantics, day, "ff", leaf(latency={"lt": 80},
                                                  model={"equals": "beta"})) == 4


def test_only_the_first_operator_counts(semantics: Client) -> None:
    # gte 60 applies, lte 200 is ignored: alpha (100) and beta (5000), (1 + 2) / 2.
    assert day_average(semantics, "2024-05-01", "ff", leaf(latency={"gte": 60, "lte": 200})) == 1.5


def test_special_fields_win_whatever_the_key_order(semantics: Client) -> None:
    # cost outranks model even when written second: every request costs >= 0 -> all three.
    assert day_average(semantics, "2024-05-01", "ff",
                       leaf(model={"equals": "alpha"}, cost={"gte": 0})) == pytest.approx(7 / 3)
    # properties outranks model: env = x is gamma only.
    assert day_average(semantics, "2024-05-01", "ff",
                       leaf(model={"equals": "alpha"},
                            properties={"env": {"equals": "x"}})) == 4


@pytest.mark.parametrize(("operator", "value", "expected"), [
    ("contains", "alice", 7 / 3),  # ILIKE '%alice%': Alice_Smith, alice-jones, MALICE
    ("like", "alice%", 2),  # case-sensitive, the user's own %: alice-jones
    ("ilike", "alice%", 1.5),  # case-insensitive prefix: Alice_Smith, alice-jones
    ("like", "%ALICE", 4),  # MALICE
    ("contains", "e_s", 1),  # _ is a wildcard: "e_S" in Alice_Smith
    ("not-contains", "alice", 8),  # bob
    ("equals", "bob", 8),
])
def test_contains_like_ilike(semantics: Client, operator: str, value: str,
                             expected: float) -> None:
    got = day_average(semantics, "2024-05-10", "txt", leaf(user_id={operator: value}))
    assert got == pytest.approx(expected)


def test_missing_property_reads_as_empty(semantics: Client) -> None:
    day = "2024-05-20"
    def by(ops: dict[str, str]) -> float | None:
        return day_average(semantics, day, "mp", leaf(properties={"env": ops}))
    assert by({"not-equals": "prod"}) == 3  # dev (2) and the request without env (4)
    assert by({"not-contains": "pro"}) == 3
    assert by({"equals": ""}) == 4
    assert day_average(semantics, day, "mp", leaf(property_key={"equals": "env"})) == 1.5


def test_cost_is_in_usd_and_bound_as_int32(semantics: Client) -> None:
    day = "2024-05-25"  # costs $0.5 (cu 1), $1.5 (cu 2), $2.5 (cu 4)
    def by(ops: dict[str, float]) -> float | None:
        return day_average(semantics, day, "cu", leaf(cost=ops))
    assert by({"gte": 1}) == 3  # 1e9 nano-USD: $1.5 and $2.5
    assert by({"equals": 1.5}) == 2
    assert by({"gte": 0.5}) == pytest.approx(7 / 3)
    # 2.2e9 does not fit an Int32: it wraps to -2094967296, so "cost > $2.2" matches everything.
    assert by({"gt": 2.2}) == pytest.approx(7 / 3)


@pytest.mark.parametrize(("ops", "expected"), [
    ({"equals": "null"}, 1),  # country_code is null
    ({"not-equals": "null"}, 3),  # US (2) and "" (4)
    ({"equals": "__empty__"}, 4),  # empty(country_code)
    ({"equals": "US"}, 2),
])
def test_special_values_on_plain_columns(semantics: Client, ops: dict[str, str],
                                         expected: float) -> None:
    assert day_average(semantics, "2024-08-01", "sv", leaf(country_code=ops)) == expected


def test_null_with_other_operators_never_matches(semantics: Client) -> None:
    rows = scores(semantics, "2024-08-01T00:00:00Z", "2024-08-01T23:00:00Z",
                  leaf(country_code={"like": "null"}))
    assert rows == [{"created_at_trunc": "2024-08-01T00:00:00.000Z", "score_key": "",
                     "score_sum": 0}]


def test_feedback_false_also_matches_unscored_requests(semantics: Client) -> None:
    day = "2024-08-05"
    feedback = "helicone-score-feedback"
    assert day_average(semantics, day, "fbx", leaf(**{feedback: {"equals": False}})) == 3
    assert day_average(semantics, day, "fbx", leaf(**{feedback: {"equals": True}})) == 1


def test_cached_means_a_cache_reference(semantics: Client) -> None:
    assert day_average(semantics, "2024-08-10", "ck", leaf(cached={"equals": True})) == 2
    assert day_average(semantics, "2024-08-10", "ck", leaf(cached={"equals": False})) == 1


# --------------------------------------------------------------------------- histograms


def test_histogram_worked_examples(semantics: Client) -> None:
    data = semantics.data(DISTRIBUTIONS, {
        "filter": "all",
        "timeFilter": {"start": "2024-06-01T00:00:00Z", "end": "2024-06-02T00:00:00Z"}})
    assert data == [
        # 3 x 0 and 1 x 1: two bins with smoothed heights 2.75 and 1.25 (sum 4).
        {"name": "hb-hcone-bool", "distribution": [
            {"lower": 0, "upper": 0.5, "value": 2.75}, {"lower": 0.5, "upper": 1, "value": 1.25}]},
        # One distinct value: one bin [v, v] holding all of them.
        {"name": "single", "distribution": [{"lower": 5, "upper": 5, "value": 3}]},
    ]


SESSIONS_WINDOW = {"startTimeUnixMs": 1719792000000, "endTimeUnixMs": 1719878400000}  # 07-01


def session_metrics(client: Client, **options: Any) -> dict[str, Any]:
    body = {"nameContains": "", "timezoneDifference": 0, "timeFilter": SESSIONS_WINDOW}
    body.update(options)
    return client.data(SESSIONS, body)


def bins(*edges: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"range_start": lo, "range_end": hi, "value": 1} for lo, hi in edges]


def test_percentile_trimming(semantics: Client) -> None:
    # Sessions of 1, 2, 3, 4 and 10 requests. p75 = quantile(0.75) = 4, so 10 is dropped and
    # histogram(10) of 1, 2, 3, 4 gives one bin per value, edges at the midpoints.
    data = session_metrics(semantics)
    assert data["session_count"] == bins(("1", "1.5"), ("1.5", "2.5"), ("2.5", "3.5"), ("3.5", "4"))
    # Averages are over all sessions, trimmed or not: (1 + 2 + 3 + 4 + 10) / 5.
    assert data["average"]["session_count"] == [{"average": 4}]
    # p50 = 3 keeps 1, 2, 3.
    assert session_metrics(semantics, pSize="p50")["session_count"] == bins(
        ("1", "1.5"), ("1.5", "2.5"), ("2.5", "3"))


def test_percentile_trimming_with_interquartile(semantics: Client) -> None:
    # p75 with interquartile keeps quantile(0.25) = 2 .. quantile(0.75) = 4.
    data = session_metrics(semantics, useInterquartile=True)
    assert data["session_count"] == bins(("2", "2.5"), ("2.5", "3.5"), ("3.5", "4"))
    # p50 with interquartile keeps only sessions equal to the median.
    data = session_metrics(semantics, pSize="p50", useInterquartile=True)
    assert data["session_count"] == bins(("3", "3"))
    assert data["average"]["session_count"] == [{"average": 4}]


# --------------------------------------------------------------------------- sessions

JULY_10 = {"startTimeUnixMs": 1720569600000, "endTimeUnixMs": 1720656000000}


def averages(client: Client, **options: Any) -> dict[str, Any]:
    body = {"nameContains": "", "timezoneDifference": 0, "timeFilter": JULY_10}
    body.update(options)
    data = client.data(SESSIONS, body)
    return {key: rows[0]["average"] for key, rows in data["average"].items()}


def test_requests_without_a_session_form_the_empty_session(semantics: Client) -> None:
    # Three requests with no session id (01:00-03:00) and s-x (2 requests, 04:00-05:00):
    # two sessions, so the average is (3 + 2) / 2, durations (7200 + 3600) / 2.
    assert averages(semantics) == {
        "session_cost": 0.0025, "session_duration": 5400, "session_count": 2.5}


def test_session_name_is_an_exact_match(semantics: Client) -> None:
    assert averages(semantics, nameContains="Checkout")["session_count"] == 2
    assert averages(semantics, nameContains="checkout") == {
        "session_cost": None, "session_duration": None, "session_count": None}


def test_session_tag_contains_is_an_exact_case_insensitive_match(semantics: Client) -> None:
    def tagged(ops: dict[str, str]) -> Any:
        body = {"sessions_request_response_rmt": {"session_tag": ops}}
        return averages(semantics, filter=body)["session_count"]
    assert tagged({"contains": "vip"}) == 2  # tag "VIP" on s-x
    assert tagged({"equals": "VIP"}) == 2
    assert tagged({"contains": "vi"}) is None  # no % wrapping: not a substring search


def test_other_session_fields_are_ignored(semantics: Client) -> None:
    ignored = {"sessions_request_response_rmt": {"session_total_cost": {"gt": 1000}}}
    assert averages(semantics, filter=ignored)["session_count"] == 2.5
