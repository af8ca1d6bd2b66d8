"""The filter editor's question on escape with changes: discard them, or go back to editing."""

from __future__ import annotations

from pathlib import PurePath
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from tui.screens import MODAL_CSS
from tui.screens.condition_editor import FILTER_EDITOR_CSS
from tui.widgets.key_lines import KeyLines


class ConfirmDiscard(ModalScreen[bool]):
    """Closing an edited filter: True discards the changes, False goes back to editing."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [MODAL_CSS, FILTER_EDITOR_CSS]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Discard", id="filter_editor.discard.yes"),
        Binding("n,escape", "answer(False)", "Keep editing", id="filter_editor.discard.no"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="discard-dialog", classes="dialog"):
            yield Label("Discard the changes to this filter?", classes="dialog-title")
            yield Label("y discards them; n or escape goes back to the editor.")
        yield KeyLines()

    def action_answer(self, discard: bool) -> None:
        self.dismiss(discard)
