"""The Scores tab's answer under a breakdown (`b`, `--breakdown DIM`): every score key's values per
bucket for each top value of the dimension, from the breakdown's fan-out (one scores request per
value, `tui.query.breakdown`).

What the tab draws from it: one score key at a time (`k` cycles the keys), one line per value,
labelled with the value; a value whose request failed keeps its line in the legend with the error
in its label. No Textual here: `shape_split` runs in the fetch worker's thread.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from tui.format.plot import PALETTE, ChartData, Series
from tui.format.times import bucket_end
from tui.query.breakdown_dims import label as value_label
from tui.query.breakdown_dims import value_condition
from tui.query.breakdown_shape import BreakdownAnswer
from tui.query.scores_shape import is_boolean, label
from tui.safe import one_line, visible


@dataclass(frozen=True, eq=False)
class SplitValue:
    """One top value of the dimension: its label, its condition, and its scores (or error)."""

    value: str
    label: str  # "(none)" for the "" group; shown through `visible`
    condition: Any  # a filter Node: the drill-down ANDs it on
    values: dict[str, tuple[float | None, ...]]  # raw score key -> one value per bucket
    error: str | None = None

    @property
    def series_label(self) -> str:
        """What the legend calls the value's line: with its error when its request failed."""
        shown = visible(self.label)
        return shown if self.error is None else f"{shown} (failed: {one_line(self.error, 60)})"


@dataclass(frozen=True, eq=False)
class ScoresSplitAnswer:
    dimension: str
    buckets: tuple[datetime, ...]
    keys: tuple[str, ...]  # raw keys: numeric first, then boolean, each alphabetical by label
    parts: tuple[SplitValue, ...]  # most requests first
    increment: str
    window_start: datetime
    window_end: datetime
    partial: tuple[bool, ...]
    notes: tuple[str, ...]  # e.g. "top values from a sample of 1000 requests"
    breakdown: BreakdownAnswer  # the fan-out's answer, for export

    @property
    def empty(self) -> bool:
        return not self.keys and not any(p.error for p in self.parts)

    @property
    def compared(self) -> bool:  # a breakdown never compares with the previous period
        return False

    def is_partial(self, i: int) -> bool:
        return bool(self.partial) and self.partial[i]

    @property
    def failed(self) -> tuple[SplitValue, ...]:
        return tuple(p for p in self.parts if p.error is not None)

    def display_value(self, key: str, value: float | None) -> str:
        from tui.format.numbers import share
        from tui.format.numbers import value as value_text

        return share(value) if is_boolean(key) else value_text(value)

    def value_at(self, part: SplitValue, key: str, i: int) -> float | None:
        series = part.values.get(key)
        return None if series is None else series[i]

    def chart(self, key: str, tz: tzinfo) -> ChartData:
        """`key`'s chart: one line per value (a failed value's line is empty, its label says
        why)."""
        scale = 100.0 if is_boolean(key) else 1.0
        xs = tuple(b.timestamp() for b in self.buckets)
        x_lo = min([self.window_start.timestamp(), *xs[:1]])
        x_hi = max([self.window_end.timestamp(), *xs[-1:]])
        series = []
        for n, part in enumerate(self.parts):
            got = part.values.get(key) or (None,) * len(self.buckets)
            ys = tuple(None if v is None else v * scale for v in got)
            series.append(Series(part.series_label, xs, ys, PALETTE[n % len(PALETTE)]))
        return ChartData(tuple(series), tz=tz, y_unit="%" if is_boolean(key) else "",
                         x_range=(x_lo, x_hi))

    def readout(self, key: str, i: int) -> dict[str, str]:
        """The legend's text per line at bucket i: each value's number (`-`: no score there)."""
        out: dict[str, str] = {}
        for part in self.parts:
            if part.error is not None:
                out[part.series_label] = "failed"
                continue
            value = self.value_at(part, key, i)
            out[part.series_label] = "-" if value is None else self.display_value(key, value)
        return out

    def title(self, key: str) -> str:
        what = "% true" if is_boolean(key) else "average"
        return f"{label(key)} by {visible(self.dimension)}, {what} per bucket"


def shape_split(answer: BreakdownAnswer, *, increment: str, window_start: datetime,
                window_end: datetime, tz: tzinfo) -> ScoresSplitAnswer:
    """The fan-out's series pivoted: the buckets every value's answer holds, each value's
    keys."""
    from tui.api.timerange import parse_wire_time

    times: dict[str, datetime] = {}
    for s in answer.series:
        for at, _ in s.points:
            times.setdefault(at, parse_wire_time(at))
    buckets = tuple(sorted(set(times.values())))
    index = {b: i for i, b in enumerate(buckets)}
    found: dict[str, dict[str, list[float | None]]] = {}
    errors: dict[str, str] = {}
    conditions: dict[str, Any] = {}
    for s in answer.series:
        if s.value is None:
            continue  # no "other" for scores (an average of unknown groups)
        conditions.setdefault(s.value, s.condition)
        if s.error is not None:
            errors[s.value] = s.error
            continue
        key = s.metric.removeprefix("score:")
        row = found.setdefault(s.value, {}).setdefault(key, [None] * len(buckets))
        for at, value in s.points:
            row[index[times[at]]] = value
    keys = sorted({k for by_key in found.values() for k in by_key},
                  key=lambda k: (is_boolean(k), label(k).lower(), k))
    dim = answer.top.dimension
    parts = tuple(
        SplitValue(
            value=v, label=value_label(v),
            condition=conditions.get(v) or value_condition(dim, v),
            values={k: tuple(vals) for k, vals in found.get(v, {}).items()},
            error=errors.get(v),
        )
        for v in answer.top.values
    )
    ends = tuple(bucket_end(b, increment, tz) for b in buckets)
    partial = tuple(b < window_start or e > window_end
                    for b, e in zip(buckets, ends, strict=True))
    return ScoresSplitAnswer(dim.text, buckets, tuple(keys), parts, increment, window_start,
                             window_end, partial, answer.top.notes, answer)


# --------------------------------------------------------------------------- the table


def table_columns(answer: ScoresSplitAnswer,
                  hidden: frozenset[str]) -> list[tuple[str, str]]:
    """(column key, two-line title): a group of columns per value (one per score key)."""
    out = []
    for n, part in enumerate(answer.parts):
        if part.label in hidden:
            continue
        if part.error is not None:
            out.append((f"{n}\x00error", f"{part.series_label}\n(failed)"))
            continue
        for key in answer.keys:
            what = "% true" if is_boolean(key) else "avg"
            out.append((f"{n}\x00{key}", f"{visible(part.label)}\n{label(key)} {what}"))
    return out


def table_cell(answer: ScoresSplitAnswer, column: str, i: int) -> str:
    n, _, key = column.partition("\x00")
    part = answer.parts[int(n)]
    if part.error is not None:
        return "failed"
    value = answer.value_at(part, key, i)
    return "-" if value is None else answer.display_value(key, value)


def column_part(answer: ScoresSplitAnswer, column: object) -> SplitValue | None:
    """The value a table column belongs to (None: the time column)."""
    n, sep, _ = str(column).partition("\x00")
    if not sep or not n.isdigit() or int(n) >= len(answer.parts):
        return None
    return answer.parts[int(n)]


# --------------------------------------------------------------------------- export


def export_write(answer: ScoresSplitAnswer, request: Any, tz: tzinfo) -> str:
    """`x` under a breakdown: the breakdown's writers (csv `time,series,metric,value`, json with
    each series' filter and error). What was written, for the user."""
    from tui.query.breakdown_write import write
    from tui.screens.answer_io import write_file

    out = io.StringIO()
    # The csv writer warns about failed series on stderr, which is the terminal here: the
    # notification says it instead.
    with contextlib.redirect_stderr(io.StringIO()):
        write(answer.breakdown, request.format, out, tz)
    write_file(request.path, out.getvalue(), request.overwrite)
    failed = f" ({len(answer.failed)} values failed, not written)" if (
        answer.failed and request.format == "csv") else ""
    return (f"Wrote the scores by {answer.dimension} ({request.format.upper()}) to "
            f"{request.path}{failed}")
