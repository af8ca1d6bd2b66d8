"""`x`: export the current tab's answer as CSV or JSON, through the writer `query --format` uses.

The file goes where the user confirms: by default the working directory, timestamped
(`helicone-scores-20261120-120000.csv`). An existing file is never overwritten without asking.
The dialog is given the write (tui.screens.answer_io.export_answer bound to the answer on
screen) and dismisses with what was written; the main screen says so.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path, PurePath
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui import clock
from tui.safe import visible
from tui.screens import MODAL_CSS
from tui.screens.answer_io import ExportRequest
from tui.screens.confirm import Confirm
from tui.widgets.key_lines import KeyLines

FORMATS: tuple[tuple[str, str], ...] = (
    ("csv", "CSV: one header line, long form (as query --format csv)"),
    ("json", "JSON: the answer's data as received (as query --format json)"),
)

#: Writes the file asked for -> what was written, for the user. Raises FileExistsError when
#: the file exists and overwrite is False, OSError when it cannot.
Write = Callable[[ExportRequest], str]


def default_name(endpoint: str, fmt: str, now: datetime | None = None) -> str:
    """`helicone-<endpoint>-<local YYYYmmdd-HHMMSS>.<fmt>`."""
    moment = (now or clock.now()).astimezone(clock.local_zone())
    return f"helicone-{endpoint}-{moment:%Y%m%d-%H%M%S}.{fmt}"


class ExportDialog(ModalScreen[str | None]):
    """Dismisses with a message saying what was written, or None (escape)."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [MODAL_CSS]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
    ]

    def __init__(self, endpoint: str, write: Write, *, folder: Path | None = None,
                 now: datetime | None = None) -> None:
        super().__init__()
        self.endpoint = endpoint
        self._write = write
        self.folder = folder or Path.cwd()
        self.now = now or clock.now()
        self.format = FORMATS[0][0]

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog"):
            yield Label(f"Export the {self.endpoint} answer", classes="dialog-title")
            yield OptionList(*(Option(text, id=fmt) for fmt, text in FORMATS), id="export-format")
            with Horizontal(classes="form-row"):
                yield Label("file ", classes="form-label")
                yield Input(default_name(self.endpoint, self.format, self.now),
                            id="export-path", compact=True)
            yield Label(Text(visible(f"relative to {self.folder}"), overflow="ellipsis",
                             no_wrap=True),
                        classes="hint")
            yield Static("", id="export-error", classes="form-error")
            yield Label("up/down: format, enter: to the file name; enter there writes",
                        classes="hint")
        yield KeyLines()

    def on_mount(self) -> None:
        found = self.query("#export-format")
        if not found:  # the app is closing meanwhile
            return
        formats = found.first(OptionList)
        formats.highlighted = 0
        formats.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        fmt = event.option.id or FORMATS[0][0]
        self.format = fmt
        path_input = self.query_one("#export-path", Input)
        path = PurePath(path_input.value)
        if path.suffix.lower() in (".csv", ".json"):  # follow the format unless renamed oddly
            path_input.value = str(path.with_suffix(f".{fmt}"))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        path_input = self.query_one("#export-path", Input)
        path_input.focus()
        path_input.cursor_position = len(path_input.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.save()

    def _error(self, message: str) -> None:
        self.query_one("#export-error", Static).update(Text(visible(message)))  # it quotes a path

    def target(self) -> Path | None:
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            self._error("give a file name")
            return None
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = self.folder / path
        if path.is_dir():
            self._error(f"{path} is a folder: give a file name")
            return None
        if not path.parent.is_dir():
            self._error(f"the folder {path.parent} does not exist")
            return None
        return path

    def save(self, overwrite: bool = False) -> None:
        path = self.target()
        if path is None:
            return
        try:
            message = self._write(ExportRequest(path, self.format, overwrite))
        except FileExistsError:

            def answered(yes: bool | None) -> None:
                if yes:
                    self.save(overwrite=True)

            self.app.push_screen(
                Confirm(visible(f"{path.name} exists. Replace it?"), visible(str(path)),
                        yes="Replace"),
                answered,
            )
            return
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            self._error(f"cannot write {path}: {reason}")
            return
        self.dismiss(message)

    def action_cancel(self) -> None:
        self.dismiss(None)
