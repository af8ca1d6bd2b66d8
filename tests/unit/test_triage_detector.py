"""Triage's detector on synthetic series: a step, a spike, a ramp, noise only, gaps; and the
thresholds the config file may change."""

from __future__ import annotations

import random

import pytest

from tui.query.triage_detect import Thresholds, detect

pytest.importorskip("ruptures")


def noise(n: int, mean: float, sd: float, seed: int) -> list[float | None]:
    r = random.Random(seed)
    return [mean + r.gauss(0, sd) for _ in range(n)]


def test_a_step_up_lasts_to_the_end() -> None:
    shift = detect(noise(20, 10, 0.5, 1) + noise(10, 20, 0.5, 2))
    assert shift is not None
    assert (shift.start, shift.end, shift.direction) == (20, None, "up")
    assert shift.baseline == pytest.approx(10, abs=0.5)
    assert shift.value == pytest.approx(20, abs=0.5)
    assert shift.ratio == pytest.approx(2, abs=0.1)


def test_a_step_down_a_score_drop() -> None:
    shift = detect(noise(22, 84, 0.3, 3) + noise(8, 61, 0.3, 4))
    assert shift is not None
    assert (shift.start, shift.end, shift.direction) == (22, None, "down")
    assert shift.ratio == pytest.approx(61 / 84, abs=0.02)


def test_a_spike_has_its_end_and_is_one_finding() -> None:
    shift = detect([*noise(15, 10, 0.5, 5), 40.0, 38.0, *noise(13, 10, 0.5, 6)])
    assert shift is not None
    assert (shift.start, shift.end, shift.direction) == (15, 17, "up")  # end: back to normal
    assert shift.value == pytest.approx(39)


def test_a_ramp_is_found_within_it() -> None:
    ramp = [10.0 + 2 * i for i in range(10)]
    shift = detect(noise(15, 10, 0.5, 7) + ramp + noise(10, 30, 0.5, 8))
    assert shift is not None
    assert shift.direction == "up"
    assert 15 <= shift.start < 25  # somewhere on the ramp, not before it
    assert shift.end is None


@pytest.mark.parametrize("seed", range(30))
def test_noise_only_finds_nothing(seed: int) -> None:
    assert detect(noise(40, 10, 1.0, seed)) is None


def test_a_small_change_is_not_a_finding() -> None:
    # No noise to speak of, but only +10 %: below min_change, and within the spread's floor
    # (2 % of the baseline: a z of 5).
    series = noise(20, 100, 0.01, 9) + noise(10, 110, 0.01, 10)
    assert detect(series) is None
    assert detect(series, Thresholds().updated({"min_change": 0.05})) is None
    assert detect(series, Thresholds().updated({"min_change": 0.05,
                                                "spread_floor": 0.001})) is not None


def test_gaps_are_skipped_and_indexes_kept() -> None:
    values = [10.0, None, 10.2, 9.9, None, 10.1, 9.8, None, 30.0, 31.0, None, 30.5]
    shift = detect(values)
    assert shift is not None
    assert (shift.start, shift.end) == (8, None)  # the bucket index, gaps counted
    spike = [10.0, 10.1, None, 9.9, 10.0, 10.2, 25.0, None, 10.1, 9.9]
    found = detect(spike)
    assert found is not None and (found.start, found.end) == (6, 8)  # ends at the next value


def test_too_few_buckets_or_flat_finds_nothing() -> None:
    assert detect([1.0, 1.0, 50.0]) is None
    assert detect([5.0] * 30) is None
    assert detect([None] * 30) is None
    assert detect([]) is None


def test_min_baseline_and_min_z_from_the_config_names() -> None:
    assert set(Thresholds.names()) == {"min_z", "min_change", "spread_floor", "min_baseline",
                                       "max_breaks", "min_requests"}
    series = noise(20, 10, 1.0, 11) + noise(10, 14, 1.0, 12)  # +40 %, about 4 spreads
    assert detect(series) is None
    assert detect(series, Thresholds().updated({"min_z": 2})) is not None


def test_a_shift_over_too_few_requests_is_none() -> None:
    # One hour by minute: a dozen requests a minute, no errors, then three minutes with one each.
    rates = [0.0] * 44 + [1 / 12] * 3 + [0.0] * 13
    few = [12.0] * 60
    assert detect(rates) is not None  # without the volume, any blip over a zero baseline counts
    assert detect(rates, support=few) is None  # 36 requests: fewer than min_requests (100)
    assert detect(rates, Thresholds().updated({"min_requests": 30}), support=few) is not None
    many = [500.0] * 60  # the same rates over 1,500 requests: a finding
    shift = detect(rates, support=many)
    assert shift is not None and (shift.start, shift.end) == (44, 47)


def test_a_burst_early_in_the_window_has_the_buckets_after_it_as_baseline() -> None:
    # Seven days by day, the burst on the third: two buckets before it, four after.
    rates = [0.018, 0.017, 0.133, 0.018, 0.019, 0.018, 0.017]
    shift = detect(rates, support=[10_000.0] * 7)
    assert shift is not None and (shift.start, shift.end) == (2, 3)
    assert shift.direction == "up" and 0.017 <= shift.baseline <= 0.019
    # Still going at the window's end: nothing after it to compare, and two before are too few.
    assert detect([0.018, 0.017, 0.133, 0.13, 0.135, 0.131, 0.134]) is None


def test_the_error_rate_is_pooled_over_the_requests() -> None:
    # A dozen requests a minute and one error in every fourth minute (2%): most minutes say 0%.
    before = [1 / 12 if i % 4 == 0 else 0.0 for i in range(46)]
    after = [1 / 12 if i % 6 == 0 else 0.0 for i in range(14)]  # 1.2%: no worse than before
    rates, few = before + after, [12.0] * 60
    median_says = detect(rates, Thresholds().updated({"min_requests": 0}), support=few)
    assert median_says is not None and median_says.baseline == 0  # "0% -> 1.2%": up
    assert detect(rates, support=few, rate=True) is None
    # A real burst: half the requests fail for five minutes (of 30 requests each: 150, over
    # min_requests; of a dozen each it would be too few to say).
    burst = before + [0.5] * 5 + [0.0] * 9
    assert detect(burst, support=few, rate=True) is None
    shift = detect(burst, support=[30.0] * 60, rate=True)
    assert shift is not None and (shift.start, shift.end) == (46, 51)
    assert shift.direction == "up" and 0.015 < shift.baseline < 0.025
