"""The breakdown (DESIGN.md, "The views": Breakdown): `query breakdown DIM [--view overview|scores]
[--metric ...]`, and `--breakdown DIM` on `query overview` / `query scores` (and a preset's
`breakdown`). First the top values of DIM in the window (`breakdown_top`), then one request per
value and endpoint (`breakdown_fanout`), shaped into one series per value per metric
(`breakdown_shape`).

The public interface other code uses: `top_values`, `value_condition`, `other_condition` (below,
from their modules), `plan` / `send` / `shape` for the fan-out, `breakdown_count` for its bound.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any, TextIO

from tui.api.enums import TimeIncrement
from tui.api.timerange import Window
from tui.filters.tree import Node
from tui.query.base import TZ_OFFSET, View, option
from tui.query.breakdown_dims import (
    Dimension,
    DimensionError,
    other_condition,
    parse_dimension,
    value_condition,
)
from tui.query.breakdown_fanout import VIEWS, breakdown_count, check_metrics, plan, send
from tui.query.breakdown_shape import BreakdownAnswer, shape
from tui.query.breakdown_top import TopValues, requests_for_top, top_values
from tui.query.scores import INCREMENTS

__all__ = [
    "BreakdownAnswer", "BreakdownAsk", "Dimension", "TopValues", "breakdown_count",
    "other_condition", "parse_dimension", "plan", "send", "shape", "top_values",
    "value_condition",
]


def _metrics(text: Any) -> tuple[str, ...]:
    """`--metric a,b` (or a list from a caller) -> ("a", "b")."""
    items = text if isinstance(text, list | tuple) else str(text).split(",")
    return tuple(m.strip() for m in items if str(m).strip())


#: `--breakdown DIM` on the over-time views, and the presets' `breakdown` key.
BREAKDOWN = option(
    "--breakdown", "one series per top value of DIM (model, provider, user_id, country_code, "
    "status_class, prompt_id, prompt_version, properties.<key>)", preset="breakdown",
    metavar="DIM",
)
#: `--metric NAME[,NAME]`: which series a breakdown asks for and writes.
METRIC = option(
    "--metric", "with a breakdown: only these metrics (overview: requests, errors, error_rate, "
    "latency_p95, cost, ...; scores: the score keys)", metavar="NAME[,NAME]", convert=_metrics,
)


@dataclass(frozen=True)
class BreakdownOptions:
    dimension: str | None = field(default=None, metadata=option(None))  # the positional DIM
    view: str | None = field(default=None, metadata=option(
        "--view", "breakdown: the view whose series are split (default overview)",
        choices=VIEWS, kind="choice",
    ))
    metric: tuple[str, ...] | None = field(default=None, metadata=METRIC)
    increment: TimeIncrement | None = field(default=None, metadata=option(
        "--increment", "bucket size (default: <6h min, <3d hour, else day)",
        preset="increment", choices=INCREMENTS, kind="choice", convert=TimeIncrement,
    ))
    tz_offset: int | None = field(default=None, metadata=TZ_OFFSET)


@dataclass(frozen=True)
class BreakdownAsk:
    """What a breakdown sends, before the top values are known (they come from the server)."""

    view: str
    dimension: Dimension
    base: Node  # the investigation's filter
    wire_filter: Any
    window: Window
    options: Any  # the split view's options (increment, tz offset)
    metrics: tuple[str, ...] | None
    tz: tzinfo | None = None


def dimension_problems(text: str | None) -> list[str]:
    if text is None:
        return []
    try:
        parse_dimension(text)
    except DimensionError as exc:
        return [str(exc)]
    return []


def metric_problems(view: str, metrics: Sequence[str] | None) -> list[str]:
    try:
        check_metrics(view, metrics)
    except ValueError as exc:
        return [str(exc)]
    return []


def ask_for(view: str, dimension: str, filter: Node, window: Window, options: Any,
            metrics: Sequence[str] | None, tz: tzinfo | None) -> BreakdownAsk:
    from tui.filters.text import check_for_endpoint
    from tui.filters.wire import to_wire

    check_for_endpoint(filter, sessions=False)
    return BreakdownAsk(view, parse_dimension(dimension), filter, to_wire(filter, tz=tz), window,
                        options, check_metrics(view, metrics), tz)


async def run(client: Any, ask: BreakdownAsk) -> BreakdownAnswer:
    """The top values, then the fan-out. When every request of the fan-out failed, the first
    error is raised (the CLI's exit status is its); otherwise each failure stays on its series."""
    top = await top_values(client, ask.dimension, ask.wire_filter, ask.window)
    fanout = plan(ask.view, ask.base, top, ask.window, ask.options, metrics=ask.metrics,
                  tz=ask.tz)
    outcomes = await send(client, fanout)
    errors = [o.error for o in outcomes if o.error is not None]
    if outcomes and len(errors) == len(outcomes):
        raise errors[0]
    return shape(fanout, outcomes, requests_for_top(ask.dimension) + len(fanout.jobs))


class BreakdownView(View[BreakdownOptions]):
    name = "breakdown"
    options_type = BreakdownOptions
    formats = ("table", "json", "csv")
    positional = ("dimension", "DIM", True)

    def problems(self, options: BreakdownOptions) -> list[str]:
        return (super().problems(options) + dimension_problems(options.dimension)
                + metric_problems(options.view or "overview", options.metric))

    def build_for(self, filter: Any, window: Window, options: BreakdownOptions | None = None,
                  *, compare: bool = False, tz: tzinfo | None = None) -> Any:
        options = self.defaults() if options is None else options
        problems = self.problems(options)
        if options.dimension is None:
            problems.append("a breakdown needs a dimension")
        if problems:
            raise ValueError("; ".join(problems))
        assert options.dimension is not None
        view = options.view or "overview"
        from tui.query.overview import OverviewOptions
        from tui.query.scores import ScoresOptions

        split = (ScoresOptions if view == "scores" else OverviewOptions)(
            increment=options.increment, tz_offset=options.tz_offset)
        return ask_for(view, options.dimension, filter, window, split, options.metric, tz)

    async def send(self, client: Any, request: BreakdownAsk) -> BreakdownAnswer:
        return await run(client, request)

    def curl(self, base_url: str, request: BreakdownAsk) -> str:
        return curl_text(base_url, request)

    def write(self, answer: BreakdownAnswer, fmt: str, out: TextIO, options: Any,
              tz: Any) -> None:
        from tui.query.breakdown_write import write

        write(answer, fmt, out, tz)


def curl_text(base_url: str, request: BreakdownAsk) -> str:
    """Only the ranking request can be written: the fan-out's depend on its answer."""
    from tui.query.breakdown_write import ranking_curl

    return ranking_curl(base_url, request)


VIEW = BreakdownView()
