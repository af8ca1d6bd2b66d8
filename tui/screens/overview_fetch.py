"""The Overview's fetch: every request at once, each panel posted (already shaped, in a thread)
as soon as its own answers are in, and a failed request kept as its message for its panel."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

from tui import clock
from tui.query import overview_shaping as shaping
from tui.screens.base import user_message
from tui.screens.overview_panels import ready_panel

if TYPE_CHECKING:
    from tui.query.overview_plan import OverviewPlan


class PanelReady(Message):
    """One panel of the Overview is shaped (or its request failed); `value` is what it draws."""

    def __init__(self, ticket: int, panel: str, value: Any) -> None:
        super().__init__()
        self.ticket = ticket
        self.panel = panel
        self.value = value


@dataclass(frozen=True, eq=False)
class OverviewDone:
    """The tab's whole answer: every part's outcome, for the table, export and emptiness."""

    plan: OverviewPlan
    outcomes: dict[str, Any]
    raw: dict[str, Any]
    #: Split by a breakdown: its answer (a BreakdownAnswer, or Failed when no ranking came).
    split: Any = None


class AllFailed(Exception):
    """Every request failed: the tab shows this one message (not six failed panels)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def answered_parts(done: OverviewDone | None) -> dict[tuple[str, str], tuple[Any, Any]]:
    """The parts `done` has answers for (not the failed ones), by what each asks: (data, raw)."""
    if done is None:
        return {}
    return {part.asks: (done.outcomes[part.name], done.raw[part.name])
            for part in done.plan.parts if part.name in done.raw}


async def send_parts(tab: Any, ticket: int, client: Any, asked: Any,
                     known: dict[tuple[str, str], tuple[Any, Any]] | None = None) -> OverviewDone:
    """Every part at once (the client keeps 6 in flight). Runs in the tab's fetch worker; posts
    `PanelReady` to `tab` and touches no widget. `asked`: an OverviewPlan, or a SplitPlan (its
    unsplit parts, and the breakdown for the charts). `known`: answers already in for parts
    asking the same (`answered_parts`): another view of the question on screen (a split, the
    compare) asks only what it adds."""
    from tui.query.overview_split import SplitPlan

    split = asked if isinstance(asked, SplitPlan) else None
    plan: OverviewPlan = asked if split is None else split.plan
    outcomes: dict[str, Any] = {}
    raw: dict[str, Any] = {}
    tz = clock.local_zone()
    # The strip is shaped again with each of its answers: one at a time, so a later strip is
    # never overtaken by an earlier one (the last one posted has every answer).
    strip_turn = asyncio.Lock()

    async def post(panel: str) -> None:
        value = await asyncio.to_thread(ready_panel, panel, dict(outcomes), plan, tz)
        tab.post_message(PanelReady(ticket, panel, value))

    async def post_strip() -> None:
        async with strip_turn:
            await post("strip")

    async def one(part: Any) -> None:
        hit = known.get(part.asks) if known else None
        if hit is not None:
            outcomes[part.name], raw[part.name] = hit
            await post_done(part)
            return
        try:
            answer = await client.fetch_more(part.endpoint, part.body)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            outcomes[part.name] = shaping.Failed(user_message(exc))
        else:
            outcomes[part.name] = answer.data
            raw[part.name] = answer.raw
        await post_done(part)

    async def post_done(part: Any) -> None:
        jobs = []
        if part.base in shaping.STRIP_PARTS:
            jobs.append(post_strip())
        # A panel is posted once: by the last of its parts to arrive.
        for panel in shaping.panels_of(part.name, plan.compare):
            if all(p in outcomes for p in shaping.panel_parts(panel, plan.compare)):
                jobs.append(post(panel))
        await asyncio.gather(*jobs)

    if split is None:
        await asyncio.gather(*(one(part) for part in plan.parts))
        return OverviewDone(plan, outcomes, raw)
    from tui.screens.overview_split import send_breakdown

    async def post_split(panel: str, value: Any) -> None:
        tab.post_message(PanelReady(ticket, panel, value))

    # The ranking first (the fan-out waits for it), then the strip's parts beside the fan-out.
    got, *_ = await asyncio.gather(send_breakdown(post_split, client, split),
                                   *(one(part) for part in plan.parts))
    return OverviewDone(plan, outcomes, raw, got)
