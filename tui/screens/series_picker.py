"""`l` on Scores: a checklist of series; space toggles, enter applies, escape cancels."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, SelectionList

from tui.screens import MODAL_CSS
from tui.widgets.key_lines import KeyLines


class SeriesPicker(ModalScreen[frozenset[str] | None]):
    CSS_PATH = MODAL_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        # enter would toggle in the list: the dialog's confirm comes first
        Binding("enter", "apply", "Apply", id="series.apply", priority=True),
        Binding("escape", "cancel", "Cancel", id="series.cancel"),
        Binding("a", "all", "Show all", id="series.all"),
        Binding("n", "none", "Hide all", id="series.none"),
    ]

    def __init__(self, choices: list[tuple[str, str, bool]]) -> None:
        super().__init__()
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="series-dialog", classes="dialog"):
            yield Label("Series shown: space toggles, enter applies, escape cancels",
                        classes="dialog-title")
            # Text prompts: a label is a server's score key, `[/]` in it is just text
            choices = ((Text(prompt), value, on) for prompt, value, on in self.choices)
            yield SelectionList[str](*choices, id="series-list")
        yield KeyLines()

    def on_mount(self) -> None:
        for found in self.query(SelectionList):  # none if the app is closing
            found.focus()

    def action_apply(self) -> None:
        self.dismiss(frozenset(self.query_one(SelectionList).selected))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_all(self) -> None:
        self.query_one(SelectionList).select_all()

    def action_none(self) -> None:
        self.query_one(SelectionList).deselect_all()
