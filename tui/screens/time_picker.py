"""`T`: the time range picker: quick ranges, or a custom start and end in local time."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui import clock
from tui.format.durations import spell_length
from tui.screens import MODAL_CSS
from tui.widgets.key_lines import KeyLines

if TYPE_CHECKING:
    from tui.api.timerange import TimeRange

QUICK: tuple[tuple[str, str], ...] = (
    ("15m", "last 15 minutes"),
    ("1h", "last hour"),
    ("6h", "last 6 hours"),
    ("24h", "last 24 hours"),
    ("7d", "last 7 days"),
    ("30d", "last 30 days"),
)
LOCAL_FORMAT = "%Y-%m-%d %H:%M"


class TimeRangePicker(ModalScreen["TimeRange | None"]):
    """Dismisses with the chosen TimeRange, or None (escape)."""

    CSS_PATH = MODAL_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Cancel", id="time.cancel"),
    ]

    def __init__(self, current: TimeRange, now: datetime) -> None:
        super().__init__()
        self.current = current
        self.now = now

    def compose(self) -> ComposeResult:
        tz = clock.local_zone()
        window = self.current.resolve(self.now)
        zone = window.end.astimezone(tz).tzname() or "local"
        with Vertical(id="time-dialog", classes="dialog"):
            yield Label("Time range", classes="dialog-title")
            yield OptionList(
                *(Option(f"{code:>4}  {text}", id=code) for code, text in QUICK),
                id="time-quick",
            )
            yield Label(f"Custom (local time, {zone}; end empty = now); enter applies",
                        classes="dialog-subtitle")
            with Horizontal(classes="time-row"):
                yield Label("start ", classes="time-label")
                yield Input(
                    window.start.astimezone(tz).strftime(LOCAL_FORMAT),
                    placeholder="YYYY-MM-DD HH:MM",
                    id="time-start",
                    compact=True,
                )
            with Horizontal(classes="time-row"):
                yield Label("end   ", classes="time-label")
                yield Input(
                    ""
                    if self.current.sliding
                    else window.end.astimezone(tz).strftime(LOCAL_FORMAT),
                    placeholder="YYYY-MM-DD HH:MM (empty: now)",
                    id="time-end",
                    compact=True,
                )
            yield Static("", id="time-error")
        yield KeyLines()

    def on_mount(self) -> None:
        found = self.query(OptionList)
        if not found:  # the app is closing meanwhile
            return
        quick = found.first()
        length = self.current.length
        codes = [code for code, _ in QUICK]
        if length is not None:
            spelled = spell_length(length)
            if spelled in codes:
                quick.highlighted = codes.index(spelled)
        quick.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        from tui.api.timerange import TimeRange

        self.dismiss(TimeRange.since(str(event.option.id)))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        from tui.api.timerange import RangeError, TimeRange, parse_time

        start_text = self.query_one("#time-start", Input).value.strip()
        end_text = self.query_one("#time-end", Input).value.strip()
        try:
            if not start_text:
                raise RangeError("a custom range needs a start (e.g. 2026-11-20 08:00)")
            start = parse_time(start_text)
            end = parse_time(end_text) if end_text else None
            if end is not None and end > self.now:
                end = None  # the future has no data yet; "until now" is what was meant
            chosen = TimeRange.absolute(start, end)
            chosen.resolve(self.now)
        except ValueError as exc:
            error = self.query_one("#time-error", Static)
            error.add_class("error-text")  # added with the text: an empty line stays unstyled
            error.update(Text(str(exc)))
            return
        self.dismiss(chosen)

    def action_close(self) -> None:
        self.dismiss(None)
