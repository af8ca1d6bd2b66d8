"""The Scores tab's question and answer: the request(s), sending them, shaping the answer.

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


def prepare(ctx: Investigation, options: Any, now: datetime) -> tuple[Any, Window]:
    """The request; when comparing, a `Paired` of it and the previous period's."""
    from tui.query.scores import VIEW

    window = ctx.time_range.resolve(now)
    return VIEW.build(ctx, window, options, compare=options.compare), window


async def send(client: Any, request: Any) -> Any:
    """The scores, their buckets' n and (comparing) the previous period's: see the view."""
    from tui.query.scores import VIEW

    return await VIEW.send(client, request)


def shape(raw: Any, window: Window, options: Any) -> ScoresAnswer:
    from tui.query.scores import VIEW
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
