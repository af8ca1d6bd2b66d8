"""Scores answers shaped for display: one series per key, gaps kept, booleans as % true.

No Textual here: this runs in the fetch worker's thread. Helicone's web pivots the rows and fills a
missing key with 0; here a key with no data in a bucket is None (a gap), filler rows (score_key "")
only mark buckets, and boolean keys (`-hcone-bool`, `helicone-score-feedback`) become "% true".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from typing import Any

from tui.format.numbers import delta_text, share
from tui.format.numbers import value as value_text
from tui.format.plot import PALETTE, ChartData, Color, Series, group_by_scale
from tui.format.times import bucket_end
from tui.query.scores import bucket_counts, pivot
from tui.safe import visible

BOOL_SUFFIX = "-hcone-bool"
FEEDBACK_KEY = "helicone-score-feedback"
#: Panels per kind (numeric, boolean): keys of more scales than this share the last one (more
#: panels side by side would be too narrow at 80 columns, and each costs a tab switch time).
PANELS_PER_KIND = 2
#: The label of a key's previous-period line (compare mode).
PREVIOUS_SUFFIX = " (prev)"


def is_boolean(key: str) -> bool:
    return key.endswith(BOOL_SUFFIX) or key == FEEDBACK_KEY


def label(key: str) -> str:
    """What the legend and the table call a key: no `-hcone-bool` suffix; feedback is "feedback".

    The key is the server's text: control characters are made visible here, the one place every
    legend, chart, table column, checklist and histogram title gets its label from."""
    if key == FEEDBACK_KEY:
        return "feedback"
    return visible(key.removesuffix(BOOL_SUFFIX))


@dataclass(frozen=True, eq=False)
class Panel:
    """One chart: the keys of one kind whose values share a scale (see `group_by_scale`)."""

    kind: str  # "numeric" | "boolean"
    keys: tuple[str, ...]  # raw keys
    data: ChartData


@dataclass(frozen=True, eq=False)
class ScoresAnswer:
    """A scores answer, pivoted: every bucket of the window, every key's value or None."""

    buckets: tuple[datetime, ...]
    keys: tuple[str, ...]  # raw keys: numeric first, then boolean, each alphabetical by label
    values: dict[str, tuple[float | None, ...]]
    increment: str
    window_start: datetime
    window_end: datetime
    #: The charts: numeric panels, then boolean ones; keys of very different scales apart.
    panels: tuple[Panel, ...] = ()
    #: Compare mode: each key's previous-period value beside each current bucket (None: no
    #: data there), and the previous window; None when not comparing.
    previous_values: dict[str, tuple[float | None, ...]] | None = None
    previous_window: tuple[datetime, datetime] | None = None
    #: Each key's number of scores per bucket (from the evals endpoint's hourly counts; the
    #: scores endpoint returns averages only). None: not known (minute buckets, or not asked).
    counts: dict[str, tuple[int | None, ...]] | None = None
    #: Buckets the window covers only in part (the current one, a day cut by the window's start).
    partial: tuple[bool, ...] = ()

    @property
    def compared(self) -> bool:
        return self.previous_values is not None

    @property
    def numeric_keys(self) -> tuple[str, ...]:
        return tuple(k for k in self.keys if not is_boolean(k))

    @property
    def boolean_keys(self) -> tuple[str, ...]:
        return tuple(k for k in self.keys if is_boolean(k))

    def kind_panels(self, kind: str) -> tuple[Panel, ...]:
        return tuple(p for p in self.panels if p.kind == kind)

    @property
    def numeric(self) -> ChartData:
        """The first numeric panel's data (every numeric key when they share a scale)."""
        found = self.kind_panels("numeric")
        return found[0].data if found else ChartData(())

    @property
    def boolean(self) -> ChartData:
        found = self.kind_panels("boolean")
        return found[0].data if found else ChartData(())

    @property
    def empty(self) -> bool:
        return not self.keys

    def count(self, key: str, i: int) -> int | None:
        if self.counts is None or key not in self.counts:
            return None
        return self.counts[key][i]

    def is_partial(self, i: int) -> bool:
        return bool(self.partial) and self.partial[i]

    def display_value(self, key: str, value: float | None) -> str:
        return share(value) if is_boolean(key) else value_text(value)

    def display_delta(self, key: str, i: int) -> str:
        """Bucket i's change from the previous period: `+0.12`; booleans in points, `+3.5pp`."""
        from tui.query.compare import delta

        if self.previous_values is None:
            return ""
        change = delta(self.values[key][i], self.previous_values[key][i])
        if is_boolean(key):
            return delta_text(change, scale=100.0, unit="pp")
        return delta_text(change)


def shape_scores(
    rows: Sequence[Any],
    *,
    increment: str,
    window_start: datetime,
    window_end: datetime,
    tz: tzinfo,
    previous: Sequence[Any] | None = None,
    previous_window: tuple[datetime, datetime] | None = None,
    counts: Sequence[Any] | None = None,
) -> ScoresAnswer:
    """`previous` (with `previous_window`): the previous period's rows, drawn as a dimmer line
    per key shifted forward by the window's length, and compared bucket by bucket. `counts`:
    the evals endpoint's answer for the same filter and window (its hourly counts give n)."""
    buckets, by_key = pivot(rows)
    before_buckets, before_by_key = pivot(previous) if previous is not None else ((), {})
    ordered = sorted(
        set(by_key) | set(before_by_key), key=lambda k: (is_boolean(k), label(k).lower(), k)
    )
    values = {k: tuple(by_key.get(k, {}).get(b) for b in buckets) for k in ordered}
    xs = tuple(b.timestamp() for b in buckets)
    # The first bucket may start before the window (a day bucket starts at local midnight).
    x_lo = min([window_start.timestamp(), *xs[:1]])
    x_hi = max([window_end.timestamp(), *xs[-1:]])
    x_range = (x_lo, x_hi)
    colours = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(ordered)}
    ends = tuple(bucket_end(b, increment, tz) for b in buckets)
    # A bucket [b, e) is whole when the window (inclusive of its end) holds all of it.
    partial = tuple(
        b < window_start or e > window_end for b, e in zip(buckets, ends, strict=True)
    )

    previous_values: dict[str, tuple[float | None, ...]] | None = None
    before_series: dict[str, tuple[tuple[float, ...], tuple[float | None, ...]]] = {}
    if previous is not None and previous_window is not None:
        from tui.query.compare import aligned

        shift = window_end - window_start
        index = aligned(buckets, before_buckets, shift, previous_window[1])
        previous_values = {
            k: tuple(
                None if i is None else before_by_key.get(k, {}).get(before_buckets[i])
                for i in index
            )
            for k in ordered
        }
        shifted = tuple((b + shift).timestamp() for b in before_buckets)
        before_series = {
            k: (shifted, tuple(before_by_key.get(k, {}).get(b) for b in before_buckets))
            for k in ordered
        }

    def scaled(k: str) -> float:
        return 100.0 if is_boolean(k) else 1.0

    def extent(k: str) -> tuple[str, float | None, float | None]:
        seen = [v for v in values[k] if v is not None]
        if k in before_series:
            seen += [v for v in before_series[k][1] if v is not None]
        if not seen:
            return (k, None, None)
        return (k, min(seen) * scaled(k), max(seen) * scaled(k))

    def chart(keys: list[str], unit: str) -> ChartData:
        series: list[Series] = []
        for k in keys:
            scale = scaled(k)
            if k in before_series:  # drawn first, so the current line is on top
                bxs, bys = before_series[k]
                series.append(Series(
                    label(k) + PREVIOUS_SUFFIX,
                    bxs,
                    tuple(None if v is None else v * scale for v in bys),
                    dimmed(colours[k]),
                ))
            series.append(Series(
                label(k),
                xs,
                tuple(None if v is None else v * scale for v in values[k]),
                colours[k],
            ))
        # Rates too fit their data (an 8 % rate on a 0-100 % axis hides its changes).
        return ChartData(tuple(series), tz=tz, y_unit=unit, x_range=x_range)

    panels: list[Panel] = []
    for kind, unit in (("numeric", ""), ("boolean", "%")):
        keys = [k for k in ordered if is_boolean(k) == (kind == "boolean")]
        if not keys:
            continue
        for group in group_by_scale([extent(k) for k in keys], max_groups=PANELS_PER_KIND):
            panels.append(Panel(kind, tuple(group), chart(group, unit)))

    return ScoresAnswer(
        buckets=buckets,
        keys=tuple(ordered),
        values=values,
        increment=increment,
        window_start=window_start,
        window_end=window_end,
        panels=tuple(panels),
        previous_values=previous_values,
        previous_window=previous_window if previous_values is not None else None,
        counts=bucket_counts(counts, buckets, ends, increment) if counts is not None else None,
        partial=partial,
    )


def dimmed(colour: Color) -> Color:
    """A key's colour for its previous-period line: greyed, so it reads as the dimmer one on dark
    and light backgrounds alike."""
    r, g, b = (round(c * 0.45 + 128 * 0.55) for c in colour)
    return (r, g, b)


def current_only(data: ChartData) -> ChartData:
    """The chart's data without the previous-period lines (what the legend lists)."""
    kept = tuple(s for s in data.series if not s.label.endswith(PREVIOUS_SUFFIX))
    if len(kept) == len(data.series):
        return data
    return replace(data, series=kept)


def value_with_n(answer: ScoresAnswer, key: str, i: int) -> str:
    """`61.39 (12)`: the bucket's average (or % true) and its number of scores; `-` for no
    data; the n is left out where it is not known (minute buckets)."""
    value = answer.values[key][i]
    if value is None:
        return "-"
    n = answer.count(key, i)
    text = answer.display_value(key, value)
    return text if n is None else f"{text} ({n})"


def column_title(answer: ScoresAnswer, key: str) -> str:
    """Two lines, so each column is as wide as its numbers, not as its name."""
    what = "% true" if is_boolean(key) else "avg"
    n = "" if answer.counts is None else " (n)"
    return f"{label(key)}\n{what}{n}"


def readout(answer: ScoresAnswer, i: int) -> dict[str, str]:
    """The legend's text per series label at bucket i: value and n (`n ?` when not known)."""
    out: dict[str, str] = {}
    for k in answer.keys:
        value = answer.values[k][i]
        n = answer.count(k, i)
        shown = "-" if value is None else answer.display_value(k, value)
        out[label(k)] = f"{shown} n={'?' if n is None else n}"
    return out


#: The increments `i` cycles through, finest first.
INCREMENTS = ("min", "hour", "day", "week", "month", "year")


def next_increment(current: str | None) -> str:
    """The increment after `current` (after the last, the first; unknown: the first)."""
    index = INCREMENTS.index(current) if current in INCREMENTS else -1
    return INCREMENTS[(index + 1) % len(INCREMENTS)]


def bucket_at(answer: ScoresAnswer, at: datetime | None) -> int | None:
    """The index of the bucket holding `at` (clamped to the answer's buckets; None: no cursor)."""
    if at is None or not answer.buckets:
        return None
    import bisect

    i = bisect.bisect_right(answer.buckets, at) - 1
    return max(0, min(len(answer.buckets) - 1, i))


def partial_x(answer: ScoresAnswer) -> float | None:
    """Where the first partial bucket inside the window starts (the charts mark it)."""
    return next(
        (b.timestamp() for i, b in enumerate(answer.buckets)
         if answer.is_partial(i) and b >= answer.window_start),
        None,
    )


def zoom_window(answer: ScoresAnswer, i: int) -> tuple[datetime, datetime] | None:
    """Bucket i's part of the window, to zoom to (None: it has no time inside the window)."""
    start = answer.buckets[i]
    end = answer.buckets[i + 1] if i + 1 < len(answer.buckets) else answer.window_end
    start, end = max(start, answer.window_start), min(end, answer.window_end)
    return None if end <= start else (start, end)


def series_choices(answer: ScoresAnswer, hidden: frozenset[str]) -> list[tuple[str, str, bool]]:
    """The series picker's lines: (what it shows, the raw key, shown now)."""
    return [
        (label(k) + (" (% true)" if is_boolean(k) else ""), k, k not in hidden)
        for k in answer.keys
    ]
