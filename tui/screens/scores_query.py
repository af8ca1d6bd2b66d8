"""The Scores tab's question and answer: the request(s), sending them, shaping the answer.

Under a breakdown (`options.breakdown`) the question is the breakdown's (`tui.query.breakdown`:
the top values, then one scores request per value) and the answer a `ScoresSplitAnswer`.
No Textual here: `prepare` and `shape` run in the fetch worker's thread, `send` in its task.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from tui import clock
from tui.query.scores_shape import ScoresAnswer

if TYPE_CHECKING:
    from tui.api.timerange import Window
    from tui.context import Investigation
    from tui.screens.scores_split import ScoresSplitAnswer


def prepare(ctx: Investigation, options: Any, now: datetime) -> tuple[Any, Window]:
    """The request; when comparing, a `Paired` of it and the previous period's; under a
    breakdown, the breakdown's ask."""
    window = ctx.time_range.resolve(now)
    if getattr(options, "breakdown", None):
        from tui.query.breakdown_views import SCORES

        return SCORES.build_for(ctx.filter, window, options), window
    from tui.query.scores import VIEW

    return VIEW.build(ctx, window, options, compare=options.compare), window


async def send(client: Any, request: Any) -> Any:
    """The scores, their buckets' n and (comparing) the previous period's: see the view. A
    breakdown's fan-out goes through the same client (its in-flight limit holds it)."""
    from tui.query import breakdown as bd

    if isinstance(request, bd.BreakdownAsk):
        # The fetch's AnswerRecorder keeps the answers of the endpoints export writes one by
        # one; a breakdown is exported from its own answer, and its ranking asks endpoints
        # the recorder does not forward: the client itself.
        return await bd.run(getattr(client, "_client", client), request)
    from tui.query.scores import VIEW

    return await VIEW.send(client, request)


def shape(raw: Any, window: Window, options: Any) -> ScoresAnswer | ScoresSplitAnswer:
    from tui.query.breakdown_shape import BreakdownAnswer
    from tui.query.scores import VIEW

    if isinstance(raw, BreakdownAnswer):
        from tui.screens.scores_split import shape_split

        return shape_split(raw, increment=VIEW.increment(window, options),
                           window_start=window.start, window_end=window.end,
                           tz=clock.local_zone())
    from tui.query.scores_shape import shape_scores

    return shape_scores(
        raw["rows"],
        increment=VIEW.increment(window, options),
        window_start=window.start,
        window_end=window.end,
        tz=clock.local_zone(),
        previous=raw.get("previous"),
        previous_window=raw.get("previous_window"),
        counts=raw.get("counts"),
    )
