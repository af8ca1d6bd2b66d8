"""`--breakdown DIM` on `query overview` and `query scores` (and a preset's `breakdown` key): the
two views as the registry lists them, each its own view when no breakdown is set and the
breakdown's otherwise. Their option types add `breakdown` and `metric` to the view's own."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any, TextIO

from tui.api.timerange import Window
from tui.query import breakdown as bd
from tui.query.overview import OverviewOptions, OverviewView
from tui.query.scores import ScoresOptions, ScoresView


@dataclass(frozen=True)
class OverviewBreakdownOptions(OverviewOptions):
    breakdown: str | None = field(default=None, metadata=bd.BREAKDOWN)
    metric: tuple[str, ...] | None = field(default=None, metadata=bd.METRIC)


@dataclass(frozen=True)
class ScoresBreakdownOptions(ScoresOptions):
    breakdown: str | None = field(default=None, metadata=bd.BREAKDOWN)
    metric: tuple[str, ...] | None = field(default=None, metadata=bd.METRIC)


def _problems(view: str, options: Any) -> list[str]:
    out = bd.dimension_problems(options.breakdown)
    if options.metric and options.breakdown is None:
        out.append("--metric needs a breakdown (--breakdown DIM, or query breakdown DIM)")
    elif options.breakdown is not None:
        out += bd.metric_problems(view, options.metric)
        if getattr(options, "compare", False):
            out.append("a breakdown does not compare with the previous period")
    return out


class _Split:
    """What both views add: a breakdown when `options.breakdown` is set."""

    name: str

    def _ask(self, filter: Any, window: Window, options: Any, tz: tzinfo | None) -> Any:
        return bd.ask_for(self.name, options.breakdown, filter, window, options,
                          options.metric, tz)


class OverviewSplit(_Split, OverviewView):
    options_type = OverviewBreakdownOptions

    def problems(self, options: Any) -> list[str]:
        return super().problems(options) + _problems("overview", options)

    def build_for(self, filter: Any, window: Window, options: Any = None, *,
                  compare: bool = False, tz: tzinfo | None = None) -> Any:
        if options is not None and getattr(options, "breakdown", None):
            return self._ask(filter, window, options, tz)
        return super().build_for(filter, window, options, compare=compare, tz=tz)

    async def send(self, client: Any, request: Any) -> Any:
        if isinstance(request, bd.BreakdownAsk):
            return await bd.run(client, request)
        return await super().send(client, request)

    def curl(self, base_url: str, request: Any) -> str:
        if isinstance(request, bd.BreakdownAsk):
            return bd.curl_text(base_url, request)
        return super().curl(base_url, request)

    def write(self, answer: Any, fmt: str, out: TextIO, options: Any, tz: Any) -> None:
        if isinstance(answer, bd.BreakdownAnswer):
            bd.VIEW.write(answer, fmt, out, options, tz)
        else:
            super().write(answer, fmt, out, options, tz)


class ScoresSplit(_Split, ScoresView):
    """Scores has no writer of its own (the shared export writes it): the plain answer goes
    there as `query scores` always wrote it."""

    options_type = ScoresBreakdownOptions

    def problems(self, options: Any) -> list[str]:
        return super().problems(options) + _problems("scores", options)

    def build_for(self, filter: Any, window: Window, options: Any = None, *,
                  compare: bool = False, tz: tzinfo | None = None) -> Any:
        if options is not None and getattr(options, "breakdown", None):
            return self._ask(filter, window, options, tz)
        return super().build_for(filter, window, options, compare=compare, tz=tz)

    async def send(self, client: Any, request: Any) -> Any:
        if isinstance(request, bd.BreakdownAsk):
            return await bd.run(client, request)
        return await client.fetch(self.endpoint, request)

    def curl(self, base_url: str, request: Any) -> str:
        if isinstance(request, bd.BreakdownAsk):
            return bd.curl_text(base_url, request)
        from tui.api.curl import request_curl

        return request_curl(base_url, self.endpoint, request)

    def write(self, answer: Any, fmt: str, out: TextIO, options: Any, tz: Any) -> None:
        if isinstance(answer, bd.BreakdownAnswer):
            bd.VIEW.write(answer, fmt, out, options, tz)
            return
        from tui.format import export

        export.write(self.endpoint, answer.data, fmt, out, raw=answer.raw)  # scores: no notes


OVERVIEW = OverviewSplit()
SCORES = ScoresSplit()
