"""tui.format.times: local time with the zone, ISO Z, and wire times in tables."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from tui.format.times import (
    bucket_end,
    bucket_label,
    clock_label,
    iso_z,
    local_time,
    window_label,
    zone_abbrev,
)

NY = ZoneInfo("America/New_York")
T = datetime(2026, 11, 19, 17, 5, 9, 123456, tzinfo=UTC)


def test_bucket_labels_are_local_with_the_zone_as_precise_as_the_increment() -> None:
    assert bucket_label(T, NY, "hour") == "2026-11-19 12:05 EST"
    assert bucket_label(T, NY, "min", short=True) == "Nov 19 12:05 EST"
    assert bucket_label(T, NY, "day") == "2026-11-19 EST"
    assert bucket_label(T, NY, "month") == "2026-11 EST"
    assert bucket_label(T, NY, "year") == "2026 EST"
    assert bucket_label(T, timezone(timedelta(hours=1)), "hour") == "2026-11-19 18:05 UTC+01:00"


def test_window_and_clock_labels() -> None:
    assert window_label(T - timedelta(days=1), T, NY) == "Nov 18 12:05 -> Nov 19 12:05 EST"
    # Across a DST change each end says its own zone; across a new year the start has its year.
    summer = datetime(2026, 10, 30, 12, tzinfo=UTC)
    assert window_label(summer, T, NY) == "Oct 30 08:00 EDT -> Nov 19 12:05 EST"
    assert window_label(datetime(2025, 12, 31, tzinfo=UTC), T, NY).startswith("2025 Dec 30 19:00")
    assert clock_label(T, NY) == "12:05:09" and zone_abbrev(T, NY) == "EST"


def test_iso_z_of_a_moment_and_of_wire_text() -> None:
    assert iso_z(T) == "2026-11-19T17:05:09.123Z"  # milliseconds, as toISOString writes
    assert iso_z("2026-11-19T12:05:09-05:00") == "2026-11-19T17:05:09.000Z"
    assert iso_z("not a time") == "not a time"  # shown as it came, not an error


def test_wire_times_in_a_table_are_local() -> None:
    assert local_time("2026-11-19T17:05:09.123Z", NY) == "2026-11-19 12:05:09"
    assert local_time("2026-11-19T17:05:09Z", NY, seconds=False) == "2026-11-19 12:05"
    assert local_time(None, NY) == "–" and local_time("", NY) == "–"
    assert local_time("yesterday", NY) == "yesterday"


def test_a_day_bucket_ends_at_the_next_local_midnight_across_dst() -> None:
    start = datetime(2026, 11, 1, tzinfo=NY)  # the day New York leaves DST: 25 hours long
    end = bucket_end(start, "day", NY)
    assert end == datetime(2026, 11, 2, tzinfo=NY)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=25)
    assert bucket_end(T, "min", NY) - T == timedelta(minutes=1)
    december = datetime(2026, 12, 1, tzinfo=NY)
    assert bucket_end(december, "month", NY) == datetime(2027, 1, 1, tzinfo=NY)
