"""The split Overview's pure shaping (tui/query/overview_split.py): a line per value from a
BreakdownAnswer, gaps where a value had no request (never a 0 rate), a failed value kept apart,
labels made safe and unique, and the info line's honest description of the ranking."""

from __future__ import annotations

from datetime import UTC, datetime

from tui.api.timerange import Window
from tui.filters.tree import ALL
from tui.query.breakdown_dims import parse_dimension
from tui.query.breakdown_shape import BreakdownAnswer, BreakdownSeries
from tui.query.breakdown_top import TopValues
from tui.query.overview_split import describe, shape_split, unique_labels

WINDOW = Window(datetime(2026, 11, 18, tzinfo=UTC), datetime(2026, 11, 20, tzinfo=UTC))
T1, T2 = "2026-11-18T00:00:00.000Z", "2026-11-19T00:00:00.000Z"


def top(values=("a", "b"), more=True, sample=None) -> TopValues:
    return TopValues(parse_dimension("model"), values, (10,) * len(values), "/v1/metrics/models",
                     more, sample)


def answer(*series: BreakdownSeries, ranked: TopValues | None = None) -> BreakdownAnswer:
    return BreakdownAnswer("overview", ranked or top(), series, len(series))


def s(value, metric, points=(), error=None, label=None) -> BreakdownSeries:
    return BreakdownSeries(value, label or (value if value is not None else "(other)"), metric,
                           ALL, points, error)


def test_a_rate_where_the_value_had_no_request_is_a_gap_not_a_zero() -> None:
    got = shape_split("errors", answer(
        s("a", "requests", ((T1, 10), (T2, 0))),
        s("a", "error_rate", ((T1, 0.5), (T2, 0.0))),
    ), WINDOW, "day", UTC)
    (line,) = got.lines
    assert line.values == (50.0, None) and line.n == (10, 0)
    assert got.partial == (False, False)


def test_a_failed_value_keeps_its_place_and_the_others_stay() -> None:
    got = shape_split("latency", answer(
        s("a", "requests", ((T1, 3),)), s("a", "latency_p95", ((T1, 900.0),)),
        s("b", "requests", ((T1, 4),)), s("b", "latency_p95", error="boom\x1b[31m"),
    ), WINDOW, "day", UTC)
    assert [x.label for x in got.lines] == ["a", "b"]
    assert got.lines[0].values == (900.0,) and got.error is None
    assert got.lines[1].error is not None and "\x1b" not in got.lines[1].error
    assert "b: failed: boom" in got.note


def test_every_value_failed_fails_the_chart() -> None:
    got = shape_split("cost", answer(s("a", "cost", error="down"), s(None, "cost", error="down")),
                      WINDOW, "day", UTC)
    assert got.error == "down"


def test_labels_are_safe_and_unique() -> None:
    assert unique_labels(["x", "x", "y"]) == ["x", "x #2", "y"]
    got = shape_split("status", answer(s("a\x07", "requests", ((T1, 1),), label="a\x07")),
                      WINDOW, "day", UTC)
    assert "\x07" not in got.lines[0].label


def test_the_description_says_a_sample_was_sampled() -> None:
    assert describe(top()) == "by model: 2 values + other, top by requests"
    assert describe(top(more=False)) == "by model: 2 values, top by requests"
    assert describe(top(("a",), sample=1000)) == (
        "by model: 1 value + other, top by requests in a random sample of 1000")
