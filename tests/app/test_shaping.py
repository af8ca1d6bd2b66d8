"""Pure tests: point reduction, ticks, spark lines, the scores pivot, the evals' honest numbers."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tui.api.models import Eval, ScoreRow
from tui.screens.eval_stats import eval_row, search, shape_evals, sort_rows
from tui.screens.score_series import is_boolean, label, pivot, shape_scores
from tui.widgets.spark import spark
from tui.widgets.timeseries import (
    ChartData,
    Series,
    build_plot,
    nice_ticks,
    reduce_segment,
    reduce_series,
    segments,
    time_ticks,
)

T0 = datetime(2026, 11, 19, 12, tzinfo=UTC)

# --------------------------------------------------------------------------- reduction


def test_segments_break_at_gaps_and_drop_nothing_else() -> None:
    xs = [0, 1, 2, 3, 4, 5, 6]
    ys = [1.0, None, 2.0, 3.0, None, None, 4.0]
    assert segments(xs, ys) == [([0], [1.0]), ([2, 3], [2.0, 3.0]), ([6], [4.0])]


def test_nan_is_a_gap_too() -> None:
    assert segments([0, 1, 2], [1.0, math.nan, 2.0]) == [([0], [1.0]), ([2], [2.0])]


def test_reduction_keeps_about_two_points_per_column() -> None:
    n, columns = 10_000, 80
    xs = list(range(n))
    ys = [math.sin(i / 50) for i in xs]
    rx, _ = reduce_segment(xs, ys, columns, 0, n - 1)
    assert len(rx) <= 2 * columns + 2
    assert len(rx) >= columns  # not over-reduced
    assert rx == sorted(rx)  # still in x order


def test_reduction_keeps_the_shape_extremes_ends_and_spikes() -> None:
    rng = random.Random(7)
    n, columns = 5_000, 60
    xs = [float(i) for i in range(n)]
    ys = [rng.uniform(10, 20) for _ in range(n)]
    ys[1234] = 500.0  # a spike
    ys[4321] = -300.0  # a dip
    rx, ry = reduce_segment(xs, ys, columns, 0, n - 1)
    assert 500.0 in ry and -300.0 in ry
    assert (rx[0], ry[0]) == (xs[0], ys[0])
    assert (rx[-1], ry[-1]) == (xs[-1], ys[-1])
    # Every column keeps its own minimum and maximum.
    width = (n - 1) / columns
    for col in range(columns):
        in_col = [y for x, y in zip(xs, ys, strict=True) if min(columns - 1, int(x / width)) == col]
        kept = [y for x, y in zip(rx, ry, strict=True) if min(columns - 1, int(x / width)) == col]
        assert min(in_col) in kept and max(in_col) in kept


def test_short_series_are_left_alone() -> None:
    xs, ys = [0.0, 1.0, 2.0], [3.0, 1.0, 2.0]
    assert reduce_segment(xs, ys, 80, 0, 2) == (xs, ys)


def test_reduce_series_keeps_gaps_between_reduced_segments() -> None:
    n = 4_000
    xs = [float(i) for i in range(n)]
    ys: list[float | None] = [float(i % 13) for i in range(n)]
    for i in range(1_000, 1_500):
        ys[i] = None
    parts = reduce_series(xs, ys, 50)
    assert len(parts) == 2
    assert parts[0][0][-1] == 999.0 and parts[1][0][0] == 1_500.0
    assert all(len(px) <= 2 * 50 + 2 for px, _ in parts)


# --------------------------------------------------------------------------- ticks and plot


def test_nice_ticks_are_round_and_cover_the_range() -> None:
    ticks = nice_ticks(20.2, 79.9, 5)
    assert ticks == [20.0, 40.0, 60.0, 80.0]
    assert nice_ticks(0, 1, 6)[0] == 0 and nice_ticks(0, 1, 6)[-1] == 1
    assert len(nice_ticks(-3, 1e6, 4)) <= 4


def test_time_ticks_are_local_round_hours_and_fit_the_width() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    start = T0.timestamp()
    end = (T0 + timedelta(hours=24)).timestamp()
    ticks, labels = time_ticks(start, end, 40, berlin)
    assert len(labels) * (len(labels[0]) + 1) <= 40
    for t in ticks:
        local = datetime.fromtimestamp(t, berlin)
        assert local.minute == 0 and local.second == 0
    assert all(lab.isascii() for lab in labels)


def test_build_plot_draws_gaps_as_breaks_with_ascii_labels() -> None:
    xs = tuple((T0 + timedelta(hours=h)).timestamp() for h in range(24))
    ys = tuple(None if 8 <= h < 16 else float(h) for h in range(24))
    text = build_plot(ChartData((Series("a", xs, ys),), tz=UTC), 60, 12)
    plain = "".join(ch for ch in text if ch.isascii() or ch in "┌┐└┘─│┬┤")
    lines = text.splitlines()
    assert len(lines) == 12
    assert "12:00" in plain or "18:00" in plain
    # The middle third of the plot area has no marks: the gap is not drawn as a line.
    import re

    body = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in lines[1:-3]]
    inner = [row[row.index("┤") + 1 if "┤" in row else row.index("│") + 1 :] for row in body]
    width = len(inner[0])
    middle = [row[int(width * 0.42) : int(width * 0.6)] for row in inner]
    assert all(not any("\u2800" < ch <= "\u28ff" for ch in seg) for seg in middle)


# --------------------------------------------------------------------------- spark


def test_spark_scales_and_leaves_empty_cells_blank() -> None:
    rising = spark([1, 2, 3, 4], 4)
    assert rising[0] == "▁" and rising[-1] == "█" and list(rising) == sorted(rising)
    assert spark([None, None, 5, 5], 2) == " ▅"
    assert spark([], 5) == ""


# --------------------------------------------------------------------------- scores


def _row(hour: int, key: str, value: float) -> ScoreRow:
    at = (T0 + timedelta(hours=hour)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return ScoreRow(created_at_trunc=at, score_key=key, score_sum=value)


def test_pivot_drops_filler_rows_but_keeps_their_buckets_as_gaps() -> None:
    rows = [_row(0, "accuracy", 80), _row(1, "", 0), _row(2, "accuracy", 90)]
    buckets, by_key = pivot(rows)
    assert len(buckets) == 3
    assert list(by_key) == ["accuracy"]
    answer = shape_scores(
        rows, increment="hour", window_start=T0, window_end=T0 + timedelta(hours=2), tz=UTC
    )
    assert answer.values["accuracy"] == (80.0, None, 90.0)  # a gap, not a zero


def test_a_key_missing_from_a_bucket_is_a_gap_not_zero() -> None:
    rows = [_row(0, "a", 1), _row(0, "b", 2), _row(1, "a", 3)]
    answer = shape_scores(
        rows, increment="hour", window_start=T0, window_end=T0 + timedelta(hours=1), tz=UTC
    )
    assert answer.values["b"] == (2.0, None)


def test_boolean_keys_are_percent_true_with_clean_labels() -> None:
    rows = [
        _row(0, "helpful-hcone-bool", 0.25),
        _row(0, "helicone-score-feedback", 0.5),
        _row(0, "accuracy", 70),
    ]
    answer = shape_scores(
        rows, increment="hour", window_start=T0, window_end=T0 + timedelta(hours=1), tz=UTC
    )
    assert answer.numeric_keys == ("accuracy",)
    assert set(answer.boolean_keys) == {"helpful-hcone-bool", "helicone-score-feedback"}
    panels = answer.kind_panels("boolean")
    labels = {s.label: s.ys[0] for p in panels for s in p.data.series}
    assert labels == {"helpful": 25.0, "feedback": 50.0}
    # A rate's axis fits its data (not 0-100 %), in % on the boolean panels.
    assert all(p.data.y_min is None and p.data.y_unit == "%" for p in panels)
    assert is_boolean("x-hcone-bool") and not is_boolean("x")
    assert label("helicone-score-feedback") == "feedback"
    assert answer.display_value("helpful-hcone-bool", 0.25) == "25.0%"


# --------------------------------------------------------------------------- evals


def _eval(name: str, hours: list[tuple[float, float]], average_score: float | None) -> Eval:
    dates = [
        (T0 + timedelta(hours=h)).strftime("%Y-%m-%dT%H:%M:%S.000Z") for h in range(len(hours))
    ]
    return Eval.model_validate(
        {
            "name": name,
            "averageScore": average_score,
            "minScore": 0,
            "maxScore": max((v for v, c in hours if c), default=0),
            "count": sum(c for _, c in hours),
            "overTime": [{"date": d, "count": c} for d, (_, c) in zip(dates, hours, strict=True)],
            "averageOverTime": [
                {"date": d, "value": v} for d, (v, _) in zip(dates, hours, strict=True)
            ],
        }
    )


def test_true_mean_weights_hourly_averages_by_their_counts() -> None:
    # Hour 1: 10 values averaging 5; hour 2: empty (Helicone sends 0); hour 3: 30 averaging 9.
    item = _eval("accuracy", [(5, 10), (0, 0), (9, 30)], average_score=(5 + 0 + 9) / 40)
    row = eval_row(item)
    assert row.true_mean == pytest.approx((5 * 10 + 9 * 30) / 40)  # 8.0
    assert row.average_score == pytest.approx(0.35)  # Helicone's number, shown as given
    assert row.hourly_average == (5, None, 9)  # the empty hour is a gap
    assert row.hourly_count == (10, 0, 30)


def test_a_name_without_data_has_no_mean() -> None:
    row = eval_row(_eval("old", [(0, 0), (0, 0)], average_score=None))
    assert row.true_mean is None and not row.has_data


def test_sorting_puts_missing_values_last_and_search_narrows() -> None:
    answer = shape_evals(
        [
            _eval("b-score", [(2, 1)], 2),
            _eval("a-score", [(1, 3)], 1 / 3),
            _eval("none", [(0, 0)], None),
        ],
        window_start=T0,
        window_end=T0 + timedelta(hours=1),
        tz=UTC,
    )
    by_mean = sort_rows(answer.rows, "true_mean", descending=True)
    assert [r.name for r in by_mean] == ["b-score", "a-score", "none"]
    by_name = sort_rows(answer.rows, "name", descending=False)
    assert [r.name for r in by_name] == ["a-score", "b-score", "none"]
    assert [r.name for r in search(answer.rows, "SCORE")] == ["b-score", "a-score"]
