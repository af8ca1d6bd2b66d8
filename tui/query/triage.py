"""Triage: what changed in the window, since when, for whom (DESIGN.md "The views", Triage).

For the window at its increment: the series of request volume, error rate, latency p95, TTFT, cost
and every score key (triage_series, 5 requests); the most significant level shift of each
(triage_detect); each shift attributed to the values of the breakdown dimensions
(triage_attribution). Requests are bounded by `max_requests` (60: a 7-day window's whole triage):
the findings are attributed most severe first while the budget lasts, with fewer candidates per
dimension when there are many findings; a finding left over keeps its numbers, culprit null.
Every request goes through the one client (its limit: 6 in flight).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TextIO

from tui.api.enums import TimeIncrement
from tui.api.timerange import Window, iso_z
from tui.query.triage_attribution import Attribution, Samples, attribute, requests_per_finding
from tui.query.triage_detect import Shift, Thresholds, detect, load_detector
from tui.query.triage_series import GROUPS, fetch_series

MAX_REQUESTS = 60
PER_DIMENSION = 2  # candidates per dimension when the budget allows


def _z(moment: datetime) -> str:
    return iso_z(moment).replace(".000Z", "Z")


@dataclass(frozen=True)
class Finding:
    metric: str
    shift: Shift
    start: datetime
    end: datetime | None
    attribution: Attribution

    def as_json(self) -> dict[str, Any]:
        s, a = self.shift, self.attribution
        return {
            "metric": self.metric, "direction": s.direction,
            "start": _z(self.start), "end": None if self.end is None else _z(self.end),
            "baseline": _round(s.baseline), "value": _round(s.value),
            "ratio": None if s.ratio is None else round(s.ratio, 3),
            "culprit": None if a.culprit is None else a.culprit.as_json(),
            "also": [p.as_json() for p in a.also],
            "filter": None if a.culprit is None else a.culprit.filter,
        }


def _round(value: float) -> float:
    return float(f"{value:.6g}")


@dataclass(frozen=True)
class TriageResult:
    window: Window
    increment: TimeIncrement
    findings: tuple[Finding, ...]
    requests_sent: int
    #: False for the findings before their attribution (`run_triage`'s `detected`): every
    #: culprit still unknown.
    attributed: bool = True

    def as_json(self) -> dict[str, Any]:
        return {
            "window": {"start": _z(self.window.start), "end": _z(self.window.end)},
            "increment": self.increment.value,
            "findings": [f.as_json() for f in self.findings],
        }


class CountingClient:
    """The client, counting the requests sent through it (a retried 429 counts once)."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.sent = 0

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._client, name)

        async def counted(*args: Any, **kwargs: Any) -> Any:
            self.sent += 1
            return await method(*args, **kwargs)

        return counted


async def run_triage(client: Any, node: Any, window: Window, increment: TimeIncrement,
                     tz_offset: int, thresholds: Thresholds | None = None,
                     max_requests: int = MAX_REQUESTS,
                     detected: Callable[[TriageResult], None] | None = None,
                     attribute_if: Callable[[TriageResult], bool] | None = None,
                     ) -> TriageResult:
    """The findings of the window. `detected`, if given, gets them first as soon as the shifts
    are known, before their attribution (most of the requests): the app shows what changed and
    since when while it is still asking for whom. `attribute_if`, if given, decides then
    whether to attribute them at all (False: they are returned unattributed, after only the
    series' five requests: watch mode's background triage, when nothing is new)."""
    from tui.filters.wire import to_wire

    counting = CountingClient(client)
    # numpy and ruptures' Binseg (about 0.15 s, without scipy: see load_detector) load in a
    # thread while the series are on their way.
    loading = asyncio.create_task(asyncio.to_thread(load_detector))
    series = await fetch_series(counting, to_wire(node, sessions=False), window, increment,
                                tz_offset, tuple(GROUPS))
    await loading
    # (In a thread: the segmentation is CPU work, and the app's loop must keep drawing.)
    shifts = await asyncio.to_thread(_shifts, series.values, thresholds)
    none = Attribution(None, ())

    def findings_of(attributions: list[Attribution]) -> tuple[Finding, ...]:
        return tuple(
            Finding(metric, shift, series.times[shift.start],
                    None if shift.end is None else series.times[shift.end], attribution)
            for (metric, shift), attribution in zip(shifts, attributions, strict=True))

    early = TriageResult(window, increment, findings_of([none] * len(shifts)), counting.sent,
                         attributed=False)
    if detected is not None:
        detected(early)
    if attribute_if is not None and not attribute_if(early):
        return early
    budget = max_requests - counting.sent
    per_dim = PER_DIMENSION
    while per_dim > 1 and requests_per_finding(per_dim) * len(shifts) > budget:
        per_dim -= 1
    attributed = min(len(shifts), max(0, budget // requests_per_finding(per_dim)))
    samples = Samples(counting, node)
    jobs = [attribute(counting, node, metric, shift, series.times, window, increment,
                      tz_offset, per_dim, samples) for metric, shift in shifts[:attributed]]
    attributions = list(await asyncio.gather(*jobs)) + [none] * (len(shifts) - attributed)
    return TriageResult(window, increment, findings_of(attributions), counting.sent)


def _shifts(values: dict[str, list[float | None]], thresholds: Thresholds | None
            ) -> list[tuple[str, Shift]]:
    """Each series' shift, most severe first."""
    volume = values.get("requests")  # the evidence of the others' shifts (min_requests)
    shifts = [(metric, shift) for metric, v in values.items()
              if (shift := detect(v, thresholds, None if metric == "requests" else volume,
                                  rate=metric == "error_rate")) is not None]
    shifts.sort(key=lambda ms: (-ms[1].severity, ms[0]))
    return shifts


def findings_table(result: TriageResult, out: TextIO, tz: Any) -> None:
    """The findings as a table, times in the local zone, each naming it (`2026-11-15 05:00 EST`:
    a window across a DST change has both); the JSON stays in UTC."""
    from tui.format import numbers, times, writers

    if not result.findings:
        out.write("no shift found\n")
        return
    rows = []
    for f in result.findings:
        j = f.as_json()
        culprit = f.attribution.culprit
        rows.append((
            f.metric, j["direction"], times.local_time(j["start"], tz, False, zone=True),
            "(ongoing)" if j["end"] is None else times.local_time(j["end"], tz, False, zone=True),
            numbers.cell(j["baseline"]), numbers.cell(j["value"]),
            "" if j["ratio"] is None else f"{j['ratio']:.2f}x",
            "" if culprit is None else f"{culprit.dimension} = {culprit.value} "
                                       f"({culprit.share:.0%})",
        ))
    writers.write_table(("metric", "direction", "start", "end", "baseline", "value", "ratio",
                   "culprit"), rows, (False, False, False, False, True, True, True, False), out)
