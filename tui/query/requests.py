"""One request for any view from a flat bag of options: for scripts, benches and tests that ask
"what does endpoint X send for these options". The views' own typed options are the real
declaration; this only routes each field to the view that declares it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import tzinfo
from typing import Any

from tui.api.models import EndpointName, PSize, TimeIncrement, WireRequest
from tui.api.timerange import Window
from tui.filters.tree import Node
from tui.query.base import View, declared
from tui.query.registry import not_for, view


@dataclass(frozen=True, slots=True)
class QueryOptions:
    """Every view's options side by side; None means "the default" (or "not sent")."""

    increment: TimeIncrement | None = None
    tz_offset: int | None = None
    limit: int | None = None
    offset: int | None = None
    p_size: PSize | None = None
    interquartile: bool | None = None
    session_name: str | None = None


def option_errors(endpoint: EndpointName | str, options: QueryOptions) -> list[str]:
    """One message per option that is set but does not apply to `endpoint`, then the bounds."""
    v = view(endpoint)
    given = asdict(options)
    errors = not_for(v.name, given)
    errors += v.problems(v.options(_own(v, given)))
    return errors


def _own(v: View[Any], given: dict[str, object]) -> dict[str, object]:
    names = {name for name, _ in declared(v.options_type)}
    return {k: value for k, value in given.items() if k in names}


def build_request(
    endpoint: EndpointName | str,
    filter: Node,
    window: Window,
    options: QueryOptions | None = None,
    *,
    tz: tzinfo | None = None,
) -> WireRequest:
    """The request model for `endpoint`. Raises FilterError when the filter uses session fields
    off the Sessions endpoint, ValueError when an option does not apply."""
    v = view(endpoint)
    options = options or QueryOptions()
    problems = option_errors(endpoint, options)
    if problems:
        raise ValueError("; ".join(problems))
    request = v.build_for(filter, window, v.options(_own(v, asdict(options))), tz=tz)
    assert isinstance(request, WireRequest)  # not comparing: one request
    return request
