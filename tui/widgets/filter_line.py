"""The filter text line (`/`): enter applies; a parse error shows its column and nothing is sent."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Static

from tui.safe import visible


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
            yield Input(
                placeholder="e.g. model ilike '%gpt-4%' and status >= 500  (enter applies)",
                id="filter-input",
                select_on_focus=False,
                compact=True,
            )
        yield Static("", id="filter-error")

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
