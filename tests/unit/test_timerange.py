"""Time rules: --since, --start/--end, sliding ranges, increments, JavaScript's tz offset, DST."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tui import clock
from tui.api.models import EndpointName, TimeIncrement
from tui.api.timerange import (
    RangeError,
    TimeRange,
    Window,
    default_increment,
    epoch_ms,
    iso_z,
    parse_duration,
    parse_time,
    tz_offset_minutes,
)
from tui.filters.text import parse
from tui.filters.tree import ALL, FilterError
from tui.query.requests import QueryOptions, build_request, option_errors

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
KOLKATA = ZoneInfo("Asia/Kolkata")


@pytest.fixture(autouse=True)
def real_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(clock.ENV_NOW, raising=False)
    clock.fix(None)
    yield
    clock.fix(None)


# --------------------------------------------------------------------------- --since


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("15m", timedelta(minutes=15)),
        ("6h", timedelta(hours=6)),
        ("24h", timedelta(hours=24)),
        ("7d", timedelta(days=7)),
        ("2w", timedelta(weeks=2)),
        ("1m", timedelta(minutes=1)),
    ],
)
def test_since_each_unit(text: str, length: timedelta) -> None:
    assert parse_duration(text) == length
    window = TimeRange.since(text).resolve(NOW)
    assert window == Window(NOW - length, NOW)


@pytest.mark.parametrize("text", ["", "24", "h", "1.5h", "-1h", "0h", "3y", "10s", "1 hour"])
def test_since_rejects_other_spellings(text: str) -> None:
    with pytest.raises(RangeError) as info:
        parse_duration(text)
    assert "m, h, d or w" in str(info.value) or "at least" in str(info.value)


def test_since_slides_with_the_clock() -> None:
    live = TimeRange.since("1h")
    assert live.sliding
    first = live.resolve(NOW)
    later = live.resolve(NOW + timedelta(minutes=5))
    assert later.start - first.start == timedelta(minutes=5)
    assert later.length == first.length == timedelta(hours=1)


def test_resolve_uses_the_fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.ENV_NOW, "2026-11-20T12:00:00Z")
    assert TimeRange.since("1d").resolve().end == NOW
    clock.fix("2026-01-01T00:00:00Z")  # --now wins over the environment
    assert TimeRange.since("1d").resolve().end == datetime(2026, 1, 1, tzinfo=UTC)


def test_resolved_windows_are_whole_seconds() -> None:
    window = TimeRange.since("1h").resolve(NOW + timedelta(microseconds=654321))
    assert iso_z(window.end) == "2026-11-20T12:00:00.000Z"


# --------------------------------------------------------------------------- --start / --end


def test_start_end_with_zones() -> None:
    start = parse_time("2026-11-20T08:00:00-05:00")
    end = parse_time("2026-11-20T15:30:00Z")
    assert start == datetime(2026, 11, 20, 13, 0, tzinfo=UTC)
    window = TimeRange.absolute(start, end).resolve(NOW + timedelta(days=1))
    assert (iso_z(window.start), iso_z(window.end)) == (
        "2026-11-20T13:00:00.000Z", "2026-11-20T15:30:00.000Z",
    )


def test_start_without_zone_is_local_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    assert parse_time("2026-11-20T08:00") == datetime(2026, 11, 20, 13, 0, tzinfo=UTC)  # EST
    assert parse_time("2026-07-01T08:00") == datetime(2026, 7, 1, 12, 0, tzinfo=UTC)  # EDT
    monkeypatch.setenv("TZ", "Europe/Berlin")
    assert parse_time("2026-11-20T08:00") == datetime(2026, 11, 20, 7, 0, tzinfo=UTC)
    assert parse_time("2026-11-20") == datetime(2026, 11, 19, 23, 0, tzinfo=UTC)


def test_end_defaults_to_now_and_slides() -> None:
    rng = TimeRange.absolute(datetime(2026, 11, 20, 10, tzinfo=UTC))
    assert rng.sliding
    assert rng.resolve(NOW).end == NOW
    assert rng.resolve(NOW + timedelta(hours=1)).end == NOW + timedelta(hours=1)


def test_start_after_end_is_refused() -> None:
    with pytest.raises(RangeError, match="not before --end"):
        TimeRange.absolute(NOW, NOW - timedelta(hours=1))
    with pytest.raises(RangeError, match="in the future"):
        TimeRange.absolute(NOW + timedelta(hours=1)).resolve(NOW)


def test_bad_iso_is_refused() -> None:
    with pytest.raises(RangeError, match="not an ISO 8601 time"):
        parse_time("yesterday")


# --------------------------------------------------------------------------- shift and zoom


def test_shift_back_and_forward_by_the_length_never_past_now() -> None:
    live = TimeRange.since("6h")
    back = live.shifted(-1, NOW)
    assert back.resolve(NOW) == Window(NOW - timedelta(hours=12), NOW - timedelta(hours=6))
    assert not back.sliding
    back2 = back.shifted(-1, NOW)
    assert back2.resolve(NOW).end == NOW - timedelta(hours=12)
    # Forward again: back to the live, sliding range (not past now).
    assert back.shifted(1, NOW) == live
    assert live.shifted(1, NOW) == live
    assert back2.shifted(5, NOW) == live


def test_zoom_widens_and_narrows_around_the_centre() -> None:
    fixed = TimeRange.absolute(NOW - timedelta(hours=10), NOW - timedelta(hours=6))
    narrow = fixed.zoomed(0.5, NOW).resolve(NOW)
    assert narrow == Window(NOW - timedelta(hours=9), NOW - timedelta(hours=7))
    wide = fixed.zoomed(2, NOW).resolve(NOW)
    assert wide == Window(NOW - timedelta(hours=12), NOW - timedelta(hours=4))


def test_zoom_keeps_live_windows_live_and_never_goes_past_now() -> None:
    live = TimeRange.since("24h")
    assert live.zoomed(2, NOW) == TimeRange.since("48h")
    narrowed = live.zoomed(0.5, NOW).resolve(NOW)
    assert narrowed == Window(NOW - timedelta(hours=18), NOW - timedelta(hours=6))
    recent = TimeRange.absolute(NOW - timedelta(hours=2), NOW - timedelta(hours=1))
    assert recent.zoomed(4, NOW) == TimeRange.since("4h")  # would end past now
    tiny = TimeRange.since("1m").zoomed(0.01, NOW).resolve(NOW)
    assert tiny.length == timedelta(minutes=1)


# --------------------------------------------------------------------------- Helicone's rules


@pytest.mark.parametrize(
    ("length", "increment"),
    [
        (timedelta(minutes=1), TimeIncrement.MIN),
        (timedelta(hours=6) - timedelta(seconds=1), TimeIncrement.MIN),
        (timedelta(hours=6), TimeIncrement.HOUR),
        (timedelta(days=3) - timedelta(seconds=1), TimeIncrement.HOUR),
        (timedelta(days=3), TimeIncrement.DAY),
        (timedelta(weeks=8), TimeIncrement.DAY),
    ],
)
def test_increment_rule_at_its_boundaries(length: timedelta, increment: TimeIncrement) -> None:
    assert default_increment(Window(NOW - length, NOW)) is increment


@pytest.mark.parametrize(
    ("zone", "at", "offset"),
    [
        (NEW_YORK, datetime(2026, 1, 15, 12, tzinfo=UTC), 300),  # EST: positive west
        (NEW_YORK, datetime(2026, 7, 15, 12, tzinfo=UTC), 240),  # EDT
        (BERLIN, datetime(2026, 1, 15, 12, tzinfo=UTC), -60),  # CET: negative east
        (BERLIN, datetime(2026, 7, 15, 12, tzinfo=UTC), -120),
        (KOLKATA, datetime(2026, 7, 15, 12, tzinfo=UTC), -330),
        (UTC, datetime(2026, 7, 15, 12, tzinfo=UTC), 0),
    ],
)
def test_tz_offset_has_javascripts_sign(zone, at: datetime, offset: int) -> None:
    assert tz_offset_minutes(at, zone) == offset


def test_tz_offset_is_taken_at_the_range_end_across_dst() -> None:
    # New York leaves DST on 2026-11-01 at 06:00 UTC: a range ending just before is summer time.
    before = Window(datetime(2026, 10, 30, tzinfo=UTC), datetime(2026, 11, 1, 5, 59, tzinfo=UTC))
    after = Window(datetime(2026, 10, 30, tzinfo=UTC), datetime(2026, 11, 1, 6, 1, tzinfo=UTC))
    summer = build_request(EndpointName.SCORES, ALL, before, tz=NEW_YORK).to_wire()
    winter = build_request(EndpointName.SCORES, ALL, after, tz=NEW_YORK).to_wire()
    assert summer["timeZoneDifference"] == 240
    assert winter["timeZoneDifference"] == 300


def test_tz_offset_follows_the_tz_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    july = Window(NOW - timedelta(days=140, hours=1), NOW - timedelta(days=140))
    assert build_request("evals", ALL, july).to_wire()["timeZoneDifference"] == 240
    assert build_request("evals", ALL, Window(NOW - timedelta(hours=1), NOW)).to_wire()[
        "timeZoneDifference"
    ] == 300


def test_explicit_tz_offset_wins_and_is_bounded() -> None:
    window = Window(NOW - timedelta(hours=1), NOW)
    body = build_request("scores", ALL, window, QueryOptions(tz_offset=-60), tz=NEW_YORK)
    assert body.to_wire()["timeZoneDifference"] == -60
    assert option_errors(EndpointName.SCORES, QueryOptions(tz_offset=1441))


def test_wire_time_formats() -> None:
    window = Window(datetime(2026, 11, 19, 12, tzinfo=UTC), NOW)
    scores = build_request("scores", ALL, window, tz=UTC).to_wire()
    assert scores["timeFilter"] == {
        "start": "2026-11-19T12:00:00.000Z", "end": "2026-11-20T12:00:00.000Z",
    }
    assert scores["dbIncrement"] == "hour"
    sessions = build_request("sessions", ALL, window, tz=UTC).to_wire()
    assert sessions["timeFilter"] == {
        "startTimeUnixMs": epoch_ms(window.start), "endTimeUnixMs": 1795176000000,
    }
    assert sessions["nameContains"] == "" and sessions["filter"] == "all"
    assert iso_z(datetime(2026, 1, 2, 3, 4, 5, 678900, tzinfo=UTC)) == "2026-01-02T03:04:05.678Z"


# --------------------------------------------------------------------------- options


def test_options_that_do_not_apply_are_named() -> None:
    errors = option_errors(
        EndpointName.EVALS, QueryOptions(increment=TimeIncrement.DAY, p_size="p99", limit=0)
    )
    assert errors == [
        "--increment applies to breakdown, overview and scores only, not evals",
        "--p-size applies to sessions only, not evals",
    ]
    assert option_errors(EndpointName.SCORES, QueryOptions(limit=0)) == [
        "--limit applies to distributions, evals and requests only, not scores",
    ]
    assert option_errors(EndpointName.SESSIONS, QueryOptions(session_name="checkout")) == []
    with pytest.raises(ValueError, match="--interquartile applies to sessions only"):
        build_request("scores", ALL, Window(NOW - timedelta(hours=1), NOW),
                      QueryOptions(interquartile=True))


def test_session_fields_only_go_to_sessions() -> None:
    window = Window(NOW - timedelta(hours=1), NOW)
    node = parse("session_tag = 'checkout' and cost > 0.5")
    body = build_request("sessions", node, window, QueryOptions(session_name="c"), tz=UTC)
    assert body.to_wire()["nameContains"] == "c"
    for endpoint in ("scores", "evals", "distributions"):
        with pytest.raises(FilterError, match="session fields"):
            build_request(endpoint, node, window)


def test_limit_offset_sent_as_given() -> None:
    window = Window(NOW - timedelta(hours=1), NOW)
    body = build_request("distributions", ALL, window, QueryOptions(limit=5, offset=0), tz=UTC)
    assert body.to_wire() == {
        "filter": "all",
        "timeFilter": {"start": "2026-11-20T11:00:00.000Z", "end": "2026-11-20T12:00:00.000Z"},
        "limit": 5,
        "offset": 0,
        "timeZoneDifference": 0,
    }
