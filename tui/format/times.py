"""Times as the app and the command line show them: local time with the zone (bucket, window and
clock labels, table cells) and UTC ISO with Z (CSV). A wire time is read by the one ISO-time
parser (`parse_wire_time`); text that is not a time is shown as it came."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from tui.api.timerange import iso_z as _iso_z
from tui.api.timerange import parse_wire_time


def local(moment: datetime, tz: tzinfo) -> datetime:
    return moment.astimezone(tz)


def zone_abbrev(moment: datetime, tz: tzinfo) -> str:
    return moment.astimezone(tz).tzname() or "local"


def bucket_label(
    moment: datetime, tz: tzinfo, increment: str = "hour", *, short: bool = False
) -> str:
    """A bucket's start in local time with its zone, as precise as the increment needs
    (`short`: `Nov 19 07:00` for minutes and hours, the year left out, for narrow tables)."""
    t = moment.astimezone(tz)
    if short and increment in ("min", "hour"):
        text = t.strftime("%b %d %H:%M")
    elif increment in ("day", "week"):
        text = t.strftime("%Y-%m-%d")
    elif increment == "month":
        text = t.strftime("%Y-%m")
    elif increment == "year":
        text = t.strftime("%Y")
    else:
        text = t.strftime("%Y-%m-%d %H:%M")
    return f"{text} {t.tzname() or ''}".rstrip()


def window_label(start: datetime, end: datetime, tz: tzinfo) -> str:
    """`Nov 19 13:00 -> Nov 20 13:00 CET` (the year when it is not the end's year)."""
    s, e = start.astimezone(tz), end.astimezone(tz)
    fmt_s = "%Y %b %d %H:%M" if s.year != e.year else "%b %d %H:%M"
    zone = e.tzname() or ""
    if s.tzname() != e.tzname():
        return f"{s.strftime(fmt_s)} {s.tzname()} -> {e.strftime('%b %d %H:%M')} {zone}"
    return f"{s.strftime(fmt_s)} -> {e.strftime('%b %d %H:%M')} {zone}".rstrip()


def clock_label(moment: datetime, tz: tzinfo) -> str:
    """`13:00:05` local."""
    return moment.astimezone(tz).strftime("%H:%M:%S")


def local_time(text: str | None, tz: tzinfo, seconds: bool = True, *, zone: bool = False) -> str:
    """A wire time in the local zone, for a table: `2026-11-19 13:00:05`; none as a dash.
    `zone`: its zone after it (`2026-11-19 13:00 EST`): rows either side of a DST change differ."""
    if not text:
        return "–"
    try:
        moment: datetime = parse_wire_time(text)
    except ValueError:
        return str(text)
    local = moment.astimezone(tz)
    shown = local.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
    return f"{shown} {local.tzname() or ''}" if zone else shown


def iso_z(value: datetime | str) -> str:
    """`YYYY-MM-DDTHH:MM:SS.mmmZ`: a moment, or a wire time's text made so (CSV's time column;
    text that is not a time stays as it is)."""
    if isinstance(value, datetime):
        return _iso_z(value)
    try:
        moment = parse_wire_time(value)
    except ValueError:
        return value
    return _iso_z(moment)


def bucket_end(start: datetime, increment: str, tz: tzinfo) -> datetime:
    """Where a bucket starting at `start` ends (its natural length, in local time for days and
    longer): the next bucket's start."""
    if increment == "min":
        return start + timedelta(minutes=1)
    if increment == "hour":
        return start + timedelta(hours=1)
    t = start.astimezone(tz)
    if increment == "day":
        nxt = t.replace(tzinfo=None) + timedelta(days=1)
    elif increment == "week":
        nxt = t.replace(tzinfo=None) + timedelta(days=7)
    elif increment == "month":
        nxt = t.replace(tzinfo=None, year=t.year + t.month // 12, month=t.month % 12 + 1)
    else:
        nxt = t.replace(tzinfo=None, year=t.year + 1)
    from zoneinfo import ZoneInfo

    if isinstance(tz, ZoneInfo):  # wall-clock arithmetic across a DST change
        return nxt.replace(tzinfo=tz)
    return nxt.replace(tzinfo=t.tzinfo)
