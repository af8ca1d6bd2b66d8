"""tui.format.durations: the one --since speller (two styles) and the measured-length speller."""

from __future__ import annotations

from datetime import timedelta

from tui.api.timerange import TimeRange, parse_duration
from tui.format.durations import duration_text, format_duration, spell_length


def test_the_picker_spells_hours_up_to_two_days_and_never_weeks() -> None:
    lengths = [timedelta(hours=24), timedelta(days=2), timedelta(days=7), timedelta(minutes=90),
               timedelta(seconds=330), timedelta(0), timedelta(days=14)]
    assert [spell_length(x) for x in lengths] == ["24h", "2d", "7d", "90m", "330s", "0h", "14d"]


def test_the_since_style_takes_the_largest_exact_unit() -> None:
    lengths = [timedelta(hours=24), timedelta(days=7), timedelta(minutes=90),
               timedelta(seconds=5430), timedelta(seconds=330)]
    assert [format_duration(x) for x in lengths] == ["1d", "1w", "90m", "1h30m", "5m30s"]
    assert TimeRange.since(timedelta(hours=6)).describe() == "last 6h"


def test_what_the_picker_and_a_preset_spell_parses_back() -> None:
    for length in (timedelta(minutes=15), timedelta(hours=36), timedelta(days=3),
                   timedelta(days=30)):
        assert parse_duration(spell_length(length)) == length
        assert parse_duration(format_duration(length)) == length


def test_measured_lengths_from_sub_second_to_days_and_below_zero() -> None:
    assert [duration_text(s) for s in (0, 0.004, 42, 249, 7500, 90000)] == [
        "0s", "0s", "42s", "4m09s", "2h05m", "1d01h",
    ]
    assert duration_text(0.004, 3) == "0.004s"  # sub-second with the decimals asked
    assert duration_text(-42) == "-42s" and duration_text(-7500) == "-2h05m"
    assert duration_text(7530, fine=True) == "2h05m30s"
    assert duration_text(86400 * 400) == "400d00h"  # huge: still days, no overflow
