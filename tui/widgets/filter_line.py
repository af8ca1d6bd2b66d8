"""The filter text line (`/`): enter applies; a parse error shows its column and nothing is sent.

It completes as you type (tui.widgets.completion): field names, and after `model = '` the window's
models (property keys and values, providers, countries, session names likewise), quoted as the
filter language spells them. `down` opens the list, `tab` or `enter` picks, `escape` closes it
first; `enter` on a whole filter applies it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Static

from tui.safe import visible
from tui.widgets.completion import Completer, main_screen


class FilterInput(Input):
    """The line's input. The dropdown takes `down` itself when it has something to offer (and
    tab, enter and escape while it is open); this binding (on the input, whose scrolling binds
    `down` too) names the key and asks for completions when nothing is shown yet."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "complete", "Complete", id="filter.complete",
                tooltip="list completions (tab or enter picks, escape closes the list)"),
    ]

    def action_complete(self) -> None:
        for completer in self.screen.query(Completer):
            if completer.target is self:
                completer.show_everything()


class FilterLine(Vertical):
    """Hidden until opened; `Applied` carries the parsed tree and its canonical text."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close", id="filter.close")]

    class Applied(Message):
        def __init__(self, node: Any, text: str) -> None:
            super().__init__()
            self.node = node
            self.text = text

    class Closed(Message):
        pass

    def compose(self) -> ComposeResult:
        with Horizontal(id="filter-row"):
            yield Label("filter ", id="filter-label")
            yield FilterInput(
                placeholder="e.g. model ilike '%gpt-4%' and status >= 500  (enter applies)",
                id="filter-input",
                select_on_focus=False,
                compact=True,
            )
        yield Static("", id="filter-error")

    def on_mount(self) -> None:
        # On the screen, not in the line: a dropdown inside a one-row container is cut to one row.
        self.screen.mount(Completer(self.query_one(Input), mode="filter", sessions=self._sessions,
                                    score_keys=self._score_keys, id="filter-completion"))

    def _sessions(self) -> bool:
        """Session fields are offered on the Sessions tab only (the others cannot send them)."""
        tab = getattr(main_screen(self.app), "active_tab", None)
        return getattr(tab, "ENDPOINT", "") == "sessions"

    def _score_keys(self) -> list[str]:
        from tui.screens.base import QueryTab
        from tui.screens.score_keys import known_score_keys

        screen = main_screen(self.app)
        return known_score_keys(screen.query(QueryTab)) if screen is not None else []

    def open(self, text: str) -> None:
        self.display = True
        field = self.query_one(Input)
        field.value = "" if text == "all" else text
        field.cursor_position = len(field.value)
        self.query_one("#filter-error", Static).update("")
        self.remove_class("-error")
        field.focus()

    def action_close(self) -> None:
        self.display = False
        self.post_message(self.Closed())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        from tui.filters.text import FilterSyntaxError, format, parse
        from tui.filters.tree import FilterError

        try:
            node = parse(event.value)
        except FilterSyntaxError as exc:
            self._error(str(exc), exc.column)
            return
        except FilterError as exc:
            self._error(str(exc), None)
            return
        self.display = False
        self.post_message(self.Applied(node, format(node)))

    def _error(self, message: str, column: int | None) -> None:
        self.add_class("-error")
        field = self.query_one(Input)
        if column is not None:
            pointer = " " * max(0, column - 1) + "^"
            self.query_one("#filter-error", Static).update(Text(f"{pointer}\n{visible(message)}"))
            field.cursor_position = max(0, column - 1)
        else:
            self.query_one("#filter-error", Static).update(Text(visible(message)))
