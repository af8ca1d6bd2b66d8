"""Axis ticks for the plot: local-time x ticks on round wall-clock times and round y values, as
few as fit without overlapping (no Textual here)."""

from __future__ import annotations

import math
from datetime import datetime, tzinfo

_STEPS = (
    60, 300, 600, 900, 1800, 3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600,
    86400, 2 * 86400, 7 * 86400, 14 * 86400, 30 * 86400, 91 * 86400, 365 * 86400,
)


def time_format(span_s: float) -> str:
    """A strftime format for x labels over a span: ASCII only, as short as the span allows."""
    if span_s <= 86400:
        return "%H:%M"
    if span_s <= 4 * 86400:
        return "%a %H:%M"
    if span_s <= 400 * 86400:
        return "%b %d"
    return "%Y-%m"


def time_ticks(
    x_lo: float, x_hi: float, width: int, tz: tzinfo
) -> tuple[list[float], list[str]]:
    """Tick positions and local-time labels that fit in `width` columns without overlapping.

    Ticks sit on round local times (whole hours, days, ...) when the step allows.
    """
    span = x_hi - x_lo
    fmt = time_format(span)
    sample = datetime.fromtimestamp(x_lo, tz).strftime(fmt)
    slot = len(sample) + 3
    max_ticks = max(2, width // slot)
    if span <= 0:
        return [x_lo], [sample]
    step = next((s for s in _STEPS if span / s <= max_ticks - 1), None)
    if step is None:
        step = math.ceil(span / (max_ticks - 1))
    # Align to the local wall clock: shift by the zone's offset at the start.
    offset = datetime.fromtimestamp(x_lo, tz).utcoffset()
    off_s = offset.total_seconds() if offset else 0.0
    align = min(step, 86400) if step < 7 * 86400 else 86400
    first = math.ceil((x_lo + off_s) / align) * align - off_s
    ticks: list[float] = []
    t = first
    while t <= x_hi + 1e-6:
        ticks.append(t)
        t += step
    if len(ticks) < 2:
        ticks = [x_lo, x_hi]
    labels = [datetime.fromtimestamp(t, tz).strftime(fmt) for t in ticks]
    return ticks, labels


def nice_ticks(lo: float, hi: float, max_ticks: int) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 x 10^k) covering [lo, hi], at most max_ticks."""
    max_ticks = max(2, max_ticks)
    if hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / (max_ticks - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = magnitude * 10
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * magnitude * (1 + 1e-9):
            step = m * magnitude
            break
    while True:
        first = math.floor(lo / step + 1e-9) * step
        last = math.ceil(hi / step - 1e-9) * step
        count = round((last - first) / step) + 1
        if count <= max_ticks:
            return [first + i * step for i in range(count)]
        step *= 2
