"""The charts draw from strips made with the plot (tui/widgets/chart_strips.py): what is on
screen is, cell by cell and style by style, what Textual renders of the chart's text (the
bucket cursor reversed, the partial bucket dimmed), and a cursor step marks the lines drawn
instead of rendering the plot's text again (20-30 ms per chart on the UI thread). Against the
demo server: the Overview split by model, 120x40."""

from __future__ import annotations

from apptools import make_app, wait_for
from textual.visual import Visual

from tui.widgets.chart import TimeChart


def cells(strips) -> list[list[tuple[str, object]]]:
    return [[(ch, style) for text, style, _ in strip for ch in text] for strip in strips]


def textual_render(chart: TimeChart):
    """What Textual renders of the chart's text (the way a widget without strips is drawn)."""
    width, height = chart.size
    return Visual.to_strips(chart, chart._render(), width, height, chart.visual_style)


def drawn(chart: TimeChart):
    return [chart.render_line(y) for y in range(chart.size.height)]


async def test_the_split_charts_draw_what_textual_renders_of_their_text(demo_url: str) -> None:
    app = make_app(demo_url, since="7d", breakdown="model", tab="overview")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#overview-tab")))
        tab = app.screen.query_one("#overview-tab")
        await wait_for(pilot, lambda: tab.status == "ready", 90)
        await wait_for(pilot, tab.drawn_in_view, 90)
        charts = [c for c in tab.query(TimeChart) if c.parent.display and c.drawn]
        assert len(charts) >= 2
        # The current day is partial (dimmed from its bucket on): marks already on.
        assert all(c.partial_x is not None for c in charts)
        for chart in charts:
            assert cells(drawn(chart)) == cells(textual_render(chart))

        rendered = []
        original = TimeChart.render

        def counted(self):
            rendered.append(self)
            return original(self)

        TimeChart.render = counted  # type: ignore[method-assign]
        try:
            await pilot.press("left", "left")  # the cursor on a bucket: its column reversed
            await wait_for(pilot, lambda: tab.cursor is not None)
            await pilot.pause(0.2)
            assert all(c.cursor_x is not None for c in charts)
            assert not [c for c in rendered if c in charts]  # drawn from the strips
        finally:
            TimeChart.render = original  # type: ignore[method-assign]
        for chart in charts:
            shown = drawn(chart)
            assert any(style.reverse for strip in shown for _, style, _ in strip if style)
            assert cells(shown) == cells(textual_render(chart))
