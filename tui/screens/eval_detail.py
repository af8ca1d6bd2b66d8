"""`enter` on Evals: the selected eval's hourly average and hourly count charts.

`left`/`right` move an hour cursor over both charts (the hour's average and n shown above them);
`z` or `enter` zoom the range to that hour: the dialog returns the range, the tab applies it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from tui.format.numbers import value as number
from tui.format.times import bucket_label
from tui.query.evals_shape import EvalRow, EvalsAnswer
from tui.safe import visible
from tui.screens import MODAL_CSS
from tui.widgets.chart import TimeChart
from tui.widgets.key_lines import KeyLines

CURSOR_HINT = "left / right: the hour cursor, z zooms the range to its hour"


class EvalDetail(ModalScreen[Any]):
    """Returns the hour's TimeRange to zoom to (z), or None."""

    CSS_PATH = MODAL_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Back", id="eval.close"),
        Binding("left", "move_cursor(-1)", "Hour before", id="eval.cursor_left", show=False),
        Binding("right", "move_cursor(1)", "Hour after", id="eval.cursor_right", show=False),
        Binding("z,enter", "zoom", "Zoom to the hour", id="eval.zoom"),
    ]

    def __init__(self, row: EvalRow, answer: EvalsAnswer) -> None:
        super().__init__()
        self.row = row
        self.answer = answer
        self.cursor: int | None = None

    def compose(self) -> ComposeResult:
        row = self.row
        with Vertical(id="eval-detail", classes="dialog"):
            yield Label(Text(visible(row.name), style="bold"), classes="dialog-title")
            summary = Text()
            if row.has_data:
                summary.append(f"true mean {number(row.true_mean)}", "bold")
                summary.append(f"   helicone avg {number(row.average_score)}")
                summary.append(f"   min* {number(row.min_score)}   max* {number(row.max_score)}")
                summary.append(f"   count {number(row.count)}")
            else:
                summary.append("no data in this range", "bold")
            yield Static(summary, id="eval-summary")
            yield Static(CURSOR_HINT, id="eval-cursor", classes="tab-info")
            yield Label("Hourly average (gaps: hours without data)", classes="chart-title")
            yield TimeChart(id="eval-average", empty_text="no data in this range")
            yield Label("Hourly count", classes="chart-title")
            yield TimeChart(id="eval-count", empty_text="no data in this range")
        yield KeyLines()

    def on_mount(self) -> None:
        average, count = self.answer.charts(self.row)
        self.query_one("#eval-average", TimeChart).data = average
        self.query_one("#eval-count", TimeChart).data = count
        partial = self._partial_from()
        for chart in self.query(TimeChart):
            chart.partial_x = partial
        self.query_one("#eval-detail").focus()

    def _partial_from(self) -> float | None:
        """The start of the hour the window holds only in part (its end's hour), if any."""
        hours = self.row.hours
        if hours and hours[-1] + timedelta(hours=1) > self.answer.window_end:
            return hours[-1].timestamp()
        return None

    def action_move_cursor(self, step: int) -> None:
        hours = self.row.hours
        if not hours:
            return
        last = len(hours) - 1
        i = last if self.cursor is None else max(0, min(last, self.cursor + step))
        self.cursor = i
        for chart in self.query(TimeChart):
            chart.cursor_x = hours[i].timestamp()
        at = bucket_label(hours[i], self.answer.tz, "hour", short=True)
        average = self.row.hourly_average[i]
        text = Text()
        text.append(f"at {at}", "bold")
        if hours[i].timestamp() == self._partial_from():
            text.append(" (partial)", "italic")
        text.append(f"  average {number(average, missing='no data')}")
        text.append(f"  n {number(self.row.hourly_count[i])}")
        text.append("  z zooms")
        self.query_one("#eval-cursor", Static).update(text)

    def action_zoom(self) -> None:
        if self.cursor is None:
            self.notify("Move the hour cursor first: left / right.", timeout=2)
            return
        from tui.api.timerange import TimeRange

        start: datetime = self.row.hours[self.cursor]
        start = max(start, self.answer.window_start)
        end = min(start + timedelta(hours=1), self.answer.window_end)
        if end <= start:
            self.notify("That hour has no time left inside the window.", timeout=2)
            return
        self.dismiss(TimeRange.absolute(start, end))

    def action_close(self) -> None:
        self.dismiss(None)
