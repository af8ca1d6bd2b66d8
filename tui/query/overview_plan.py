"""The Overview tab's requests: the headless view's eleven, the top models, the window's p95, and
the previous period's totals (and, comparing, its series), each a named part sent on its own so
that each panel draws when its own answers arrive; and the top users (`users_parts`). Pure: no
Textual.

The previous period is the window just before the current one, of the same length. The metrics
endpoints count both ends of their window (SEMANTICS-MORE §2.3: `[start, end]`, whole seconds), so
it ends one second before the current start, as the scores' compare does (tui/query/compare.py):
no request counts in both periods. Its requests keep the current increment and time-zone offset,
so both periods are bucketed alike.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import tzinfo
from typing import Any

from tui.api.timerange import Window
from tui.query.compare import INCLUSIVE_STEP
from tui.query.overview import VIEW, OverviewAsk, OverviewOptions

#: The prefix of a previous-period part's name.
PREV = "previous."
#: The part asking the window's p95 latency: /quantiles with one bucket (a year) for the window.
P95 = "p95"
MODELS = "models"
#: The users panel's parts: the top users by requests, and the users' errors (status != 200).
USERS = "users"
USER_ERRORS = "userErrors"
TOTALS = ("totalRequests", "totalCost", "averageLatency", "averageTimeToFirstToken",
          "activeUsers")
STATUS = "requestStatusOverTime"
ERRORS = "errorOverTime"
LATENCY = "latencyOverTime"
QUANTILES = "quantiles"
COST = "costOverTime"
TTFT = "timeToFirstToken"
QUANTILE_NAMES = ("p75", "p90", "p95", "p99")
SERIES = (STATUS, ERRORS, LATENCY, QUANTILES, COST, TTFT)
#: The strip needs these of the previous period, always (its changes).
STRIP_PREVIOUS = (*TOTALS, P95, ERRORS)

#: Each part's endpoint, by its name in tui.api.wire_endpoints.More (a str enum: the names are
#: its values), so that this module loads without the wire models (pydantic) for the app's
#: first frame.
_ENDPOINTS: dict[str, str] = {
    **{name: name for name in (*TOTALS, STATUS, ERRORS, LATENCY, QUANTILES, COST, TTFT)},
    P95: QUANTILES,
    MODELS: "models",
    USERS: "users",
    USER_ERRORS: "users",
}


@dataclass(frozen=True)
class Part:
    """One request of the tab: its name (what its answer is), endpoint and body."""

    name: str
    endpoint: str  # a tui.api.wire_endpoints.More value
    body: Any  # a wire request model

    @property
    def base(self) -> str:
        """The name without the previous-period prefix."""
        return self.name.removeprefix(PREV)

    @property
    def asks(self) -> tuple[str, str]:
        """What it asks exactly (endpoint, the body's JSON): equal parts get equal answers."""
        from tui.api.wirejson import dumps

        return self.endpoint, dumps(self.body.to_wire(), sort_keys=True)


@dataclass(frozen=True)
class OverviewPlan:
    """Every request of the Overview for one window, in the order they are sent (the strip's and
    the first charts' first)."""

    parts: tuple[Part, ...]
    window: Window
    previous_window: Window
    increment: str
    compare: bool

    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parts)


def previous_window(window: Window) -> Window:
    """[start - L, start - 1 s]: the metrics endpoints include both ends (see the module)."""
    start = window.start - window.length
    end = window.start - INCLUSIVE_STEP
    if end <= start:  # a window of a second or less: keep the length, stay disjoint
        start = end - window.length
    return Window(start, end)


def build_plan(filter: Any, window: Window, options: OverviewOptions, *, compare: bool = False,
               tz: tzinfo | None = None) -> OverviewPlan:
    """The parts for `filter` over `window` (ValueError: a filter the metrics cannot send)."""
    from tui.api.enums import TimeIncrement
    from tui.api.timerange import default_increment
    from tui.api.wire_metrics import ModelMetricsBody
    from tui.query.models import LIMIT

    increment = options.increment or default_increment(window)
    fixed = replace(options, increment=increment)
    current = VIEW.build_for(filter, window, fixed, tz=tz)
    assert isinstance(current, OverviewAsk)  # (build_for's type covers the compare pair too)
    tz_offset = current.over_time.time_zone_difference
    before = previous_window(window)
    previous = VIEW.build_for(filter, before, replace(fixed, tz_offset=tz_offset), tz=tz)

    def parts(ask: Any, prefix: str, names: tuple[str, ...]) -> list[Part]:
        bodies = {name: ask.totals for name in TOTALS}
        bodies.update({name: ask.over_time for name in SERIES if name != QUANTILES})
        bodies[QUANTILES] = ask.quantiles
        # One bucket for the whole window: its p95 (two when the window crosses a new year,
        # which the strip then says it cannot give).
        bodies[P95] = ask.quantiles.model_copy(update={"db_increment": TimeIncrement.YEAR})
        bodies[MODELS] = ModelMetricsBody(filter=ask.totals.filter, offset=0, limit=LIMIT,
                                          time_filter=ask.totals.time_filter)
        return [Part(prefix + name, _ENDPOINTS[name], bodies[name]) for name in names]

    now_names = (*TOTALS, STATUS, ERRORS, LATENCY, QUANTILES, P95, COST, TTFT, MODELS)
    before_names = STRIP_PREVIOUS + (
        tuple(n for n in SERIES if n != ERRORS) if compare else ()
    )
    return OverviewPlan(
        parts=tuple(parts(current, "", now_names)
                    + users_parts(current.totals.to_wire()["filter"], window, tz_offset)
                    + parts(previous, PREV, before_names)),
        window=window,
        previous_window=before,
        increment=increment.value,
        compare=compare,
    )


def users_parts(wire_filter: Any, window: Window, tz_offset: int) -> list[Part]:
    """The users panel's two requests (current period only): the users by requests and by errors
    (status != 200), each as many as the endpoint gives (1000), the most first, so that the
    panel knows the errors of its top users by requests and the requests of its top users by
    errors (one missing from the other list: none when that list is whole, its `count` says,
    else at most the fewest listed)."""
    from tui.query.users import MAX_LIMIT, users_body

    return [Part(USERS, _ENDPOINTS[USERS],
                 users_body(wire_filter, window, tz_offset, "requests", MAX_LIMIT)),
            Part(USER_ERRORS, _ENDPOINTS[USER_ERRORS],
                 users_body(wire_filter, window, tz_offset, "errors", MAX_LIMIT))]


def curl(base_url: str, plan: OverviewPlan) -> str:
    """Every request of the plan as curl commands, each headed by what it asks."""
    from tui.query import writers_more as w

    return "\n\n".join(f"# {part.name}\n{w.curl_for(base_url, part.endpoint, part.body)}"
                       for part in plan.parts)
