"""Watch mode's alerts against the demo server: the clock moves between two watch refreshes, so
the sliding window (`--since 2d`, the same question) leaves the error storm of Nov 15 behind and
takes in the latency spike of Nov 18. The new finding rings the bell once, shows a notification
and reaches `alert_command` as JSON on its stdin; the findings of the first triage, and the same
finding again, do not ring. With another tab shown, the watch still triages (in the background).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from apptools import KEY, make_app, wait_for

from tui import clock

pytestmark = pytest.mark.demo

BEFORE = "2026-11-16T12:00:00Z"  # since 2d: the error storm (Nov 15 10:00Z) is in the window
AFTER = "2026-11-19T12:00:00Z"  # since 2d: the latency spike (Nov 18 10:00Z) is, the storm not
EARLIER = "2026-11-13T12:00:00Z"  # since 2d: the accuracy drop (prompt v4, Nov 12 08:00Z)

RECORDER = """\
import sys
with open(sys.argv[1], "a", encoding="utf-8") as out:
    out.write(sys.stdin.read().replace("\\n", " ") + "\\n")
"""


def _config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]) -> None:
    folder = tmp_path / "config" / "helicone-tui"
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text(f"alert_command = {json.dumps(command)}\n"
                                        "alert_command_timeout = 20\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def _messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def _counting_bell(app) -> list[int]:
    rings: list[int] = []
    ring = app.bell

    def bell() -> None:
        rings.append(1)
        ring()

    app.bell = bell
    return rings


@pytest.mark.parametrize("tab", [None, "requests"])
async def test_a_new_finding_rings_once_notifies_and_runs_the_alert_command(
        demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tab: str | None) -> None:
    received = tmp_path / "alerts.jsonl"
    script = tmp_path / "record.py"
    script.write_text(RECORDER)
    _config(tmp_path, monkeypatch, [sys.executable, str(script), str(received)])
    clock.fix(BEFORE)
    app = make_app(demo_url, since="2d", watch=2.0, tab=tab)
    rings = _counting_bell(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#overview-tab")))
        alerts = app.screen.alerts
        alerts.background_every = 0  # (30 s: another tab shown, a new finding alerts within)
        seen = alerts._seen
        await wait_for(pilot, lambda: any(
            k[:2] == ("error_rate", "up") for keys in seen.values() for k in keys), 60)
        assert rings == [] and alerts.alerted == []  # the first triage only learns
        clock.fix(AFTER)  # the next watch refresh slides the window over the spike
        await wait_for(pilot, lambda: bool(alerts.alerted), 60)
        new = [f.metric for f in alerts.alerted]
        await wait_for(pilot, lambda: received.exists()
                       and len(received.read_text().splitlines()) >= len(new), 30)
        assert rings == [1]
        assert "latency_p95" in new and "error_rate" not in new
        assert any(m.startswith("latency_p95 ↑") for m in _messages(app)), _messages(app)
        lines = received.read_text().splitlines()
        sent = [json.loads(line) for line in lines]
        assert len(sent) == len(new)
        latency = next(f for f in sent if f["metric"] == "latency_p95")
        assert set(latency) == {"metric", "direction", "start", "end", "baseline", "value",
                                "ratio", "culprit", "also", "filter"}
        assert latency["direction"] == "up" and latency["start"].endswith("Z")
        assert latency["culprit"]["value"] == "ANTHROPIC"  # a new finding is attributed
        # More refreshes over the same window: the same findings, no more rings.
        generation = app.screen.context.generation
        await wait_for(pilot, lambda: app.screen.context.generation >= generation + 2, 30)
        await wait_for(pilot, lambda: all(w.is_finished for w in app.screen.workers
                                          if w.name in ("watch triage", "alert command")))
        overview = app.screen.query_one("#overview-tab")
        await wait_for(pilot, lambda: not overview.busy)
        assert rings == [1]
        assert len(received.read_text().splitlines()) == len(new)


async def test_a_failing_alert_command_is_said_once_without_the_key(
        demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "fail.py"
    script.write_text("import sys\nsys.stdin.read()\n"
                      f"print('cannot page with {KEY}', file=sys.stderr)\nsys.exit(3)\n")
    _config(tmp_path, monkeypatch, [sys.executable, str(script)])
    clock.fix(BEFORE)
    app = make_app(demo_url, since="2d", watch=2.0, tab=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#overview-tab")))
        alerts = app.screen.alerts
        await wait_for(pilot, lambda: bool(alerts._seen), 60)
        clock.fix(AFTER)
        await wait_for(pilot, lambda: any("alert_command failed" in m for m in _messages(app)),
                       60)
        count = len(alerts.alerted)
        clock.fix(EARLIER)  # another new finding (the accuracy drop): the command fails again
        await wait_for(pilot, lambda: len(alerts.alerted) > count, 60)
        await wait_for(pilot, lambda: all(w.is_finished for w in app.screen.workers
                                          if w.name == "alert command"))
        failures = [m for m in alerts.said if "alert_command" in m]
        assert len(failures) == 1, failures
        assert "exit status 3" in failures[0] and "cannot page with" in failures[0]
        assert KEY not in failures[0] and KEY[-4:] in failures[0]  # masked: sk-…abcd


async def test_turning_the_watch_on_says_what_alerts(demo_url: str) -> None:
    app = make_app(demo_url, since="2d", tab=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#overview-tab")))
        await pilot.press("w")
        assert app.screen.watching
        assert any("was not there before rings the bell" in m and "does not" in m
                   for m in _messages(app)), _messages(app)
