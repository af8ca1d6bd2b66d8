"""Evals (`POST /v1/evals/query`): each eval's averages, min/max and hourly counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from tui.api.timerange import Window
from tui.query.base import COMPARE, TZ_OFFSET, View, option, time_filter

LIMIT_HELP = "Helicone ignores it; sent as given"


def limit_option(name: str) -> Any:
    return option(f"--{name}", LIMIT_HELP, kind="count", metavar="N", convert=int)

if TYPE_CHECKING:
    from tui.api.models import WireRequest


@dataclass(frozen=True)
class EvalsOptions:
    limit: int | None = field(default=None, metadata=limit_option("limit"))
    offset: int | None = field(default=None, metadata=limit_option("offset"))
    tz_offset: int | None = field(default=None, metadata=TZ_OFFSET)
    compare: bool = field(default=False, metadata=COMPARE)


class EvalsView(View[EvalsOptions]):
    name = "evals"
    options_type: ClassVar[type] = EvalsOptions

    def request(self, wire_filter: Any, window: Window, options: Any,
                tz_offset: int) -> WireRequest:
        from tui.api.models import EvalQuery

        return EvalQuery(
            filter=wire_filter,
            time_filter=time_filter(window),
            offset=options.offset,
            limit=options.limit,
            time_zone_difference=tz_offset,
        )

    async def ask(self, client: Any, request: Any) -> Any:
        return await client.evals(request)

    async def send(self, client: Any, request: Any) -> Any:
        """The rows; when comparing, (current, previous, (previous start, previous end))."""
        from tui.query.compare import Paired

        if isinstance(request, Paired):
            current, previous = await super().send(client, request)
            window = request.previous_window
            return current, previous, (window.start, window.end)
        return await self.ask(client, request)


def hourly(item: Any) -> tuple[tuple[datetime, ...], tuple[float | None, ...], tuple[float, ...]]:
    """An eval's hours, its hourly averages (None where the hour had no data: Helicone writes 0
    there, which is not a score) and its hourly counts, paired by date."""
    from tui.query.scores import parse_wire_time

    counts = {p.date: float(p.count) for p in item.over_time}
    hours = tuple(parse_wire_time(p.date) for p in item.average_over_time)
    averages = tuple(
        p.value if counts.get(p.date, 0.0) > 0 else None for p in item.average_over_time
    )
    return hours, averages, tuple(counts.get(p.date, 0.0) for p in item.average_over_time)


VIEW = EvalsView()
