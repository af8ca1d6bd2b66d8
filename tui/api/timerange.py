"""Time ranges: the --since grammar, absolute and sliding ranges, increments and tz offsets.

A `TimeRange` is what the user chose ("the last 24 h", "from A to B"); a `Window` is that range
resolved against the clock at one moment. Sliding ranges re-resolve on every refresh. Helicone's
time rules (SEMANTICS §7) live here: the web's increment rule, JavaScript's timezone-offset sign,
`.000Z` ISO strings for scores/evals/distributions and epoch milliseconds for session metrics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Literal

from tui.api import clock
from tui.api.enums import TimeIncrement

UNITS: dict[str, timedelta] = {
    "m": timedelta(minutes=1),
    "h": timedelta(hours=1),
    "d": timedelta(days=1),
    "w": timedelta(weeks=1),
}
_DURATION = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")

#: The shortest window zooming in may reach.
MIN_LENGTH = timedelta(minutes=1)
#: Helicone validates timeZoneDifference to [-1440, 1440].
MAX_TZ_OFFSET = 1440


class RangeError(ValueError):
    """A range the user typed that cannot be used; str() says what to type instead."""


def parse_duration(text: str) -> timedelta:
    """`<n>(m|h|d|w)`: 15m 6h 24h 7d 2w."""
    match = _DURATION.match(text)
    if not match:
        raise RangeError(
            f"{text!r} is not a duration: use a whole number and m, h, d or w (e.g. 15m 6h 7d 2w)"
        )
    count = int(match.group(1))
    if count == 0:
        raise RangeError(f"{text!r} is an empty range: use at least 1{match.group(2)}")
    try:
        return count * UNITS[match.group(2)]
    except OverflowError:
        raise RangeError(f"{text!r} is too long a range") from None


def format_duration(length: timedelta, *, style: Literal["since", "picker"] = "since") -> str:
    """A length in the --since grammar (the inverse of `parse_duration`); the one duration
    speller of the command line and the app (tui.format.durations re-exports it, as tui.api
    imports nothing above it).

    `since` (the CLI's): the largest exact unit, weeks too (`1w`, `90m`), else e.g. `1h30m`.
    `picker` (the time picker's and the header's): hours up to two days, no weeks (`24h`, `7d`,
    `90m`), seconds when nothing coarser is exact."""
    seconds = int(length.total_seconds())
    if style == "picker":
        if seconds % 86400 == 0 and seconds >= 2 * 86400:
            return f"{seconds // 86400}d"
        for unit in ("h", "m"):
            size = int(UNITS[unit].total_seconds())
            if seconds % size == 0:
                return f"{seconds // size}{unit}"
        return f"{seconds}s"
    for unit in ("w", "d", "h", "m"):
        size = int(UNITS[unit].total_seconds())
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    hours, rest = divmod(seconds, 3600)
    return f"{hours}h{rest // 60}m" if hours else f"{rest // 60}m{rest % 60}s"


def parse_time(text: str, tz: tzinfo | None = None) -> datetime:
    """--start / --end: ISO 8601; without a zone it is local time (or `tz`)."""
    try:
        return clock.parse_instant(text, tz)
    except clock.ClockError as exc:
        raise RangeError(str(exc)) from None


def _floor_second(moment: datetime) -> datetime:
    # Helicone drops milliseconds before querying (SEMANTICS §7): whole seconds keep the
    # request, its curl and its cache key stable within a second.
    return moment.astimezone(UTC).replace(microsecond=0)


@dataclass(frozen=True, slots=True)
class Window:
    """A resolved range: aware UTC datetimes, start < end."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise RangeError("a window needs aware datetimes")
        if self.start >= self.end:
            raise RangeError(
                f"the range is empty: start {iso_z(self.start)} is not before end {iso_z(self.end)}"
            )

    @property
    def length(self) -> timedelta:
        return self.end - self.start

    @property
    def centre(self) -> datetime:
        return self.start + self.length / 2


@dataclass(frozen=True, slots=True)
class TimeRange:
    """What the user chose: a sliding `since(length)` or an `absolute(start, end)` range.

    An absolute range without an end runs to "now" at each resolve.
    """

    length: timedelta | None = None
    start: datetime | None = None
    end: datetime | None = None

    @classmethod
    def since(cls, length: timedelta | str) -> TimeRange:
        length = parse_duration(length) if isinstance(length, str) else length
        if length <= timedelta(0):
            raise RangeError("a range must be longer than zero")
        return cls(length=length)

    @classmethod
    def absolute(cls, start: datetime, end: datetime | None = None) -> TimeRange:
        if start.tzinfo is None or (end is not None and end.tzinfo is None):
            raise RangeError("absolute ranges need aware datetimes")
        start = start.astimezone(UTC)
        end = end.astimezone(UTC) if end is not None else None
        if end is not None and start >= end:
            raise RangeError(f"--start {iso_z(start)} is not before --end {iso_z(end)}")
        return cls(start=start, end=end)

    @property
    def sliding(self) -> bool:
        """True when each refresh moves the window (a --since range, or no --end)."""
        return self.length is not None or self.end is None

    def resolve(self, now: datetime | None = None) -> Window:
        now = _floor_second(now or clock.now())
        if self.length is not None:
            return Window(now - self.length, now)
        assert self.start is not None
        end = self.end if self.end is not None else now
        if self.start >= end:
            raise RangeError(f"--start {iso_z(self.start)} is in the future (now is {iso_z(now)})")
        return Window(self.start, end)

    def shifted(self, k: int, now: datetime | None = None) -> TimeRange:
        """The window moved by k lengths (negative: back), never past now.

        A window that reaches now again becomes the sliding range of the same length.
        """
        now = _floor_second(now or clock.now())
        window = self.resolve(now)
        delta = window.length * k
        end = window.end + delta
        if end >= now:
            return TimeRange.since(window.length)
        return TimeRange.absolute(window.start + delta, end)

    def zoomed(self, factor: float, now: datetime | None = None) -> TimeRange:
        """The window's length times `factor` (2 widens, 0.5 narrows) around its centre.

        The end never passes now: a widened live window stays live (it grows into the past).
        """
        if factor <= 0:
            raise RangeError("zoom factor must be positive")
        now = _floor_second(now or clock.now())
        window = self.resolve(now)
        length = max(window.length * factor, MIN_LENGTH)
        length = timedelta(seconds=round(length.total_seconds()))
        end = window.centre + length / 2
        if end >= now or (factor >= 1 and self.length is not None):
            return TimeRange.since(length)
        return TimeRange.absolute(_floor_second(end - length), _floor_second(end))

    def describe(self) -> str:
        """A short label: `last 24h` or `2026-11-20T00:00:00Z .. now`."""
        if self.length is not None:
            return f"last {format_duration(self.length)}"
        assert self.start is not None
        end = iso_z(self.end) if self.end is not None else "now"
        return f"{iso_z(self.start)} .. {end}"


# --------------------------------------------------------------------------- Helicone's rules


def default_increment(window: Window | timedelta) -> TimeIncrement:
    """Helicone's web rule (getTimeInterval): under 6 h -> min, under 3 d -> hour, else day."""
    length = window.length if isinstance(window, Window) else window
    if length < timedelta(hours=6):
        return TimeIncrement.MIN
    if length < timedelta(days=3):
        return TimeIncrement.HOUR
    return TimeIncrement.DAY


def tz_offset_minutes(at: datetime, tz: tzinfo | None = None) -> int:
    """JavaScript's getTimezoneOffset() at `at`: UTC minus local, positive west (New York = 300)."""
    offset = at.astimezone(tz or clock.local_zone()).utcoffset() or timedelta(0)
    return -round(offset.total_seconds() / 60)


def check_tz_offset(minutes: int) -> int:
    if not -MAX_TZ_OFFSET <= minutes <= MAX_TZ_OFFSET:
        raise RangeError(
            f"--tz-offset {minutes} is outside Helicone's [-1440, 1440] minutes "
            "(UTC minus local: New York in winter is 300, Berlin in winter -60)"
        )
    return minutes


def iso_z(moment: datetime) -> str:
    """`YYYY-MM-DDTHH:MM:SS.mmmZ`, as JavaScript's toISOString() writes it."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S") + f".{utc.microsecond // 1000:03d}Z"


def epoch_ms(moment: datetime) -> int:
    """Epoch milliseconds, for session metrics' startTimeUnixMs / endTimeUnixMs."""
    return (moment.astimezone(UTC) - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(milliseconds=1)


def parse_wire_time(text: str) -> datetime:
    """A time as Helicone returns it (`2024-01-01T05:00:00.000Z`, or a date) as aware UTC."""
    return clock.parse_instant(text, UTC)
