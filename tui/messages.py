"""The app's messages: what fetch workers and modals tell the widgets that own the state.

Workers never touch widgets: a fetch posts `FetchSucceeded` or `FetchFailed` to its tab, whose
handler updates reactives, whose watchers redraw. A `ticket` tells an answer from an older fetch
that lost a race with its cancellation.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from tui.api.timerange import Window


class FetchStarted(Message):
    """A tab sent a request."""

    def __init__(self, endpoint: str, ticket: int) -> None:
        super().__init__()
        self.endpoint = endpoint
        self.ticket = ticket


class FetchSucceeded(Message):
    """A tab's request was answered; `answer` is already shaped for display, `raw` is the
    client's answer to the tab's request (typed data and raw JSON; the current period's when
    comparing), which export writes."""

    def __init__(
        self,
        endpoint: str,
        ticket: int,
        answer: Any,
        fetched_at: datetime,
        elapsed: float,
        window: Window,
        raw: Any = None,
    ) -> None:
        super().__init__()
        self.endpoint = endpoint
        self.ticket = ticket
        self.answer = answer
        self.raw = raw
        self.fetched_at = fetched_at
        self.elapsed = elapsed
        self.window = window  # the resolved window the request asked about


class FetchFailed(Message):
    """A tab's request failed or could not be built; `message` is one line saying what to do."""

    def __init__(self, endpoint: str, ticket: int, message: str, sent: bool = True) -> None:
        super().__init__()
        self.endpoint = endpoint
        self.ticket = ticket
        self.message = message
        self.sent = sent


class RangeChosen(Message):
    """A tab asks for another time range (e.g. zooming into a table row's bucket)."""

    def __init__(self, time_range: Any, remember: bool = True) -> None:
        super().__init__()
        self.time_range = time_range
        self.remember = remember  # so `backspace` can return to the range before


class RangeBack(Message):
    """Return to the range before the last remembered change."""


class FetchCancelled(Message):
    """The user cancelled a tab's running request."""

    def __init__(self, endpoint: str) -> None:
        super().__init__()
        self.endpoint = endpoint


class ExportFetched(Message):
    """The answer to export, asked again because the tab no longer held it (or the error)."""

    def __init__(self, endpoint: str, answer: Any, error: str = "") -> None:
        super().__init__()
        self.endpoint = endpoint
        self.answer = answer
        self.error = error
