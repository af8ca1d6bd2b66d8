"""Who a shift belongs to: the values of the breakdown dimensions ranked by their share of the
excess over the shift's span.

Bounded, three steps per finding:
0. Where in the span the shift lives: the metric over the span at the next finer increment (one
   request; a day's shift is looked at by the hour), its most extreme bucket on the shift's side
   and the neighbours at least half as far out. A four-hour spike in a day's bucket is sampled
   in those four hours, not in the day's last minutes (the page is newest first). Skipped when
   there is no finer increment or it would make more than `MAX_FINER` buckets.
1. One page of the requests there (`SAMPLE` rows, newest first; one page per window, shared by
   the findings of the same window): the excess itself where a row can show it (errors for the
   error rate; requests slower than the baseline for latency and TTFT; scores on the shift's
   side of the baseline), else every request. The `per_dimension` most frequent values of each
   dimension there, each in at least `MIN_PRESENCE` of those rows, are the candidates (a value
   rarer than that among the excess cannot explain half of it, bar outliers).
2. Per candidate, one request: the metric's series without that value (`dim != value`). The
   value's share is the part of the shift that goes away without it,
   1 - (rest's level in the span - rest's baseline) / (level - baseline), clamped to [0, 1];
   a rest with no baseline tells nothing (share 0).
The culprit is the candidate with the largest share when it is at least one half; equal shares
(to 0.01) go to the narrower dimension (NARROWER's order).
"""

from __future__ import annotations

import asyncio
import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tui.api.enums import TimeIncrement
from tui.api.timerange import Window
from tui.query.triage_detect import Shift, _median
from tui.query.triage_series import fetch_series, group_of

DIMENSIONS = ("model", "provider", "user_id", "country_code", "prompt_version")
#: Narrowest first: a tie goes to the dimension earlier here.
NARROWER = ("user_id", "prompt_version", "model", "country_code", "provider")
SAMPLE = 200
MIN_PRESENCE = 0.2
MAX_FINER = 500
FINER = {"year": "month", "month": "day", "week": "day", "day": "hour", "hour": "min"}
_SECONDS = {"month": 28 * 86400, "day": 86400, "hour": 3600, "min": 60}


#: Requests per finding at most: the finer series, the sample, plus one per candidate.
def requests_per_finding(per_dimension: int) -> int:
    return 2 + per_dimension * len(DIMENSIONS)


@dataclass(frozen=True)
class Part:
    dimension: str
    value: str
    share: float

    def as_json(self) -> dict[str, Any]:
        return {"dimension": self.dimension, "value": self.value, "share": self.share}

    @property
    def filter(self) -> str:
        from tui.api.fields import Op
        from tui.filters.spelling import format_condition
        from tui.filters.tree import Condition

        return format_condition(Condition(self.dimension, Op.EQUALS, self.value))


def _row_value(row: Any, dimension: str) -> str | None:
    if dimension == "user_id":
        return row.request_user_id
    value = getattr(row, dimension, None)
    return None if value is None else str(value)


def in_excess(row: Any, metric: str, shift: Shift) -> bool:
    """Does this request show the shift itself (see step 1)?"""
    up = shift.value > shift.baseline
    if metric == "error_rate":
        return (row.response_status != 200) == up
    if metric == "latency_p95":
        return row.delay_ms is not None and (row.delay_ms > shift.baseline) == up
    if metric == "ttft":
        ttft = row.time_to_first_token
        return ttft is not None and ttft > 0 and (ttft > shift.baseline) == up
    if metric.startswith("score:"):
        score = (row.scores or {}).get(metric[6:])
        return score is not None and (score > shift.baseline) == up
    return True


def candidates(rows: list[Any], metric: str, shift: Shift,
               per_dimension: int) -> list[tuple[str, str]]:
    chosen = [r for r in rows if in_excess(r, metric, shift)]
    out: list[tuple[str, str]] = []
    for dim in DIMENSIONS:
        counts = Counter(v for r in chosen if (v := _row_value(r, dim)) is not None)
        out += [(dim, value) for value, n in counts.most_common(per_dimension)
                if n >= MIN_PRESENCE * len(chosen)]
    return out


def span_window(times: list[datetime], shift: Shift, window: Window) -> Window:
    start = max(times[shift.start], window.start)
    end = window.end if shift.end is None else min(times[shift.end], window.end)
    return Window(start, end)


def share_of(rest_times: list[datetime], rest: list[float | None], times: list[datetime],
             shift: Shift) -> float:
    """The part of the shift that goes away without the value (its series is `rest`)."""
    at = dict(zip(rest_times, rest, strict=True))
    start = times[shift.start]
    end = None if shift.end is None else times[shift.end]
    before = [v for t in times if t < start and (v := at.get(t)) is not None]
    during = [v for t in times
              if t >= start and (end is None or t < end) and (v := at.get(t)) is not None]
    delta = shift.value - shift.baseline
    if not delta or not before:
        return 0.0
    if not during:  # nothing is left in the span without the value: all of it was the value
        return 1.0
    rest_delta = sum(during) / len(during) - _median(before)
    return round(min(1.0, max(0.0, 1 - rest_delta / delta)), 3)


@dataclass(frozen=True)
class Attribution:
    culprit: Part | None
    also: tuple[Part, ...]


def decide(parts: list[Part]) -> Attribution:
    rank = {d: i for i, d in enumerate(NARROWER)}
    ordered = sorted(parts, key=lambda p: (-round(p.share, 2), rank[p.dimension]))
    ordered = [p for p in ordered if p.share > 0]
    if ordered and ordered[0].share >= 0.5:
        return Attribution(ordered[0], tuple(ordered[1:6]))
    return Attribution(None, tuple(ordered[:5]))


def focus_of(times: list[datetime], values: list[float | None], up: bool,
             span: Window) -> Window:
    """The most extreme bucket (highest for a shift up, lowest for one down) and its neighbours
    at least half as far from the span's median, as a window inside `span`."""
    present = [v for v in values if v is not None]
    if not present:
        return span
    middle = _median(present)
    out = [-math.inf if v is None else (v - middle) if up else (middle - v) for v in values]
    peak = max(range(len(out)), key=out.__getitem__)
    height = out[peak]
    if height <= 0:
        return span

    def far(i: int) -> bool:
        return out[i] >= height / 2

    lo = hi = peak
    while lo > 0 and far(lo - 1):
        lo -= 1
    while hi + 1 < len(out) and far(hi + 1):
        hi += 1
    start = max(times[lo], span.start)
    end = min(times[hi + 1], span.end) if hi + 1 < len(times) else span.end
    return Window(start, end) if end > start else span


async def where_in_span(client: Any, node: Any, metric: str, shift: Shift, span: Window,
                        increment: TimeIncrement, tz_offset: int) -> Window:
    """Step 0 (see the module): the part of the span where the shift is, or the whole span."""
    from tui.filters.wire import to_wire

    finer = FINER.get(increment.value)
    if finer is None or span.length.total_seconds() / _SECONDS[finer] > MAX_FINER:
        return span
    series = await fetch_series(client, to_wire(node, sessions=False), span,
                                TimeIncrement(finer), tz_offset, (group_of(metric),))
    values = series.values.get(metric)
    if not series.times or values is None:
        return span
    return focus_of(series.times, values, shift.value > shift.baseline, span)


class Samples:
    """The span's page of requests, asked once per span (findings of one span share it)."""

    def __init__(self, client: Any, node: Any) -> None:
        self._client, self._node = client, node
        self._pages: dict[tuple[datetime, datetime], asyncio.Task[Any]] = {}

    async def page(self, span: Window) -> list[Any]:
        from tui.query.requests_view import VIEW as REQUESTS
        from tui.query.requests_view import RequestsOptions

        key = (span.start, span.end)
        if key not in self._pages:
            request = REQUESTS.build_for(self._node, span, RequestsOptions(limit=SAMPLE))
            self._pages[key] = asyncio.ensure_future(self._client.requests(request))
        return list(await self._pages[key])


async def attribute(client: Any, node: Any, metric: str, shift: Shift, times: list[datetime],
                    window: Window, increment: TimeIncrement, tz_offset: int,
                    per_dimension: int, samples: Samples | None = None) -> Attribution:
    from tui.api.fields import Op
    from tui.filters.tree import Condition, Group
    from tui.filters.wire import to_wire
    span = span_window(times, shift, window)
    focus = await where_in_span(client, node, metric, shift, span, increment, tz_offset)
    rows = await (samples or Samples(client, node)).page(focus)
    found = candidates(rows, metric, shift, per_dimension)

    async def without(dim: str, value: str) -> Part:
        rest = Group("and", (node, Condition(dim, Op.NOT_EQUALS, value)))
        series = await fetch_series(client, to_wire(rest, sessions=False), window, increment,
                                    tz_offset, (group_of(metric),))
        values = series.values.get(metric, [None] * len(series.times))
        return Part(dim, value, share_of(series.times, values, times, shift))

    parts = await asyncio.gather(*(without(d, v) for d, v in found))
    return decide(list(parts))
