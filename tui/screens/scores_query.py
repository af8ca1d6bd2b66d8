"""The Scores tab's question and answer: the request(s), sending them, shaping the answer.

No Textual here: `prepare` and `shape` run in the fetch worker's thread, `send` in its task.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tui import clock
from tui.screens.score_series import ScoresAnswer

if TYPE_CHECKING:
    from tui.api.timerange import Window
    from tui.context import Investigation


def prepare(ctx: Investigation, options: Any, now: datetime) -> tuple[Any, Window]:
    """The request; when comparing, a `Paired` of it and the previous period's."""
    from tui.api.models import EndpointName, TimeIncrement
    from tui.api.requests import QueryOptions, build_request

    window = ctx.time_range.resolve(now)
    increment, compare = options
    query_options = QueryOptions(increment=TimeIncrement(increment) if increment else None)
    request = build_request(EndpointName.SCORES, ctx.filter, window, query_options)
    if compare:
        from tui.compare import previous_request

        return previous_request(EndpointName.SCORES, request, window), window
    return request, window


async def send(client: Any, request: Any) -> Any:
    """The scores (both periods when comparing) and, beside them, the evals endpoint's
    hourly counts for the same filter and window: the n of each bucket. A failure of the
    counts costs only the n, never the scores."""
    from tui.compare import Paired

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


def shape(raw: Any, window: Window, options: Any) -> ScoresAnswer:
    from tui.api.timerange import default_increment
    from tui.screens.score_series import shape_scores

    increment, _ = options
    return shape_scores(
        raw["rows"],
        increment=increment or default_increment(window).value,
        window_start=window.start,
        window_end=window.end,
        tz=clock.local_zone(),
        previous=raw.get("previous"),
        previous_window=raw.get("previous_window"),
        counts=raw.get("counts"),
    )
