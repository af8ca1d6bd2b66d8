"""Sessions answers shaped for display (no Textual: runs in the fetch worker's thread).

Helicone's three `histogram(10)` answers with their averages; numbers for reading (4 significant
digits, never a raw float) and the previous period's averages beside (compare).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tui.format.bars import Bar, Kind, bars_for
from tui.format.durations import duration_text
from tui.format.numbers import delta_text, height, percent_text, readable, readable_all, significant
from tui.query.compare import delta, percent_change
from tui.safe import visible

#: (wire key, title, kind of number, the table's name for it)
METRICS: tuple[tuple[str, str, Kind, str], ...] = (
    ("session_count", "Requests per session", "number", "requests"),
    ("session_duration", "Session duration", "duration", "duration (s)"),
    ("session_cost", "Session cost", "cost", "cost ($)"),
)


@dataclass(frozen=True, eq=False)
class MetricHistogram:
    metric: str  # the wire key, e.g. session_duration
    title: str
    name: str  # the table's name for it
    rows: tuple[tuple[str, str, float], ...]  # (range_start, range_end, value), as received
    bars: tuple[Bar, ...]
    average: float | None  # over all sessions; None: Helicone's null (no sessions)
    average_text: str

    @property
    def total(self) -> float:
        """Σ heights: the exact number of sessions in the (trimmed) histogram."""
        return round(math.fsum(value for _, _, value in self.rows), 9)


@dataclass(frozen=True, eq=False)
class SessionsAnswer:
    metrics: tuple[MetricHistogram, ...]
    note: str
    #: The window asked about (copy as curl and export re-build the request from it).
    window_start: datetime | None = None
    window_end: datetime | None = None
    #: Compare (v): the previous period's answer, for the averages side by side.
    previous: SessionsAnswer | None = None

    @property
    def empty(self) -> bool:
        return not any(m.rows for m in self.metrics)


def _average_text(kind: Kind, average: float | None) -> str:
    if average is None or (isinstance(average, float) and math.isnan(average)):
        return "avg: none"  # Helicone's null: no sessions to average
    if kind == "duration":
        return "avg " + duration_text(average, 1 if average < 60 else 0)
    if kind == "cost":
        return "avg $" + significant(average)
    return f"avg {significant(average)}"


def _bars(kind: Kind, rows: tuple[tuple[str, str, float], ...]) -> tuple[Bar, ...]:
    try:
        bins = [(float(start), float(end), value) for start, end, value in rows]
    except ValueError:  # not a number as JS writes one: show Helicone's text as it is
        return tuple(Bar(f"{start}-{end}", value, height(value)) for start, end, value in rows)
    return bars_for(bins, kind)


def shape_sessions(
    raw: Any, p_size: str, interquartile: bool, session_name: str = ""
) -> SessionsAnswer:
    """The answer as the tab shows it. Pure: runs in the fetch worker's thread."""
    from tui.query.sessions import tab_note

    metrics = []
    for key, title, kind, name in METRICS:
        # Bounds are the server's text (shown as is when not a number): made safe to show here.
        rows = tuple(
            (visible(r.range_start), visible(r.range_end), r.value) for r in getattr(raw, key)
        )
        averages = getattr(raw.average, key)
        average = averages[0].average if averages else None
        metrics.append(
            MetricHistogram(key, title, name, rows, _bars(kind, rows), average,
                            _average_text(kind, average))
        )
    return SessionsAnswer(tuple(metrics), tab_note(p_size, interquartile, session_name))


def bound_texts(rows: tuple[tuple[str, str, float], ...]) -> tuple[list[str], list[str]]:
    """The bins' bounds for reading (Helicone writes them as JS numbers, as text): 4
    significant digits, more where two bounds would read the same; text that is not a number
    stays as it is."""
    try:
        values = [float(text) for start, end, _ in rows for text in (start, end)]
    except ValueError:
        return [r[0] for r in rows], [r[1] for r in rows]
    texts = readable_all(values)
    return texts[0::2], texts[1::2]


def compare_line(answer: SessionsAnswer, metric: MetricHistogram) -> str:
    """Compare (v): under a chart's average, the previous period's and the change in %."""
    if answer.previous is None:
        return ""
    before = next(m for m in answer.previous.metrics if m.metric == metric.metric)
    kind = next(k for key, _, k, _ in METRICS if key == metric.metric)
    text = _average_text(kind, before.average).replace("avg", "prev", 1)
    return f"\n{text} ({percent_text(percent_change(metric.average, before.average))})"


def compared_rows(answer: SessionsAnswer) -> list[tuple[str, str, str, str, str]]:
    """Compare (v), table view: a header, then each average (over all sessions) now and in the
    previous period, with the change; 4 significant digits, and the change to as many decimals
    as the values show (a change finer than the values is not news: `0`)."""
    assert answer.previous is not None
    rows = [("average", "now", "previous", "Δ", "change")]
    for metric, before in zip(answer.metrics, answer.previous.metrics, strict=True):
        now, then = metric.average, before.average
        rows.append((
            metric.name,
            readable(now),
            readable(then),
            change_text(now, then, delta(now, then)),
            percent_text(percent_change(now, then)),
        ))
    return rows


def change_text(now: float | None, before: float | None, change: float | None) -> str:
    """A change shown to the decimals of the numbers it is the change between: `+0.3`, `0`."""
    return delta_text(change, like=(now, before))
