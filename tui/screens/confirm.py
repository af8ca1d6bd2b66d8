"""A yes/no question before something that cannot be undone (replace, delete, overwrite)."""

from __future__ import annotations

from pathlib import PurePath
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from tui.screens import MODAL_CSS
from tui.widgets.key_lines import KeyLines


class Confirm(ModalScreen[bool]):
    """Dismisses with True (y, enter) or False (n, escape)."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [MODAL_CSS]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, detail: str = "", *, yes: str = "Yes") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Label(self.question, classes="dialog-title", markup=False)
            if self.detail:
                yield Label(self.detail, markup=False, classes="confirm-detail")
            yield Label(f"y or enter: {self.yes.lower()}    n or escape: no, go back",
                        classes="hint")
        yield KeyLines()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
