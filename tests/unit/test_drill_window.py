"""The drill-down's window and investigation: a bucket [start, next) asked as [start, next - 1 ms]
of the Requests endpoint (both ends inclusive), the filter ANDed with the series' condition."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tui.api.timerange import TimeRange
from tui.context import Investigation
from tui.filters.text import parse
from tui.messages import DrillDown, span_label

NY = ZoneInfo("America/New_York")
T = datetime(2026, 11, 15, 15, tzinfo=UTC)


def test_a_bucket_ends_a_millisecond_before_the_next_and_a_cut_one_at_the_window_end() -> None:
    drill = DrillDown.bucket(T, T + timedelta(hours=1))
    assert (drill.window_start, drill.window_end) == (T, T + timedelta(hours=1, milliseconds=-1))
    cut = DrillDown.bucket(T, T + timedelta(minutes=20), end_open=False)
    assert cut.window_end == T + timedelta(minutes=20)  # the inclusive end of the window
    assert drill.condition is None


def test_the_label_is_local_and_names_the_end_day_only_when_it_differs() -> None:
    assert span_label(T, T + timedelta(hours=1), NY) == "Nov 15 10:00-11:00 EST"
    assert span_label(T, T + timedelta(days=1), NY) == "Nov 15 10:00-Nov 16 10:00 EST"


def test_narrowed_takes_the_window_and_ands_the_condition() -> None:
    ctx = Investigation(parse("status = 200"), TimeRange.since("24h"))
    end = T + timedelta(hours=1, milliseconds=-1)
    narrowed = ctx.narrowed(T, end, parse("model = 'gpt-4o'"))
    assert narrowed.time_range == TimeRange.absolute(T, end)
    assert narrowed.filter_text == "status = 200 and model = 'gpt-4o'"
    assert ctx.narrowed(T, end).filter_text == "status = 200"
    everything = Investigation(parse("all"), TimeRange.since("24h"))
    assert everything.narrowed(T, end, parse("status = 500")).filter_text == "status = 500"
