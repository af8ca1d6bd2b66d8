"""`c`: the current tab's request as the curl command `query --curl` prints, shown and copied.

The request is the one behind the answer on screen: the tab's question for the answer's own window
(a sliding range moves on; the copied command asks what the screen shows). The key is written as
`$HELICONE_API_KEY`, never the key. The copy goes through OSC 52 (`tui.clipboard`). The main screen
builds the command (tui.screens.answer_io.shown_request) and copies it; this dialog shows it.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static, TextArea

from tui.screens import MODAL_CSS
from tui.widgets.key_lines import KeyLines


class CurlView(ModalScreen[None]):
    """The command, selectable; `c` copies it again."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [MODAL_CSS]

    BINDINGS: ClassVar[list[BindingType]] = [
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
            many = self.command.count("curl --request ")  # the Overview's are many
            what = f"{many} {self.endpoint} requests" if many > 1 else f"{self.endpoint} request"
            yield Label(f"The {what} as curl", classes="dialog-title")
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
