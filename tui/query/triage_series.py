"""The series triage examines, fetched for one filter over the window at its increment.

One request per group of metrics: requestStatusOverTime gives both the volume and the errors
(every status but 200, as errorOverTime counts them: SEMANTICS-MORE §9.6), quantiles the latency
p95, timeToFirstToken, costOverTime, and the dashboard scores every score key at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from tui.api.enums import TimeIncrement
from tui.api.timerange import Window, parse_wire_time
from tui.format.times import bucket_end
from tui.query.base import time_filter

#: group -> the metrics it gives ("score:" stands for every score key).
GROUPS: dict[str, tuple[str, ...]] = {
    "status": ("requests", "error_rate"),
    "latency": ("latency_p95",),
    "ttft": ("ttft",),
    "cost": ("cost",),
    "scores": ("score:",),
}
ADDITIVE = ("requests", "cost")
METRIC_GROUP = {m: g for g, ms in GROUPS.items() for m in ms}


def group_of(metric: str) -> str:
    return "scores" if metric.startswith("score:") else METRIC_GROUP[metric]


@dataclass
class Series:
    """Bucket starts (UTC, in order) and each metric's value per bucket (None: no value)."""

    times: list[datetime]
    values: dict[str, list[float | None]]


async def fetch_series(client: Any, wire_filter: Any, window: Window, increment: TimeIncrement,
                       tz_offset: int, groups: Iterable[str] = tuple(GROUPS)) -> Series:
    from tui.api.models import ScoresQuery
    from tui.api.wire_metrics import MetricsOverTimeBody, QuantilesBody

    tf = time_filter(window)
    over = MetricsOverTimeBody(time_filter=tf, filter=wire_filter,
                               time_zone_difference=tz_offset, db_increment=increment)
    makers = {
        "status": lambda: client.request_status_over_time(over),
        "latency": lambda: client.quantiles(QuantilesBody(
            filter=wire_filter, time_filter=tf, time_zone_difference=tz_offset,
            metric="latency", db_increment=increment)),
        "ttft": lambda: client.ttft_over_time(over),
        "cost": lambda: client.cost_over_time(over),
        "scores": lambda: client.scores(ScoresQuery(
            time_filter=tf, user_filter=wire_filter, db_increment=increment,
            time_zone_difference=tz_offset)),
    }
    wanted = list(dict.fromkeys(groups))
    answers = dict(zip(wanted, await asyncio.gather(*(makers[g]() for g in wanted)),
                       strict=True))
    by_metric: dict[str, dict[datetime, float | None]] = {}

    def put(metric: str, at: str, value: float | None) -> None:
        by_metric.setdefault(metric, {})[parse_wire_time(at)] = value

    for row in answers.get("status", ()):
        t = parse_wire_time(row.time)
        req = by_metric.setdefault("requests", {})
        err = by_metric.setdefault("errors", {})
        req[t] = (req.get(t) or 0) + (row.count if row.status else 0)
        err[t] = (err.get(t) or 0) + (row.count if row.status not in (0, 200, None) else 0)
    # A p95 or a TTFT of 0 is a bucket without requests (a gap), not a fast bucket.
    for row in answers.get("latency", ()):
        put("latency_p95", row.time, row.p95 or None)
    for row in answers.get("ttft", ()):
        put("ttft", row.time, row.ttft or None)
    for row in answers.get("cost", ()):
        put("cost", row.time, row.cost)
    for row in answers.get("scores", ()):
        if not row.is_filler:
            put(f"score:{row.score_key}", row.created_at_trunc, row.score_sum)
    times = sorted({t for values in by_metric.values() for t in values})
    if "status" in answers:
        req, err = by_metric["requests"], by_metric["errors"]
        by_metric["error_rate"] = {
            t: (err.get(t) or 0) / n if (n := req.get(t)) else None for t in times}
    values = {k: [v.get(t) for t in times] for k, v in by_metric.items() if k != "errors"}
    if "status" in answers:
        values["requests"] = [v or 0 for v in values["requests"]]
    # A sum over a bucket the window cuts (the first and last day of `--since 30d`) is not
    # comparable with whole buckets: a gap for the additive metrics.
    zone = timezone(timedelta(minutes=-tz_offset))
    for i, t in enumerate(times):
        if t < window.start or bucket_end(t, increment.value, zone) > window.end:
            for metric in ADDITIVE:
                if metric in values:
                    values[metric][i] = None
    return Series(times, values)
