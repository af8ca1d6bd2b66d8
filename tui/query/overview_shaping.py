"""The Overview's numbers, shaped panel by panel from the answers that have arrived. Pure: no
Textual (the tab calls these from its fetch worker's thread, one panel at a time).

Honest numbers (DESIGN.md; SEMANTICS-MORE §9):
- "error" is Helicone's: any status but 200 (errorOverTime); the error rate is errors / requests
  of the same bucket (the window's: errors / totalRequests);
- averageLatency (the strip) counts a missing latency as 0; latencyOverTime (the chart's avg)
  skips missing latencies and `-batch` models; the p75..p99 come from /quantiles;
- the strip's TTFT average counts only TTFT > 0; the chart's per-bucket average includes zeros;
- a fill row (a bucket without requests) is a gap in an average or a quantile, never a 0; counts
  and costs of an empty bucket are 0, which is what they are;
- the model `""` is a real group, shown as "(none)".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from tui.api.timerange import Window, parse_wire_time
from tui.query import overview_plan as plan_
from tui.query.compare import aligned, delta, percent_change

#: The chart panels in their up/down order, then the models and users tables.
CHARTS = ("status", "errors", "latency", "cost", "ttft")
PANELS = (*CHARTS, "models", "users")
#: Each chart's own series part first (its failure fails the panel), then its helpers.
PANEL_PARTS: dict[str, tuple[str, ...]] = {
    "status": (plan_.STATUS,),
    "errors": (plan_.ERRORS, plan_.STATUS),
    "latency": (plan_.LATENCY, plan_.QUANTILES, plan_.STATUS),
    "cost": (plan_.COST, plan_.STATUS),
    "ttft": (plan_.TTFT, plan_.STATUS),
    "models": (plan_.MODELS,),
    "users": (plan_.USERS, plan_.USER_ERRORS),
}
STRIP_PARTS = (*plan_.TOTALS, plan_.P95, plan_.ERRORS)
NONE_LABEL = "(none)"


@dataclass(frozen=True)
class Failed:
    """A part whose request failed: the one-line message to show in its panel's place."""

    message: str


Outcomes = Mapping[str, Any]  # part name -> its data, or Failed


def panel_parts(panel: str, compare: bool) -> tuple[str, ...]:
    """The parts a panel waits for (comparing: the previous period's series too)."""
    names = PANEL_PARTS[panel]
    if compare and panel not in ("models", "users"):  # the tables: current period only
        names = names + tuple(plan_.PREV + n for n in names)
    return names


def panels_of(part: str, compare: bool) -> tuple[str, ...]:
    """The panels that use `part`."""
    return tuple(p for p in PANELS if part in panel_parts(p, compare))


# --------------------------------------------------------------------------- series


@dataclass(frozen=True, eq=False)
class SeriesPanel:
    """One chart's numbers: per bucket, each series' value (None: a gap) and the bucket's
    request count n (None: not known, its request failed)."""

    name: str
    buckets: tuple[datetime, ...]
    columns: dict[str, tuple[float | None, ...]]
    n: tuple[int, ...] | None
    partial: tuple[bool, ...]
    increment: str
    window: Window
    #: Comparing: the previous period's value beside each current bucket, and its own points
    #: (bucket starts, values) for the dimmer lines.
    previous: dict[str, tuple[float | None, ...]] | None = None
    previous_points: dict[str, tuple[tuple[datetime, ...], tuple[float | None, ...]]] | None = None
    error: str | None = None  # the panel's own request failed: this message in its place
    note: str = ""  # e.g. "n unknown (requestStatusOverTime failed)"

    def change(self, column: str, i: int) -> float | None:
        if self.previous is None:
            return None
        return delta(self.columns[column][i], self.previous[column][i])


def _by_time(rows: Sequence[Any], value: Any) -> dict[datetime, Any]:
    out: dict[datetime, Any] = {}
    for row in rows:
        out[parse_wire_time(row.time)] = value(row)
    return out


def status_counts(rows: Sequence[Any]) -> dict[datetime, dict[str, int]]:
    """Per bucket: requests by status class (2xx, 4xx, 5xx, other) and all of them ("n")."""
    out: dict[datetime, dict[str, int]] = {}
    for row in rows:
        v = out.setdefault(parse_wire_time(row.time),
                           {"2xx": 0, "4xx": 0, "5xx": 0, "other": 0, "n": 0})
        if not row.status:  # a fill row (status 0, count 0): an empty bucket
            continue
        cls = {2: "2xx", 4: "4xx", 5: "5xx"}.get(int(row.status) // 100, "other")
        v[cls] += int(row.count)
        v["n"] += int(row.count)
    return out


def _columns(panel: str, outcomes: Outcomes, prefix: str,
             counts: dict[datetime, dict[str, int]] | None,
             ) -> dict[str, dict[datetime, float | None]]:
    """One period's series of `panel`, by bucket."""
    def got(name: str) -> Any:
        value = outcomes.get(prefix + name)
        return None if value is None or isinstance(value, Failed) else value

    def empty(at: datetime) -> bool:  # a bucket known to hold no request
        return counts is not None and counts.get(at, {}).get("n", 0) == 0

    if panel == "status":
        rows = counts or {}
        return {cls: {at: float(v[cls]) for at, v in rows.items()}
                for cls in ("2xx", "4xx", "5xx", "other")}
    if panel == "errors":
        errors = _by_time(got(plan_.ERRORS) or [], lambda r: int(r.count))
        rate: dict[datetime, float | None] = {}
        for at, e in errors.items():
            n = None if counts is None else counts.get(at, {}).get("n")
            rate[at] = e / n * 100.0 if n else None
        return {"error rate": rate}
    if panel == "latency":
        avg = _by_time(got(plan_.LATENCY) or [], lambda r: float(r.duration))
        out: dict[str, dict[datetime, float | None]] = {
            "avg": {at: (None if v == 0 or empty(at) else v) for at, v in avg.items()}
        }
        rows_q = got(plan_.QUANTILES) or []
        for q in plan_.QUANTILE_NAMES:
            # A fill row has all four quantiles 0: a gap.
            out[q] = {parse_wire_time(r.time): (
                None if empty(parse_wire_time(r.time)) or not any(
                    getattr(r, k) for k in plan_.QUANTILE_NAMES) else float(getattr(r, q)))
                for r in rows_q}
        return out
    if panel == "cost":
        return {"cost": _by_time(got(plan_.COST) or [], lambda r: float(r.cost))}
    ttft = _by_time(got(plan_.TTFT) or [], lambda r: float(r.ttft))
    return {"avg TTFT": {at: (None if empty(at) else v) for at, v in ttft.items()}}


def _failure(outcomes: Outcomes, names: Sequence[str]) -> str | None:
    for name in names:
        value = outcomes.get(name)
        if isinstance(value, Failed):
            return f"{name}: {value.message}"
    return None


def shape_series(panel: str, outcomes: Outcomes, plan: plan_.OverviewPlan,
                 tz: tzinfo) -> SeriesPanel:
    """The chart `panel` from the outcomes of its parts (see `panel_parts`)."""
    from tui.format.times import bucket_end

    own = PANEL_PARTS[panel][0]
    error = _failure(outcomes, [own] + ([plan_.QUANTILES] if panel == "latency" else []))
    if panel == "latency" and error and not isinstance(outcomes.get(plan_.LATENCY), Failed):
        error = None  # the avg line still draws; the note says which quantiles are missing
    status = outcomes.get(plan_.STATUS)
    counts = status_counts(status) if status is not None and not isinstance(
        status, Failed) else None
    notes = []
    if counts is None and panel != "status":
        notes.append(f"n unknown ({plan_.STATUS} failed)")
    if panel == "latency" and isinstance(outcomes.get(plan_.QUANTILES), Failed):
        notes.append("p75-p99 missing: " + (_failure(outcomes, [plan_.QUANTILES]) or ""))
    by_column = _columns(panel, outcomes, "", counts)
    buckets_set: set[datetime] = set(counts or {})
    for values in by_column.values():
        buckets_set.update(values)
    buckets = tuple(sorted(buckets_set))
    columns = {name: tuple(values.get(b) for b in buckets) for name, values in by_column.items()}
    n = tuple(counts.get(b, {}).get("n", 0) for b in buckets) if counts is not None else None
    window = plan.window
    partial = tuple(b < window.start or bucket_end(b, plan.increment, tz) > window.end
                    for b in buckets)

    previous = previous_points = None
    prev_names = [plan_.PREV + name for name in PANEL_PARTS[panel]]
    if plan.compare:
        prev_status = outcomes.get(plan_.PREV + plan_.STATUS)
        prev_counts = (status_counts(prev_status) if prev_status is not None
                       and not isinstance(prev_status, Failed) else None)
        before = _columns(panel, outcomes, plan_.PREV, prev_counts)
        prev_set: set[datetime] = set(prev_counts or {})
        for values in before.values():
            prev_set.update(values)
        prev_buckets = tuple(sorted(prev_set))
        shift = window.length
        index = aligned(buckets, prev_buckets, shift, plan.previous_window.end)
        previous = {name: tuple(None if i is None else before[name].get(prev_buckets[i])
                                for i in index) for name in columns}
        previous_points = {name: (prev_buckets, tuple(before[name].get(b) for b in prev_buckets))
                           for name in columns}
        failed = _failure(outcomes, prev_names)
        if failed:
            notes.append("previous period: " + failed)
    return SeriesPanel(panel, buckets, columns, n, partial, plan.increment, window,
                       previous, previous_points, error, "; ".join(notes))


# --------------------------------------------------------------------------- the strip


@dataclass(frozen=True)
class Total:
    """One number of the strip: its value for the window and the previous period's."""

    name: str
    label: str
    value: float | None
    previous: float | None
    unit: str  # "", "%", "ms", "$"
    pending: bool = False  # not all its answers are in yet
    error: str | None = None
    previous_pending: bool = False  # the previous period's answers are not all in yet

    @property
    def change(self) -> float | None:
        """Rates change in points; every other total in % of the previous value."""
        if self.unit == "%":
            return delta(self.value, self.previous)
        return percent_change(self.value, self.previous)


STRIP = (
    ("requests", "requests", ""),
    ("error_rate", "error rate", "%"),
    ("latency_avg", "avg lat", "ms"),
    ("latency_p95", "p95 lat", "ms"),
    ("cost", "cost", "$"),
    ("active_users", "users", ""),
    ("ttft_avg", "avg TTFT", "ms"),
)
#: Where each total comes from (part names, without the previous prefix).
STRIP_SOURCES: dict[str, tuple[str, ...]] = {
    "requests": ("totalRequests",),
    "error_rate": (plan_.ERRORS, "totalRequests"),
    "latency_avg": ("averageLatency",),
    "latency_p95": (plan_.P95,),
    "cost": ("totalCost",),
    "active_users": ("activeUsers",),
    "ttft_avg": ("averageTimeToFirstToken",),
}


#: The chart series that shows each total per bucket (panel, column; None: the bucket's n).
TREND_SOURCES: dict[str, tuple[str, str | None]] = {
    "requests": ("status", None),
    "error_rate": ("errors", "error rate"),
    "latency_avg": ("latency", "avg"),
    "latency_p95": ("latency", "p95"),
    "cost": ("cost", "cost"),
    "ttft_avg": ("ttft", "avg TTFT"),
}


def trends(panels: Mapping[str, SeriesPanel]) -> dict[str, tuple[float | None, ...]]:
    """Each total's values per bucket, from the charts that have arrived. A partial bucket (the
    window's edges) is left out, so a bucket cut short never reads as a drop."""
    out: dict[str, tuple[float | None, ...]] = {}
    for name, (panel_name, column) in TREND_SOURCES.items():
        panel = panels.get(panel_name)
        if panel is None or panel.error:
            continue
        values: tuple[float | None, ...] | None
        if column is None:
            values = None if panel.n is None else tuple(float(v) for v in panel.n)
        else:
            values = panel.columns.get(column)
        if values is not None:
            out[name] = tuple(None if cut else v
                              for v, cut in zip(values, panel.partial, strict=True))
    return out


def window_p95(rows: Sequence[Any]) -> float | None:
    """The window's p95 from /quantiles asked with one bucket (a year): None when no bucket has
    requests, or when the window spans two (a new year inside it: no single p95 to give)."""
    filled = [r for r in rows if any(getattr(r, q) for q in plan_.QUANTILE_NAMES)]
    return float(filled[0].p95) if len(filled) == 1 else None


def _total(name: str, outcomes: Outcomes, prefix: str) -> float | None:
    def got(part: str) -> Any:
        value = outcomes.get(prefix + part)
        return None if isinstance(value, Failed) else value

    if name == "error_rate":
        errors, requests = got(plan_.ERRORS), got("totalRequests")
        if errors is None or not requests:
            return None
        return sum(int(r.count) for r in errors) / float(requests) * 100.0
    if name == "latency_p95":
        rows = got(plan_.P95)
        return None if rows is None else window_p95(rows)
    value = got(STRIP_SOURCES[name][0])
    return None if value is None else float(value)


def shape_strip(outcomes: Outcomes) -> tuple[Total, ...]:
    """The strip from whatever parts have arrived (a total waits for all of its own)."""
    out = []
    for name, label, unit in STRIP:
        sources = STRIP_SOURCES[name]
        needed = [*sources, *(plan_.PREV + s for s in sources)]
        pending = not all(s in outcomes for s in sources)
        out.append(Total(
            name, label,
            None if pending else _total(name, outcomes, ""),
            _total(name, outcomes, plan_.PREV) if all(s in outcomes for s in needed) else None,
            unit, pending, _failure(outcomes, sources),
            not all(s in outcomes for s in needed[len(sources):]),
        ))
    return tuple(out)


# --------------------------------------------------------------------------- models


@dataclass(frozen=True)
class ModelRow:
    model: str  # as shown: "" is "(none)"
    requests: int
    prompt_tokens: int | None
    completion_tokens: int | None
    tokens: int | None
    cost: float


def shape_models(rows: Sequence[Any] | Failed | None, limit: int = 10) -> tuple[ModelRow, ...]:
    """The top models by requests (ties by name), `""` labelled "(none)"."""
    if rows is None or isinstance(rows, Failed):
        return ()
    ranked = sorted(rows, key=lambda m: (-int(m.total_requests), m.model))[:limit]
    return tuple(ModelRow(m.model if m.model != "" else NONE_LABEL, int(m.total_requests),
                          m.total_prompt_token, m.total_completion_tokens, m.total_tokens,
                          float(m.cost)) for m in ranked)


def is_empty(outcomes: Outcomes) -> bool:
    """No request in the window (the totals say so)."""
    total = outcomes.get("totalRequests")
    return total is not None and not isinstance(total, Failed) and float(total) == 0


def all_failed(outcomes: Outcomes) -> Failed | None:
    """Every part failed (a wrong key, the server down): the first message, for the whole tab."""
    values = list(outcomes.values())
    if values and all(isinstance(v, Failed) for v in values):
        return values[0]
    return None
