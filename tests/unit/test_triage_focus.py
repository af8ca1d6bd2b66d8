"""Where in a shift's span triage samples the requests to attribute it (triage_attribution's
step 0): the most extreme finer bucket and its neighbours at least half as far out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tui.api.timerange import Window
from tui.query.triage_attribution import focus_of

T0 = datetime(2026, 11, 18, 5, tzinfo=UTC)
HOURS = [T0 + timedelta(hours=i) for i in range(24)]
DAY = Window(T0, T0 + timedelta(days=1))


def test_a_spike_inside_a_day_is_sampled_in_its_hours() -> None:
    values: list[float | None] = [10.0] * 24
    values[5:9] = [40.0, 42.0, 39.0, 41.0]
    assert focus_of(HOURS, values, True, DAY) == Window(HOURS[5], HOURS[9])


def test_a_drop_looks_for_the_lowest_and_gaps_are_not_values() -> None:
    values: list[float | None] = [80.0] * 24
    values[3] = None
    values[20:] = [50.0, 52.0, 51.0, 49.0]
    assert focus_of(HOURS, values, False, DAY) == Window(HOURS[20], DAY.end)


def test_nothing_stands_out_or_nothing_known_is_the_whole_span() -> None:
    assert focus_of(HOURS, [5.0] * 24, True, DAY) == DAY
    assert focus_of(HOURS, [None] * 24, True, DAY) == DAY


def test_the_focus_stays_inside_the_span() -> None:
    span = Window(HOURS[2] + timedelta(minutes=30), HOURS[6] + timedelta(minutes=10))
    values: list[float | None] = [1.0] * 24
    values[1:8] = [9.0] * 7
    focus = focus_of(HOURS, values, True, span)
    assert focus == span
