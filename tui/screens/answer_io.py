"""What curl (`c`) and export (`x`) need from a tab, without the screen: the request behind the
answer on screen, the answer's file text, and the write. No Textual here: the main screen calls
these and tells the user what happened.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui import clock

if TYPE_CHECKING:
    from tui.api.models import EndpointName
    from tui.screens.base import QueryTab


class NoRequest(ValueError):
    """The tab has no request to show (not built yet, or no question asked)."""


def shown_request(tab: QueryTab) -> tuple[EndpointName, Any]:
    """The endpoint and request behind what `tab` shows (its current question when no answer is
    on screen yet). ValueError (e.g. a filter this tab cannot send) says why there is none."""
    from tui.api.models import EndpointName
    from tui.api.timerange import TimeRange
    from tui.compare import Paired
    from tui.screens.base import QueryTab

    title = tab.ENDPOINT.capitalize() or "This"
    if type(tab).prepare is QueryTab.prepare or not tab.ENDPOINT:
        raise NoRequest(f"The {title} tab sends no request yet.")
    ctx = tab.context
    if ctx is None:
        raise NoRequest(f"The {title} tab has no question yet.")
    window = tab.answer_window
    if tab.status in ("ready", "empty") and not tab.stale and window is not None:
        ctx = ctx.with_range(TimeRange.absolute(window.start, window.end))
    request, _ = tab.prepare(ctx, tab.options(), clock.now())
    if isinstance(request, Paired):  # compare: the current period's question
        request = request.current
    return EndpointName(tab.ENDPOINT), request


@dataclass(frozen=True)
class ExportRequest:
    """What the export dialog asks for: a file, a format, and whether it may replace one."""

    path: Path
    format: str
    overwrite: bool = False


def render(endpoint: str, answer: Any, fmt: str) -> str:
    """The file's text: `answer` (the client's, with .data and .raw) through the one writer."""
    from tui.format import export

    out = io.StringIO()
    export.write(endpoint, answer.data, fmt, out, raw=answer.raw)
    return out.getvalue()


def write_file(path: Path, text: str, overwrite: bool) -> None:
    """Write `text` to `path`; without `overwrite`, an existing file raises FileExistsError
    (opened exclusively, so a file that appears meanwhile is not overwritten either)."""
    with open(path, "w" if overwrite else "x", encoding="utf-8", newline="") as out:
        out.write(text)


def export_answer(endpoint: str, answer: Any, request: ExportRequest) -> str:
    """Write `answer` as asked; what was written, for the user. FileExistsError when the file
    exists and `overwrite` is off; OSError or ValueError when it cannot be written."""
    write_file(request.path, render(endpoint, answer, request.format), request.overwrite)
    return f"Wrote the {endpoint} answer ({request.format.upper()}) to {request.path}"


class AnswerRecorder:
    """The client as one fetch sees it: the same calls, and the answers (typed data and raw
    JSON) kept for this fetch alone, so the answer on screen travels with its message and
    export writes it without asking again. The shared client is left as it is."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._answers: list[tuple[str, Any, Any]] = []

    async def fetch(self, endpoint: Any, request: Any) -> Any:
        answer = await self._client.fetch(endpoint, request)
        self._answers.append((str(getattr(endpoint, "value", endpoint)), request, answer))
        return answer

    async def fetch_more(self, endpoint: Any, request: Any = None, **kwargs: Any) -> Any:
        """One of SEMANTICS-MORE's endpoints (the Overview's), recorded like `fetch`."""
        answer = await self._client.fetch_more(endpoint, request, **kwargs)
        self._answers.append((str(getattr(endpoint, "value", endpoint)), request, answer))
        return answer

    async def scores(self, request: Any) -> Any:
        return (await self.fetch("scores", request)).data

    async def evals(self, request: Any) -> Any:
        return (await self.fetch("evals", request)).data

    async def distributions(self, request: Any) -> Any:
        return (await self.fetch("distributions", request)).data

    async def session_metrics(self, request: Any) -> Any:
        return (await self.fetch("sessions", request)).data

    async def query(self, endpoint: Any, request: Any) -> Any:
        return (await self.fetch(endpoint, request)).data

    def answer_to(self, endpoint: str, request: Any) -> Any:
        """The answer to `request` (the current period's when comparing) at `endpoint`."""
        from tui.compare import Paired

        if isinstance(request, Paired):
            request = request.current
        for sent_to, sent, answer in self._answers:
            if sent_to == endpoint and sent is request:
                return answer
        return None
