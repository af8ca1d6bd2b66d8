"""The breakdown's fan-out: for a view (the Overview's over-time series, Scores) and the top values
of a dimension, one request per value and endpoint, built from the investigation's filter AND the
value's condition, sent concurrently through the one client (which keeps at most 6 in flight and
honours 429). A request that fails leaves its error on the series it feeds; the rest stay.

"other" (everything but the values shown) is asked only for the metrics that add up across values
(requests, errors and their rate, cost): an "other" latency or score would be an average of
unknown groups, drawn as if it were one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from tui.api.timerange import Window
from tui.filters.tree import Node
from tui.query.breakdown_dims import (
    OTHER_LABEL,
    label,
    narrowed,
    other_condition,
    value_condition,
)
from tui.query.breakdown_top import TopValues, requests_for_top

VIEWS = ("overview", "scores")

#: Each Overview metric (csv names, DESIGN.md) -> the answers it is computed from.
OVERVIEW_NEEDS: dict[str, tuple[str, ...]] = {
    "requests": ("requestStatusOverTime",),
    "requests_2xx": ("requestStatusOverTime",),
    "requests_4xx": ("requestStatusOverTime",),
    "requests_5xx": ("requestStatusOverTime",),
    "errors": ("errorOverTime",),
    "error_rate": ("errorOverTime", "requestStatusOverTime"),
    "latency_avg": ("latencyOverTime",),
    "latency_p75": ("quantiles",), "latency_p90": ("quantiles",),
    "latency_p95": ("quantiles",), "latency_p99": ("quantiles",),
    "ttft": ("timeToFirstToken",),
    "cost": ("costOverTime",),
}
OVERVIEW_METRICS: tuple[str, ...] = tuple(OVERVIEW_NEEDS)
#: The metrics an "other" series is drawn for (they add up; a rate of sums is still right).
ADDITIVE = frozenset({"requests", "requests_2xx", "requests_4xx", "requests_5xx", "errors",
                      "error_rate", "cost"})
#: The answer key -> the client method that asks it, and which body of the Overview's it takes.
_OVERVIEW_CALLS: dict[str, tuple[str, str]] = {
    "requestStatusOverTime": ("request_status_over_time", "over_time"),
    "errorOverTime": ("error_over_time", "over_time"),
    "latencyOverTime": ("latency_over_time", "over_time"),
    "quantiles": ("quantiles", "quantiles"),
    "timeToFirstToken": ("ttft_over_time", "over_time"),
    "costOverTime": ("cost_over_time", "over_time"),
}


def check_metrics(view: str, metrics: Sequence[str] | None) -> tuple[str, ...] | None:
    """The metrics asked for, checked (None: every metric of the view). Scores' metrics are
    score keys, written `accuracy` or `score:accuracy`: any name goes."""
    if not metrics:
        return None
    if view == "scores":
        return tuple(m if m.startswith("score:") else f"score:{m}" for m in metrics)
    unknown = [m for m in metrics if m not in OVERVIEW_NEEDS]
    if unknown:
        raise ValueError(f"--metric {unknown[0]!r} is not an overview metric: one of "
                         + ", ".join(OVERVIEW_METRICS))
    return tuple(dict.fromkeys(metrics))


def answer_keys(view: str, metrics: Sequence[str] | None, *,
                other: bool = False) -> tuple[str, ...]:
    """The answers one value's series need (for "other": only the additive metrics')."""
    if view == "scores":
        return () if other else ("scores",)
    wanted = OVERVIEW_METRICS if metrics is None else tuple(metrics)
    if other:
        wanted = tuple(m for m in wanted if m in ADDITIVE)
    return tuple(dict.fromkeys(k for m in wanted for k in OVERVIEW_NEEDS[m]))


def fanout_count(view: str, values: int, *, other: bool,
                 metrics: Sequence[str] | None = None) -> int:
    """The requests the fan-out sends: per value, one per answer its metrics need (the
    Overview: 6 for every metric; Scores: 1), plus "other"'s additive ones (Overview: 3)."""
    values = min(values, 6)
    count = values * len(answer_keys(view, metrics))
    if other and values:
        count += len(answer_keys(view, metrics, other=True))
    return count


def breakdown_count(view: str, dimension: Any, values: int, *, other: bool,
                    metrics: Sequence[str] | None = None) -> int:
    """Every request a breakdown sends: finding the top values, then the fan-out. At most
    2 + 6 x 6 + 3 = 41 (a property dimension on the Overview with every metric)."""
    return requests_for_top(dimension) + fanout_count(view, values, other=other,
                                                      metrics=metrics)


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class Slice:
    """One series group: a value (or "other", value None) and its filter condition."""

    value: str | None
    label: str
    condition: Node


@dataclass(frozen=True)
class Job:
    slice: Slice
    key: str  # the answer it gets: "requestStatusOverTime", ..., "scores"
    body: Any


@dataclass(frozen=True)
class FanOut:
    view: str
    top: TopValues
    slices: tuple[Slice, ...]
    jobs: tuple[Job, ...]
    metrics: tuple[str, ...] | None


def slices(top: TopValues, other: bool) -> tuple[Slice, ...]:
    out = [Slice(v, label(v), value_condition(top.dimension, v)) for v in top.values]
    if other and top.values and top.more:
        out.append(Slice(None, OTHER_LABEL, other_condition(top.dimension, top.values)))
    return tuple(out)


def plan(view: str, base: Node, top: TopValues, window: Window, options: Any, *,
         metrics: Sequence[str] | None = None, tz: tzinfo | None = None) -> FanOut:
    """Every request of the fan-out, built (nothing sent). `options` are the view's
    (OverviewOptions or ScoresOptions: increment, tz offset)."""
    from tui.query import overview, scores

    target: Any = scores.VIEW if view == "scores" else overview.VIEW
    wanted = check_metrics(view, metrics)
    jobs: list[Job] = []
    parts = slices(top, other=view != "scores")
    for part in parts:
        request = target.build_for(narrowed(base, part.condition), window, options, tz=tz)
        for key in answer_keys(view, wanted, other=part.value is None):
            if view == "scores":
                jobs.append(Job(part, key, request))
            else:
                jobs.append(Job(part, key, getattr(request, _OVERVIEW_CALLS[key][1])))
    return FanOut(view, top, parts, tuple(jobs), wanted)


# --------------------------------------------------------------------------- sending


@dataclass(frozen=True)
class Outcome:
    job: Job
    data: Any = None
    error: BaseException | None = None


async def _one(client: Any, job: Job) -> Outcome:
    method = "scores" if job.key == "scores" else _OVERVIEW_CALLS[job.key][0]
    try:
        return Outcome(job, data=await getattr(client, method)(job.body))
    except asyncio.CancelledError:
        raise  # a new breakdown cancels the old fan-out: nothing to keep
    except Exception as exc:  # the value's series shows it; the other values stay
        return Outcome(job, error=exc)


async def send(client: Any, fanout: FanOut) -> list[Outcome]:
    """Every job at once: the client holds them to its in-flight limit."""
    return list(await asyncio.gather(*(_one(client, job) for job in fanout.jobs)))


def error_text(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return str(message)
