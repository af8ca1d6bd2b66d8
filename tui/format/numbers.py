"""Numbers as text, one formatter per kind: exact (as received), table cells, significant digits,
costs, latencies, axis ticks, percents of a fraction, and changes (signed deltas, % changes).

None is Helicone's null (no value): each formatter says so its own way (`missing`), never as 0.
A NaN never reaches here from the wire (JSON has none); where a maths step could make one, it reads
as missing too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

#: Below this a whole float prints as an int (`25`, not `25.0`); from it on, repr switches to the
#: exponent form and the int would claim digits the float does not hold.
_WHOLE_BELOW = 1e16


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fixed(value: float, decimals: int) -> str:
    """`value` to `decimals` places, trailing zeros dropped (`2.50` -> `2.5`), never `-0`."""
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def exact(value: float | int | None, *, missing: str = "null", finite: bool = False) -> str:
    """A number as received, every digit a float carries: `25` not `25.0`. `finite`: an infinity
    is an error (CSV must not carry one) instead of `inf`."""
    if _missing(value):
        if finite and value is not None:
            raise ValueError("a non-finite number in the answer")
        return missing
    assert value is not None
    if isinstance(value, float):
        if finite and not math.isfinite(value):
            raise ValueError("a non-finite number in the answer")
        if value.is_integer() and abs(value) < _WHOLE_BELOW:
            return str(int(value))
        return repr(value)
    return str(value)


def csv_number(value: float | int | None) -> str:
    """A CSV cell: exact, none as blank, an infinity refused."""
    return exact(value, missing="", finite=True)


def cell(value: Any) -> str:
    """A table cell of any answer value: numbers short (4 significant digits, thousands apart
    from 10,000 on), None as a dash, booleans as yes/no."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e12:
            return str(int(value))
        return f"{value:.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return str(value)


def value(value: float | None, *, missing: str = "-", table: bool = False) -> str:
    """A score, a mean or a count: a whole number in full with its thousands apart (`1,234`),
    others to 4 significant digits (`0.8125`, `61.39`). `table`: as --format table spells them,
    wide columns of any size: from 100 on one decimal with thousands apart (`1,234.5`, where 4
    digits would read `1.235e+04`), below 0.001 three significant digits."""
    if _missing(value):
        return missing
    assert value is not None
    if table:
        number = float(value)
        if number.is_integer() and abs(number) < 1e15:
            return f"{int(number):,}"
        if abs(number) >= 100:
            return f"{number:,.1f}"
        return f"{number:.4g}" if abs(number) >= 0.001 else f"{number:.3g}"
    if math.isfinite(value) and value == int(value) and abs(value) < 1e12:
        return f"{int(value):,}"
    return f"{value:.4g}"


def share(fraction: float | None, *, missing: str = "-") -> str:
    """A fraction as a percent, one decimal: 0.125 -> `12.5%`."""
    if _missing(fraction):
        return missing
    assert fraction is not None
    return f"{fraction * 100:.1f}%"


def decimals_for(value: float, digits: int) -> int:
    """The decimals that show `value` with about `digits` significant digits."""
    if value == 0 or not math.isfinite(value) or abs(value) >= 10 ** digits:
        return 0
    return min(12, max(0, digits - 1 - math.floor(math.log10(abs(value)))))


def significant(value: float, digits: int = 3) -> str:
    """`value` with about `digits` significant digits, never in exponent form."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    if abs(value) >= 10 ** digits:
        return f"{value:,.0f}"
    return fixed(value, decimals_for(value, digits))


def readable(value: float | int | None, digits: int = 4, *, missing: str = "none") -> str:
    """A number for a table a person reads: about `digits` significant digits, never in
    exponent form; Helicone's null (no value) as `missing`."""
    if _missing(value):
        return missing
    assert value is not None
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


def height(value: float) -> str:
    """A bar's height for reading: whole numbers from 10 up, one decimal below (the table keeps
    the exact smoothed estimate)."""
    # Half up (2.75 -> 2.8, 1.25 -> 1.3): heights are multiples of 1/8, so halves are common and
    # Python's half-to-even would round them both ways.
    if abs(value) >= 10:
        return f"{math.floor(value + 0.5):,d}"
    return fixed(math.floor(value * 10 + 0.5) / 10, 1)


def cost(usd: float | None, decimals: int = 6, *, missing: str = "–") -> str:
    """Dollars to `decimals` places, trailing zeros dropped: `$0.000123`, `$12.5`."""
    if _missing(usd):
        return missing
    assert usd is not None
    return "$" + fixed(usd, decimals)


def count(n: float | int | None, *, missing: str = "–") -> str:
    """A count, whole and grouped: `12,345` (a histogram's smoothed total rounds)."""
    if _missing(n):
        return missing
    assert n is not None
    return f"{n:,.0f}"


def latency(ms: float | int | None, *, missing: str = "–") -> str:
    """Milliseconds, whole and grouped: `1,234 ms`."""
    return missing if _missing(ms) else f"{count(ms)} ms"


def tick(value: float, unit: str = "") -> str:
    """A short ASCII axis label: 3 significant digits, k/M for large values."""
    a = abs(value)
    if a >= 1e6:
        text = f"{value / 1e6:.3g}M"
    elif a >= 1e4:
        text = f"{value / 1e3:.3g}k"
    elif a >= 100 or a == 0 or value == int(value):
        text = f"{value:.0f}"
    else:
        text = f"{value:.3g}"
    return text + unit


def delta_text(
    change: float | None,
    *,
    scale: float = 1.0,
    unit: str = "",
    like: Sequence[float | None] = (),
    missing: str = "-",
) -> str:
    """A signed change: `+0.12`, `-3.5pp` (3 significant digits, `scale` and `unit` for points of
    a percent); `like`: to the decimals of the numbers it is the change between (4 significant
    digits of each; a change finer than them reads `0`)."""
    if _missing(change):
        return missing
    assert change is not None
    scaled = change * scale
    if like:
        decimals = max(decimals_for(v or 0.0, 4) for v in like)
        text = f"{scaled:+.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return ("0" if text.lstrip("+-") in ("0", "") else text) + unit
    if scaled == 0:
        return f"0{unit}"
    return f"{scaled:+.3g}{unit}"


def percent_text(value: float | None, *, missing: str = "n/a") -> str:
    """A change in %: `+12.5%`, `-250%`, `-0.04%`; `n/a` when the previous value was 0 or
    missing."""
    if _missing(value):
        return missing
    assert value is not None
    if value == 0:
        return "0%"
    if abs(value) >= 100:
        return f"{value:+.0f}%"
    if abs(value) >= 1:
        return f"{value:+.1f}%"
    return f"{value:+.2g}%"  # a small change stays visible: -0.04%, not -0.0%
