"""`c`: the current tab's request as the curl command `query --curl` prints, shown and copied.

The request is the one behind the answer on screen: the tab's question for the answer's own window
(a sliding range moves on; the copied command asks what the screen shows). The key is written as
`$HELICONE_API_KEY`, never the key. The copy goes through OSC 52 (`tui.clipboard`).
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static, TextArea

from tui import clock
from tui.screens import MODAL_CSS
from tui.screens.confirm import ONCALL_CSS
from tui.widgets.key_lines import KeyLines

if TYPE_CHECKING:
    from tui.api.models import EndpointName
    from tui.screens.base import QueryTab
    from tui.screens.main import MainScreen


class NoRequest(ValueError):
    """The tab has no request to show (not built yet, or no question asked)."""


def shown_request(tab: QueryTab) -> tuple[EndpointName, Any]:
    """The endpoint and request behind what `tab` shows (its current question when no answer is
    on screen yet). ValueError (e.g. a filter this tab cannot send) says why there is none."""
    from tui.api.models import EndpointName
    from tui.api.timerange import TimeRange
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
    return EndpointName(tab.ENDPOINT), getattr(request, "current", request)  # compare: current


def copy_curl(screen: MainScreen) -> None:
    """Show the active tab's request as curl, and copy it to the clipboard."""
    from tui import clipboard
    from tui.api.curl import request_curl

    tab = screen.active_tab
    try:
        endpoint, request = shown_request(tab)
    except ValueError as exc:
        screen.notify(str(exc), severity="warning", timeout=4)
        return
    command = request_curl(screen.target.base_url, endpoint, request)
    _, message = clipboard.copy(screen.app, command)
    screen.app.push_screen(CurlView(command, message, endpoint.value, demo=screen.target.demo))


class CurlView(ModalScreen[None]):
    """The command, selectable; `c` copies it again."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [MODAL_CSS, ONCALL_CSS]  # type: ignore[misc]

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("c", "copy", "Copy again", id="curl.copy"),
        Binding("escape,q,enter", "close", "Close", id="curl.close"),
    ]

    def __init__(self, command: str, message: str, endpoint: str, *, demo: bool = False) -> None:
        super().__init__()
        self.command = command
        self.message = message
        self.endpoint = endpoint

        self.demo = demo

    def compose(self) -> ComposeResult:
        with Vertical(id="curl-dialog", classes="dialog"):
            yield Label(f"The {self.endpoint} request as curl", classes="dialog-title")
            yield TextArea(self.command, read_only=True, soft_wrap=False, id="curl-text")
            yield Static(self._status(), id="curl-status")
        yield KeyLines()

    def _status(self) -> Text:
        text = Text(self.message, style="bold")
        text.append("\nThe key is written as $HELICONE_API_KEY: export it before running this.",
                    style="dim")
        if self.demo:
            text.append("\nThe demo server stops when the app quits.", style="dim")
        return text

    def on_mount(self) -> None:
        for text in self.query(TextArea):  # none if the app is closing meanwhile
            text.focus()

    def action_copy(self) -> None:
        from tui import clipboard

        _, self.message = clipboard.copy(self.app, self.command)
        self.query_one("#curl-status", Static).update(self._status())

    def action_close(self) -> None:
        self.dismiss(None)
