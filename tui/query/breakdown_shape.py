"""The fan-out's answers shaped: one series per value per metric, labelled, each with its filter
condition (drill-down carries it) and, when a request it needs failed, that error instead of
points. Pure: no network, no Textual."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tui.api.timerange import parse_wire_time
from tui.filters.tree import Node
from tui.query.breakdown_fanout import (
    OVERVIEW_METRICS,
    OVERVIEW_NEEDS,
    FanOut,
    Outcome,
    Slice,
    answer_keys,
    error_text,
)
from tui.query.breakdown_top import TopValues

_OVERVIEW_KEYS = ("requestStatusOverTime", "errorOverTime", "latencyOverTime", "quantiles",
                  "timeToFirstToken", "costOverTime")


@dataclass(frozen=True)
class BreakdownSeries:
    value: str | None  # None: "other"
    label: str  # "(none)" for "", "(other)" for the rest
    metric: str  # an Overview metric (csv name), or "score:<key>"
    condition: Node
    #: (bucket start as the wire writes it, value or None for a gap), in time order.
    points: tuple[tuple[str, float | None], ...] = ()
    error: str | None = None

    @property
    def is_other(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class BreakdownAnswer:
    view: str
    top: TopValues
    series: tuple[BreakdownSeries, ...]
    requests_sent: int  # the ranking's and the fan-out's

    @property
    def failed(self) -> tuple[BreakdownSeries, ...]:
        return tuple(s for s in self.series if s.error is not None)


def shape(fanout: FanOut, outcomes: Sequence[Outcome], requests_sent: int) -> BreakdownAnswer:
    by_slice: dict[int, dict[str, Outcome]] = {}
    for outcome in outcomes:
        by_slice.setdefault(id(outcome.job.slice), {})[outcome.job.key] = outcome
    series: list[BreakdownSeries] = []
    for part in fanout.slices:
        got = by_slice.get(id(part), {})
        if fanout.view == "scores":
            series += _scores_series(part, got.get("scores"), fanout.metrics)
        else:
            series += _overview_series(part, got, fanout.metrics)
    return BreakdownAnswer(fanout.view, fanout.top, tuple(series), requests_sent)


def _overview_series(part: Slice, got: dict[str, Outcome],
                     metrics: Sequence[str] | None) -> list[BreakdownSeries]:
    from tui.query.overview import buckets

    asked = answer_keys("overview", metrics, other=part.value is None)
    answer: dict[str, Any] = {k: [] for k in _OVERVIEW_KEYS}
    for key, outcome in got.items():
        if outcome.error is None:
            answer[key] = outcome.data
    table = buckets(answer)
    out: list[BreakdownSeries] = []
    for metric in OVERVIEW_METRICS if metrics is None else metrics:
        needs = OVERVIEW_NEEDS[metric]
        if any(k not in asked for k in needs):
            continue  # "other" of a metric that does not add up: not drawn
        failed = next((got[k].error for k in needs if k in got and got[k].error is not None),
                      None)
        if failed is not None:
            out.append(BreakdownSeries(part.value, part.label, metric, part.condition,
                                       error=error_text(failed)))
            continue
        points = tuple((at, values.get(metric)) for at, values in table.items())
        out.append(BreakdownSeries(part.value, part.label, metric, part.condition, points))
    return out


def _scores_series(part: Slice, outcome: Outcome | None,
                   metrics: Sequence[str] | None) -> list[BreakdownSeries]:
    if outcome is None:
        return []
    if outcome.error is not None:
        return [BreakdownSeries(part.value, part.label, "score:*", part.condition,
                                error=error_text(outcome.error))]
    times: dict[Any, str] = {}
    by_key: dict[str, dict[str, float]] = {}
    for row in outcome.data:
        at = parse_wire_time(row.created_at_trunc)
        times.setdefault(at, row.created_at_trunc)
        if row.score_key == "":  # WITH FILL filler: an empty bucket, not a zero
            continue
        by_key.setdefault(row.score_key, {})[times[at]] = float(row.score_sum)
    ordered = [times[k] for k in sorted(times)]
    out = []
    for key in sorted(by_key):
        metric = f"score:{key}"
        if metrics is not None and metric not in metrics:
            continue
        values = by_key[key]
        out.append(BreakdownSeries(part.value, part.label, metric, part.condition,
                                   tuple((at, values.get(at)) for at in ordered)))
    return out
