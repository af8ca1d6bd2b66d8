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
                                       "max_breaks"}
    series = noise(20, 10, 1.0, 11) + noise(10, 14, 1.0, 12)  # +40 %, about 4 spreads
    assert detect(series) is None
    assert detect(series, Thresholds().updated({"min_z": 2})) is not None
