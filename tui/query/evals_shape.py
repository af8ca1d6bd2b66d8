"""Evals answers shaped for display, with honest numbers (no Textual: runs in the fetch thread).

Helicone's averageScore is Σ(hourly averages) / count, not a mean; its min and max are clamped
toward 0 by the hours without data. The table shows the true mean (hourly averages weighted by
hourly counts) beside averageScore, marks min/max, and says "no data" for names with none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from tui.format.plot import PALETTE, ChartData, Series
from tui.format.spark import spark

#: Sort columns `o` cycles through: (id, header, descending first).
SORTS: tuple[tuple[str, str, bool], ...] = (
    ("count", "count", True),
    ("name", "name", False),
    ("true_mean", "true mean", True),
    ("average_score", "helicone avg", True),
    ("min_score", "min*", True),
    ("max_score", "max*", True),
)


@dataclass(frozen=True, eq=False)
class EvalRow:
    name: str
    true_mean: float | None
    average_score: float | None  # Helicone's averageScore, as returned (None: null)
    min_score: float | None
    max_score: float | None
    count: float
    hours: tuple[datetime, ...]
    hourly_average: tuple[float | None, ...]  # None where the hour had no data
    hourly_count: tuple[float, ...]
    spark: str

    @property
    def has_data(self) -> bool:
        return self.count > 0


@dataclass(frozen=True, eq=False)
class EvalsAnswer:
    rows: tuple[EvalRow, ...]
    window_start: datetime
    window_end: datetime
    tz: tzinfo
    #: Compare (v): the previous period's rows by name, and its window; None when not comparing.
    previous: dict[str, EvalRow] | None = None
    previous_window: tuple[datetime, datetime] | None = None

    @property
    def compared(self) -> bool:
        return self.previous is not None

    def before(self, row: EvalRow) -> EvalRow | None:
        return None if self.previous is None else self.previous.get(row.name)

    @property
    def empty(self) -> bool:
        return not self.rows

    def charts(self, row: EvalRow) -> tuple[ChartData, ChartData]:
        """The hourly average (gaps where an hour had no data) and hourly count charts."""
        xs = tuple(h.timestamp() for h in row.hours)
        x_range = (
            min([self.window_start.timestamp(), *xs[:1]]),
            max([self.window_end.timestamp(), *xs[-1:]]),
        )
        average = ChartData(
            (Series("hourly average", xs, row.hourly_average, PALETTE[0]),),
            tz=self.tz,
            x_range=x_range,
        )
        count = ChartData(
            (Series("hourly count", xs, tuple(row.hourly_count), PALETTE[1]),),
            tz=self.tz,
            y_min=0.0,
            x_range=x_range,
        )
        return average, count


def eval_row(item: Any) -> EvalRow:
    """One eval from Helicone's answer, with its true mean and its hours paired by date."""
    from tui.query.evals import hourly

    hours, averages, hourly_count = hourly(item)
    return EvalRow(
        name=item.name,
        true_mean=item.true_mean,  # the one definition, on the wire model
        average_score=item.average_score,
        min_score=item.min_score,
        max_score=item.max_score,
        count=float(item.count),
        hours=hours,
        hourly_average=averages,
        hourly_count=hourly_count,
        spark=spark(averages, 8),
    )


def shape_evals(
    items: Sequence[Any],
    *,
    window_start: datetime,
    window_end: datetime,
    tz: tzinfo,
    previous: Sequence[Any] | None = None,
    previous_window: tuple[datetime, datetime] | None = None,
) -> EvalsAnswer:
    """`previous`: the previous period's answer (compare), each name's row kept by name."""
    return EvalsAnswer(
        rows=tuple(eval_row(item) for item in items),
        window_start=window_start,
        window_end=window_end,
        tz=tz,
        previous=None if previous is None else {i.name: eval_row(i) for i in previous},
        previous_window=previous_window if previous is not None else None,
    )


def sort_rows(rows: Sequence[EvalRow], column: str, descending: bool) -> list[EvalRow]:
    """Sorted by `column`; rows without a value (no data) always last."""

    def value(row: EvalRow) -> Any:
        return getattr(row, column)

    present = [r for r in rows if value(r) is not None]
    missing = [r for r in rows if value(r) is None]
    if column == "name":
        present.sort(key=lambda r: r.name.lower(), reverse=descending)
    else:
        present.sort(key=lambda r: (value(r), r.name.lower()), reverse=descending)
    return present + sorted(missing, key=lambda r: r.name.lower())


def search(rows: Sequence[EvalRow], text: str) -> list[EvalRow]:
    """Names containing `text`, case-insensitively (the server ignores offset/limit/search)."""
    needle = text.strip().lower()
    return [r for r in rows if needle in r.name.lower()] if needle else list(rows)
