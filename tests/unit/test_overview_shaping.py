"""The Overview's plan and shaping (tui.query.overview_plan / overview_shaping), without Textual:
which requests go out, the previous period, and the honest numbers of each panel."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tui.api import wire_metrics as m
from tui.api.timerange import Window
from tui.filters.text import parse
from tui.query import overview_plan as plan_
from tui.query import overview_shaping as shaping
from tui.query.overview import OverviewOptions
from tui.query.overview_export import csv_rows, export_json

UTC_ZONE = ZoneInfo("UTC")
START = datetime(2026, 11, 17, tzinfo=UTC)
WINDOW = Window(START, START + timedelta(days=3, hours=12))  # 3.5 days: day buckets
DAYS = [START + timedelta(days=i) for i in range(4)]


def iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", ".000Z")


def plan(compare: bool = False) -> plan_.OverviewPlan:
    return plan_.build_plan(parse("all"), WINDOW, OverviewOptions(), compare=compare,
                            tz=UTC_ZONE)


def status_rows(counts: list[dict[int, int]]) -> list[m.RequestsOverTimeRow]:
    rows = []
    for at, by_status in zip(DAYS, counts, strict=True):
        if not by_status:  # a fill row
            rows.append(m.RequestsOverTimeRow(time=iso(at), count=0, status=0))
        for status, count in by_status.items():
            rows.append(m.RequestsOverTimeRow(time=iso(at), count=count, status=status))
    return rows


def per_day(model, field: str, values: list[float]) -> list:
    return [model(time=iso(at), **{field: v}) for at, v in zip(DAYS, values, strict=True)]


def quantile_rows(values: list[float]) -> list[m.QuantilesRow]:
    return [m.QuantilesRow(time=iso(at), p75=v, p90=v * 2, p95=v * 3, p99=v * 4)
            for at, v in zip(DAYS, values, strict=True)]


COUNTS = [{200: 90, 404: 5, 500: 5}, {}, {200: 10, 503: 30, 302: 2, -1: 1}, {200: 50}]


def outcomes() -> dict:
    return {
        "totalRequests": 193, "totalCost": 1.5, "averageLatency": 900.0,
        "averageTimeToFirstToken": 300.0, "activeUsers": 7,
        plan_.STATUS: status_rows(COUNTS),
        plan_.ERRORS: per_day(m.ErrorOverTimeRow, "count", [10, 0, 33, 0]),
        plan_.LATENCY: per_day(m.LatencyOverTimeRow, "duration", [1000.0, 0.0, 800.0, 700.0]),
        plan_.QUANTILES: quantile_rows([100.0, 0.0, 200.0, 150.0]),
        plan_.COST: per_day(m.CostOverTimeRow, "cost", [0.5, 0.0, 0.75, 0.25]),
        plan_.TTFT: per_day(m.TimeToFirstTokenRow, "ttft", [0.0, 0.0, 250.0, 100.0]),
        plan_.P95: [m.QuantilesRow(time=iso(START), p75=1, p90=2, p95=1234.5, p99=4)],
        plan_.MODELS: [
            m.ModelMetric(model="b", total_requests=5, total_completion_tokens=1,
                          total_prompt_token=2, total_tokens=3, cost=0.1),
            m.ModelMetric(model="", total_requests=9, total_completion_tokens=None,
                          total_prompt_token=None, total_tokens=None, cost=0.2),
            m.ModelMetric(model="a", total_requests=5, total_completion_tokens=1,
                          total_prompt_token=2, total_tokens=3, cost=0.3),
        ],
        "previous.totalRequests": 100, "previous.totalCost": 3.0,
        "previous.averageLatency": 1000.0, "previous.averageTimeToFirstToken": 0.0,
        "previous.activeUsers": 7,
        "previous." + plan_.ERRORS: per_day(m.ErrorOverTimeRow, "count", [1, 1, 0, 0]),
        "previous." + plan_.P95: [m.QuantilesRow(time=iso(START), p75=0, p90=0, p95=0, p99=0)],
    }


# --------------------------------------------------------------------------- the plan


def test_the_previous_period_ends_a_second_before_the_window() -> None:
    before = plan_.previous_window(WINDOW)
    assert before.end == WINDOW.start - timedelta(seconds=1)
    assert before.start == WINDOW.start - WINDOW.length


def test_the_plan_asks_the_window_and_the_previous_periods_totals() -> None:
    p = plan()
    names = p.names()
    assert len(names) == 22 and len(set(names)) == 22  # 20 metrics, the 2 users
    assert names[:5] == plan_.TOTALS  # the strip's first: its numbers come first
    assert {n for n in names if n.startswith(plan_.PREV)} == {
        plan_.PREV + n for n in plan_.STRIP_PREVIOUS}
    parts = {part.name: part for part in p.parts}
    assert parts[plan_.P95].body.db_increment.value == "year"
    assert parts[plan_.QUANTILES].body.db_increment.value == "day"
    assert parts[plan_.MODELS].body.limit == 100
    # The previous period: its own window, the current increment and time-zone offset.
    prev = parts[plan_.PREV + plan_.ERRORS].body
    now = parts[plan_.ERRORS].body
    assert prev.time_filter.end == "2026-11-16T23:59:59.000Z"
    assert prev.db_increment == now.db_increment
    assert prev.time_zone_difference == now.time_zone_difference == 0


def test_comparing_adds_the_previous_periods_series() -> None:
    names = plan(compare=True).names()
    assert len(names) == 27
    for series in plan_.SERIES:
        assert plan_.PREV + series in names


def test_a_filter_the_metrics_cannot_send_is_a_clear_error() -> None:
    with pytest.raises(ValueError):
        plan_.build_plan(parse("sessions.session_name = 'x'"), WINDOW, OverviewOptions())


def test_curl_prints_every_request_of_the_plan_and_no_key() -> None:
    text = plan_.curl("http://127.0.0.1:1", plan())
    assert text.count("curl --request POST") == 22
    assert text.count("/v1/metrics/quantiles") == 3
    assert text.count("/v1/user/metrics/query") == 2
    assert "$HELICONE_API_KEY" in text


# --------------------------------------------------------------------------- series


def test_status_classes_and_fill_rows() -> None:
    counts = shaping.status_counts(status_rows(COUNTS))
    assert counts[DAYS[0]] == {"2xx": 90, "4xx": 5, "5xx": 5, "other": 0, "n": 100}
    assert counts[DAYS[1]]["n"] == 0  # a fill row: an empty bucket, counted as none
    assert counts[DAYS[2]] == {"2xx": 10, "4xx": 0, "5xx": 30, "other": 3, "n": 43}


def test_error_rate_is_errors_over_the_buckets_requests_and_a_gap_when_empty() -> None:
    panel = shaping.shape_series("errors", outcomes(), plan(), UTC_ZONE)
    assert panel.columns["error rate"] == (10.0, None, pytest.approx(33 / 43 * 100), 0.0)
    assert panel.n == (100, 0, 43, 50)


def test_without_the_status_counts_rates_are_unknown_and_the_note_says_so() -> None:
    got = outcomes()
    got[plan_.STATUS] = shaping.Failed("boom")
    panel = shaping.shape_series("errors", got, plan(), UTC_ZONE)
    assert panel.n is None and set(panel.columns["error rate"]) == {None}
    assert "n unknown" in panel.note and panel.error is None
    assert shaping.shape_series("status", got, plan(), UTC_ZONE).error == (
        "requestStatusOverTime: boom")


def test_latency_fill_rows_are_gaps_not_zeros() -> None:
    panel = shaping.shape_series("latency", outcomes(), plan(), UTC_ZONE)
    assert panel.columns["avg"] == (1000.0, None, 800.0, 700.0)
    assert panel.columns["p75"] == (100.0, None, 200.0, 150.0)
    assert panel.columns["p99"] == (400.0, None, 800.0, 600.0)


def test_failed_quantiles_keep_the_average_and_say_what_is_missing() -> None:
    got = outcomes()
    got[plan_.QUANTILES] = shaping.Failed("500")
    panel = shaping.shape_series("latency", got, plan(), UTC_ZONE)
    assert panel.error is None and panel.columns["avg"][0] == 1000.0
    assert set(panel.columns["p99"]) == {None}
    assert "p75-p99 missing" in panel.note


def test_ttft_chart_keeps_real_zeros_and_gaps_empty_buckets() -> None:
    panel = shaping.shape_series("ttft", outcomes(), plan(), UTC_ZONE)
    assert panel.columns["avg TTFT"] == (0.0, None, 250.0, 100.0)


def test_the_bucket_cut_by_the_windows_end_is_partial() -> None:
    panel = shaping.shape_series("cost", outcomes(), plan(), UTC_ZONE)
    assert panel.partial == (False, False, False, True)
    assert panel.columns["cost"] == (0.5, 0.0, 0.75, 0.25)  # an empty bucket cost nothing


def test_compare_aligns_the_previous_period_bucket_by_bucket() -> None:
    p = plan(compare=True)
    got = outcomes()
    # Day buckets of the previous window [Nov 13 12:00, Nov 16 23:59:59] start at midnight.
    prev_days = [datetime(2026, 11, 13 + i, tzinfo=UTC) for i in range(4)]
    got[plan_.PREV + plan_.COST] = [m.CostOverTimeRow(time=iso(at), cost=c)
                                   for at, c in zip(prev_days, [1.0, 2.0, 3.0, 4.0],
                                                    strict=True)]
    got[plan_.PREV + plan_.STATUS] = shaping.Failed("x")
    panel = shaping.shape_series("cost", got, p, UTC_ZONE)
    # Each current day compares with the previous bucket holding "its start minus 3.5 days".
    assert panel.previous == {"cost": (1.0, 2.0, 3.0, 4.0)}
    assert panel.change("cost", 0) == pytest.approx(0.5 - 1.0)
    assert panel.previous_points["cost"] == (tuple(prev_days), (1.0, 2.0, 3.0, 4.0))
    assert "previous period: previous.requestStatusOverTime: x" in panel.note


# --------------------------------------------------------------------------- the strip


def test_the_strip_says_each_total_and_its_change() -> None:
    totals = {t.name: t for t in shaping.shape_strip(outcomes())}
    assert totals["requests"].value == 193 and totals["requests"].change == pytest.approx(93.0)
    # Helicone's errors (status != 200) over totalRequests; the change in points.
    assert totals["error_rate"].value == pytest.approx(43 / 193 * 100)
    assert totals["error_rate"].change == pytest.approx(43 / 193 * 100 - 2.0)
    assert totals["latency_p95"].value == 1234.5
    assert totals["latency_p95"].previous is None  # no request before: no p95, not 0
    assert totals["ttft_avg"].change is None  # from 0: no % change to give
    assert totals["cost"].change == pytest.approx(-50.0)


def test_a_total_waits_for_its_answers_and_a_failed_one_says_so() -> None:
    got = {"totalRequests": 5, "averageLatency": shaping.Failed("nope")}
    totals = {t.name: t for t in shaping.shape_strip(got)}
    assert totals["requests"].value == 5 and not totals["requests"].pending
    assert totals["requests"].previous is None and totals["requests"].previous_pending
    assert not {t.name: t for t in shaping.shape_strip(outcomes())}["requests"].previous_pending
    assert totals["error_rate"].pending and totals["cost"].pending
    assert totals["latency_avg"].error == "averageLatency: nope"


def test_window_p95_needs_exactly_one_bucket_with_requests() -> None:
    one = [m.QuantilesRow(time=iso(START), p75=1, p90=2, p95=3, p99=4)]
    two = [*one, m.QuantilesRow(time=iso(DAYS[1]), p75=1, p90=2, p95=5, p99=4)]
    fill = [m.QuantilesRow(time=iso(START), p75=0, p90=0, p95=0, p99=0)]
    assert shaping.window_p95(one) == 3
    assert shaping.window_p95(two) is None  # a new year inside the window: no single p95
    assert shaping.window_p95(fill) is None


# --------------------------------------------------------------------------- models, export


def test_top_models_most_requests_first_and_the_empty_model_is_none() -> None:
    rows = shaping.shape_models(outcomes()[plan_.MODELS])
    assert [r.model for r in rows] == ["(none)", "a", "b"]
    assert rows[0].tokens is None and rows[1].cost == 0.3
    assert shaping.shape_models(shaping.Failed("x")) == ()


def test_empty_and_all_failed() -> None:
    assert shaping.is_empty({"totalRequests": 0})
    assert not shaping.is_empty(outcomes())
    failed = {"a": shaping.Failed("first"), "b": shaping.Failed("second")}
    assert shaping.all_failed(failed) == shaping.Failed("first")
    assert shaping.all_failed({**failed, "c": 1}) is None


def test_export_covers_every_part_and_failures_as_messages() -> None:
    p = plan()
    got = outcomes()
    got[plan_.COST] = shaping.Failed("down")
    out = io.StringIO()
    export_json(p, got, {}, out)
    import json

    doc = json.loads(out.getvalue())
    assert set(doc["answers"]) == set(p.names())
    assert doc["answers"][plan_.COST] == {"error": "down"}
    assert doc["previousWindow"]["end"] == "2026-11-16T23:59:59.000Z"
    rows = list(csv_rows(p, got, UTC_ZONE))
    assert ("total", "current", "", "requests", 193.0) in rows
    assert not any(r[0] == "series" and r[3] == "cost" for r in rows)
    assert ("model", "current", "", "(none).requests", 9) in rows


def test_trends_leave_out_the_partial_buckets_and_a_failed_chart() -> None:
    day = [datetime(2026, 11, d, tzinfo=UTC) for d in (13, 14, 15, 16)]
    window = Window(day[0], day[-1])
    errors = shaping.SeriesPanel("errors", tuple(day), {"error rate": (9.0, 1.0, 40.0, 2.0)},
                                 (10, 100, 100, 5), (True, False, False, True), "day", window)
    status = shaping.SeriesPanel("status", tuple(day), {}, (10, 100, 120, 5),
                                 (True, False, False, True), "day", window)
    failed = shaping.SeriesPanel("cost", tuple(day), {"cost": (1.0,) * 4}, None,
                                 (False,) * 4, "day", window, error="500: boom")
    got = shaping.trends({"errors": errors, "status": status, "cost": failed})
    assert got == {"error_rate": (None, 1.0, 40.0, None), "requests": (None, 100.0, 120.0, None)}


def test_a_peak_spark_keeps_the_height_of_a_short_burst() -> None:
    from tui.format.spark import BARS, spark

    week = [1.0] * 168
    week[50:53] = [40.0, 41.0, 39.0]  # three hours of a week
    assert spark(week, 8, peak=True).count(BARS[-1]) == 1
    assert spark(week, 8, peak=True)[50 * 8 // 168] == BARS[-1]
    # Beside a steady 10 (one slice), the burst's slice reads as high as it is, not diluted.
    steady = [10.0] * 21 + week[42:63]
    assert spark(steady, 2, peak=True) == BARS[0] + BARS[-1]
    assert spark(steady, 2) == BARS[-1] + BARS[0]  # the mean: 10 beats (18 + 120) / 21
    assert spark([None, 2.0, None], 3, peak=True) == " " + BARS[len(BARS) // 2] + " "
