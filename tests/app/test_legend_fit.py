"""A legend's height follows its wrapped lines: it is set (not auto) so that an update of the same
height repaints without a layout of the screen, and it must still grow, shrink, follow a resize,
and come back right after changing out of view (tui/widgets/legend.py `_fit`)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tui.format.plot import ChartData, Series
from tui.widgets.split_legend import SplitLegend


def data(count: int) -> ChartData:
    return ChartData(tuple(Series(f"value-number-{i:02d}", (0.0, 1.0), (1.0, 2.0))
                           for i in range(count)))


class LegendApp(App[None]):
    CSS = "SplitLegend { padding: 0 1; }  #box { height: 1fr; }  #below { height: 1; }"

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield SplitLegend("Requests", id="legend")
            yield Static("below", id="below")


def lines_of(legend: SplitLegend) -> int:
    width = legend.content_size.width
    return len(legend.render().wrap(legend.app.console, width))


async def test_a_legend_is_as_tall_as_its_lines_through_every_change() -> None:
    app = LegendApp()
    async with app.run_test(size=(60, 20)) as pilot:
        legend = app.query_one(SplitLegend)
        below = app.query_one("#below")
        legend.data = data(1)
        await pilot.pause()
        assert legend.region.height == 1 == lines_of(legend)

        legend.data = data(6)  # wraps: the legend grows, what is below moves down
        await pilot.pause()
        assert lines_of(legend) > 1
        assert legend.region.height == lines_of(legend)
        assert below.region.y == legend.region.bottom

        legend.at = "at 12:00"  # the same lines or more: never cut
        await pilot.pause()
        assert legend.region.height == lines_of(legend)

        await pilot.resize_terminal(40, 20)  # narrower: more lines
        await pilot.pause()
        await pilot.pause()
        assert legend.region.height == lines_of(legend) > 2

        box = app.query_one("#box")
        box.display = False  # out of view, it changes, then comes back
        await pilot.pause()
        legend.data = data(1)
        legend.at = ""
        await pilot.pause()
        box.display = True
        await pilot.pause()
        await pilot.pause()
        assert legend.region.height == 1 == lines_of(legend)
        assert below.region.y == legend.region.bottom
