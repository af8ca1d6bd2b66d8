"""`?`: the keys of the screen below, with their binding ids (for the config file's [keys])."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label

from tui.screens import MODAL_CSS
from tui.widgets.key_lines import KeyLines


def describe_keys(screen: Screen) -> list[tuple[str, str, str]]:
    """(key, what it does, binding id) for every binding active on `screen` right now."""
    app = screen.app
    seen: set[tuple[str, str]] = set()
    rows: list[tuple[str, str, str]] = []
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if active.node is app or (binding.system and binding.id is None):
            continue  # Textual's own (tab, copy): not this screen's keys
        what = binding.description or binding.action
        mark = (binding.action, key)
        if mark in seen:
            continue
        seen.add(mark)
        rows.append((app.get_key_display(binding), what, binding.id or ""))
    rows.append((app.get_key_display(Binding(app.COMMAND_PALETTE_BINDING, "")),
                 "Commands: every action, searchable", ""))
    return rows


class HelpScreen(ModalScreen[None]):
    CSS_PATH = MODAL_CSS

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("escape,question_mark,q", "close", "Close", id="help.close"),
    ]

    def __init__(self, below: Screen) -> None:
        super().__init__()
        self.rows = describe_keys(below)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog"):
            yield Label(
                Text("Keys on this screen (remap by id in [keys] of config.toml)"),
                classes="dialog-title",
            )
            table: DataTable[Text | str] = DataTable(id="help-table", cursor_type="row")
            table.add_columns("key", "action", "id")
            for key, what, binding_id in self.rows:
                table.add_row(Text(key, style="bold"), what, Text(binding_id, style="dim"))
            yield table
        yield KeyLines()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()

    def action_close(self) -> None:
        self.dismiss(None)
