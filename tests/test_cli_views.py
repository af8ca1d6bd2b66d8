"""The views on SEMANTICS-MORE's endpoints through the real program (`python -m tui query VIEW
--demo`), each asserted against what a user would check in the same demo answer."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOW = "2026-11-20T12:00:00Z"

pytestmark = pytest.mark.demo


def cli(*argv: str) -> subprocess.CompletedProcess[str]:
    """`python -m tui ARGV` as a user runs it (its own process, TZ=UTC, no key or config)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELICONE_")}
    env.update({"TZ": "UTC", "XDG_CONFIG_HOME": str(ROOT / "no-such-config")})
    return subprocess.run([sys.executable, "-m", "tui", *argv], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=180)


def demo(*argv: str) -> str:
    pytest.importorskip("chdb")
    done = cli("query", *argv, "--demo", "--now", NOW)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def curl_body(*argv: str) -> dict[str, Any]:
    done = cli("query", *argv, "--curl", "--base-url", "http://127.0.0.1:9", "--now", NOW)
    assert done.returncode == 0, done.stderr
    words = shlex.split(done.stdout.replace("\\\n", ""))
    return json.loads(words[words.index("--data") + 1])


def one_line_error(done: subprocess.CompletedProcess[str], code: int) -> str:
    assert done.returncode == code, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    return done.stderr


# --------------------------------------------------------------------------- requests


def test_failed_requests_with_their_bodies() -> None:
    out = demo("requests", "--filter", "status >= 500", "--since", "30d", "--format", "jsonl",
               "--bodies")
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 50  # the default page
    assert all(row["response_status"] >= 500 for row in rows)
    assert all(row["request_body"] and "messages" in row["request_body"] for row in rows)
    assert all("response_body" in row for row in rows)
    times = [row["request_created_at"] for row in rows]
    assert times == sorted(times, reverse=True)  # newest first

    plain = [json.loads(line) for line in demo(
        "requests", "--filter", "status >= 500", "--since", "30d", "--format", "jsonl",
        "--limit", "3").splitlines()]
    assert [r["request_id"] for r in plain] == [r["request_id"] for r in rows[:3]]
    assert all("request_body" not in r and "response_body" not in r for r in plain)


def test_requests_table_sorted_by_latency() -> None:
    out = demo("requests", "--since", "1d", "--sort", "latency:desc", "--limit", "5")
    lines = out.splitlines()
    assert lines[0].split() == ["time", "status", "model", "provider", "latency", "TTFT",
                                "tokens", "cost", "user", "scores"]
    assert len(lines) == 2 + 5
    latencies = [int(line.split()[5].replace(",", "")) for line in lines[2:]]
    assert latencies == sorted(latencies, reverse=True)


def test_requests_request_as_sent() -> None:
    body = curl_body("requests", "--since", "1d", "--sort", "cost:asc", "--offset", "10")
    assert "isScored" not in body
    assert body["limit"] == 50 and body["offset"] == 10 and body["sort"] == {"cost": "asc"}


def test_requests_bad_options() -> None:
    assert "at most 1000" in one_line_error(cli("query", "requests", "--limit", "1001",
                                                "--curl", "--base-url", "http://127.0.0.1:9"), 2)
    assert "--sort" in one_line_error(cli("query", "requests", "--sort", "colour",
                                          "--curl", "--base-url", "http://127.0.0.1:9"), 2)


# --------------------------------------------------------------------------- request ID


def test_one_request_by_id_with_its_bodies() -> None:
    listed = json.loads(demo("requests", "--since", "1d", "--limit", "1", "--format", "jsonl",
                             "--bodies").splitlines()[0])
    one = json.loads(demo("request", listed["request_id"], "--format", "json"))["request"]
    for key in ("request_id", "response_status", "model", "cost", "delay_ms", "request_body",
                "response_body"):
        assert one[key] == listed[key], key
    assert one["request_body"]["messages"]

    table = demo("request", listed["request_id"]).splitlines()
    fields = {line.split()[0]: line.split(None, 1)[1:] for line in table[2:]}
    assert fields["request_id"] == [listed["request_id"]]
    assert fields["response_status"] == [str(listed["response_status"])]
    assert fields["model"] == [listed["model"]]


def test_an_unknown_request_id_is_one_line_exit_3() -> None:
    pytest.importorskip("chdb")
    err = one_line_error(cli("query", "request", "--demo", "no-such-id", "--now", NOW), 3)
    assert "no such request" in err
    assert "query request needs ID" in one_line_error(cli("query", "request", "--curl",
                                                          "--base-url", "http://127.0.0.1:9"), 2)
    assert "takes no argument" in one_line_error(cli("query", "scores", "x", "--curl",
                                                     "--base-url", "http://127.0.0.1:9"), 2)


def test_request_curl_is_a_get_with_the_bodies() -> None:
    done = cli("query", "request", "abc/1", "--curl", "--base-url", "http://127.0.0.1:9")
    assert done.returncode == 0, done.stderr
    assert "--request GET" in done.stdout
    assert "/v1/request/abc%2F1?includeBody=true" in done.stdout
    assert "$HELICONE_API_KEY" in done.stdout


# ----------------------------------------------------------------- models, users, properties


def test_models_users_and_a_property_count_the_same_requests() -> None:
    models = [json.loads(line) for line in demo("models", "--since", "7d", "--format",
                                                "jsonl").splitlines()]
    assert models[0]["model"] == "gpt-4o-mini"  # the demo's busiest model, listed first
    counts = [m["total_requests"] for m in models]
    assert counts == sorted(counts, reverse=True)
    total = sum(counts)

    table = demo("models", "--since", "7d").splitlines()
    assert table[0].split() == ["model", "requests", "prompt_tokens", "completion_tokens",
                                "tokens", "cost"]
    assert table[2].split()[:2] == ["gpt-4o-mini", str(counts[0])]

    env = demo("properties", "environment", "--since", "7d", "--format", "csv").splitlines()
    assert env[0] == "value,requests"
    by_value = {line.split(",")[0]: int(line.split(",")[1]) for line in env[1:]}
    assert by_value["production"] > by_value["staging"] > by_value["development"]
    assert sum(by_value.values()) == total  # every request of the window has one value or ""

    keys = demo("properties", "--format", "jsonl").splitlines()
    assert {"property": "environment"} in [json.loads(k) for k in keys]

    users = [json.loads(line) for line in demo("users", "--since", "7d", "--format",
                                               "jsonl").splitlines()]
    per_user = [u["total_requests"] for u in users]
    assert per_user == sorted(per_user, reverse=True) and len(users) == 50
    assert sum(per_user) <= total
    shown = demo("users", "--since", "7d").splitlines()
    assert str(per_user[0]) in shown[2].split() and shown[-1].startswith("50 of ")


def test_properties_refuse_a_filter() -> None:
    err = one_line_error(cli("query", "properties", "--filter", "status >= 500", "--curl",
                             "--base-url", "http://127.0.0.1:9"), 2)
    assert "take no filter" in err


# --------------------------------------------------------------------------- overview


def _incidents() -> Any:
    from datetime import datetime

    from tui.demo.world import incidents_for

    return incidents_for(datetime.fromisoformat(NOW.replace("Z", "+00:00")), 30)  # demo: 30 d


def test_overview_shows_the_error_burst_and_the_latency_spike() -> None:
    from datetime import datetime

    truth = _incidents()
    lines = demo("overview", "--since", "7d", "--format", "table").splitlines()
    totals = {line.split()[0]: line.split()[1] for line in lines[2:7]}
    assert set(totals) == {"totalRequests", "totalCost", "averageLatency",
                           "averageTimeToFirstToken", "activeUsers"}
    header = lines[8].split()
    assert header[:7] == ["time", "requests", "2xx", "4xx", "5xx", "errors", "error_rate"]
    rows = [dict(zip(header, [f"{c[0]} {c[1]}", *c[2:]], strict=True))
            for c in (line.split() for line in lines[10:])]
    assert len(rows) == 8  # daily buckets for 7 days (Helicone's web rule), both ends partial
    assert sum(int(r["requests"]) for r in rows) == int(totals["totalRequests"])
    for r in rows:
        assert int(r["2xx"]) + int(r["4xx"]) + int(r["5xx"]) <= int(r["requests"])

    def day(r: dict[str, str]) -> str:
        return r["time"].split()[0]

    worst_errors = max(rows, key=lambda r: float(r["error_rate"].rstrip("%")))
    worst_p95 = max(rows, key=lambda r: float(r["p95"].replace(",", "")))
    assert day(worst_errors) == truth.error_start.strftime("%Y-%m-%d")
    assert day(worst_p95) == truth.latency_start.strftime("%Y-%m-%d")
    assert isinstance(truth.error_start, datetime)


def test_overview_csv_hourly_long_form() -> None:
    truth = _incidents()
    out = demo("overview", "--since", "7d", "--increment", "hour", "--format", "csv")
    lines = out.splitlines()
    assert lines[0] == "time,series,metric,value"
    values: dict[str, dict[str, float]] = {}
    for line in lines[1:]:
        time, series, metric, value = line.split(",")
        assert series == "all" and time.endswith("Z")
        values.setdefault(metric, {})[time] = float(value)
    assert set(values) >= {"requests", "requests_2xx", "requests_4xx", "requests_5xx", "errors",
                           "error_rate", "latency_avg", "latency_p75", "latency_p90",
                           "latency_p95", "latency_p99", "ttft", "cost"}
    from tui.api.timerange import parse_wire_time

    def hour_of(metric: str) -> Any:
        return parse_wire_time(max(values[metric], key=values[metric].__getitem__))

    assert truth.error_start <= hour_of("error_rate") < truth.error_end
    assert truth.latency_start <= hour_of("latency_p95") < truth.latency_end


def test_overview_json_is_each_answer_by_name() -> None:
    answer = json.loads(demo("overview", "--since", "6h", "--format", "json"))
    assert set(answer) == {"totalRequests", "totalCost", "averageLatency",
                           "averageTimeToFirstToken", "activeUsers", "requestStatusOverTime",
                           "errorOverTime", "latencyOverTime", "quantiles", "costOverTime",
                           "timeToFirstToken"}
    assert answer["totalRequests"] == sum(r["count"] for r in answer["requestStatusOverTime"])


# --------------------------------------------------------------------------- --curl, formats


@pytest.mark.parametrize(("argv", "paths"), [
    (["models"], ["/v1/metrics/models"]),
    (["users"], ["/v1/user/metrics/query"]),
    (["properties"], ["/v1/property/query"]),
    (["properties", "customer-tier"], ["/v1/property/customer-tier/top-requests/query"]),
    (["overview"], ["/v1/metrics/totalRequests", "/v1/metrics/totalCost",
                    "/v1/metrics/averageLatency", "/v1/metrics/averageTimeToFirstToken",
                    "/v1/metrics/activeUsers", "/v1/metrics/requestStatusOverTime",
                    "/v1/metrics/errorOverTime", "/v1/metrics/latencyOverTime",
                    "/v1/metrics/quantiles", "/v1/metrics/costOverTime",
                    "/v1/metrics/timeToFirstToken"]),
])
def test_curl_prints_every_request_and_sends_nothing(argv: list[str], paths: list[str]) -> None:
    done = cli("query", *argv, "--since", "1d", "--curl", "--base-url", "http://127.0.0.1:9",
               "--now", NOW)
    assert done.returncode == 0, done.stderr
    urls = [line.split()[1].strip("'") for line in done.stdout.splitlines()
            if line.strip().startswith("--url")]
    assert urls == [f"http://127.0.0.1:9{p}" for p in paths]
    assert done.stdout.count('"Authorization: Bearer $HELICONE_API_KEY"') == len(paths)


def test_jsonl_only_for_row_views() -> None:
    for name in ("overview", "scores"):
        err = one_line_error(cli("query", name, "--format", "jsonl", "--curl", "--base-url",
                                 "http://127.0.0.1:9"), 2)
        assert "--format jsonl is for requests, models and users" in err
