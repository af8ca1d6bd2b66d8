"""How the answer writers spell a cell: exact and readable numbers, local times, the true mean of
an eval, and what each session metric is (shared by the CSV writer in export.py and the table
writer in export_table.py)."""

from __future__ import annotations

import math
from datetime import datetime, tzinfo

from tui.api.models import Eval
from tui.api.timerange import parse_wire_time

#: Session metrics in the order they are written, with what their numbers are.
SESSION_METRICS: tuple[tuple[str, str, str], ...] = (
    ("session_count", "requests per session", "requests / session"),
    ("session_duration", "session duration (s)", "seconds / session"),
    ("session_cost", "session cost (USD)", "USD / session"),
)


def true_mean(item: Eval) -> float | None:
    """Σ(hourly average × hourly count) / Σ count: the mean Helicone's averageScore is not."""
    counts = [point.count for point in item.over_time]
    total = sum(counts)
    if not total:
        return None
    weighted = sum(
        value.value * count
        for value, count in zip(item.average_over_time, counts, strict=False)
    )
    return weighted / total


def exact(value: float | int | None) -> str:
    """CSV: exact numbers, whole ones without `.0`, none as blank."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def derived(value: float | None) -> float | None:
    # A computed mean: 12 significant digits, so 0.85 is not written 0.8500000000000001.
    return None if value is None else float(f"{value:.12g}")


def short(value: float | int | None, missing: str = "–") -> str:
    """Table: readable numbers."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing
    number = float(value)
    if number.is_integer() and abs(number) < 1e15:
        return f"{int(number):,}"
    if abs(number) >= 100:
        return f"{number:,.1f}"
    if abs(number) >= 0.001:
        return f"{number:.4g}"
    return f"{number:.3g}"


def range_number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def local_time(text: str, tz: tzinfo) -> str:
    try:
        moment = parse_wire_time(text)
    except ValueError:
        return text
    return local_datetime(moment, tz)


def local_datetime(moment: datetime, tz: tzinfo) -> str:
    local = moment.astimezone(tz)
    return local.strftime("%Y-%m-%d %H:%M ") + (local.tzname() or "")
