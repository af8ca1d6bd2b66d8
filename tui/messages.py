"""The app's messages: what fetch workers and modals tell the widgets that own the state.

Workers never touch widgets: a fetch posts `FetchSucceeded` or `FetchFailed` to its tab, whose
handler updates reactives, whose watchers redraw. A `ticket` tells an answer from an older fetch
that lost a race with its cancellation.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from tui.api.timerange import Window
    from tui.filters.tree import Node


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

    def __init__(self, time_range: Any, remember: bool = True, state: Any = None) -> None:
        super().__init__()
        self.time_range = time_range
        self.remember = remember  # so `backspace` can return to the range before
        #: The posting tab's `view_state()` from before it changed anything for the zoom (e.g.
        #: Scores drops its increment first); None: the main screen asks the tab itself.
        self.state = state


class RangeBack(Message):
    """`backspace`: undo the last zoom or drill-down (one back stack on the main screen)."""


class DrillDown(Message):
    """`enter` on a bucket or row: show the requests behind it. The main screen remembers where
    the user was, narrows the investigation to the window (an absolute range) and the filter AND
    `condition`, and shows the Requests tab; `backspace` returns.

    The window is what the Requests endpoint is asked, and it takes both ends inclusive
    (`gte` / `lte` on request_created_at): a bucket [start, next) is drilled as
    [start, next - 1 ms] (Helicone's times are milliseconds); `bucket()` does that.
    """

    def __init__(self, window_start: datetime, window_end: datetime, condition: Node | None,
                 label: str) -> None:
        super().__init__()
        self.window_start = window_start
        self.window_end = window_end
        self.condition = condition
        self.label = label  # the context bar's "drill: <label> - backspace returns"

    @classmethod
    def bucket(cls, start: datetime, end: datetime, *, end_open: bool = True,
               condition: Node | None = None) -> DrillDown:
        """The drill into a chart's bucket [start, end) (`end_open=False`: [start, end], e.g. a
        last bucket cut at an inclusive window's end), labelled in local time."""
        from tui import clock

        last = end - timedelta(milliseconds=1) if end_open else end
        return cls(start, last, condition, span_label(start, end, clock.local_zone()))


def span_label(start: datetime, end: datetime, tz: Any) -> str:
    """`Nov 15 10:00-11:00 EST`; the end's date too when it is another day."""
    s, e = start.astimezone(tz), end.astimezone(tz)
    until = e.strftime("%H:%M") if s.date() == e.date() else e.strftime("%b %d %H:%M")
    return f"{s.strftime('%b %d %H:%M')}-{until} {e.tzname() or ''}".rstrip()


class AddCondition(Message):
    """A view (the request detail's `=` / `!`) asks for `field op value` ANDed onto the filter;
    `field` is the text language's (`model`, `properties.env`)."""

    def __init__(self, op: str, field: str, value: Any) -> None:
        super().__init__()
        self.op = op
        self.field = field
        self.value = value


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
