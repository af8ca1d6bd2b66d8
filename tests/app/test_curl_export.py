"""Copy as curl (c) and export (x): the command `query --curl` prints, run for real against the
demo server, returns what the app shows; exported files read back to the rows on screen; an
existing file is never overwritten without asking."""

from __future__ import annotations

import csv
import json
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from app_servers import RecordingProxy
from apptools import KEY, NOW, SCORES, main_ready, make_app, scores_ready, screen_text, wait_for

from tui.screens.score_series import FEEDBACK_KEY


def screen_name(app) -> str:
    return app.screen.__class__.__name__


def run_curl(command: str, key: str) -> dict:
    """Run the copied command with HELICONE_API_KEY set: real curl when installed, else the same
    request (URL, headers, body parsed from the command) sent with httpx."""
    env = {**os.environ, "HELICONE_API_KEY": key}
    if shutil.which("curl") and shutil.which("sh"):
        done = subprocess.run(["sh", "-c", command + " --silent --show-error"], env=env,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)
    import httpx

    words = shlex.split(command.replace("\\\n", ""))
    url = words[words.index("--url") + 1]
    headers = dict(
        words[i + 1].split(": ", 1) for i, w in enumerate(words) if w == "--header"
    )
    headers["Authorization"] = headers["Authorization"].replace("$HELICONE_API_KEY", key)
    body = words[words.index("--data") + 1]
    return httpx.post(url, content=body, headers=headers, timeout=60).json()


def shown_scores(tab) -> dict[tuple[str, str], float]:
    """What the Scores tab shows: (bucket, key) -> value, gaps left out."""
    answer = tab.answer
    return {
        (bucket.isoformat(), key): value
        for key in answer.keys
        for bucket, value in zip(answer.buckets, answer.values[key], strict=True)
        if value is not None
    }


def wire_scores(rows: list[dict]) -> dict[tuple[str, str], float]:
    from datetime import datetime

    return {
        (datetime.fromisoformat(r["created_at_trunc"].replace("Z", "+00:00")).isoformat(),
         r["score_key"]): float(r["score_sum"])
        for r in rows
        if r["score_key"]
    }


async def test_copy_as_curl_is_query_curl_and_returns_what_the_app_shows(
    proxy: RecordingProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    text = "model ilike '%gpt%' and status = 200"
    app = make_app(proxy.url, filter_text=text, since="6h")
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        shown = shown_scores(app.screen.query_one("#scores-tab"))
        await pilot.press("c")
        await wait_for(pilot, lambda: screen_name(app) == "CurlView")
        command = app.clipboard  # what OSC 52 carried to the terminal
        assert command == app.screen.command
        assert "copied" in screen_text(app)
        assert "$HELICONE_API_KEY" in command and KEY not in command
        assert KEY not in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen_name(app) == "MainScreen")

    # The very command `query --curl` prints for the same question.
    code = main(["query", "scores", "--base-url", proxy.url, "--filter", text, "--since", "6h",
                 "--now", NOW, "--curl"])
    out = capsys.readouterr().out
    assert code == 0 and out.rstrip("\n") == command

    answer = run_curl(command, "sk-any-key-the-demo-accepts")
    assert answer["error"] is None
    assert shown and wire_scores(answer["data"]) == shown


async def test_copy_as_curl_on_evals(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await main_ready(pilot, app)
        await pilot.press("4")
        tab = app.screen.query_one("#evals-tab")
        await wait_for(pilot, lambda: tab.status == "ready")
        await pilot.press("c")
        await wait_for(pilot, lambda: screen_name(app) == "CurlView")
        assert "/v1/evals/query" in app.clipboard
        answer = run_curl(app.clipboard, "sk-any")
        assert sorted(e["name"] for e in answer["data"]) == sorted(r.name for r in tab.answer.rows)


async def test_export_csv_and_json_read_back_to_the_rows_shown(
    proxy: RecordingProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(proxy.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        tab = app.screen.query_one("#scores-tab")
        shown = shown_scores(tab)
        await pilot.press("x")
        await wait_for(pilot, lambda: screen_name(app) == "ExportDialog")
        # the default: the working directory, timestamped in local time (EST here)
        assert app.screen.query_one("#export-path").value == "helicone-scores-20261120-070000.csv"
        await pilot.press("enter", "enter")  # CSV, then write under the proposed name
        await wait_for(pilot, lambda: screen_name(app) == "MainScreen")
        written = (tmp_path / "helicone-scores-20261120-070000.csv").read_text()
        rows = list(csv.DictReader(written.splitlines()))
        assert rows and wire_scores(rows) == shown  # type: ignore[arg-type]
        assert any(r["score_key"] == FEEDBACK_KEY for r in rows)  # raw keys, as the CLI writes

        await pilot.press("x")
        await wait_for(pilot, lambda: screen_name(app) == "ExportDialog")
        await pilot.press("down")  # JSON: the name follows the format
        path_input = app.screen.query_one("#export-path")
        assert path_input.value.endswith(".json")
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: screen_name(app) == "MainScreen")
        written_json = (tmp_path / "helicone-scores-20261120-070000.json").read_text()
        assert wire_scores(json.loads(written_json)) == shown
        assert len(proxy.to(SCORES)) == 1  # the answer on screen was written: nothing re-asked
    # The same writer as `query --format`: the same bytes for the same question.
    assert written == _cli(proxy, "csv")
    assert written_json == _cli(proxy, "json")


def _cli(proxy: RecordingProxy, fmt: str) -> str:
    """`helicone-tui query scores --format FMT` for the app's default question."""
    import sys

    env = {**os.environ, "HELICONE_API_KEY": KEY}
    done = subprocess.run(
        [sys.executable, "-m", "tui", "query", "scores", "--base-url", proxy.url, "--now", NOW,
         "--format", fmt],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


async def test_export_never_overwrites_without_asking(
    proxy: RecordingProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "helicone-scores-20261120-070000.csv"
    target.write_text("keep me\n")
    app = make_app(proxy.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        await pilot.press("x")
        await wait_for(pilot, lambda: screen_name(app) == "ExportDialog")
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: screen_name(app) == "Confirm")
        await pilot.press("n")
        await wait_for(pilot, lambda: screen_name(app) == "ExportDialog")
        assert target.read_text() == "keep me\n"
        await pilot.press("enter")  # again, from the file name: this time replace it
        await wait_for(pilot, lambda: screen_name(app) == "Confirm")
        await pilot.press("y")
        await wait_for(pilot, lambda: screen_name(app) == "MainScreen")
    assert target.read_text().startswith("created_at_trunc,score_key,score_sum\n")


async def test_export_and_curl_say_so_when_there_is_nothing(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url, filter_text="session_tag = 'x'")  # Scores cannot send it
    async with app.run_test(size=(80, 24)) as pilot:
        tab = app.screen.query_one("#scores-tab")
        await wait_for(pilot, lambda: tab.status == "error")
        await pilot.press("x")
        await wait_for(pilot, lambda: any("No answer on screen" in m for m in toasts(app)))
        await pilot.press("c")
        await wait_for(pilot, lambda: any("session fields" in m for m in toasts(app)))
        assert screen_name(app) == "MainScreen"
        assert not app.clipboard  # nothing copied
        assert not proxy.to(SCORES)


def toasts(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_export_asks_again_only_when_the_answer_is_no_longer_kept(
    proxy: RecordingProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(proxy.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        app.screen.query_one("#scores-tab").raw_answer = None  # as if no longer held
        await pilot.press("x")
        await wait_for(pilot, lambda: screen_name(app) == "ExportDialog")
        sent = proxy.to(SCORES)
        assert len(sent) == 2 and sent[1].body == sent[0].body  # the very question on screen
        await pilot.press("down", "enter", "enter")
        await wait_for(pilot, lambda: screen_name(app) == "MainScreen")
        shown = shown_scores(app.screen.query_one("#scores-tab"))
    data = json.loads((tmp_path / "helicone-scores-20261120-070000.json").read_text())
    assert wire_scores(data) == shown


async def test_curl_on_distributions_asks_about_the_window_shown_after_the_clock_moves(
    proxy: RecordingProxy,
) -> None:
    from datetime import timedelta

    from tui import clock

    app = make_app(proxy.url, since="24h")
    async with app.run_test(size=(80, 24)) as pilot:
        await main_ready(pilot, app)
        await pilot.press("5")
        tab = app.screen.query_one("#distributions-tab")
        await wait_for(pilot, lambda: tab.status == "ready")
        sent = proxy.to("/v1/evals/score-distributions/query")[-1].body
        # Ten minutes later the answer on screen is still the one for the window it asked about.
        clock.fix(clock.now() + timedelta(minutes=10))
        await pilot.press("c")
        await wait_for(pilot, lambda: screen_name(app) == "CurlView")
        body = json.loads(app.clipboard.split("--data ", 1)[1].strip().strip("'"))
        assert body["filter"] == sent["filter"]
        assert body["timeFilter"] == sent["timeFilter"]
        assert sent["timeFilter"]["end"].startswith("2026-11-20T12:00:00")


async def test_export_that_cannot_ask_again_says_why_and_stays_on_the_main_screen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app_servers import ScriptedServer

    monkeypatch.chdir(tmp_path)
    with ScriptedServer(200, {"data": [], "error": None}) as server:
        app = make_app(server.url)
        async with app.run_test(size=(80, 24)) as pilot:
            await main_ready(pilot, app)
            tab = app.screen.query_one("#scores-tab")
            await wait_for(pilot, lambda: tab.status == "empty")
            tab.raw_answer = None  # as if no longer held
            server.status, server.body = 500, {"data": None, "error": "the store is down"}
            await pilot.press("x")
            await wait_for(pilot, lambda: any(m.startswith("Export: ") for m in toasts(app)))
            assert "the store is down" in next(m for m in toasts(app) if m.startswith("Export"))
            assert screen_name(app) == "MainScreen"
    assert not list(tmp_path.iterdir())  # nothing written
