"""The Requests tab against the demo server (seed 1, now 2026-11-20T12:00Z) through a recording
proxy: the list, paging, sorting, the cursor across refreshes, an empty page under a filter,
curl and export."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from app_servers import RecordingProxy
from apptools import KEY, NOW, post, screen_text, wait_for
from requests_apptools import (
    REQUESTS,
    cursor_id,
    listed_ids,
    requests_app,
    requests_ready,
)


def cli_requests(url: str, *args: str) -> list[dict]:
    """`helicone-tui query requests ... --format jsonl`: the rows the CLI prints."""
    env = {**os.environ, "HELICONE_API_KEY": KEY}
    done = subprocess.run(
        [sys.executable, "-m", "tui", "query", "requests", "--base-url", url, "--now", NOW,
         "--format", "jsonl", *args],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


async def test_the_list_is_the_window_newest_first_as_query_requests_prints_it(
    proxy: RecordingProxy,
) -> None:
    app = requests_app(proxy.url)
    async with app.run_test(size=(100, 30)) as pilot:
        tab = await requests_ready(pilot, app)
        [sent] = proxy.to(REQUESTS)
        body = sent.body
        assert body["limit"] == 50 and body["offset"] == 0
        assert body["sort"] == {"created_at": "desc"}
        assert "isScored" not in body  # false would keep only the unscored requests
        ids = listed_ids(tab)
        text = screen_text(app)
    assert len(ids) == 50
    # The same requests, in the same order, as the CLI for the same question.
    assert ids == [r["request_id"] for r in cli_requests(proxy.url, "--since", "24h")]
    header = next(line for line in text.splitlines() if "status" in line)
    for column in ("time", "status", "model", "provider", "latency", "TTFT", "tokens"):
        assert column in header
    # Local time (EST): the newest request at 11:59:59Z shows as 06:59:59.
    assert "11-20 06:59:59" in text
    assert "50 requests" in text


async def test_pagedown_at_the_end_appends_the_next_page_and_says_when_the_last_came(
    proxy: RecordingProxy,
) -> None:
    app = requests_app(proxy.url, filter_text="model = 'o3-mini'")
    async with app.run_test(size=(100, 30)) as pilot:
        tab = await requests_ready(pilot, app)
        first = listed_ids(tab)
        assert len(first) == 50
        await pilot.press("pagedown")  # not on the last row: it moves the cursor, asks nothing
        await pilot.pause(0.3)
        assert len(proxy.to(REQUESTS)) == 1
        await pilot.press("end", "pagedown")
        await wait_for(pilot, lambda: len(listed_ids(tab)) > 50)
        second = proxy.to(REQUESTS)[1].body
        assert (second["offset"], second["limit"]) == (50, 50)
        assert second["filter"] == proxy.to(REQUESTS)[0].body["filter"]
        ids = listed_ids(tab)
        assert ids[:50] == first and len(set(ids)) == len(ids)
        assert cursor_id(tab) == ids[50]  # on the first row of the new page
        # Page on to the end: nothing fetches without end.
        for _ in range(20):
            if tab.answer.last:
                break
            sent = len(proxy.to(REQUESTS))
            await pilot.press("end", "pagedown")
            await wait_for(pilot, lambda sent=sent: len(proxy.to(REQUESTS)) > sent
                           and not tab._paging)
        assert tab.answer.last
        await wait_for(pilot, lambda: "the last page came" in screen_text(app))
        sent = len(proxy.to(REQUESTS))
        await pilot.press("end", "pagedown")
        await pilot.pause(0.3)
        assert len(proxy.to(REQUESTS)) == sent  # the end is known: nothing asked again
        ids = listed_ids(tab)
    everything = cli_requests(proxy.url, "--since", "24h", "--filter", "model = 'o3-mini'",
                              "--limit", "1000")
    assert ids == [r["request_id"] for r in everything]


async def test_o_steps_through_helicones_sort_keys_and_O_reverses(
    proxy: RecordingProxy,
) -> None:
    app = requests_app(proxy.url)
    async with app.run_test(size=(100, 30)) as pilot:
        tab = await requests_ready(pilot, app)
        await pilot.press("o")
        await wait_for(pilot, lambda: len(proxy.to(REQUESTS)) == 2)
        await requests_ready(pilot, app)
        assert proxy.to(REQUESTS)[1].body["sort"] == {"latency": "desc"}
        latencies = [r.delay_ms for r in tab.answer.rows]
        assert latencies == sorted(latencies, reverse=True)
        assert "latency ↓" in screen_text(app)
        await pilot.press("O")
        await wait_for(pilot, lambda: len(proxy.to(REQUESTS)) == 3)
        await wait_for(pilot, lambda: tab.status == "ready"
                       and tab.answer.sort == "latency:asc")
        assert proxy.to(REQUESTS)[2].body["sort"] == {"latency": "asc"}
        latencies = [r.delay_ms for r in tab.answer.rows]
        assert latencies == sorted(latencies)
        await pilot.press("o")  # the next column, largest first again
        await wait_for(pilot, lambda: len(proxy.to(REQUESTS)) == 4)
        assert proxy.to(REQUESTS)[3].body["sort"] == {"time_to_first_token": "desc"}
        # What the server answers for that body is what the list shows.
        await wait_for(pilot, lambda: tab.status == "ready" and tab.answer.sort == "ttft:desc")
        direct = post(proxy.upstream, REQUESTS, proxy.to(REQUESTS)[3].body)["data"]
        assert listed_ids(tab) == [r["request_id"] for r in direct]


async def test_a_refresh_keeps_the_cursor_and_every_page_loaded(proxy: RecordingProxy) -> None:
    app = requests_app(proxy.url)
    async with app.run_test(size=(100, 30)) as pilot:
        tab = await requests_ready(pilot, app)
        await pilot.press("end", "pagedown")
        await wait_for(pilot, lambda: len(listed_ids(tab)) == 100)
        await pilot.press("down", "down", "down")
        where = cursor_id(tab)
        await pilot.press("r")
        await wait_for(pilot, lambda: len(proxy.to(REQUESTS)) == 3)
        await wait_for(pilot, lambda: tab.status != "loading")
        assert tab.status == "ready", tab.notice.message
        await pilot.pause(0.2)
        again = proxy.to(REQUESTS)[2].body
        assert (again["offset"], again["limit"]) == (0, 100)  # both pages, in one request
        assert len(listed_ids(tab)) == 100
        assert cursor_id(tab) == where
        # A new question (the sort) starts at its first row.
        await pilot.press("o")
        await wait_for(pilot, lambda: tab.status == "ready" and tab.answer.sort != "time:desc")
        assert proxy.to(REQUESTS)[-1].body["limit"] == 50
        assert tab.query_one("RequestsTable").cursor_row == 0


async def test_an_empty_page_under_a_filter_says_the_filter_may_be_broken(
    proxy: RecordingProxy,
) -> None:
    app = requests_app(proxy.url, filter_text="model = 'no-such-model'")
    async with app.run_test(size=(100, 30)) as pilot:
        await requests_ready(pilot, app, status="empty")
        await wait_for(pilot, lambda: "may be broken" in screen_text(app))
        text = " ".join(screen_text(app).split())
    assert "Helicone also answers an empty page when the filter fails in its database" in text


async def test_curl_and_export_cover_the_tabs_requests(
    proxy: RecordingProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = requests_app(proxy.url)
    async with app.run_test(size=(100, 30)) as pilot:
        tab = await requests_ready(pilot, app)
        await pilot.press("end", "pagedown")
        await wait_for(pilot, lambda: len(listed_ids(tab)) == 100)
        await pilot.press("c")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CurlView")
        command = app.clipboard
        assert REQUESTS in command
        body = json.loads(command.split("--data ", 1)[1].strip().strip("'"))
        assert (body["offset"], body["limit"]) == (0, 100)  # the list on screen, both pages
        assert body["filter"] == proxy.to(REQUESTS)[0].body["filter"]
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        await pilot.press("x")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ExportDialog")
        name = app.screen.query_one("#export-path").value
        assert name == "helicone-requests-20261120-070000.csv"
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        await wait_for(pilot, lambda: (tmp_path / name).exists())
        lines = (tmp_path / name).read_text().splitlines()
        ids = listed_ids(tab)
    assert lines[0].startswith("time,request_id,status")
    assert [line.split(",")[1] for line in lines[1:]] == ids


async def test_query_requests_prints_the_scores_the_tab_shows(proxy: RecordingProxy) -> None:
    from tui.screens.requests import RequestsTable

    app = requests_app(proxy.url)
    async with app.run_test(size=(160, 30)) as pilot:
        tab = await requests_ready(pilot, app)
        table = tab.query_one(RequestsTable)
        shown = [str(table.get_cell_at((i, 9))) for i in range(table.row_count)]
    env = {**os.environ, "HELICONE_API_KEY": KEY}
    done = subprocess.run(
        [sys.executable, "-m", "tui", "query", "requests", "--base-url", proxy.url, "--now", NOW,
         "--since", "24h"], capture_output=True, text=True, env=env, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split()[-1] == "scores"
    start = lines[0].index("scores")
    printed = [line[start:].strip() for line in lines[2:]]
    assert any(s != "–" for s in shown)  # the demo scores some of these requests
    assert len(printed) == len(shown)
    for full, cut in zip(printed, shown, strict=True):  # the tab cuts long ones with "…"
        assert full == cut or (cut.endswith("…") and full.startswith(cut[:-1])), (full, cut)


def test_query_request_id_prints_the_fields_and_bodies_query_requests_prints(
    proxy: RecordingProxy,
) -> None:
    [listed] = cli_requests(proxy.url, "--since", "24h", "--limit", "1", "--bodies")
    env = {**os.environ, "HELICONE_API_KEY": KEY}
    done = subprocess.run(  # the same flags work for both views
        [sys.executable, "-m", "tui", "query", "request", listed["request_id"], "--base-url",
         proxy.url, "--now", NOW, "--format", "jsonl", "--bodies"],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    [one] = [json.loads(line) for line in done.stdout.splitlines()]
    assert set(one) == set(listed)
    for key in ("request_body", "response_body", "scores", "properties", "cost", "delay_ms"):
        assert one[key] == listed[key], key
    [plain] = cli_requests(proxy.url, "--since", "24h", "--limit", "1")
    assert "request_body" not in plain  # bodies only when asked for
