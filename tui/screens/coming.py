"""A tab that is not built yet: says so, and sends nothing."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from tui.screens.base import QueryTab


class ComingTab(QueryTab):
    TITLE: ClassVar[str] = ""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(QueryTab.status, "ready")

    def compose_body(self) -> ComposeResult:
        yield Static(
            Text(f"{self.TITLE}: coming in the next release.", justify="center"),
            classes="coming",
        )

    def ensure_fresh(self) -> None:
        pass  # nothing to ask yet
