"""`enter` on Evals: the selected eval's hourly average and hourly count charts."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from tui.safe import visible
from tui.screens import MODAL_CSS
from tui.screens.eval_stats import EvalRow, EvalsAnswer, number
from tui.widgets.chart import TimeChart
from tui.widgets.key_lines import KeyLines


class EvalDetail(ModalScreen[None]):
    CSS_PATH = MODAL_CSS

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("escape,q", "close", "Back", id="eval.close"),
    ]

    def __init__(self, row: EvalRow, answer: EvalsAnswer) -> None:
        super().__init__()
        self.row = row
        self.answer = answer

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
            yield Label("Hourly average (gaps: hours without data)", classes="chart-title")
            yield TimeChart(id="eval-average", empty_text="no data in this range")
            yield Label("Hourly count", classes="chart-title")
            yield TimeChart(id="eval-count", empty_text="no data in this range")
        yield KeyLines()

    def on_mount(self) -> None:
        average, count = self.answer.charts(self.row)
        self.query_one("#eval-average", TimeChart).data = average
        self.query_one("#eval-count", TimeChart).data = count
        self.query_one("#eval-detail").focus()

    def action_close(self) -> None:
        self.dismiss(None)
