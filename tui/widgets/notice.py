"""What a tab shows instead of its data: loading (with elapsed time), error, empty, cancelled."""

from __future__ import annotations

from time import monotonic
from typing import ClassVar

from rich.text import Text
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget

from tui.safe import visible


class StateNotice(Widget):
    """One notice; the owning tab sets `kind` and `message`."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"state-notice--title", "state-notice--hint"}

    kind = reactive("idle")  # idle | loading | error | empty | cancelled
    message = reactive("")
    what = reactive("data")
    filtered = reactive(False)  # a filter is set: an empty answer may be the filter's doing

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._started = monotonic()
        self._ticker: Timer | None = None

    def on_mount(self) -> None:
        self._ticker = self.set_interval(0.1, self.refresh, pause=self.kind != "loading")

    def watch_kind(self, kind: str) -> None:
        self.update_classes({"-error": kind == "error"})  # restyles only on a change
        if kind == "loading":
            self._started = monotonic()
        if self._ticker is not None:
            if kind == "loading":
                self._ticker.resume()
            else:
                self._ticker.pause()

    @property
    def elapsed(self) -> float:
        return monotonic() - self._started

    def render(self) -> Text:
        title = self.get_component_rich_style("state-notice--title", partial=True)
        hint = self.get_component_rich_style("state-notice--hint", partial=True)
        text = Text(justify="center")
        if self.kind == "loading":
            text.append(f"Loading {self.what}... {self.elapsed:.1f} s", title)
            text.append("\n\nescape cancels", hint)
        elif self.kind == "error":
            text.append(visible(self.message, block=True), title)  # it may quote a server
            text.append("\n\nr retries", hint)
        elif self.kind == "empty":
            text.append(visible(self.message, block=True) or "No data in this range.", title)
            if self.filtered:
                text.append("\n\nTry another filter (/ edits it) or a wider range (- widens)",
                            hint)
            else:
                text.append("\n\nTry a wider range: - widens, T picks one", hint)
        elif self.kind == "cancelled":
            text.append("Cancelled.", title)
            text.append("\n\nr sends the request again", hint)
        return text
