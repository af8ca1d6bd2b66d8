"""Session metrics (`POST /v1/session/metrics/query`): three trimmed histograms and averages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tui.api.enums import PSize
from tui.api.timerange import Window, epoch_ms
from tui.query.base import COMPARE, TZ_OFFSET, View, option

P_SIZES: tuple[str, ...] = tuple(p.value for p in PSize)
DEFAULT_P_SIZE = "p75"  # Helicone's, when none is sent

if TYPE_CHECKING:
    from tui.api.models import WireRequest


@dataclass(frozen=True)
class SessionsOptions:
    p_size: PSize | None = field(default=None, metadata=option(
        "--p-size", "trim the histograms at this percentile (Helicone: p75)",
        preset="p_size", choices=P_SIZES, kind="choice", convert=PSize,
    ))
    interquartile: bool | None = field(default=None, metadata=option(
        "--interquartile", "also trim below the matching lower percentile",
        preset="interquartile", kind="switch",
    ))
    session_name: str | None = field(default=None, metadata=option(
        "--session-name", "only sessions with exactly this name",
        preset="session_name", metavar="NAME",
    ))
    tz_offset: int | None = field(default=None, metadata=TZ_OFFSET)
    compare: bool = field(default=False, metadata=COMPARE)


class SessionsView(View[SessionsOptions]):
    name = "sessions"
    options_type = SessionsOptions
    sessions = True

    def request(self, wire_filter: Any, window: Window, options: SessionsOptions,
                tz_offset: int) -> WireRequest:
        from tui.api.models import SessionMetricsQuery, TimeFilterMs

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

    async def ask(self, client: Any, request: Any) -> Any:
        return await client.session_metrics(request)

    def notes(self, request: Any) -> Sequence[str]:
        """From the body as sent: a preset's p_size reaches the note as it reached the request."""
        from tui.query.compare import Paired

        if isinstance(request, Paired):
            request = request.current
        return (note(request.p_size, request.use_interquartile),)


def note(p_size: str | None, interquartile: bool | None) -> str:
    """What the sessions histograms are (DESIGN.md, "Honest numbers"): the writers' one wording."""
    from tui.format.export_sessions import sessions_note

    return sessions_note(getattr(p_size, "value", p_size), interquartile)


def tab_note(p_size: str | None, interquartile: bool | None, session_name: str = "") -> str:
    """The tab's note: the histograms' note and, without a name, what a request without a
    session id counts as (a name excludes them; otherwise they are there, as in Helicone)."""
    text = note(p_size, interquartile)
    if not session_name:
        text += "; requests without a session id count as one session"
    return text


VIEW = SessionsView()
