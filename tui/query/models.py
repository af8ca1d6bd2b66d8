"""Models (`POST /v1/metrics/models`): requests, tokens and cost per model over the window."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from tui.api.timerange import Window
from tui.query.base import View, time_filter

if TYPE_CHECKING:
    from tui.api.models import WireRequest

#: As Helicone's Models page asks (the endpoint clamps to 1..10000).
LIMIT = 100

HEADER = ("model", "requests", "prompt_tokens", "completion_tokens", "tokens", "cost")


@dataclass(frozen=True)
class ModelsOptions:
    pass


class ModelsView(View[ModelsOptions]):
    name = "models"
    options_type = ModelsOptions
    formats = ("table", "json", "csv", "jsonl")

    def request(self, wire_filter: Any, window: Window, options: ModelsOptions,
                tz_offset: int) -> WireRequest:
        from tui.api.wire_metrics import ModelMetricsBody

        return ModelMetricsBody(filter=wire_filter, offset=0, limit=LIMIT,
                                time_filter=time_filter(window))

    async def send(self, client: Any, request: Any) -> Any:
        return await client.models(request)

    def curl(self, base_url: str, request: Any) -> str:
        from tui.api.wire_endpoints import More
        from tui.query import writers_more as w

        return w.curl_for(base_url, More.MODELS, request)

    def write(self, answer: Any, fmt: str, out: TextIO, options: Any, tz: Any) -> None:
        from tui.query import writers_more as w

        # Most requests first: Helicone's order is the database's.
        rows = sorted(answer, key=lambda m: (-m.total_requests, m.model))
        if fmt == "json":
            w.write_json({"models": rows}, out)
        elif fmt == "jsonl":
            w.write_jsonl(rows, out)
        else:
            cells = [(m.model, m.total_requests, m.total_prompt_token, m.total_completion_tokens,
                      m.total_tokens, m.cost) for m in rows]
            if fmt == "csv":
                w.write_csv(HEADER, cells, out)
            else:
                w.write_table(HEADER, cells, (False, True, True, True, True, True), out)


VIEW = ModelsView()
