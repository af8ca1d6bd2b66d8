"""The Overview's "what changed" list against the demo server (seed 1, now 2026-11-20T12:00Z):
over 30 days the three incidents of tui/demo/world.py, most severe first, the first line in view
at 80x24; `!` + `enter` narrows the investigation to a finding's filter and span (the Requests
tab then lists those requests), `backspace` undoes it; flat data says nothing changed; a failed
triage says why in the list only.

The three incidents need the full demo (300,000 requests, as `--demo` serves it): at 50,000 the
latency spike moves a day's p95 by less than the 25 % the detector asks, so this module starts
its own server (`HELICONE_TUI_TEST_FULL_DEMO_URL` may name one already running).
"""

from __future__ import annotations

import json
import os
import random
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from apptools import NOW, T_NOW, make_app, screen_text, wait_for
from requests_apptools import requests_ready

pytestmark = pytest.mark.demo


@pytest.fixture(scope="module")
def full_demo() -> Iterator[str]:
    given = os.environ.get("HELICONE_TUI_TEST_FULL_DEMO_URL")
    if given:
        yield given.rstrip("/")
        return
    process = pytest.importorskip("tui.demo.process")
    with process.start_demo_server(seed=1, now=NOW, timeout=180) as server:
        yield server.url


async def findings_ready(pilot, app):
    """The Overview's panels are drawn and its list has its findings (or its failure)."""
    await wait_for(pilot, lambda: bool(app.screen.query("#overview-tab")))
    tab = app.screen.query_one("#overview-tab")
    await wait_for(pilot, lambda: tab.drawn_in_view(), 60)
    found = app.screen.query_one("#overview-findings")
    await wait_for(pilot, lambda: found.state in ("ready", "error"), 60)
    await pilot.pause()
    return found


def prompts(found) -> list[str]:
    return [str(found.get_option_at_index(i).prompt) for i in range(found.option_count)]


async def test_the_three_incidents_most_severe_first(full_demo: str) -> None:
    app = make_app(full_demo, since="30d", tab=None)
    async with app.run_test(size=(80, 24)) as pilot:
        found = await findings_ready(pilot, app)
        assert found.state == "ready"
        metrics = [f.metric for f in found.result.findings]
        assert {"error_rate", "latency_p95", "score:accuracy"} <= set(metrics), metrics
        severities = [f.shift.severity for f in found.result.findings]
        assert severities == sorted(severities, reverse=True)
        lines = prompts(found)
        assert [line.split(" ")[0] for line in lines] == metrics  # one line each, in order
        accuracy = lines[metrics.index("score:accuracy")]
        assert "↓ Nov 12 00:00 EST" in accuracy and "prompt_version = v4" in accuracy
        assert lines[0].startswith("error_rate ↑ Nov 15 00:00 EST")  # 7x: the most severe
        assert "model = gpt-4o-mini" in lines[0]
        assert "provider = ANTHROPIC" in lines[metrics.index("latency_p95")]
        # At 80x24: the strip, the list's first line and one chart.
        shown = screen_text(app)
        assert "requests 301,200" in shown and lines[0][:60] in shown
        assert "Requests by status class" in shown


async def test_enter_applies_a_finding_and_backspace_undoes_it(full_demo: str) -> None:
    app = make_app(full_demo, since="30d", tab=None)
    async with app.run_test(size=(120, 40)) as pilot:
        found = await findings_ready(pilot, app)
        findings = found.result.findings
        index = [f.metric for f in findings].index("score:accuracy")
        finding = findings[index]
        await pilot.press("exclamation_mark")
        assert app.screen.focused is found
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        screen = app.screen
        await wait_for(pilot, lambda: screen.context.filter_text != "all")
        assert screen.context.filter_text == "prompt_version = 'v4'"
        window = screen.context.time_range.resolve(T_NOW)
        assert window.start == finding.start  # Nov 12 00:00 EST, to the window's end (ongoing)
        assert window.end == T_NOW
        assert screen.active_id == "overview"  # the charts show it
        assert "drill: score:accuracy down" in screen_text(app)
        await pilot.press("2")
        tab = await requests_ready(pilot, app)
        rows = tab.answer.rows
        assert rows and all(r.prompt_version == "v4" for r in rows)
        assert all(finding.start <= datetime.fromisoformat(
            r.request_created_at.replace("Z", "+00:00")) <= T_NOW for r in rows)
        await pilot.press("1")
        await pilot.press("backspace")
        await wait_for(pilot, lambda: screen.context.filter_text == "all")
        assert screen.context.time_range.length == timedelta(days=30)


async def test_escape_leaves_the_list(full_demo: str) -> None:
    app = make_app(full_demo, since="30d", tab=None)
    async with app.run_test(size=(120, 40)) as pilot:
        found = await findings_ready(pilot, app)
        await pilot.press("exclamation_mark")
        assert app.screen.focused is found
        await pilot.press("escape")
        assert app.screen.focused is app.screen.query_one("#overview-tab")
        await pilot.press("down")  # the tab's key again: the next chart
        assert app.screen.query_one("#overview-tab").first == 1


def flat_rows() -> Iterator[dict]:
    """Four days of one request every 90 s: the same mix and rates all the time."""
    r = random.Random(19)
    models = (("gpt-4o-mini", "OPENAI"), ("gpt-4o", "OPENAI"),
              ("claude-3-5-haiku-20241022", "ANTHROPIC"))
    t, i = T_NOW - timedelta(days=4), 0
    while t < T_NOW:
        model, provider = models[i % len(models)]
        latency = max(50, int(r.gauss(800, 200)))
        yield {
            "request_created_at": t.isoformat().replace("+00:00", "Z"),
            "request_id": str(uuid.UUID(int=i + 1)), "model": model, "provider": provider,
            "status": 500 if r.random() < 0.03 else 200, "latency": latency,
            "time_to_first_token": latency // 4, "cost": int(r.gauss(2_000_000, 300_000)),
            "user_id": f"user-{i % 20}", "country_code": ("US", "DE", "IN")[i % 3],
            "prompt_version": ("v1", "v2")[i % 2], "properties": {}, "scores": {},
        }
        t += timedelta(seconds=90)
        i += 1


async def test_flat_data_says_nothing_changed(tmp_path: Path) -> None:
    process = pytest.importorskip("tui.demo.process")
    path = tmp_path / "flat.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in flat_rows()))
    with process.start_demo_server(data=str(path), now=NOW, timeout=180) as server:
        app = make_app(server.url, since="2d", tab=None)
        async with app.run_test(size=(120, 40)) as pilot:
            found = await findings_ready(pilot, app)
            assert found.state == "ready" and found.result.findings == ()
            assert "Nothing changed" in screen_text(app)


async def test_a_failed_triage_shows_in_the_list_only(
        demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "helicone-tui"
    folder.mkdir()
    (folder / "config.toml").write_text("[triage]\nmin_chnage = 1\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    app = make_app(demo_url, since="24h", tab=None)
    async with app.run_test(size=(120, 40)) as pilot:
        found = await findings_ready(pilot, app)
        assert found.state == "error"
        tab = app.screen.query_one("#overview-tab")
        assert tab.status == "ready"  # the panels are drawn, no notice over them
        assert "min_chnage is not a threshold" in prompts(found)[0]
        assert "what changed: " in screen_text(app)  # (the line is cut at the width)
        assert not app._notifications
