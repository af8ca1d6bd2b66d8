"""Compare with the previous period: windows per endpoint bounds, the paired request, changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tui.api.models import EndpointName, ScoresQuery, SessionMetricsQuery
from tui.api.timerange import Window, epoch_ms, iso_z
from tui.filters.text import parse
from tui.query.compare import (
    aligned,
    delta,
    format_delta,
    format_percent,
    percent_change,
    previous_request,
    previous_window,
)
from tui.query.requests import QueryOptions, build_request

START = datetime(2026, 11, 19, 12, tzinfo=UTC)
END = datetime(2026, 11, 20, 12, tzinfo=UTC)
DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)


@pytest.mark.parametrize("endpoint", ["scores", "evals"])
def test_inclusive_windows_step_back_without_sharing_the_start_instant(endpoint: str) -> None:
    before = previous_window(endpoint, Window(START, END))
    assert before.start == START - DAY  # shifted back by exactly the length
    assert before.end == START - SECOND  # [start, end] both count: the start is not repeated
    assert before.end < START


def test_distributions_step_back_exactly_its_half_open_window() -> None:
    before = previous_window(EndpointName.DISTRIBUTIONS, Window(START, END))
    assert (before.start, before.end) == (START - DAY, START)  # [s-L, s) then [s, e): a tiling


def test_sessions_step_back_exactly_their_open_window() -> None:
    before = previous_window(EndpointName.SESSIONS, Window(START, END))
    assert (before.start, before.end) == (START - DAY, END - DAY)


@pytest.mark.parametrize("length", [timedelta(minutes=15), timedelta(hours=7), 30 * DAY])
def test_any_length_steps_back_by_that_length(length: timedelta) -> None:
    window = Window(END - length, END)
    for endpoint in EndpointName:
        before = previous_window(endpoint, window)
        assert before.start == window.start - length
        assert before.end <= window.start


def test_a_one_second_window_still_has_a_disjoint_previous_one() -> None:
    window = Window(END - SECOND, END)
    before = previous_window("scores", window)
    assert before.end < window.start and before.length == SECOND


def test_the_previous_scores_request_changes_only_its_window() -> None:
    window = Window(END - timedelta(hours=6), END)
    # 6 h: Helicone's web rule says "hour"; the previous window is 1 s shorter, where the same
    # rule would say "min": the increment must be the current request's, so the buckets match.
    current = build_request(EndpointName.SCORES, parse("model = 'gpt-4'"), window)
    assert isinstance(current, ScoresQuery) and current.db_increment.value == "hour"
    paired = previous_request(EndpointName.SCORES, current, window)
    assert paired.current is current
    before = paired.previous.to_wire()
    now = current.to_wire()
    assert before["timeFilter"] == {
        "start": iso_z(window.start - timedelta(hours=6)),
        "end": iso_z(window.start - SECOND),
    }
    assert {k: v for k, v in before.items() if k != "timeFilter"} == {
        k: v for k, v in now.items() if k != "timeFilter"
    }
    assert paired.previous_window == Window(window.start - timedelta(hours=6),
                                            window.start - SECOND)


def test_the_previous_sessions_request_uses_epoch_milliseconds() -> None:
    window = Window(START, END)
    options = QueryOptions(session_name="checkout")
    current = build_request(EndpointName.SESSIONS, parse("all"), window, options)
    assert isinstance(current, SessionMetricsQuery)
    paired = previous_request("sessions", current, window)
    body = paired.previous.to_wire()
    assert body["timeFilter"] == {
        "startTimeUnixMs": epoch_ms(START - DAY),
        "endTimeUnixMs": epoch_ms(START),
    }
    assert body["nameContains"] == "checkout"


def test_changes_say_nothing_when_a_side_has_no_data() -> None:
    assert delta(0.8, 0.5) == pytest.approx(0.3)
    assert delta(None, 0.5) is None and delta(0.5, None) is None
    assert delta(float("nan"), 1.0) is None
    assert percent_change(150.0, 100.0) == pytest.approx(50.0)
    assert percent_change(50.0, -100.0) == pytest.approx(150.0)  # relative to the size of before
    assert percent_change(1.0, 0.0) is None  # no % of nothing
    assert format_percent(None) == "n/a"
    assert format_percent(12.345) == "+12.3%" and format_percent(-250.0) == "-250%"
    assert format_percent(-0.0412) == "-0.041%" and format_percent(0.0) == "0%"
    assert format_delta(None) == "-"
    assert format_delta(0.035, scale=100.0, unit="pp") == "+3.5pp"
    assert format_delta(-0.25) == "-0.25"
    assert format_delta(0.0) == "0"


def test_buckets_pair_with_the_previous_period_one_length_before() -> None:
    hour = timedelta(hours=1)
    window = Window(START, START + 3 * hour)
    before = previous_window("scores", window)
    # Inclusive ends: the current answer has a bucket for its end instant; the previous window,
    # one second short, has none there.
    current = tuple(START + i * hour for i in range(4))
    previous = tuple(before.start + i * hour for i in range(3))
    assert aligned(current, previous, window.length, before.end) == [0, 1, 2, None]
    # Day buckets start before the window (local midnight): they still pair by containment.
    day_start = datetime(2026, 11, 19, 5, tzinfo=UTC)
    window = Window(START, START + 2 * DAY)
    before = previous_window("scores", window)
    current = (day_start, day_start + DAY, day_start + 2 * DAY)
    previous = (day_start - 2 * DAY, day_start - DAY, day_start)
    assert aligned(current, previous, window.length, before.end) == [0, 1, 2]
    # A previous answer without a bucket that early: nothing to pair with.
    assert aligned(current, previous[1:], window.length, before.end) == [None, 0, 1]
