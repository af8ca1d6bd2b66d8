"""Build an endpoint's request from the investigation context: filter tree, window, options.

Shared by the command line and the app, so both send exactly the same body for the same question.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import tzinfo

from tui.api.models import (
    ENDPOINTS,
    EndpointName,
    EvalQuery,
    PSize,
    ScoresQuery,
    SessionMetricsQuery,
    TimeFilter,
    TimeFilterMs,
    TimeIncrement,
    WireRequest,
)
from tui.api.timerange import (
    Window,
    check_tz_offset,
    default_increment,
    epoch_ms,
    iso_z,
    tz_offset_minutes,
)
from tui.filters.text import check_for_endpoint
from tui.filters.tree import Node, to_wire


@dataclass(frozen=True, slots=True)
class QueryOptions:
    """Per-endpoint options; None means "the default" (or "not sent")."""

    increment: TimeIncrement | None = None  # scores; default: Helicone's web rule
    tz_offset: int | None = None  # minutes, UTC minus local; default: local zone at window end
    limit: int | None = None  # evals, distributions (Helicone ignores them; sent as given)
    offset: int | None = None
    p_size: PSize | None = None  # sessions
    interquartile: bool | None = None
    session_name: str | None = None


#: Which endpoints each option applies to, and its command-line spelling.
_APPLIES: dict[str, tuple[str, frozenset[EndpointName]]] = {
    "increment": ("--increment", frozenset({EndpointName.SCORES})),
    "limit": ("--limit", frozenset({EndpointName.EVALS, EndpointName.DISTRIBUTIONS})),
    "offset": ("--offset", frozenset({EndpointName.EVALS, EndpointName.DISTRIBUTIONS})),
    "p_size": ("--p-size", frozenset({EndpointName.SESSIONS})),
    "interquartile": ("--interquartile", frozenset({EndpointName.SESSIONS})),
    "session_name": ("--session-name", frozenset({EndpointName.SESSIONS})),
}


def option_errors(endpoint: EndpointName, options: QueryOptions) -> list[str]:
    """One message per option that is set but does not apply to `endpoint`."""
    errors: list[str] = []
    for f in fields(options):
        value = getattr(options, f.name)
        if f.name not in _APPLIES or value is None or value is False:
            continue
        flag, endpoints = _APPLIES[f.name]
        if endpoint not in endpoints:
            where = " and ".join(sorted(e.value for e in endpoints))
            errors.append(f"{flag} applies to {where} only, not {endpoint.value}")
    for name in ("limit", "offset"):
        value = getattr(options, name)
        if value is not None and value < 0:
            errors.append(f"--{name} must be 0 or more, not {value}")
    if options.tz_offset is not None:
        try:
            check_tz_offset(options.tz_offset)
        except ValueError as exc:
            errors.append(str(exc))
    return errors


def build_request(
    endpoint: EndpointName,
    filter: Node,
    window: Window,
    options: QueryOptions | None = None,
    *,
    tz: tzinfo | None = None,
) -> WireRequest:
    """The request model for `endpoint`.

    Raises FilterError when the filter uses session fields off the Sessions endpoint (nothing is
    silently dropped), ValueError when an option does not apply (see `option_errors`).
    """
    endpoint = EndpointName(endpoint)
    options = options or QueryOptions()
    problems = option_errors(endpoint, options)
    if problems:
        raise ValueError("; ".join(problems))
    sessions = ENDPOINTS[endpoint].sessions
    check_for_endpoint(filter, sessions=sessions)
    wire_filter = to_wire(filter, sessions=sessions, tz=tz)
    tz_offset = (
        options.tz_offset if options.tz_offset is not None else tz_offset_minutes(window.end, tz)
    )
    time_filter = TimeFilter(start=iso_z(window.start), end=iso_z(window.end))

    if endpoint is EndpointName.SCORES:
        return ScoresQuery(
            time_filter=time_filter,
            user_filter=wire_filter,
            db_increment=options.increment or default_increment(window),
            time_zone_difference=tz_offset,
        )
    if endpoint in (EndpointName.EVALS, EndpointName.DISTRIBUTIONS):
        return EvalQuery(
            filter=wire_filter,
            time_filter=time_filter,
            offset=options.offset,
            limit=options.limit,
            time_zone_difference=tz_offset,
        )
    return SessionMetricsQuery(
        name_contains=options.session_name or "",
        timezone_difference=tz_offset,
        p_size=options.p_size,
        use_interquartile=options.interquartile,
        time_filter=TimeFilterMs(
            start_time_unix_ms=epoch_ms(window.start), end_time_unix_ms=epoch_ms(window.end)
        ),
        filter=wire_filter,
    )
