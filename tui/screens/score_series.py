"""Scores answers shaped for display: one series per key, gaps kept, booleans as % true.

No Textual here: this runs in the fetch worker's thread. Helicone's web pivots the rows and fills a
missing key with 0; here a key with no data in a bucket is None (a gap), filler rows (score_key "")
only mark buckets, and boolean keys (`-hcone-bool`, `helicone-score-feedback`) become "% true".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from tui.widgets.timeseries import PALETTE, ChartData, Series

BOOL_SUFFIX = "-hcone-bool"
FEEDBACK_KEY = "helicone-score-feedback"


def is_boolean(key: str) -> bool:
    return key.endswith(BOOL_SUFFIX) or key == FEEDBACK_KEY


def label(key: str) -> str:
    """What the legend and the table call a key: no `-hcone-bool` suffix; feedback is "feedback"."""
    if key == FEEDBACK_KEY:
        return "feedback"
    return key.removesuffix(BOOL_SUFFIX)


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass(frozen=True, eq=False)
class ScoresAnswer:
    """A scores answer, pivoted: every bucket of the window, every key's value or None."""

    buckets: tuple[datetime, ...]
    keys: tuple[str, ...]  # raw keys: numeric first, then boolean, each alphabetical by label
    values: dict[str, tuple[float | None, ...]]
    increment: str
    window_start: datetime
    window_end: datetime
    numeric: ChartData
    boolean: ChartData

    @property
    def numeric_keys(self) -> tuple[str, ...]:
        return tuple(k for k in self.keys if not is_boolean(k))

    @property
    def boolean_keys(self) -> tuple[str, ...]:
        return tuple(k for k in self.keys if is_boolean(k))

    @property
    def empty(self) -> bool:
        return not self.keys

    def display_value(self, key: str, value: float | None) -> str:
        if value is None:
            return "-"
        if is_boolean(key):
            return f"{value * 100:.1f}%"
        return f"{value:.4g}"


def pivot(
    rows: Sequence[Any],
) -> tuple[tuple[datetime, ...], dict[str, dict[datetime, float]]]:
    """Buckets (filler rows included: they are buckets with no data) and each key's values."""
    buckets: set[datetime] = set()
    by_key: dict[str, dict[datetime, float]] = {}
    for row in rows:
        at = _parse_time(row.created_at_trunc)
        buckets.add(at)
        if row.score_key == "":  # WITH FILL filler: an empty bucket, not a zero
            continue
        by_key.setdefault(row.score_key, {})[at] = float(row.score_sum)
    return tuple(sorted(buckets)), by_key


def shape_scores(
    rows: Sequence[Any],
    *,
    increment: str,
    window_start: datetime,
    window_end: datetime,
    tz: tzinfo,
) -> ScoresAnswer:
    buckets, by_key = pivot(rows)
    ordered = sorted(by_key, key=lambda k: (is_boolean(k), label(k).lower(), k))
    values = {k: tuple(by_key[k].get(b) for b in buckets) for k in ordered}
    xs = tuple(b.timestamp() for b in buckets)
    # The first bucket may start before the window (a day bucket starts at local midnight).
    x_lo = min([window_start.timestamp(), *xs[:1]])
    x_hi = max([window_end.timestamp(), *xs[-1:]])
    x_range = (x_lo, x_hi)
    colours = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(ordered)}

    def chart(keys: list[str], scale: float, unit: str, y_min: float | None, y_max: float | None):
        series = tuple(
            Series(
                label(k),
                xs,
                tuple(None if v is None else v * scale for v in values[k]),
                colours[k],
            )
            for k in keys
        )
        return ChartData(series, tz=tz, y_min=y_min, y_max=y_max, y_unit=unit, x_range=x_range)

    return ScoresAnswer(
        buckets=buckets,
        keys=tuple(ordered),
        values=values,
        increment=increment,
        window_start=window_start,
        window_end=window_end,
        numeric=chart([k for k in ordered if not is_boolean(k)], 1.0, "", None, None),
        boolean=chart([k for k in ordered if is_boolean(k)], 100.0, "%", 0.0, 100.0),
    )
