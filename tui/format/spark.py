"""A spark line as text, for table cells (no Textual here)."""

from __future__ import annotations

from collections.abc import Sequence

BARS = "▁▂▃▄▅▆▇█"


def spark(values: Sequence[float | None], width: int = 12, *, peak: bool = False) -> str:
    """`values` squeezed into `width` characters; a cell with no value at all is a space.

    Each character shows the mean of its slice of values (`peak`: the highest, so a burst of a
    few buckets inside a wide slice still shows); the scale runs from the lowest to the highest
    of those, so the shape shows even when values barely move.
    """
    if not values or width <= 0:
        return ""
    n = len(values)
    cells: list[float | None] = []
    for c in range(min(width, n)):
        lo = c * n // min(width, n)
        hi = max(lo + 1, (c + 1) * n // min(width, n))
        chunk = [v for v in values[lo:hi] if v is not None]
        if not chunk:
            cells.append(None)
        else:
            cells.append(max(chunk) if peak else sum(chunk) / len(chunk))
    present = [v for v in cells if v is not None]
    if not present:
        return " " * len(cells)
    low, high = min(present), max(present)
    span = high - low
    out = []
    for v in cells:
        if v is None:
            out.append(" ")
        elif span == 0:
            out.append(BARS[len(BARS) // 2])
        else:
            out.append(BARS[min(len(BARS) - 1, int((v - low) / span * len(BARS)))])
    return "".join(out)
