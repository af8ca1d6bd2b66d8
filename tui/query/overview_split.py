"""The Overview split by a breakdown dimension (DESIGN.md "The views": Breakdown): what the tab
asks (the strip's and the models table's parts, unsplit, and the breakdown fan-out for the
charts) and each chart's lines, one per value. Pure: no Textual.

Honest numbers: the strip stays the window's unsplit totals (the info line says so); the charts
are per value, "(other)" only where the metric adds up (requests, error rate, cost); a value whose
request failed keeps its place with its error, the other values stay; a ranking made from a
sample says it was sampled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from typing import Any

from tui.api.timerange import Window, parse_wire_time
from tui.filters.tree import Node
from tui.query import overview_plan as plan_

#: Each chart of the Overview -> the breakdown metric it draws per value.
SPLIT_METRICS: dict[str, str] = {
    "status": "requests",
    "errors": "error_rate",
    "latency": "latency_p95",
    "cost": "cost",
    "ttft": "ttft",
}
#: What the fan-out asks (five answers per value, three for "other"; not the avg latency).
FANOUT_METRICS: tuple[str, ...] = tuple(SPLIT_METRICS.values())
#: The unsplit parts the tab still sends: the strip's (and its previous period's), the models
#: and the users tables.
UNSPLIT = (*plan_.TOTALS, plan_.P95, plan_.ERRORS, plan_.MODELS, plan_.USERS, plan_.USER_ERRORS)
#: Metrics that are a rate or an average: n (the value's requests in the bucket) goes beside.
WITH_N = frozenset({"error_rate", "latency_p95", "ttft"})


@dataclass(frozen=True)
class SplitPlan:
    """Everything the split Overview sends: `plan` (the unsplit strip and models parts) and
    `ask` (the breakdown: the top values, then the fan-out)."""

    plan: plan_.OverviewPlan
    ask: Any  # tui.query.breakdown.BreakdownAsk
    dimension: str


def build_split(filter: Node, window: Window, dimension: str) -> SplitPlan:
    """The split Overview's requests (ValueError: a bad dimension or a filter the metrics
    cannot send)."""
    from tui.query import breakdown as bd
    from tui.query.overview import OverviewOptions

    full = plan_.build_plan(filter, window, OverviewOptions(), compare=False)
    parts = tuple(p for p in full.parts if p.base in UNSPLIT
                  and (not p.name.startswith(plan_.PREV) or p.base in plan_.STRIP_PREVIOUS))
    options = OverviewOptions(increment=_increment(full.increment))
    ask = bd.ask_for("overview", dimension, filter, window, options, FANOUT_METRICS, None)
    return SplitPlan(replace(full, parts=parts), ask, ask.dimension.text)


def _increment(value: str) -> Any:
    from tui.api.enums import TimeIncrement

    return TimeIncrement(value)


# --------------------------------------------------------------------------- the lines


@dataclass(frozen=True)
class SplitLine:
    """One value's line on one chart (value None: "(other)")."""

    label: str  # as shown: safe text, "(none)" for "", "(other)"
    value: str | None
    condition: Node  # the value's filter condition: drill-down ANDs it on
    values: tuple[float | None, ...]  # per bucket of the panel; None: a gap
    n: tuple[int, ...] | None  # the value's requests per bucket (None: not known)
    error: str | None = None  # its request failed: this instead of the line

    @property
    def is_other(self) -> bool:
        return self.value is None


@dataclass(frozen=True, eq=False)
class SplitPanel:
    """One chart split by value: the buckets, a line per value, and which metric it is."""

    name: str  # the chart (status, errors, latency, cost, ttft)
    metric: str  # the breakdown metric drawn (requests, error_rate, ...)
    dimension: str
    buckets: tuple[datetime, ...]
    lines: tuple[SplitLine, ...]
    partial: tuple[bool, ...]
    increment: str
    window: Window
    error: str | None = None  # every value failed: the panel says this instead
    note: str = ""
    about: str = ""  # how the values were found (describe): the info line shows it

    @property
    def failed(self) -> tuple[SplitLine, ...]:
        return tuple(line for line in self.lines if line.error is not None)


def unique_labels(labels: Sequence[str]) -> list[str]:
    """Labels as shown, each once: the legend and readout key on them (two values that show
    alike, e.g. after control characters are made visible, get a #2)."""
    seen: dict[str, int] = {}
    out = []
    for text in labels:
        seen[text] = seen.get(text, 0) + 1
        out.append(text if seen[text] == 1 else f"{text} #{seen[text]}")
    return out


def _scaled(metric: str, value: float | None, n: int | None) -> float | None:
    if value is None:
        return None
    if metric in WITH_N and n == 0:
        return None  # no request of the value in the bucket: a gap, never a 0
    if metric == "latency_p95" and value == 0 and n is None:
        return None  # a fill row (no requests): all quantiles 0
    if metric == "error_rate":
        return float(value) * 100.0
    return float(value)


def shape_split(panel: str, answer: Any, window: Window, increment: str,
                tz: tzinfo) -> SplitPanel:
    """The chart `panel` from a BreakdownAnswer: a line per value of its metric."""
    from tui.api.safe_text import one_line
    from tui.format.times import bucket_end

    metric = SPLIT_METRICS[panel]
    dimension = answer.top.dimension.text
    mine = [s for s in answer.series if s.metric == metric]
    counts = {(s.value, s.label): s for s in answer.series if s.metric == "requests"}
    moments: dict[str, datetime] = {}
    for s in answer.series:
        if s.metric in (metric, "requests"):
            for at, _ in s.points:
                moments.setdefault(at, parse_wire_time(at))
    buckets = tuple(sorted(set(moments.values())))
    index = {b: i for i, b in enumerate(buckets)}
    labels = unique_labels([one_line(s.label) for s in mine])
    lines = []
    for s, shown in zip(mine, labels, strict=True):
        count = counts.get((s.value, s.label))
        n: tuple[int, ...] | None = None
        if count is not None and count.error is None:
            per = [0] * len(buckets)
            for at, v in count.points:
                per[index[moments[at]]] = int(v or 0)
            n = tuple(per)
        values: list[float | None] = [None] * len(buckets)
        for at, v in s.points:
            i = index[moments[at]]
            values[i] = _scaled(metric, v, None if n is None else n[i])
        lines.append(SplitLine(shown, s.value, s.condition, tuple(values), n,
                               None if s.error is None else one_line(s.error)))
    partial = tuple(b < window.start or bucket_end(b, increment, tz) > window.end
                    for b in buckets)
    error = None
    if lines and all(line.error for line in lines):
        error = lines[0].error
    failed = [line for line in lines if line.error]
    notes = [f"{line.label}: failed: {line.error}" for line in failed]
    if not answer.top.sampled:  # a sample's note is in `about` already
        notes += list(answer.top.notes)
    return SplitPanel(panel, metric, dimension, buckets, tuple(lines), partial, increment,
                      window, error, "; ".join(notes), describe(answer.top))


def describe(top: Any) -> str:
    """What the split is, for the info line: `by model: 6 values + other, top by requests`
    (a sampled ranking says so, with its size)."""
    values = len(top.values)
    text = f"by {top.dimension.text}: {values} value{'s' if values != 1 else ''}"
    if top.more and values:
        text += " + other"
    if top.sampled:
        text += f", top by requests in a random sample of {top.sample_size}"
    else:
        text += ", top by requests"
    return text
