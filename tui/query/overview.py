"""The Overview: the window's totals and its series (requests by status class, errors and error
rate, latency with its quantiles, time to first token, cost) in one answer. The requests go out
together through the one client, which keeps at most 6 in flight."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TextIO

from tui.api.enums import TimeIncrement
from tui.api.timerange import Window, default_increment, parse_wire_time
from tui.query.base import TZ_OFFSET, View, option, time_filter
from tui.query.scores import INCREMENTS

TOTALS = ("totalRequests", "totalCost", "averageLatency", "averageTimeToFirstToken",
          "activeUsers")
QUANTILES = ("p75", "p90", "p95", "p99")
#: The csv metrics, in DESIGN.md's names and order.
METRICS = ("requests", "requests_2xx", "requests_4xx", "requests_5xx", "errors", "error_rate",
           "latency_avg", "latency_p75", "latency_p90", "latency_p95", "latency_p99", "ttft",
           "cost")


@dataclass(frozen=True)
class OverviewOptions:
    increment: TimeIncrement | None = field(default=None, metadata=option(
        "--increment", "bucket size (default: <6h min, <3d hour, else day)",
        preset="increment", choices=INCREMENTS, kind="choice", convert=TimeIncrement,
    ))
    tz_offset: int | None = field(default=None, metadata=TZ_OFFSET)


@dataclass(frozen=True)
class OverviewAsk:
    """Every request of the Overview, by what its answer is."""

    totals: Any  # MetricsFilterBody
    over_time: Any  # MetricsOverTimeBody
    quantiles: Any  # QuantilesBody (latency)


class OverviewView(View[OverviewOptions]):
    name = "overview"
    options_type = OverviewOptions

    def request(self, wire_filter: Any, window: Window, options: OverviewOptions,
                tz_offset: int) -> Any:
        from tui.api.wire_metrics import MetricsFilterBody, MetricsOverTimeBody, QuantilesBody

        increment = options.increment or default_increment(window)
        tf = time_filter(window)
        return OverviewAsk(
            totals=MetricsFilterBody(filter=wire_filter, time_filter=tf),
            over_time=MetricsOverTimeBody(time_filter=tf, filter=wire_filter,
                                          time_zone_difference=tz_offset,
                                          db_increment=increment),
            quantiles=QuantilesBody(filter=wire_filter, time_filter=tf,
                                    time_zone_difference=tz_offset, metric="latency",
                                    db_increment=increment),
        )

    async def send(self, client: Any, request: OverviewAsk) -> dict[str, Any]:
        t, o = request.totals, request.over_time
        jobs = {
            "totalRequests": client.total_requests(t),
            "totalCost": client.total_cost(t),
            "averageLatency": client.average_latency(t),
            "averageTimeToFirstToken": client.average_ttft(t),
            "activeUsers": client.active_users(t),
            "requestStatusOverTime": client.request_status_over_time(o),
            "errorOverTime": client.error_over_time(o),
            "latencyOverTime": client.latency_over_time(o),
            "quantiles": client.quantiles(request.quantiles),
            "costOverTime": client.cost_over_time(o),
            "timeToFirstToken": client.ttft_over_time(o),
        }
        values = await asyncio.gather(*jobs.values())
        return dict(zip(jobs, values, strict=True))

    def curl(self, base_url: str, request: OverviewAsk) -> str:
        from tui.api.wire_endpoints import More
        from tui.query import writers_more as w

        names = [(More.TOTAL_REQUESTS, request.totals), (More.TOTAL_COST, request.totals),
                 (More.AVERAGE_LATENCY, request.totals), (More.AVERAGE_TTFT, request.totals),
                 (More.ACTIVE_USERS, request.totals),
                 (More.REQUEST_STATUS_OVER_TIME, request.over_time),
                 (More.ERROR_OVER_TIME, request.over_time),
                 (More.LATENCY_OVER_TIME, request.over_time),
                 (More.QUANTILES, request.quantiles), (More.COST_OVER_TIME, request.over_time),
                 (More.TTFT_OVER_TIME, request.over_time)]
        return "\n\n".join(w.curl_for(base_url, name, body) for name, body in names)

    def write(self, answer: dict[str, Any], fmt: str, out: TextIO, options: Any,
              tz: Any) -> None:
        from tui.query import writers_more as w

        if fmt == "json":
            w.write_json(answer, out)
            return
        series = buckets(answer)
        if fmt == "csv":
            w.write_csv(("time", "series", "metric", "value"),
                        ((w.iso_z(at), "all", metric, value)
                         for at, values in series.items() for metric in METRICS
                         if (value := values.get(metric)) is not None), out)
            return
        totals = [(name, w.cell(answer[name])) for name in TOTALS]
        w.write_table(("total", "value"), totals, (False, True), out)
        out.write("\n")
        header = ("time", "requests", "2xx", "4xx", "5xx", "errors", "error_rate", "latency_avg",
                  "p75", "p90", "p95", "p99", "ttft", "cost")
        rows = []
        for at, v in series.items():
            rate = v.get("error_rate")
            rows.append((w.local_time(at, tz, False), *(v.get(m) for m in METRICS[:5]),
                         None if rate is None else f"{rate:.1%}",
                         *(_ms(v.get(m)) for m in METRICS[6:12]), v.get("cost")))
        w.write_table(header, rows, (False, *([True] * 13)), out)


def _ms(value: float | None) -> str | None:
    return None if value is None else f"{value:,.0f}"


def buckets(answer: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    """Each bucket's metrics (bucket start, as the wire writes it, in time order)."""
    by_time: dict[datetime, dict[str, float | None]] = {}
    labels: dict[datetime, str] = {}

    def at(text: str) -> dict[str, float | None]:
        moment = parse_wire_time(text)
        labels.setdefault(moment, text)
        return by_time.setdefault(moment, {})

    for row in answer["requestStatusOverTime"]:
        v = at(row.time)
        v.setdefault("requests", 0)
        if not row.status:  # a fill row (status 0, count 0) is an empty bucket
            continue
        v["requests"] = (v["requests"] or 0) + row.count
        cls = {2: "requests_2xx", 4: "requests_4xx", 5: "requests_5xx"}.get(row.status // 100)
        if cls is not None:
            v[cls] = (v.get(cls) or 0) + row.count
    for row in answer["errorOverTime"]:
        at(row.time)["errors"] = row.count
    for row in answer["latencyOverTime"]:
        at(row.time)["latency_avg"] = row.duration
    for row in answer["quantiles"]:
        v = at(row.time)
        for q in QUANTILES:
            v[f"latency_{q}"] = getattr(row, q)
    for row in answer["timeToFirstToken"]:
        at(row.time)["ttft"] = row.ttft
    for row in answer["costOverTime"]:
        at(row.time)["cost"] = row.cost
    for v in by_time.values():
        for cls in ("requests_2xx", "requests_4xx", "requests_5xx"):
            v.setdefault(cls, 0)
        requests, errors = v.get("requests"), v.get("errors")
        v["error_rate"] = errors / requests if requests and errors is not None else None
    return {labels[k]: by_time[k] for k in sorted(by_time)}


VIEW = OverviewView()
