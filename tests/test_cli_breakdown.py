"""`query breakdown DIM`, `--breakdown DIM` and `query users --by` through the real program
against one demo server (seed 1, --now 2026-11-20T12:00:00Z): each demo incident shows on its
one value's series only, and the value conditions split the requests exactly."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOW = "2026-11-20T12:00:00Z"

pytestmark = pytest.mark.demo


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    pytest.importorskip("chdb")
    from tui.demo.process import DemoServer

    server = DemoServer(seed=1, now=NOW, timeout=120).start()
    try:
        yield server.url
    finally:
        server.stop()


def cli(*argv: str, **more_env: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELICONE_")}
    env.update({"TZ": "UTC", "XDG_CONFIG_HOME": str(ROOT / "no-such-config"),
                "HELICONE_API_KEY": "sk-helicone-demo-0000", **more_env})
    return subprocess.run([sys.executable, "-m", "tui", *argv], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=180)


def query(url: str, *argv: str) -> str:
    done = cli("query", *argv, "--base-url", url, "--now", NOW)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def series(text: str) -> dict[tuple[str, str], dict[str, float]]:
    """csv `time,series,metric,value` -> {(series, metric): {time: value}}."""
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["time", "series", "metric", "value"]
    out: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    for time, name, metric, value in rows[1:]:
        out[name, metric][time] = float(value)
    return out


def peak(points: dict[str, float]) -> tuple[str, float]:
    return max(points.items(), key=lambda item: item[1])


def baseline(points: dict[str, float]) -> float:
    values = sorted(points.values())
    return values[len(values) // 2]


# --------------------------------------------------------------------------- the incidents


def test_by_model_the_error_burst_is_on_gpt_4o_mini_only(url: str) -> None:
    out = series(query(url, "breakdown", "model", "--since", "7d", "--increment", "hour",
                       "--metric", "error_rate,errors", "--format", "csv"))
    rates = {name: points for (name, metric), points in out.items() if metric == "error_rate"}
    assert "gpt-4o-mini" in rates and len(rates) >= 4  # the top values, and "(other)"
    assert "(other)" in rates
    at, value = peak(rates["gpt-4o-mini"])
    assert at.startswith("2026-11-15T1") and value > 0.2  # the burst: 11-15 10:00-13:00 UTC
    for name, points in rates.items():
        if name != "gpt-4o-mini":
            assert points.get(at, 0) < 0.1, (name, points.get(at))  # the others stay flat


def test_by_provider_the_latency_spike_is_on_anthropic_only(url: str) -> None:
    done = cli("query", "breakdown", "provider", "--since", "7d", "--increment", "hour",
               "--metric", "latency_p95", "--format", "csv", "--base-url", url, "--now", NOW)
    assert done.returncode == 0, done.stderr
    out = series(done.stdout)
    p95 = {name: points for (name, _), points in out.items()}
    assert {"OPENAI", "ANTHROPIC", "GOOGLE"} <= set(p95)
    assert "(other)" not in p95  # a latency does not add up: no "other" series
    at, value = peak(p95["ANTHROPIC"])
    assert at.startswith("2026-11-18T1") and value > 2 * baseline(p95["ANTHROPIC"])
    for name, points in p95.items():
        if name != "ANTHROPIC":
            assert points[at] < 1.5 * baseline(points), name


def test_scores_by_prompt_version_the_accuracy_drop_is_on_v4_only(url: str) -> None:
    # The prompt change (v3 -> v4) is 8 days before --now: a 14-day window holds both versions.
    out = series(query(url, "breakdown", "prompt_version", "--view", "scores", "--since", "14d",
                       "--metric", "accuracy", "--format", "csv"))
    accuracy = {name: points for (name, metric), points in out.items()
                if metric == "score:accuracy"}
    assert set(accuracy) == {"v3", "v4"}  # only support-reply's versions have an accuracy
    assert min(accuracy["v3"].values()) > 80
    assert max(accuracy["v4"].values()) < 65


def test_breakdown_flag_on_overview_and_its_json(url: str) -> None:
    data = json.loads(query(url, "overview", "--breakdown", "status", "--since", "7d",
                            "--format", "json"))
    assert data["dimension"] == "status_class"
    assert data["top"]["source"] == "/v1/metrics/requestStatusOverTime"
    assert [v["value"] for v in data["top"]["values"]][:1] == ["2xx"]
    # status classes partition the requests: "other" has none left.
    values = len(data["top"]["values"])
    assert not data["top"]["more"]
    assert data["requests_sent"] == 1 + 6 * values
    filters = {s["label"]: s["filter"] for s in data["series"]}
    assert filters["5xx"] == "status >= 500 and status < 600"


def test_a_presets_breakdown_splits_query_overview(url: str, tmp_path: Path) -> None:
    presets = tmp_path / "presets.toml"
    presets.write_text('[presets.by-model]\nsince = "7d"\nbreakdown = "model"\n'
                       '[presets.old]\nsince = "7d"\n', encoding="utf-8")
    env = {"HELICONE_TUI_PRESETS": str(presets)}
    done = cli("query", "overview", "--preset", "by-model", "--metric", "errors",
               "--format", "csv", "--base-url", url, "--now", NOW, **env)
    assert done.returncode == 0, done.stderr
    names = {name for name, _ in series(done.stdout)}
    assert "gpt-4o-mini" in names and "all" not in names
    plain = cli("query", "overview", "--preset", "old", "--format", "csv", "--base-url", url,
                "--now", NOW, **env)  # a preset without the key: the overview as before
    assert plain.returncode == 0, plain.stderr
    assert {name for name, _ in series(plain.stdout)} == {"all"}


# --------------------------------------------------------------------------- exact groups


def _overview_requests(url: str, *argv: str) -> dict[str, float]:
    out = series(query(url, "overview", "--since", "7d", *argv, "--format", "csv"))
    return out["all", "requests"]


@pytest.mark.parametrize("dimension", ["user_id", "properties.customer", "country_code"])
def test_values_and_other_add_up_to_all_requests(url: str, dimension: str) -> None:
    """Each value's condition (the "" group's too) and "other" split the requests exactly."""
    done = cli("query", "breakdown", dimension, "--since", "7d", "--metric", "requests",
               "--format", "json", "--base-url", url, "--now", NOW)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    values = [v["value"] for v in data["top"]["values"]]
    none = dimension != "country_code"  # the unknown country is too small for the top 6
    assert ("" in values) is none  # the "(none)" group is a value like the others
    sums: dict[str, float] = defaultdict(float)
    for s in data["series"]:
        assert s["error"] is None
        for point in s["points"]:
            sums[point["time"]] += point["value"] or 0
    labels = {s["label"] for s in data["series"]}
    assert ("(none)" in labels) is none and "(other)" in labels
    total = _overview_requests(url)
    assert {t: sums[t] for t in total} == total


def test_unknown_dimension_and_property_key_are_one_line_errors(url: str) -> None:
    for argv, code, says in (
        (("breakdown", "modle"), 2, "not a breakdown dimension"),
        (("breakdown", "properties.no-such-key"), 2, "no property key 'no-such-key'"),
        (("overview", "--breakdown", "colour"), 2, "not a breakdown dimension"),
        (("overview", "--metric", "errors"), 2, "--metric needs a breakdown"),
        (("breakdown", "model", "--metric", "speed"), 2, "not an overview metric"),
        (("breakdown",), 2, "needs DIM"),
    ):
        done = cli("query", *argv, "--since", "7d", "--base-url", url, "--now", NOW)
        assert done.returncode == code, (argv, done.stderr)
        assert "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert says in done.stderr, done.stderr


def test_curl_prints_the_ranking_request() -> None:
    done = cli("query", "breakdown", "properties.customer", "--curl", "--since", "7d",
               "--base-url", "http://127.0.0.1:9", "--now", NOW)
    assert done.returncode == 0, done.stderr
    assert "/v1/property/query" in done.stdout
    assert "/v1/property/customer/top-requests/query" in done.stdout


# --------------------------------------------------------------------------- users


def _users(url: str, *argv: str) -> list[dict[str, Any]]:
    text = query(url, "users", "--since", "7d", *argv, "--format", "jsonl")
    return [json.loads(line) for line in text.splitlines()]


def test_users_by_requests_cost_and_errors(url: str) -> None:
    by_requests = _users(url)
    assert [u["total_requests"] for u in by_requests] == sorted(
        (u["total_requests"] for u in by_requests), reverse=True)
    by_cost = _users(url, "--by", "cost")
    assert [u["cost"] for u in by_cost] == sorted((u["cost"] for u in by_cost), reverse=True)
    assert by_cost[0]["cost"] >= max(u["cost"] for u in by_requests)
    by_errors = _users(url, "--by", "errors")
    # The retry storm's users top the errors: their requests all fall in the burst window.
    top = by_errors[0]
    assert top["first_active"].startswith("2026-11-15T1")
    assert top["total_requests"] > 10 * by_errors[-1]["total_requests"]
    table = query(url, "users", "--since", "7d", "--by", "errors")
    assert table.splitlines()[0].split()[:2] == ["user", "errors"]
    assert "with errors (status != 200)" in table
