"""Compare with the previous period: the window just before the current one, and the changes.

Pure (no Textual): the tabs call it from their fetch worker's thread.

The previous window is the current one shifted back by its length L, with its end adjusted to how
the endpoint treats the ends of a window (SEMANTICS §7), so that no request counts in both:

- scores, evals `[start, end]`, both ends inclusive, compared in whole seconds (Helicone drops the
  milliseconds of its time parameters): the previous window is `[start - L, start - 1 s]`. Shifted
  by exactly L, its end would be the current start, and a request at that instant would count in
  both. The price of the choice: a request in the last second before `start` with a non-zero
  millisecond part is in neither window (whole-second inclusive bounds cannot tile millisecond
  timestamps; one of the two errors is unavoidable, and missing one sub-second sliver is the
  smaller and the honest one: nothing is counted twice).
- distributions `[start, end)`: `[start - L, start)`, which tiles exactly.
- sessions `(start, end)`, both ends exclusive: `(start - L, start)`; the single instant `start`
  is in neither window, as it is between any two adjacent windows of that endpoint.

The previous request keeps everything else of the current one (filter, increment, time-zone
offset, options), so both are bucketed the same way and their points line up once shifted by L.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tui.api.timerange import Window, epoch_ms, iso_z
from tui.format.numbers import (
    delta_text as format_delta,  # re-export (moved to tui.format.numbers)
)
from tui.format.numbers import (
    percent_text as format_percent,  # re-export (moved to tui.format.numbers)
)

__all__ = [
    "INCLUSIVE_STEP", "Paired", "aligned", "delta", "format_delta", "format_percent", "offset",
    "percent_change", "previous_request", "previous_window",
]

#: Inclusive ends are compared in whole seconds: one second is the smallest step between them.
INCLUSIVE_STEP = timedelta(seconds=1)

#: Endpoints whose window includes its end instant (SEMANTICS §7).
_INCLUSIVE_END = frozenset({"scores", "evals"})


def _name(endpoint: str) -> str:
    """The endpoint's name (an `EndpointName` is a str enum: its value)."""
    return str(getattr(endpoint, "value", endpoint))


def previous_window(endpoint: str, window: Window) -> Window:
    """The window just before `window` for `endpoint` (see the module's note on the ends)."""
    endpoint = _name(endpoint)
    length = window.length
    start = window.start - length
    end = window.start
    if endpoint in _INCLUSIVE_END:
        end -= INCLUSIVE_STEP
        if end <= start:  # a window of one second or less: nothing before it can be disjoint
            start = end - length
    return Window(start, end)


def offset(window: Window) -> timedelta:
    """What to add to a previous-period time to draw it over the current period: the length."""
    return window.length


@dataclass(frozen=True)
class Paired:
    """A tab's request when comparing: the current one and the previous period's."""

    current: Any
    previous: Any
    window: Window  # the current window
    previous_window: Window


def previous_request(endpoint: str, request: Any, window: Window) -> Paired:
    """The current `request` (sent for `window`) paired with the previous period's.

    Only the time filter changes: the increment and the time-zone offset stay those of the current
    request, so a previous window one second shorter is still bucketed like the current one.
    """
    from tui.api.models import TimeFilter, TimeFilterMs

    endpoint = _name(endpoint)
    before = previous_window(endpoint, window)
    if endpoint == "sessions":
        time_filter: Any = TimeFilterMs(
            start_time_unix_ms=epoch_ms(before.start), end_time_unix_ms=epoch_ms(before.end)
        )
    else:
        time_filter = TimeFilter(start=iso_z(before.start), end=iso_z(before.end))
    previous = request.model_copy(update={"time_filter": time_filter})
    return Paired(request, previous, window, before)


# --------------------------------------------------------------------------- changes


def _number(value: float | None) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def delta(current: float | None, previous: float | None) -> float | None:
    """current - previous; None when either is missing (no data is not zero)."""
    now, before = _number(current), _number(previous)
    if now is None or before is None:
        return None
    return now - before


def percent_change(current: float | None, previous: float | None) -> float | None:
    """The change in % of the previous value; None when either is missing or previous is 0."""
    change = delta(current, previous)
    before = _number(previous)
    if change is None or not before:
        return None
    return change / abs(before) * 100.0


def aligned(
    buckets: Sequence[datetime],
    previous_buckets: Sequence[datetime],
    shift: timedelta,
    previous_end: datetime,
) -> list[int | None]:
    """For each current bucket, the index of the previous-period bucket it compares with.

    That is the previous bucket holding the instant `bucket - shift` (the latest one starting at or
    before it), or None when that instant is outside the previous window (e.g. the bucket of the
    current window's end instant, which the previous window, one second shorter, does not reach).
    """
    import bisect

    out: list[int | None] = []
    for bucket in buckets:
        at = bucket - shift
        i = bisect.bisect_right(previous_buckets, at) - 1
        out.append(i if i >= 0 and at <= previous_end else None)
    return out
