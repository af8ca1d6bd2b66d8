"""Histogram bars as text: bins -> labelled bars, numbers rounded for reading, and their layout.

No Textual here: the tabs shape their answers with this in the fetch worker's thread, and the bar
chart widget lays its rows out with `layout_bars`.

Helicone's histograms come from ClickHouse's `histogram(10)`: up to ten adaptive bins of unequal
widths whose heights are smoothed estimates (fractional) that add up to the exact count. So a bar is
labelled with its own `lower-upper`, its height is shown rounded (the table keeps the exact number),
and bounds get just enough decimals to tell neighbouring bins apart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from tui.format.durations import duration_text
from tui.format.numbers import height

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
        Bar(range_label(lo, hi, fmt, prefix), value, height(value)) for lo, hi, value in bins
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
