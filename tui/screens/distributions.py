"""The Distributions tab: each score's histogram, as Helicone returns it, as bars or as a table.

Helicone answers with ClickHouse's `histogram(10)` per score key: up to ten adaptive bins of unequal
widths whose heights are smoothed estimates adding up to the exact count (SEMANTICS §4.2). The bars
are labelled with their own bounds and rounded heights; the table keeps the exact numbers.
Keys: `up`/`down` pick the score (the list on the left), `t` (main screen) bars / table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import ContentSwitcher, OptionList, Static
from textual.widgets.option_list import Option

from tui.context import Investigation
from tui.format.bars import Bar, bars_for
from tui.format.numbers import count, exact
from tui.query.scores_shape import is_boolean, label
from tui.screens.base import QueryTab, RowTable
from tui.widgets.bars import BarChart

if TYPE_CHECKING:
    from tui.api.timerange import Window

NOTE = (
    "Bins as Helicone returns them: adaptive, unequal widths. Heights are smoothed estimates "
    "whose total is exact."
)


@dataclass(frozen=True, eq=False)
class ScoreHistogram:
    """One score key's bins: exact as received, and as bars."""

    name: str  # the raw key
    label: str
    boolean: bool
    bins: tuple[tuple[float, float, float], ...]  # (lower, upper, height), as received
    bars: tuple[Bar, ...]

    @property
    def total(self) -> float:
        """Σ heights: the exact number of scores in the range."""
        return round(math.fsum(value for _, _, value in self.bins), 9)


def shape_distributions(raw: Any) -> tuple[ScoreHistogram, ...]:
    """The answer as the tab shows it: numeric keys first, then boolean, each by label (Helicone
    returns them in no particular order). Pure: runs in the fetch worker's thread."""
    items = []
    for item in raw:
        bins = tuple((b.lower, b.upper, b.value) for b in item.distribution)
        items.append(
            ScoreHistogram(item.name, label(item.name), is_boolean(item.name), bins, bars_for(bins))
        )
    items.sort(key=lambda h: (h.boolean, h.label.lower(), h.name))
    return tuple(items)


class ScorePicker(OptionList):
    """The score list: up/down pick the score shown."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Prev score", id="distributions.prev",
                group=Binding.Group("Score", compact=True)),
        Binding("down", "cursor_down", "Next score", id="distributions.next",
                group=Binding.Group("Score", compact=True)),
    ]


class DistributionsTab(QueryTab):
    ENDPOINT: ClassVar[str] = "distributions"
    WHAT: ClassVar[str] = "score distributions"
    HAS_TABLE_VIEW: ClassVar[bool] = True
    EMPTY_MESSAGE: ClassVar[str] = "No scores in this range (no request had a score)."

    view: reactive[str] = reactive("chart", init=False)
    selected: reactive[str | None] = reactive(None, init=False)  # the raw key shown

    def compose_body(self) -> ComposeResult:
        yield Static("", id="distributions-info", classes="tab-info")
        with Horizontal(id="distributions-main"):
            yield ScorePicker(id="distributions-scores")
            with Vertical(id="distributions-view"):
                yield Static("", id="distributions-title")
                with ContentSwitcher(initial="distributions-chart", id="distributions-views"):
                    yield BarChart(id="distributions-chart", empty_text="no values")
                    yield RowTable(
                        id="distributions-table", cursor_type="none", zebra_stripes=True
                    )
                yield Static(Text(NOTE), id="distributions-note", classes="tab-info")

    # ----------------------------------------------------------------- the request

    def options(self) -> Any:
        from tui.query.distributions import DistributionsOptions

        return DistributionsOptions()

    @staticmethod
    def prepare(ctx: Investigation, options: Any, now: datetime) -> tuple[Any, Window]:
        from tui.query.distributions import VIEW

        window = ctx.time_range.resolve(now)
        return VIEW.build(ctx, window, options), window

    async def send(self, client: Any, request: Any) -> Any:
        from tui.query.distributions import VIEW

        return await VIEW.send(client, request)

    @staticmethod
    def shape(raw: Any, window: Window, options: Any) -> tuple[ScoreHistogram, ...]:
        return shape_distributions(raw)

    # ----------------------------------------------------------------- showing it

    @property
    def histograms(self) -> tuple[ScoreHistogram, ...]:
        return self.answer or ()

    @property
    def current(self) -> ScoreHistogram | None:
        found = [h for h in self.histograms if h.name == self.selected]
        return found[0] if found else (self.histograms[0] if self.histograms else None)

    def watch_answer(self) -> None:
        self._fill_list()
        self._draw()

    def watch_selected(self) -> None:
        self._draw()

    def watch_view(self) -> None:
        self._fill_list()
        self._draw()

    def body_mounted(self) -> None:
        self._fill_list()
        self._draw()

    def _fill_list(self) -> None:
        if self.body is None or self.answer is None:
            return
        picker = self.query_one(ScorePicker)
        items = self.histograms
        keep = self.selected if any(h.name == self.selected for h in items) else None
        picker.clear_options()
        picker.add_options(Option(self._option_text(h), id=h.name) for h in items)
        if items:
            chosen = keep or items[0].name
            picker.highlighted = next(i for i, h in enumerate(items) if h.name == chosen)
            self.selected = chosen
        info = Text()
        info.append(f"{len(items)} score keys", "bold")
        info.append("  up/down pick  t " + ("chart" if self.view == "table" else "table"))
        self.query_one("#distributions-info", Static).update(info)

    @staticmethod
    def _option_text(h: ScoreHistogram) -> Text:
        text = Text(h.label, no_wrap=True, overflow="ellipsis")
        if h.boolean:
            text.append(" (bool)", "dim")
        return text

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id is not None:
            self.selected = event.option.id

    def _draw(self) -> None:
        if self.body is None:
            return
        self.query_one(ContentSwitcher).current = (
            "distributions-table" if self.view == "table" else "distributions-chart"
        )
        h = self.current
        if h is None:
            return
        title = Text()
        title.append(h.label, "bold")
        if h.boolean:
            title.append(" (boolean: 0/1)")
        bins = len(h.bins)
        title.append(f"  {count(h.total)} scores in {bins} bin{'' if bins == 1 else 's'}")
        self.query_one("#distributions-title", Static).update(title)
        self.query_one(BarChart).bars = h.bars
        if self.view == "table":
            self._fill_table(h)

    def _fill_table(self, h: ScoreHistogram) -> None:
        table = self.query_one("#distributions-table", RowTable)

        def fill() -> None:
            table.add_column("from", key="lower")
            table.add_column("to", key="upper")
            table.add_column("count (est.)", key="value")
            for i, (lower, upper, value) in enumerate(h.bins):
                table.add_row(
                    Text(exact(lower), justify="right"),
                    Text(exact(upper), justify="right"),
                    Text(exact(value), justify="right"),
                    key=str(i),
                )
            table.add_row(
                Text("total", style="bold"), "",
                Text(exact(h.total), justify="right", style="bold"), key="total",
            )

        table.refill(fill)

    def focus_main(self) -> None:
        if self.body is None:
            self.focus()
        else:
            self.query_one(ScorePicker).focus()

    def toggle_view(self) -> None:
        self.view = "table" if self.view == "chart" else "chart"
