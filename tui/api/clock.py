""""Now": the real clock, or the fixed instant given by --now / $HELICONE_TUI_NOW.

Everything that needs the current time (ranges, the demo data's anchor, screenshots) asks `now()`,
so one flag fixes the clock everywhere. Also the local time zone, read from $TZ (as an IANA name),
then /etc/localtime, then the C library, so that DST is right for any instant, not just today.
"""

from __future__ import annotations

import os
import re
import time
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ENV_NOW = "HELICONE_TUI_NOW"

_fixed: datetime | None = None


class ClockError(ValueError):
    """A --now / $HELICONE_TUI_NOW value that is not an ISO 8601 instant."""


# The ISO 8601 forms JavaScript's Date (Helicone's server) reads the same way: a date, or a date
# and a time to the minute, second or fraction, with Z, an offset or no zone. Week (2026-W46),
# ordinal (2026-319), basic (20261115) and hour-only (T06Z) forms are refused: Helicone cannot
# parse them, so --start and filter timestamps take only these.
_JS_ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}:\d{2})?)?"
)


def parse_instant(text: str, tz: tzinfo | None = None) -> datetime:
    """An ISO 8601 date or date-time as an aware UTC datetime.

    `Z` and `±HH:MM` are honoured; a value without a zone is wall-clock time in `tz` (default: the
    local zone), as DESIGN.md says for --start, --end and --now.
    """
    raw = text.strip()
    value = raw[:-1] + "+00:00" if raw[-1:] in ("Z", "z") else raw
    try:
        if not _JS_ISO.fullmatch(raw):  # fromisoformat also takes 20261115, 2026-W46, ...
            raise ValueError(raw)
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ClockError(
            f"{text!r} is not an ISO 8601 time (e.g. 2026-11-20T12:00:00Z or 2026-11-20T08:00)"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz or local_zone())
    return parsed.astimezone(UTC)


def fix(instant: datetime | str | None) -> None:
    """Fix the clock at `instant` (None: back to the environment / the real clock)."""
    global _fixed
    if isinstance(instant, str):
        instant = parse_instant(instant)
    if instant is not None and instant.tzinfo is None:
        raise ClockError("a fixed clock needs an aware datetime")
    _fixed = instant.astimezone(UTC) if instant is not None else None


def fixed() -> datetime | None:
    """The fixed instant (--now, else $HELICONE_TUI_NOW), or None when the clock runs."""
    if _fixed is not None:
        return _fixed
    env = os.environ.get(ENV_NOW, "").strip()
    if not env:
        return None
    try:
        return parse_instant(env)
    except ClockError as exc:
        raise ClockError(f"${ENV_NOW}: {exc}") from None


def now() -> datetime:
    """The current instant, aware, in UTC."""
    return fixed() or datetime.now(UTC)


# --------------------------------------------------------------------------- the local zone


class _SystemLocal(tzinfo):
    """The C library's local zone, for systems where no IANA name can be found."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return timedelta(seconds=self._local(dt).tm_gmtoff)

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str:
        return self._local(dt).tm_zone

    def fromutc(self, dt: datetime) -> datetime:
        seconds = (dt.replace(tzinfo=UTC) - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()
        return dt + timedelta(seconds=time.localtime(seconds).tm_gmtoff)

    @staticmethod
    def _local(dt: datetime | None) -> time.struct_time:
        if dt is None:
            return time.localtime()
        stamp = time.mktime((*dt.timetuple()[:8], -1))
        return time.localtime(stamp)

    def __repr__(self) -> str:
        return "_SystemLocal()"


def _zone_from_localtime() -> tzinfo | None:
    try:
        target = os.path.realpath("/etc/localtime")
    except OSError:
        return None
    marker = "/zoneinfo/"
    if marker not in target:
        return None
    try:
        return ZoneInfo(target.split(marker, 1)[1])
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_zone() -> tzinfo:
    """The local time zone: $TZ as an IANA name, else /etc/localtime, else the C library's."""
    tz_env = os.environ.get("TZ", "").strip()
    if tz_env:
        try:
            return ZoneInfo(tz_env.removeprefix(":"))
        except (ZoneInfoNotFoundError, ValueError):
            time.tzset()  # a POSIX TZ string such as "EST5EDT,M3.2.0,M11.1.0": the C library knows
            return _SystemLocal()
    return _zone_from_localtime() or _SystemLocal()


def zone_name(tz: tzinfo | None = None, at: datetime | None = None) -> str:
    """The zone's IANA key when known (e.g. America/New_York), else its abbreviation."""
    tz = tz or local_zone()
    key = getattr(tz, "key", None)
    if key:
        return str(key)
    return (at or now()).astimezone(tz).tzname() or "local time"
