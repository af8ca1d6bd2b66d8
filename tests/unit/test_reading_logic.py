"""Pure reading logic, no terminal: axes grouped by scale, numbers for reading, bucket ends,
the partial bucket and n per bucket in a scores answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tui.api.models import Eval, ScoreRow
from tui.screens.score_series import bucket_counts, shape_scores
from tui.screens.scores_view import readout, value_with_n
from tui.screens.session_stats import bound_texts, change_text
from tui.widgets.histogram import readable, readable_all
from tui.widgets.timefmt import bucket_end
from tui.widgets.timeseries import group_by_scale

T0 = datetime(2026, 11, 19, 12, tzinfo=UTC)
NEW_YORK = ZoneInfo("America/New_York")

# --------------------------------------------------------------------------- axes by scale


def test_a_score_of_another_scale_gets_its_own_axis() -> None:
    # accuracy 50-80 beside relevance 6-9: on one axis relevance would be a flat line.
    groups = group_by_scale([("accuracy", 50.0, 80.0), ("relevance", 6.0, 9.0)])
    assert groups == [["accuracy"], ["relevance"]]


def test_series_of_one_scale_share_an_axis() -> None:
    groups = group_by_scale([("a", 55.0, 65.0), ("b", 60.0, 72.0), ("c", 0.0, 30.0)])
    # a joint axis of 0-72 is at most 5x each one's own range (c: 30; a: 10 -> 72 > 50: apart)
    assert ["a", "b"] in groups and ["c"] in groups


def test_a_small_rate_is_not_drawn_on_a_big_rates_axis() -> None:
    # feedback 0-100 % beside hallucination 0-17 %: the 17 % line would hug the floor.
    assert group_by_scale([("feedback", 0.0, 100.0), ("hallucination", 0.0, 17.0)]) == [
        ["feedback"], ["hallucination"]
    ]
    # 0-100 beside 0-30 stays together: 30 % of the axis shows its changes.
    assert group_by_scale([("a", 0.0, 100.0), ("b", 0.0, 30.0)]) == [["a", "b"]]


def test_groups_keep_the_given_order_and_series_without_data_join_the_first() -> None:
    groups = group_by_scale([("small", 1.0, 2.0), ("empty", None, None), ("big", 100.0, 200.0)])
    assert groups == [["small", "empty"], ["big"]]


def test_more_scales_than_panels_share_the_last_panel() -> None:
    extents = [(f"k{i}", 10.0**i, 2 * 10.0**i) for i in range(5)]
    groups = group_by_scale(extents, max_groups=3)
    assert len(groups) == 3
    assert sorted(n for g in groups for n in g) == [f"k{i}" for i in range(5)]


def test_a_near_constant_series_is_not_split_from_its_peers() -> None:
    assert group_by_scale([("a", 60.0, 60.5), ("b", 59.0, 62.0)]) == [["a", "b"]]


# --------------------------------------------------------------------------- numbers


def test_readable_numbers_have_four_significant_digits_and_null_is_none() -> None:
    assert readable(18.32721035066303) == "18.33"
    assert readable(697.4846625766871) == "697.5"
    assert readable(0.030403505950920253) == "0.0304"
    assert readable(12345.678) == "12,346"
    assert readable(25.0) == "25"
    assert readable(None) == "none"
    assert readable(float("nan")) == "none"


def test_a_column_of_bounds_keeps_neighbours_apart() -> None:
    assert readable_all([44.28947368421053, 67.68947368421053, 90.4]) == ["44.29", "67.69", "90.4"]
    # two bounds equal to 4 digits get as many more digits as it takes
    assert readable_all([1.00001, 1.00002, 2.0]) == ["1.00001", "1.00002", "2"]
    assert readable_all([1.0, 1.0]) == ["1", "1"]  # equal numbers may read the same


def test_bounds_sent_as_text_read_as_numbers_unless_they_are_not() -> None:
    rows = (("0", "17.3", 15.625), ("17.3", "44.28947368421053", 19.25))
    assert bound_texts(rows) == (["0", "17.3"], ["17.3", "44.29"])
    assert bound_texts((("a", "b", 1.0),)) == (["a"], ["b"])


def test_a_change_is_shown_to_the_decimals_of_its_values() -> None:
    # was `Δ -0.00000896574`: to the values' own precision (0.03040 vs 0.03041)
    assert change_text(0.030403, 0.030412, 0.030403 - 0.030412) == "-0.00001"
    assert change_text(0.0304, 0.0304001, -1e-7) == "0"  # finer than the values shown
    assert change_text(10.18, 9.815, 10.18 - 9.815) == "+0.365"
    assert change_text(697.5, 671.3, 697.5 - 671.3) == "+26.2"
    assert change_text(None, 1.0, None) == "-"


# --------------------------------------------------------------------------- buckets


def test_bucket_ends_follow_the_local_calendar() -> None:
    start = datetime(2026, 11, 19, 5, tzinfo=UTC)  # midnight in New York
    assert bucket_end(start, "hour", NEW_YORK) == start + timedelta(hours=1)
    assert bucket_end(start, "day", NEW_YORK) == start + timedelta(days=1)
    month = datetime(2026, 12, 1, 5, tzinfo=UTC)
    assert bucket_end(month, "month", NEW_YORK).astimezone(NEW_YORK).date().isoformat() == (
        "2027-01-01"
    )
    # across the DST change (Nov 1 2026): a local day of 25 hours
    dst = datetime(2026, 11, 1, 4, tzinfo=UTC)
    assert bucket_end(dst, "day", NEW_YORK) - dst == timedelta(hours=25)


def _row(hour: int, key: str, value: float) -> ScoreRow:
    at = (T0 + timedelta(hours=hour)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return ScoreRow(created_at_trunc=at, score_key=key, score_sum=value)


def _eval(name: str, counts: list[int]) -> Eval:
    dates = [(T0 + timedelta(hours=h)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
             for h in range(len(counts))]
    return Eval.model_validate({
        "name": name, "averageScore": 1, "minScore": 0, "maxScore": 1, "count": sum(counts),
        "overTime": [{"date": d, "count": c} for d, c in zip(dates, counts, strict=True)],
        "averageOverTime": [{"date": d, "value": 1} for d in dates],
    })


def test_the_current_bucket_is_partial_and_n_comes_from_the_hourly_counts() -> None:
    rows = [_row(0, "accuracy", 70), _row(1, "accuracy", 80), _row(2, "accuracy", 90)]
    answer = shape_scores(
        rows, increment="hour", window_start=T0, window_end=T0 + timedelta(hours=2),
        tz=UTC, counts=[_eval("accuracy", [4, 1, 2])],
    )
    # the window ends at 14:00 inclusive: the 14:00 bucket holds only that instant
    assert answer.partial == (False, False, True)
    assert value_with_n(answer, "accuracy", 0) == "70 (4)"
    assert readout(answer, 1) == {"accuracy": "80 n=1"}


def test_hourly_counts_add_up_into_day_buckets_and_minutes_have_none() -> None:
    buckets = (T0, T0 + timedelta(days=1))
    ends = (T0 + timedelta(days=1), T0 + timedelta(days=2))
    counts = [_eval("a", [1] * 30)]  # 30 hours from T0: 24 in the first day, 6 in the second
    assert bucket_counts(counts, buckets, ends, "day") == {"a": (24, 6)}
    assert bucket_counts(counts, buckets, ends, "min") is None
    answer = shape_scores([_row(0, "a", 5)], increment="min", window_start=T0,
                          window_end=T0 + timedelta(minutes=5), tz=UTC, counts=None)
    assert value_with_n(answer, "a", 0) == "5"  # no n where none is known
    assert readout(answer, 0) == {"a": "5 n=?"}
