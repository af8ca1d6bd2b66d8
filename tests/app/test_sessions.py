"""The Sessions tab against the demo server (Pilot): what it shows, and what P, I, N and the shared
filter make the server receive (read from the recording proxy in front of the demo server)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from app_servers import RecordingProxy
from apptools import (
    DISTRIBUTIONS,
    EVALS,
    SCORES,
    SESSIONS,
    T_NOW,
    main_ready,
    make_app,
    post,
    screen_text,
    wait_for,
)

from tui.filters.text import parse
from tui.filters.wire import to_wire
from tui.widgets.histogram import bars_for, duration_text, significant

METRICS = ("session_count", "session_duration", "session_cost")
REFUSED = "this filter uses session fields, which only the Sessions tab can send"


async def settled(pilot, tab) -> None:
    await wait_for(pilot, lambda: tab.status in ("ready", "error"))
    assert tab.status == "ready", screen_text(tab.app)


async def show_sessions(pilot, app):
    await main_ready(pilot, app)
    await pilot.press("6")
    tab = app.screen.query_one("#sessions-tab")
    await settled(pilot, tab)
    return tab


async def next_request(pilot, proxy: RecordingProxy, tab, count: int) -> dict:
    """The body of the `count`-th sessions request, once the tab shows its answer."""
    await wait_for(pilot, lambda: len(proxy.to(SESSIONS)) >= count)
    await settled(pilot, tab)
    return proxy.to(SESSIONS)[count - 1].body


# --------------------------------------------------------------------------- renders


async def test_the_three_histograms_render_with_averages_and_the_trimming_note(
    proxy: RecordingProxy,
) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(100, 30)) as pilot:
        tab = await show_sessions(pilot, app)
        sent = proxy.to(SESSIONS)
        assert len(sent) == 1
        body = sent[0].body
        assert body["pSize"] == "p75" and body["useInterquartile"] is False
        assert body["nameContains"] == "" and body["filter"] == "all"
        assert body["timeFilter"] == {
            "startTimeUnixMs": int((T_NOW - timedelta(hours=24)).timestamp() * 1000),
            "endTimeUnixMs": int(T_NOW.timestamp() * 1000),
        }
        assert body["timezoneDifference"] == 300  # New York in November

        answer = post(proxy.upstream, SESSIONS, body)["data"]
        assert all(answer[m] for m in METRICS), "the demo data has sessions"
        text = screen_text(app)
        for title in ("Requests per session", "Session duration", "Session cost"):
            assert title in text
        assert "histograms trimmed at p75; averages over all sessions" in text
        assert "exact match" in text
        for metric in METRICS:
            rows = answer[metric]
            chart = app.screen.query_one(f"#{metric}-chart")
            kind = {"session_count": "number", "session_duration": "duration"}.get(
                metric, "cost"
            )
            expected = bars_for(
                [(float(r["range_start"]), float(r["range_end"]), r["value"]) for r in rows], kind
            )
            assert chart.bars == expected
            assert expected[0].label in text and expected[-1].label in text
        average = answer["average"]["session_duration"][0]["average"]
        assert f"avg {duration_text(average)}" in text  # seconds shown as m/s
        assert any(bar.label.startswith("$") for bar in tab.answer.metrics[2].bars)


async def test_p_i_and_n_change_the_request_the_server_receives(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(100, 30)) as pilot:
        tab = await show_sessions(pilot, app)
        averages = [m.average for m in tab.answer.metrics]

        await pilot.press("P")
        body = await next_request(pilot, proxy, tab, 2)
        assert body["pSize"] == "p95" and body["useInterquartile"] is False
        assert "histograms trimmed at p95;" in screen_text(app)
        assert [m.average for m in tab.answer.metrics] == averages  # over all sessions, untrimmed

        await pilot.press("I")
        body = await next_request(pilot, proxy, tab, 3)
        assert body["pSize"] == "p95" and body["useInterquartile"] is True
        assert "trimmed at p95 (interquartile: p5..p95)" in screen_text(app)

        await pilot.press("N", *"Support Chat", "enter")
        body = await next_request(pilot, proxy, tab, 4)
        assert body["nameContains"] == "Support Chat"
        assert body["pSize"] == "p95" and body["useInterquartile"] is True
        assert "'Support Chat' (N, exact match)" in screen_text(app)

        await pilot.press("N", "x", "escape")  # escape leaves the name as it was
        await pilot.press("r")
        body = await next_request(pilot, proxy, tab, 5)
        assert body["nameContains"] == "Support Chat"

        await pilot.press("I")
        sizes = []
        for count in range(7, 11):
            await pilot.press("P")
            sizes.append((await next_request(pilot, proxy, tab, count))["pSize"])
        assert sizes == ["p99", "p99.9", "p50", "p75"]
        assert proxy.to(SESSIONS)[-1].body["useInterquartile"] is False


async def test_no_sessions_says_so_in_each_chart_and_the_table(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(100, 30)) as pilot:
        tab = await show_sessions(pilot, app)
        await pilot.press("N", *"no such session", "enter")
        body = await next_request(pilot, proxy, tab, 2)
        assert body["nameContains"] == "no such session"
        text = screen_text(app)
        assert text.count("no sessions") >= 3 and text.count("avg: none") == 3
        assert "session 'no such session'" in text  # the options stay in view: N changes it
        await pilot.press("t")
        table = app.screen.query_one("#sessions-table")
        await wait_for(pilot, lambda: table.row_count > 0)
        averages = str(app.screen.query_one("#sessions-averages").render())
        assert averages.count("none") == 3  # Helicone's null, not a number made up


def digits(text: str) -> int:
    """Significant digits of a number as shown."""
    return len(text.replace("-", "").replace(".", "").replace(",", "").lstrip("0"))


async def test_t_shows_the_numbers_for_reading(proxy: RecordingProxy) -> None:
    """The table's bounds, estimates and averages to about 4 significant digits (Helicone's
    answer has `44.28947368421053`), each the server's number rounded, and no two neighbouring
    bounds reading the same."""
    app = make_app(proxy.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await show_sessions(pilot, app)
        await pilot.press("t")
        table = app.screen.query_one("#sessions-table")
        await wait_for(pilot, lambda: table.row_count > 0)
        answer = post(proxy.upstream, SESSIONS, proxy.to(SESSIONS)[-1].body)["data"]
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        sent = [
            (float(r["range_start"]), float(r["range_end"]), r["value"])
            for metric in METRICS
            for r in answer[metric]
        ]
        assert any(len(repr(v)) > 8 for row in sent for v in row)  # long floats were sent
        assert len(rows) == len(sent)
        for row, numbers in zip(rows, sent, strict=True):
            for cell, value in zip(row[1:], numbers, strict=True):
                assert digits(cell) <= 5, cell
                assert float(cell) == pytest.approx(value, rel=1e-3, abs=1e-9)
        # Different bounds never read the same (a bin's end is the next one's start).
        bounds = {float(c): c for row in rows for c in row[1:3]}
        assert len(set(bounds.values())) == len(bounds)
        averages = str(app.screen.query_one("#sessions-averages").render())
        for m in METRICS:
            value = answer["average"][m][0]["average"]
            assert len(repr(value)) > 8  # e.g. 10.177914110429448
            assert repr(value) not in averages
            assert significant(value, 4) in averages
        await pilot.press("t")
        assert app.screen.query_one("#sessions-charts").display


async def test_a_narrow_terminal_stacks_the_charts_and_down_brings_the_next_in(
    proxy: RecordingProxy,
) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(66, 24)) as pilot:
        tab = await show_sessions(pilot, app)
        await wait_for(pilot, lambda: "Requests per session" in screen_text(app))
        assert tab.has_class("-stacked")
        assert "Session cost" not in screen_text(app)
        await pilot.press("down", "down")
        await wait_for(pilot, lambda: "Session cost" in screen_text(app))
        assert "Requests per session" not in screen_text(app)
        assert app.screen.focused is app.screen.query_one("#session_cost-chart")


# --------------------------------------------------------------------------- the shared filter


async def test_a_session_field_is_sent_here_and_refused_on_every_other_tab(
    proxy: RecordingProxy,
) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(100, 30)) as pilot:
        tab = await show_sessions(pilot, app)
        others = {path: len(proxy.to(path)) for path in (SCORES, EVALS, DISTRIBUTIONS)}
        text = "session_tag = 'vip' and cost > 0.001"
        await pilot.press("slash", *text, "enter")
        body = await next_request(pilot, proxy, tab, 2)
        assert body["filter"] == to_wire(parse(text), sessions=True)
        assert "sessions_request_response_rmt" in json.dumps(body["filter"])

        for key, tab_id in (("3", "scores"), ("4", "evals"), ("5", "distributions")):
            await pilot.press(key)
            other = app.screen.query_one(f"#{tab_id}-tab")
            await wait_for(pilot, lambda other=other: other.status == "error")
            assert REFUSED in screen_text(app)
        assert {path: len(proxy.to(path)) for path in others} == others  # nothing sent

        await pilot.press("6")  # back on Sessions: its answer is still the filtered one
        assert tab.status == "ready" and len(proxy.to(SESSIONS)) == 2


# --------------------------------------------------------------------------- formatting


def test_durations_read_as_seconds_minutes_hours() -> None:
    assert [duration_text(s) for s in (0, 42, 249, 7500, 90000)] == [
        "0s", "42s", "4m09s", "2h05m", "1d01h",
    ]
    assert duration_text(15.68, 1) == "15.7s"
    assert duration_text(7530, fine=True) == "2h05m30s"
    labels = [b.label for b in bars_for([(0, 15.68, 80), (15.68, 44.01, 137.5),
                                         (44.01, 67.54, 128.75)], "duration")]
    assert labels == ["0s-16s", "16s-44s", "44s-1m08s"]


def test_costs_read_in_dollars() -> None:
    bins = [(0.0, 0.0019215249999999999, 71.25), (0.0019215249999999999, 0.0041262676809210525, 50),
            (0.0041262676809210525, 0.0069681488125, 88)]
    assert [b.label for b in bars_for(bins, "cost")] == ["$0-0.002", "$0.002-0.004", "$0.004-0.007"]
