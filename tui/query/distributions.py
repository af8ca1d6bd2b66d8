"""Score distributions (`POST /v1/evals/score-distributions`): ten bins per score."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tui.query.base import COMPARE, TZ_OFFSET
from tui.query.evals import EvalsView, limit_option


@dataclass(frozen=True)
class DistributionsOptions:
    limit: int | None = field(default=None, metadata=limit_option("limit"))
    offset: int | None = field(default=None, metadata=limit_option("offset"))
    tz_offset: int | None = field(default=None, metadata=TZ_OFFSET)
    compare: bool = field(default=False, metadata=COMPARE)


class DistributionsView(EvalsView):
    """The same body as evals (Helicone's EvalQuery), another endpoint."""

    name = "distributions"
    options_type = DistributionsOptions

    async def ask(self, client: Any, request: Any) -> Any:
        return await client.distributions(request)

    async def send(self, client: Any, request: Any) -> Any:
        return await self.ask(client, request)


VIEW = DistributionsView()
