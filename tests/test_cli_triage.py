"""`helicone-tui triage` through the real program against the demo server (seed 1, fixed now):
the three incidents of tui/demo/world.py found where they are, with their culprits; nothing on a
flat data set; a culprit's filter isolating its shift in `query overview` / `query scores`; the
JSON contract of DESIGN.md; the request bound."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import random
import re
import statistics
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOW = "2026-11-20T12:00:00Z"
ANCHOR = datetime(2026, 11, 20, 12, tzinfo=UTC)
DAY = timedelta(days=1)

pytestmark = pytest.mark.demo


def cli(*argv: str, config: Path | None = None, tz: str = "UTC"
        ) -> subprocess.CompletedProcess[str]:
    """`python -m tui ARGV` as a user runs it (its own process, TZ=UTC, no config)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELICONE_")}
    env.update({"TZ": tz, "XDG_CONFIG_HOME": str(config or ROOT / "no-such-config"),
                "HELICONE_API_KEY": "test-placeholder-key"})
    return subprocess.run([sys.executable, "-m", "tui", *argv], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=300)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    pytest.importorskip("chdb")
    from tui.demo.process import DemoServer

    with DemoServer(seed=1, now=ANCHOR, timeout=180) as server:
        yield server.url.rstrip("/")


def triage(base_url: str, *argv: str, config: Path | None = None, tz: str = "UTC"
           ) -> subprocess.CompletedProcess[str]:
    done = cli("triage", "--base-url", base_url, "--now", NOW, *argv, config=config, tz=tz)
    assert "Traceback" not in done.stderr
    return done


def sent(done: subprocess.CompletedProcess[str]) -> int:
    m = re.search(r"(\d+) requests sent", done.stderr)
    assert m, done.stderr
    return int(m.group(1))


@pytest.fixture(scope="module")
def month(base_url: str) -> dict[str, Any]:
    done = triage(base_url, "--since", "30d", "--format", "json")
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def by_metric(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["metric"]: f for f in answer["findings"]}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_the_three_incidents_with_their_start_and_culprit(month: dict[str, Any]) -> None:
    from tui.demo.world import incidents_for

    truth = incidents_for(ANCHOR, 30)
    found = by_metric(month)
    assert month["increment"] == "day"
    expected = {
        "error_rate": (truth.error_start, "up", ("model", truth.error_model)),
        "latency_p95": (truth.latency_start, "up", ("provider", truth.latency_provider)),
        "score:accuracy": (truth.prompt_change, "down", ("prompt_version", "v4")),
    }
    for metric, (start, direction, (dimension, value)) in expected.items():
        f = found[metric]
        assert abs(at(f["start"]) - start) <= DAY, (metric, f["start"], start)
        assert f["direction"] == direction
        assert (f["culprit"]["dimension"], f["culprit"]["value"]) == (dimension, value), f
        assert f["culprit"]["share"] >= 0.5
    assert found["error_rate"]["end"] is not None  # the burst is over
    assert at(found["error_rate"]["end"]) > truth.error_end - DAY
    assert found["score:accuracy"]["end"] is None  # v4 is still live
    # On a tie (OPENAI carries all of gpt-4o-mini's errors) the narrower dimension wins.
    also = {(p["dimension"], p["value"]): p["share"] for p in found["error_rate"]["also"]}
    assert also.get(("provider", "OPENAI"), 0) >= 0.9
    severities = [abs(math.log(f["ratio"])) for f in month["findings"]]
    assert severities == sorted(severities, reverse=True)  # most severe first


FINDING = {
    "type": "object",
    "required": ["metric", "direction", "start", "end", "baseline", "value", "ratio", "culprit",
                 "also", "filter"],
    "additionalProperties": False,
    "properties": {
        "metric": {"type": "string",
                   "pattern": "^(requests|error_rate|latency_p95|ttft|cost|score:.+)$"},
        "direction": {"enum": ["up", "down"]},
        "start": {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"},
        "end": {"type": ["string", "null"], "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"},
        "baseline": {"type": "number"},
        "value": {"type": "number"},
        "ratio": {"type": ["number", "null"]},
        "culprit": {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/part"}]},
        "also": {"type": "array", "items": {"$ref": "#/$defs/part"}},
        "filter": {"type": ["string", "null"]},
    },
}
SCHEMA = {
    "type": "object",
    "required": ["window", "increment", "findings"],
    "additionalProperties": False,
    "properties": {
        "window": {"type": "object", "required": ["start", "end"], "additionalProperties": False,
                   "properties": {"start": {"type": "string", "pattern": "Z$"},
                                  "end": {"type": "string", "pattern": "Z$"}}},
        "increment": {"enum": ["min", "hour", "day", "week", "month", "year"]},
        "findings": {"type": "array", "items": FINDING},
    },
    "$defs": {"part": {
        "type": "object", "required": ["dimension", "value", "share"],
        "additionalProperties": False,
        "properties": {"dimension": {"type": "string"}, "value": {"type": "string"},
                       "share": {"type": "number", "minimum": 0, "maximum": 1}}}},
}


def test_json_follows_the_contract(month: dict[str, Any]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(month, SCHEMA)
    assert month["window"] == {"start": "2026-10-21T12:00:00Z", "end": "2026-11-20T12:00:00Z"}
    for f in month["findings"]:
        if f["culprit"] is not None:
            assert f["filter"] == f"{f['culprit']['dimension']} = '{f['culprit']['value']}'"
        if f["ratio"] is not None:
            assert f["ratio"] == pytest.approx(f["value"] / f["baseline"], rel=1e-3)


def _series(done: subprocess.CompletedProcess[str], metric: str) -> dict[str, float]:
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    if "score_key" in rows[0]:
        return {r["created_at_trunc"]: float(r["score_sum"]) for r in rows
                if r["score_key"] == metric.removeprefix("score:")}
    return {r["time"]: float(r["value"]) for r in rows if r["metric"] == metric}


def _ratio(series: dict[str, float], finding: dict[str, Any]) -> float | None:
    """The series' level over the finding's span against its median before it (against the
    finding's baseline when the series starts with the span: v4 did not exist before); None
    when the series has nothing in the span."""
    start, end = at(finding["start"]), finding["end"] and at(finding["end"])
    before = [v for t, v in series.items() if at(t) < start and at(t) > at("2026-10-22T00:00Z")]
    during = [v for t, v in series.items() if at(t) >= start and (end is None or at(t) < end)
              and at(t) < at("2026-11-20T00:00Z")]
    if not during:
        return None
    base = statistics.median(before) if before else finding["baseline"]
    return float(statistics.mean(during) / base)


@pytest.mark.parametrize("metric", ["error_rate", "latency_p95", "score:accuracy"])
def test_the_culprits_filter_isolates_the_shift(base_url: str, month: dict[str, Any],
                                                metric: str) -> None:
    finding = by_metric(month)[metric]
    culprit = finding["culprit"]
    view = "scores" if metric.startswith("score:") else "overview"
    rest = f"{culprit['dimension']} != '{culprit['value']}'"

    def ask(text: str) -> dict[str, float]:
        return _series(cli("query", view, "--base-url", base_url, "--now", NOW, "--since", "30d",
                           "--filter", text, "--format", "csv"), metric)

    inside, outside = ask(finding["filter"]), ask(rest)
    up = finding["direction"] == "up"
    shift_inside = _ratio(inside, finding)
    assert shift_inside is not None
    if up:
        assert shift_inside >= 0.9 * finding["ratio"]  # at least as strong with the filter
    else:
        assert shift_inside <= 1.1 * finding["ratio"]
    # ... and gone without it: less than the detector's min_change (one day's noise of the
    # rest's error rate is about 10 %), or nothing left (only v4 has accuracy after the change)
    shift_outside = _ratio(outside, finding)
    assert shift_outside is None or abs(shift_outside - 1) < 0.25


def test_table_and_exit_code(base_url: str) -> None:
    done = triage(base_url, "--since", "30d", "--exit-code")
    assert done.returncode == 1, done.stderr  # something was found
    assert "model = gpt-4o-mini" in done.stdout
    assert "provider = ANTHROPIC" in done.stdout
    assert "prompt_version = v4" in done.stdout
    assert re.search(r"note: \d+ findings; \d+ requests sent", done.stderr)


def test_the_tables_times_name_their_zone(base_url: str) -> None:
    zone = "America/New_York"  # the days are New York's: the buckets start at 05:00Z
    done = triage(base_url, "--since", "30d", tz=zone)
    assert done.returncode == 0, done.stderr
    answer = triage(base_url, "--since", "30d", "--format", "json", tz=zone)
    latency = by_metric(json.loads(answer.stdout))["latency_p95"]  # the JSON: UTC with Z
    assert latency["start"].endswith("Z")
    assert latency["start"].endswith("T05:00:00Z")
    local = at(latency["start"]).astimezone(ZoneInfo(zone))
    row = next(line for line in done.stdout.splitlines() if line.startswith("latency_p95"))
    assert local.strftime("%Y-%m-%d %H:%M EST") in row, row


@pytest.mark.parametrize("increment", [None, "hour"])
def test_a_week_sends_at_most_60_requests(base_url: str, increment: str | None) -> None:
    done = triage(base_url, "--since", "7d", "--format", "json",
                  *(("--increment", increment) if increment else ()))
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["findings"]  # the latency spike is in the week
    assert sent(done) <= 60
    if increment == "hour":
        latency = by_metric(answer)["latency_p95"]
        from tui.demo.world import incidents_for

        start = incidents_for(ANCHOR, 30).latency_start
        assert abs(at(latency["start"]) - start) <= timedelta(hours=1)
        assert latency["culprit"]["value"] == "ANTHROPIC"


def test_the_config_file_changes_the_thresholds(base_url: str, tmp_path: Path) -> None:
    (tmp_path / "helicone-tui").mkdir()
    config = tmp_path / "helicone-tui" / "config.toml"
    config.write_text("[triage]\nmin_change = 20\n")
    done = triage(base_url, "--since", "30d", "--format", "json", config=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["findings"] == []  # no shift is a 21-fold change
    config.write_text("[triage]\nmin_chnage = 1\n")
    done = triage(base_url, "--since", "30d", config=tmp_path)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "min_chnage is not a threshold" in done.stderr


def flat_rows() -> Iterator[dict[str, Any]]:
    """31 days of one request every 90 s: the same mix and rates all the time, plain noise."""
    r = random.Random(19)
    models = (("gpt-4o-mini", "OPENAI"), ("gpt-4o", "OPENAI"),
              ("claude-3-5-haiku-20241022", "ANTHROPIC"), ("gemini-1.5-pro", "GOOGLE"))
    t = ANCHOR - timedelta(days=31)
    i = 0
    while t < ANCHOR:
        model, provider = models[i % len(models)]
        latency = max(50, int(r.gauss(800, 200)))
        yield {
            "request_created_at": t.isoformat().replace("+00:00", "Z"),
            "request_id": str(uuid.UUID(int=i + 1)),
            "model": model, "provider": provider,
            "status": 500 if r.random() < 0.03 else 200,
            "latency": latency, "time_to_first_token": latency // 4,
            "cost": int(r.gauss(2_000_000, 300_000)),
            "user_id": f"user-{i % 20}", "country_code": ("US", "DE", "IN")[i % 3],
            "prompt_version": ("v1", "v2")[i % 2],
            "properties": {}, "scores": {"accuracy": int(r.gauss(80, 8))} if i % 3 == 0 else {},
        }
        t += timedelta(seconds=90)
        i += 1


def test_nothing_is_found_in_a_flat_data_set(tmp_path: Path) -> None:
    pytest.importorskip("chdb")
    path = tmp_path / "flat.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in flat_rows()))
    for since in ("30d", "7d"):
        done = cli("triage", "--demo", "--data", str(path), "--now", NOW, "--since", since,
                   "--format", "json", "--exit-code")
        assert done.returncode == 0, (since, done.stdout, done.stderr)
        assert json.loads(done.stdout)["findings"] == []


def test_the_cli_does_not_import_the_detector_at_start_up() -> None:
    code = ("import sys, tui.cli, tui.cli.triage, tui.query.triage; "
            "print(sorted(m for m in ('ruptures', 'numpy', 'scipy') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_detector_loads_without_scipy_and_leaves_ruptures_whole() -> None:
    # ruptures' package __init__s import scipy (seconds): the detector loads only Binseg and CostL2
    code = ("import sys; from tui.query.triage_detect import detect; "
            "s = detect([1.0] * 12 + [5.0] * 6); "
            "print(s.start, s.end, sorted(m for m in ('scipy', 'ruptures') if m in sys.modules)); "
            "import ruptures; from tui.query.triage_detect import load_detector; "
            "print(ruptures.Binseg is load_detector()[0], callable(ruptures.Pelt))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["12 None []", "True True"]


def test_too_many_buckets_is_a_usage_error_before_anything_is_sent() -> None:
    done = cli("triage", "--base-url", "http://127.0.0.1:9", "--now", NOW, "--since", "30d",
               "--increment", "min")
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "43,200 buckets" in done.stderr and "Traceback" not in done.stderr


async def test_the_findings_come_before_their_culprits(base_url: str) -> None:
    # The app shows what changed and since when while triage still asks for whom.
    from tui import clock
    from tui.api.enums import TimeIncrement
    from tui.api.timerange import TimeRange
    from tui.context import Target
    from tui.filters.text import parse
    from tui.query.triage import TriageResult, run_triage

    window = TimeRange.since("30d").resolve(ANCHOR)
    early: list[TriageResult] = []
    clock.fix(NOW)
    try:
        async with Target(base_url, "sk-test-placeholder-0000").client() as client:
            result = await run_triage(client, parse("all"), window, TimeIncrement.DAY, 0,
                                      detected=early.append)
            # Watch mode's background triage, nothing new: no attribution at all.
            bare = await run_triage(client, parse("all"), window, TimeIncrement.DAY, 0,
                                    attribute_if=lambda found: not found.findings)
    finally:
        clock.fix(None)
    assert len(early) == 1 and not early[0].attributed and result.attributed
    assert early[0].requests_sent == 5 < result.requests_sent  # the five series only
    first = [(f.metric, f.start, f.attribution.culprit) for f in early[0].findings]
    assert first == [(f.metric, f.start, None) for f in result.findings]
    assert any(f.attribution.culprit for f in result.findings)
    assert not bare.attributed and bare.requests_sent == 5
    assert [f.metric for f in bare.findings] == [f.metric for f in result.findings]
