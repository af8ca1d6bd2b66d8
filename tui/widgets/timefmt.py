"""Times as the app shows them: local time with the zone (no Textual here)."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo


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


def spell_length(length: timedelta) -> str:
    """`24h`, `7d`, `90m`: hours up to two days, as the time picker spells them."""
    seconds = int(length.total_seconds())
    if seconds % 86400 == 0 and seconds >= 2 * 86400:
        return f"{seconds // 86400}d"
    if seconds % 3600 == 0:
        return f"{seconds // 3600}h"
    if seconds % 60 == 0:
        return f"{seconds // 60}m"
    return f"{seconds}s"


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
