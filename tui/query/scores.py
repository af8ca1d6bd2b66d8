"""Scores over time (`POST /v1/evals/scores`), with each bucket's n from the evals endpoint."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tui.api.enums import TimeIncrement
from tui.api.timerange import Window, default_increment
from tui.query.base import COMPARE, TZ_OFFSET, View, option, time_filter

INCREMENTS: tuple[str, ...] = tuple(i.value for i in TimeIncrement)

if TYPE_CHECKING:
    from tui.api.models import WireRequest


@dataclass(frozen=True)
class ScoresOptions:
    increment: TimeIncrement | None = field(default=None, metadata=option(
        "--increment", "bucket size (default: <6h min, <3d hour, else day)",
        preset="increment", choices=INCREMENTS, kind="choice", convert=TimeIncrement,
    ))
    tz_offset: int | None = field(default=None, metadata=TZ_OFFSET)
    compare: bool = field(default=False, metadata=COMPARE)


class ScoresView(View[ScoresOptions]):
    name = "scores"
    options_type = ScoresOptions

    def request(self, wire_filter: Any, window: Window, options: ScoresOptions,
                tz_offset: int) -> WireRequest:
        from tui.api.models import ScoresQuery

        return ScoresQuery(
            time_filter=time_filter(window),
            user_filter=wire_filter,
            db_increment=options.increment or default_increment(window),
            time_zone_difference=tz_offset,
        )

    async def ask(self, client: Any, request: Any) -> Any:
        return await client.scores(request)

    async def send(self, client: Any, request: Any) -> Any:
        """The scores (both periods when comparing) and, beside them, the evals endpoint's
        hourly counts for the same filter and window: the n of each bucket. A failure of the
        counts costs only the n, never the scores."""
        from tui.query.compare import Paired

        current = request.current if isinstance(request, Paired) else request
        jobs = [client.scores(current), ask_counts(client, current)]
        if isinstance(request, Paired):
            jobs.append(client.scores(request.previous))
        rows, counts, *previous = await asyncio.gather(*jobs)
        out: dict[str, Any] = {"rows": rows, "counts": counts}
        if isinstance(request, Paired):
            window = request.previous_window
            out["previous"] = previous[0]
            out["previous_window"] = (window.start, window.end)
        return out

    def increment(self, window: Window, options: ScoresOptions) -> str:
        """The bucket size sent: the option, else Helicone's web rule for the window."""
        return (options.increment or default_increment(window)).value


async def ask_counts(client: Any, scores: Any) -> Any:
    """The evals endpoint's answer for the scores request's filter and window (its hourly
    counts are each bucket's n); None for minute buckets or when it fails."""
    if scores.db_increment.value == "min":  # hourly counts cannot give a minute's n
        return None
    from tui.api.models import EvalQuery

    query = EvalQuery(
        filter=scores.user_filter,
        time_filter=scores.time_filter,
        time_zone_difference=scores.time_zone_difference,
    )
    try:
        return await client.evals(query)
    except asyncio.CancelledError:
        raise
    except Exception:
        return None


# --------------------------------------------------------------------------- the answer's maths


def parse_wire_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def pivot(
    rows: Sequence[Any],
) -> tuple[tuple[datetime, ...], dict[str, dict[datetime, float]]]:
    """Buckets (filler rows included: they are buckets with no data) and each key's values."""
    buckets: set[datetime] = set()
    by_key: dict[str, dict[datetime, float]] = {}
    for row in rows:
        at = parse_wire_time(row.created_at_trunc)
        buckets.add(at)
        if row.score_key == "":  # WITH FILL filler: an empty bucket, not a zero
            continue
        by_key.setdefault(row.score_key, {})[at] = float(row.score_sum)
    return tuple(sorted(buckets)), by_key


def bucket_counts(
    items: Sequence[Any],
    buckets: Sequence[datetime],
    ends: Sequence[datetime],
    increment: str,
) -> dict[str, tuple[int | None, ...]] | None:
    """Each key's count per bucket from the evals endpoint's hourly `overTime` counts (summed
    over the hours of a day, week...). Minute buckets are finer than those counts: None."""
    if increment == "min":
        return None
    import bisect

    starts = list(buckets)
    out: dict[str, tuple[int | None, ...]] = {}
    for item in items:
        sums = [0] * len(starts)
        for point in item.over_time:
            at = parse_wire_time(point.date)
            i = bisect.bisect_right(starts, at) - 1
            if 0 <= i < len(starts) and at < ends[i]:
                sums[i] += int(point.count)
        out[item.name] = tuple(sums)
    return out


VIEW = ScoresView()
