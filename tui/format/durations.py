"""Durations as text: a window's length in the --since grammar (`24h`, `7d`, `90m`) and a
measured length in seconds (`42s`, `4m09s`, `2h05m`, `1d03h`)."""

from __future__ import annotations

from datetime import timedelta

from tui.api.timerange import format_duration as format_duration  # the one --since speller
from tui.format.numbers import fixed


def spell_length(length: timedelta) -> str:
    """`24h`, `7d`, `90m`: hours up to two days, as the time picker and the header spell them."""
    return format_duration(length, style="picker")


def duration_text(seconds: float, decimals: int = 0, *, fine: bool = False) -> str:
    """Seconds as `42s`, `4m09s`, `2h05m` (`2h05m30s` when `fine`: bins narrower than a minute),
    `1d03h`; `decimals` applies below a minute."""
    if seconds < 0:
        return "-" + duration_text(-seconds, decimals, fine=fine)
    if seconds < 60:
        return fixed(seconds, decimals) + "s"
    total = round(seconds)
    if total < 3600:
        minutes, secs = divmod(total, 60)
        return f"{minutes}m{secs:02d}s"
    if total < 86400:
        hours, rest = divmod(total, 3600)
        minutes, secs = divmod(rest, 60)
        return f"{hours}h{minutes:02d}m" + (f"{secs:02d}s" if fine else "")
    days, rest = divmod(total, 86400)
    return f"{days}d{rest // 3600:02d}h"
