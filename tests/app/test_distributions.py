"""The Distributions tab against the demo server (Pilot), and how its bins are labelled.

What the server receives is read from the recording proxy in front of the demo server.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from app_servers import RecordingProxy
from apptools import (
    DISTRIBUTIONS,
    T_NOW,
    main_ready,
    make_app,
    post,
    screen_text,
    wait_for,
)

from tui.screens.score_series import label
from tui.widgets.histogram import (
    Bar,
    bars_for,
    exact,
    height_text,
    label_decimals,
    layout_bars,
)


async def show_distributions(pilot, app) -> object:
    await main_ready(pilot, app)
    await pilot.press("5")
    tab = app.screen.query_one("#distributions-tab")
    await wait_for(pilot, lambda: tab.status in ("ready", "empty", "error"))
    assert tab.status == "ready", screen_text(app)
    chart = app.screen.query_one("#distributions-chart")
    await wait_for(pilot, lambda: chart.drawn)
    return tab


def chart_lines(app) -> list[str]:
    chart = app.screen.query_one("#distributions-chart")
    return [line.plain for line in chart.render().split("\n")]


# --------------------------------------------------------------------------- against the server


async def test_each_score_from_the_server_is_listed_and_drawn_as_labelled_bins(
    proxy: RecordingProxy,
) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(100, 30)) as pilot:
        tab = await show_distributions(pilot, app)
        sent = proxy.to(DISTRIBUTIONS)
        assert len(sent) == 1
        body = sent[0].body
        assert body["filter"] == "all"
        assert body["timeFilter"] == {
            "start": (T_NOW - timedelta(hours=24)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "end": T_NOW.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        }
        answer = post(proxy.upstream, DISTRIBUTIONS, body)["data"]
        assert answer, "the demo data has scores"

        picker = app.screen.query_one("#distributions-scores")
        listed = {picker.get_option_at_index(i).id for i in range(picker.option_count)}
        assert listed == {item["name"] for item in answer}

        shown = tab.current
        item = next(i for i in answer if i["name"] == shown.name)
        lines = chart_lines(app)
        assert len(lines) >= len(item["distribution"])  # one bar per bin (or thicker)
        expected = bars_for([(b["lower"], b["upper"], b["value"]) for b in item["distribution"]])
        text = screen_text(app)
        for bar in expected:
            assert bar.label in text and f"{bar.label} " in "\n".join(lines)
        total = sum(b["value"] for b in item["distribution"])
        assert f"{label(item['name'])}" in text
        assert f"{total:,.0f} scores in {len(item['distribution'])} bins" in text
        words = " ".join(text.split())  # the note wraps with the width
        assert "Heights are smoothed estimates whose total is exact" in words
        assert "adaptive, unequal widths" in words


async def test_up_and_down_pick_the_score_without_asking_again(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(100, 30)) as pilot:
        tab = await show_distributions(pilot, app)
        names = [h.name for h in tab.histograms]
        assert len(names) >= 2
        assert tab.current.name == names[0]
        await pilot.press("down")
        assert tab.current.name == names[1]
        chart = app.screen.query_one("#distributions-chart")
        await wait_for(pilot, lambda: chart.drawn)
        assert chart.bars == tab.histograms[1].bars
        assert tab.histograms[1].label in screen_text(app)
        await pilot.press("up")
        assert tab.current.name == names[0]
        assert len(proxy.to(DISTRIBUTIONS)) == 1  # picking asks the server nothing


async def test_t_shows_the_exact_numbers_of_the_score_shown(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(100, 30)) as pilot:
        tab = await show_distributions(pilot, app)
        await pilot.press("down")
        shown = tab.current
        await pilot.press("t")
        table = app.screen.query_one("#distributions-table")
        await wait_for(pilot, lambda: table.row_count > 0)
        assert table.display and not app.screen.query_one("#distributions-chart").display
        answer = post(proxy.upstream, DISTRIBUTIONS, proxy.to(DISTRIBUTIONS)[-1].body)["data"]
        bins = next(i for i in answer if i["name"] == shown.name)["distribution"]
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows[:-1] == [
            [exact(b["lower"]), exact(b["upper"]), exact(b["value"])] for b in bins
        ]
        assert rows[-1][0] == "total"
        assert float(rows[-1][2]) == pytest.approx(sum(b["value"] for b in bins))
        # up/down still pick the score while the table shows
        await pilot.press("up")
        assert tab.current.name != shown.name
        assert table.row_count == len(tab.current.bins) + 1
        await pilot.press("t")
        assert app.screen.query_one("#distributions-chart").display


async def test_a_session_field_is_refused_here_and_nothing_is_sent(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(100, 30)) as pilot:
        tab = await show_distributions(pilot, app)
        before = len(proxy.to(DISTRIBUTIONS))
        await pilot.press("slash", *"session_tag = 'checkout'", "enter")
        await wait_for(pilot, lambda: tab.status == "error")
        text = screen_text(app)
        assert "this filter uses session fields, which only the Sessions tab can send" in text
        assert len(proxy.to(DISTRIBUTIONS)) == before


# --------------------------------------------------------------------------- labels and bars


def test_bins_are_labelled_lower_upper_with_just_enough_decimals() -> None:
    accuracy = [(25.0, 33.73106060606061, 17.125), (33.73106060606061, 41.85520833333335, 66.375),
                (91.5909090909091, 96.0, 4.0)]
    assert [b.label for b in bars_for(accuracy)] == ["25-34", "34-42", "92-96"]
    relevance = [(2.0, 2.5, 1.75), (2.5, 3.5, 11.125), (9.5, 10.0, 149.375)]
    assert [b.label for b in bars_for(relevance)] == ["2.0-2.5", "2.5-3.5", "9.5-10.0"]
    boolean = [(0.0, 0.5, 2.75), (0.5, 1.0, 1.25)]  # SEMANTICS §4.2's worked example
    assert [(b.label, b.value_text) for b in bars_for(boolean)] == [
        ("0-0.5", "2.8"), ("0.5-1.0", "1.3"),
    ]
    assert [b.label for b in bars_for([(5.0, 5.0, 7.0)])] == ["5"]  # one distinct value
    assert [b.label for b in bars_for([(-5.0, -3.0, 1.0), (-3.0, 2.0, 1.0)])] == [
        "-5 - -3", "-3-2",
    ]


def test_neighbouring_bounds_never_share_a_label() -> None:
    bounds = [(0.0, 0.00012), (0.00012, 0.00013), (0.00013, 0.5)]
    decimals = label_decimals(bounds)
    labels = [b.label for b in bars_for([(lo, hi, 1.0) for lo, hi in bounds])]
    assert decimals == 5 and len(set(labels)) == 3


def test_heights_are_rounded_for_reading_and_kept_exact_for_tables() -> None:
    assert [height_text(v) for v in (1011.75, 17.125, 9.96, 2.75, 0.5)] == [
        "1,012", "17", "10", "2.8", "0.5",
    ]
    assert [exact(v) for v in (25.0, 33.73106060606061, 1011.75)] == [
        "25", "33.73106060606061", "1011.75",
    ]


def test_bars_grow_with_the_width_and_thicken_with_the_height() -> None:
    bars = (Bar("0-5", 10.0, "10"), Bar("5-10", 5.0, "5"), Bar("10-20", 0.1, "0.1"))
    narrow = layout_bars(bars, 30, 3)
    wide = layout_bars(bars, 60, 3)
    assert len(narrow) == 3
    assert len(wide[0].bar) > len(narrow[0].bar)
    assert all(len(r.label) + 1 + len(r.bar) + 1 + len(r.value) <= 30 for r in narrow)
    assert narrow[2].bar, "a small positive bin still shows a sliver"
    assert [r.label for r in narrow] == ["  0-5", " 5-10", "10-20"]  # one label column
    tall = layout_bars(bars, 30, 9)
    assert len(tall) == 8  # two lines per bar and a gap between bars
    assert tall[0].bar == tall[1].bar and tall[2].bar == ""
