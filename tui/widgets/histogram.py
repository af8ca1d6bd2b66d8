"""Histograms as the app draws them: bins -> labelled bars, numbers rounded for reading.

No Textual here: the tabs shape their answers with this in the fetch worker's thread, and the bar
chart widget lays its rows out with `layout_bars`.

Helicone's histograms come from ClickHouse's `histogram(10)`: up to ten adaptive bins of unequal
widths whose heights are smoothed estimates (fractional) that add up to the exact count. So a bar is
labelled with its own `lower-upper`, its height is shown rounded (the table keeps the exact number),
and bounds get just enough decimals to tell neighbouring bins apart.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

Kind = Literal["number", "duration", "cost"]

#: Eighths of a cell, for bar ends finer than one character.
_PARTS = " ▏▎▍▌▋▊▉"
_FULL = "█"


@dataclass(frozen=True)
class Bar:
    """One bin: its label (`lower-upper`), its height, and the height as the chart prints it."""

    label: str
    value: float
    value_text: str


@dataclass(frozen=True)
class BarRow:
    """One line of a bar chart: the label cell, the bar, the value cell (either may be blank)."""

    label: str
    bar: str
    value: str


# --------------------------------------------------------------------------- numbers


def exact(value: float | int | None) -> str:
    """A number as received, for tables: `25` not `25.0`, every digit a float carries."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "null"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _fixed(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def significant(value: float, digits: int = 3) -> str:
    """`value` with about `digits` significant digits, never in exponent form."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    if abs(value) >= 10 ** digits:
        return f"{value:,.0f}"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    return _fixed(value, min(decimals, 12))


def decimals_for(value: float, digits: int) -> int:
    """The decimals that show `value` with about `digits` significant digits."""
    if value == 0 or not math.isfinite(value) or abs(value) >= 10 ** digits:
        return 0
    return min(12, max(0, digits - 1 - math.floor(math.log10(abs(value)))))


def readable(value: float | int | None, digits: int = 4, *, missing: str = "none") -> str:
    """A number for a table a person reads: about `digits` significant digits, never in
    exponent form; Helicone's null (no value) as `missing`."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing
    return significant(float(value), digits)


def readable_all(values: Sequence[float], digits: int = 4) -> list[str]:
    """`readable` for a column of numbers, with as many more digits as it takes to keep
    different numbers apart (neighbouring bin bounds must not read the same)."""
    distinct = len(set(values))
    for more in range(digits, 17):
        texts = [significant(v, more) for v in values]
        if len(set(texts)) == distinct:
            return texts
    return [exact(v) for v in values]


def height_text(value: float) -> str:
    """A bar's height for reading: whole numbers from 10 up, one decimal below (the table keeps
    the exact smoothed estimate)."""
    # Half up (2.75 -> 2.8, 1.25 -> 1.3): heights are multiples of 1/8, so halves are common and
    # Python's half-to-even would round them both ways.
    if abs(value) >= 10:
        return f"{math.floor(value + 0.5):,d}"
    return _fixed(math.floor(value * 10 + 0.5) / 10, 1)


def label_decimals(bounds: Sequence[tuple[float, float]]) -> int:
    """The fewest decimals that keep every bound apart from its neighbours (so no two bins share
    a label); the table has the exact numbers."""
    values = sorted({v for pair in bounds for v in pair})
    for decimals in range(9):
        rounded = [round(v, decimals) for v in values]
        if len(set(rounded)) == len(values):
            return decimals
    return 9


def _label_number(value: float, decimals: int) -> str:
    """A bound in a label: fixed decimals, so one chart's labels line up (`0` stays `0`)."""
    if value == 0:
        return "0"
    text = f"{value:.{decimals}f}"
    return "0" if text.lstrip("-").strip("0.") == "" else text


def duration_text(seconds: float, decimals: int = 0, *, fine: bool = False) -> str:
    """Seconds as `42s`, `4m09s`, `2h05m` (`2h05m30s` when `fine`: bins narrower than a minute),
    `1d03h`; `decimals` applies below a minute."""
    if seconds < 0:
        return "-" + duration_text(-seconds, decimals, fine=fine)
    if seconds < 60:
        return _fixed(seconds, decimals) + "s"
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


def cost_text(usd: float, decimals: int) -> str:
    return "$" + _fixed(usd, decimals)


def range_label(lower: float, upper: float, fmt: Callable[[float], str], prefix: str = "") -> str:
    """`lower-upper` (one value when the bin holds a single value)."""
    low, high = fmt(lower), fmt(upper)
    if low == high:
        return prefix + low
    separator = " - " if high.startswith("-") else "-"  # `-5 - -3`, not `-5--3`
    return f"{prefix}{low}{separator}{high}"


def bars_for(bins: Sequence[tuple[float, float, float]], kind: Kind = "number") -> tuple[Bar, ...]:
    """Bars for bins `(lower, upper, height)`, labelled for their kind of number."""
    if not bins:
        return ()
    bounds = [(lo, hi) for lo, hi, _ in bins]
    decimals = label_decimals(bounds)
    if kind == "duration":
        fine = min((hi - lo for lo, hi in bounds if hi > lo), default=60.0) < 60

        def fmt(v: float) -> str:
            return duration_text(v, decimals, fine=fine)

        prefix = ""
    else:

        def fmt(v: float) -> str:
            return _label_number(v, decimals)

        prefix = "$" if kind == "cost" else ""
    return tuple(
        Bar(range_label(lo, hi, fmt, prefix), value, height_text(value)) for lo, hi, value in bins
    )


# --------------------------------------------------------------------------- layout


def bar_text(value: float, top: float, cells: int) -> str:
    """A bar `value / top` of `cells` long, in eighths of a cell; a positive value shows at least
    a sliver, so a small bin is never drawn as an empty one."""
    if cells <= 0 or top <= 0 or value <= 0:
        return ""
    eighths = round(min(1.0, value / top) * cells * 8)
    eighths = max(1, eighths)
    full, part = divmod(eighths, 8)
    return _FULL * full + (_PARTS[part] if part else "")


def rows_per_bar(count: int, height: int) -> int:
    """1 line per bar; with room, 2 (a bar and a gap) or 3 (a thicker bar and a gap)."""
    if count <= 0:
        return 1
    return max(1, min(3, height // count))


def layout_bars(bars: Sequence[Bar], width: int, height: int, slots: int = 0) -> list[BarRow]:
    """The chart's lines for a `width` x `height` area: labels right-aligned in one column, bars
    scaled to the tallest, the rounded height after each bar. Grows with the area: longer bars
    with the width, thicker bars (and gaps) with the height. `slots`: lay out as if there were
    that many bars (charts side by side then draw bars of the same thickness)."""
    if not bars or width <= 0 or height <= 0:
        return []
    label_w = max(len(b.label) for b in bars)
    value_w = max(len(b.value_text) for b in bars)
    cells = max(0, width - label_w - value_w - 2)
    top = max(b.value for b in bars)
    per = rows_per_bar(max(len(bars), slots), height)
    thick = per if per == 1 else per - 1
    rows: list[BarRow] = []
    for bar in bars:
        drawn = bar_text(bar.value, top, cells)
        for line in range(thick):
            first = line == 0
            rows.append(
                BarRow(
                    bar.label.rjust(label_w) if first else " " * label_w,
                    drawn,
                    bar.value_text if first else "",
                )
            )
        if per > 1:
            rows.append(BarRow("", "", ""))
    if per > 1:
        rows.pop()  # no gap after the last bar
    return rows
