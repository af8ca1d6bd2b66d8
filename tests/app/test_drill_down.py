"""The drill-down against the demo server (seed 1, now 2026-11-20T12:00Z) through a recording
proxy: `enter` on a Scores bucket (the chart cursor's, a table row's) shows the Requests of that
bucket's window under the same filter, as `query requests` lists them for that window;
`backspace` returns to the tab, range, filter and cursor; zooms and drill-downs unwind in order."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta

from app_servers import RecordingProxy
from apptools import (
    KEY,
    NOW,
    SCORES,
    T_NOW,
    make_app,
    requests_to,
    scores_ready,
    screen_text,
    wait_for,
    window,
)
from requests_apptools import REQUESTS, listed_ids, requests_ready

FILTER = "status = 200"
MS = timedelta(milliseconds=1)


def iso(moment: datetime) -> str:
    return moment.astimezone().isoformat(timespec="milliseconds")


def cli_ids(url: str, start: datetime, end: datetime, filter_text: str) -> list[str]:
    """The request ids `helicone-tui query requests` prints for that window and filter."""
    env = {**os.environ, "HELICONE_API_KEY": KEY}
    done = subprocess.run(
        [sys.executable, "-m", "tui", "query", "requests", "--base-url", url, "--now", NOW,
         "--format", "jsonl", "--start", iso(start), "--end", iso(end),
         "--filter", filter_text],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line)["request_id"] for line in done.stdout.splitlines()]


def created(tab) -> list[datetime]:
    return [datetime.fromisoformat(r.request_created_at.replace("Z", "+00:00"))
            for r in tab.answer.rows]


def requests_window(proxy: RecordingProxy) -> tuple[datetime, datetime]:
    """The window the last list request asked (its gte / lte conditions on the creation time)."""
    body = proxy.to(REQUESTS)[-1].body
    times = sorted(datetime.fromisoformat(t.replace("Z", "+00:00"))
                   for t in _times(body["filter"]))
    return times[0], times[-1]


def _times(node) -> list[str]:
    if isinstance(node, dict):
        found = []
        for key, value in node.items():
            if key in ("gte", "lte") and isinstance(value, str):
                found.append(value)
            else:
                found += _times(value)
        return found
    return []


async def drilled(pilot, app, proxy: RecordingProxy, asked: int, bucket: datetime):
    """After `enter`: the Requests tab shows the bucket's requests; its tab."""
    await wait_for(pilot, lambda: app.screen.active_id == "requests")
    await requests_to(pilot, proxy, REQUESTS, asked + 1)
    tab = await requests_ready(pilot, app)
    assert requests_window(proxy) == (bucket, bucket + timedelta(hours=1) - MS)
    ctx = app.screen.context
    assert ctx.filter_text == FILTER  # the filter, narrowed by no condition (a score key)
    rows = created(tab)
    assert rows and all(bucket <= t < bucket + timedelta(hours=1) for t in rows)
    # The same requests, in the same order, as the command line for that window and filter.
    assert listed_ids(tab) == cli_ids(proxy.url, bucket, bucket + timedelta(hours=1) - MS,
                                      FILTER)
    assert "drill: " in screen_text(app) and "backspace returns" in screen_text(app)
    return tab


async def test_enter_on_the_chart_cursor_drills_and_backspace_returns(
    proxy: RecordingProxy,
) -> None:
    app = make_app(proxy.url, filter_text=FILTER)
    async with app.run_test(size=(120, 40)) as pilot:
        await scores_ready(pilot, app)
        scores = app.screen.query_one("#scores-tab")
        await pilot.press("left", "left", "left")  # the newest bucket, then two before it
        bucket = scores.answer.buckets[-3]
        assert scores.cursor_at == bucket
        await pilot.press("enter")
        await drilled(pilot, app, proxy, 0, bucket)
        label = bucket.astimezone().strftime("%b %d %H:%M")
        assert f"drill: {label}-" in screen_text(app)
        asked = len(proxy.to(SCORES))

        await pilot.press("backspace")
        await wait_for(pilot, lambda: app.screen.active_id == "scores")
        ctx = app.screen.context
        assert ctx.filter_text == FILTER
        assert ctx.time_range.resolve(T_NOW).start == T_NOW - timedelta(hours=24)
        assert ctx.time_range.length == timedelta(hours=24)  # the sliding range, not a copy
        await scores_ready(pilot, app)
        assert scores.cursor_at == bucket and scores.cursor == len(scores.answer.buckets) - 3
        assert len(proxy.to(SCORES)) == asked  # its answer is still the right one: not asked
        assert "drill: " not in screen_text(app)


async def test_enter_on_a_table_row_drills_and_backspace_returns_to_the_row(
    proxy: RecordingProxy,
) -> None:
    app = make_app(proxy.url, filter_text=FILTER)
    async with app.run_test(size=(120, 40)) as pilot:
        await scores_ready(pilot, app)
        scores = app.screen.query_one("#scores-tab")
        await pilot.press("t")
        table = app.screen.query_one("#scores-table")
        await wait_for(pilot, lambda: table.row_count > 0)
        bucket = scores.answer.buckets[4]
        await pilot.press("down", "down", "down", "down", "enter")
        await drilled(pilot, app, proxy, 0, bucket)

        await pilot.press("backspace")
        await wait_for(pilot, lambda: app.screen.active_id == "scores")
        await scores_ready(pilot, app)
        assert scores.view == "table" and table.cursor_row == 4
        assert app.screen.context.time_range.length == timedelta(hours=24)
        assert app.screen.context.filter_text == FILTER


async def test_a_drill_then_a_zoom_unwind_in_order(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url, filter_text=FILTER)
    async with app.run_test(size=(120, 40)) as pilot:
        await scores_ready(pilot, app)
        scores = app.screen.query_one("#scores-tab")
        await pilot.press("left", "left")
        bucket = scores.answer.buckets[-2]
        await pilot.press("enter")
        await drilled(pilot, app, proxy, 0, bucket)
        drill_range = app.screen.context.time_range

        await pilot.press("3")  # the Scores of the drilled hour, by the minute; zoom into one
        asked = len(proxy.to(SCORES))
        sent = await requests_to(pilot, proxy, SCORES, asked)
        await scores_ready(pilot, app)
        assert window(proxy.to(SCORES)[-1].body) == (bucket, bucket + timedelta(hours=1) - MS)
        asked = len(proxy.to(SCORES))
        await pilot.press("left", "z")
        sent = await requests_to(pilot, proxy, SCORES, asked + 1)
        minute = window(sent[-1].body)
        assert minute[1] - minute[0] <= timedelta(minutes=1)
        await wait_for(pilot, lambda: scores.status in ("ready", "empty"))  # one minute: few

        await pilot.press("backspace")  # the zoom: back to the drilled hour, on Scores
        await wait_for(pilot, lambda: app.screen.context.time_range == drill_range)
        assert app.screen.active_id == "scores"
        assert "drill: " in screen_text(app)
        await scores_ready(pilot, app)

        await pilot.press("backspace")  # the drill: back to the day, where it started
        await wait_for(pilot, lambda: app.screen.context.time_range.length is not None)
        assert app.screen.active_id == "scores"
        assert app.screen.context.filter_text == FILTER
        await scores_ready(pilot, app)
        assert scores.cursor_at == bucket
        assert "drill: " not in screen_text(app)
        await pilot.press("backspace")  # nothing more to undo: the range stays
        await pilot.pause()
        assert app.screen.context.time_range.length == timedelta(hours=24)


async def test_enter_on_the_error_rate_at_the_burst_lists_its_failed_requests(
    proxy: RecordingProxy,
) -> None:
    """The Overview's error-rate chart on top, the cursor on the burst's day: enter lists that
    day's failed requests (Helicone's error: status != 200), as `query requests` does; backspace
    gives the Overview back with its cursor where it was."""
    from overview_tools import overview_app, overview_drawn

    app = overview_app(proxy.url)  # the Overview on the demo, last 7 days
    async with app.run_test(size=(80, 24)) as pilot:
        tab = await overview_drawn(pilot, app)
        await pilot.press("down")  # the error-rate chart on top
        await wait_for(pilot, lambda: tab.first == 1)
        errors = tab.panels["errors"][0]
        rates = errors.columns["error rate"]
        worst = max(range(len(rates)), key=lambda i: rates[i] or -1)
        await pilot.press("m")  # the cursor to the chart's peak: the burst's day
        await wait_for(pilot, lambda: tab.cursor == worst)
        place = tab.view_state()
        asked = len(proxy.to(REQUESTS))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.active_id == "requests")
        await requests_to(pilot, proxy, REQUESTS, asked + 1)
        listed = await requests_ready(pilot, app)
        start, end = requests_window(proxy)
        assert start == max(errors.buckets[worst], errors.window.start)
        assert app.screen.context.filter_text == "status != 200"
        rows = listed.answer.rows
        assert rows and all(r.response_status != 200 for r in rows)
        assert listed_ids(listed)[:len(rows)] == cli_ids(proxy.url, start, end,
                                                         "status != 200")[:len(rows)]
        assert "drill:" in screen_text(app)
        await pilot.press("backspace")
        await wait_for(pilot, lambda: app.screen.active_id == "overview")
        await wait_for(pilot, lambda: tab.view_state() == place)
        assert app.screen.context.filter_text == "all"
