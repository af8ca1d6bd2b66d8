"""The demo server as a process: determinism across processes, and no process left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from demo_helpers import DISTRIBUTIONS, EVALS, NOW, SCORES, SESSIONS, Client

from tui.demo.process import DemoServer, DemoServerError

pytestmark = pytest.mark.demo

ROOT = Path(__file__).resolve().parents[2]
MONTH = {"start": "2026-10-21T12:00:00.000Z", "end": "2026-11-20T12:00:00.000Z"}
MONTH_MS = {"startTimeUnixMs": 1792584000000, "endTimeUnixMs": 1795176000000}
GPT = {"request_response_rmt": {"model": {"ilike": "%gpt%"}}}

#: One request per endpoint and option that depends on the engine's feed order or threads.
REQUESTS: list[tuple[str, dict[str, Any]]] = [
    (SCORES, {"userFilter": "all", "timeFilter": MONTH, "dbIncrement": "hour",
              "timeZoneDifference": 0}),
    (SCORES, {"userFilter": GPT, "timeFilter": MONTH, "dbIncrement": "day",
              "timeZoneDifference": -330}),
    (EVALS, {"filter": GPT, "timeFilter": MONTH, "timeZoneDifference": 300}),
    (DISTRIBUTIONS, {"filter": "all", "timeFilter": MONTH}),
    (DISTRIBUTIONS, {"filter": GPT, "timeFilter": MONTH}),
    (SESSIONS, {"nameContains": "", "timezoneDifference": 0}),
    (SESSIONS, {"nameContains": "", "timezoneDifference": 0, "pSize": "p99.9",
                "useInterquartile": True, "timeFilter": MONTH_MS}),
    (SESSIONS, {"nameContains": "Research Agent", "timezoneDifference": 0, "pSize": "p50",
                "filter": GPT}),
]


def _answers(client: Client) -> list[bytes]:
    out = []
    for path, body in REQUESTS:
        response = client.post(path, body)
        assert response.status_code == 200, response.text
        out.append(response.content)
    return out


def test_same_seed_and_anchor_give_byte_identical_answers(demo: Client) -> None:
    first = _answers(demo)
    assert _answers(demo) == first  # and the same process answers the same twice
    with DemoServer(seed=1, now=NOW, timeout=120) as other:
        second = _answers(Client(other))
    for (path, _), a, b in zip(REQUESTS, first, second, strict=True):
        assert a == b, f"{path} differs between two servers with the same seed and anchor"


def test_another_seed_gives_other_data(demo: Client) -> None:
    path, body = REQUESTS[3]
    with DemoServer(seed=2, now=NOW, requests=50_000, timeout=120) as other:
        assert Client(other).post(path, body).content != demo.post(path, body).content


def _scored_per_hour(client: Client, user_filter: Any, start: str, end: str) -> dict[str, float]:
    """Scored requests per hour (all score names) under a filter, from the evals endpoint."""
    data = client.data(EVALS, {"filter": user_filter, "timeFilter": {"start": start, "end": end}})
    hours: dict[str, float] = {}
    for item in data:
        for point in item["overTime"]:
            hours[point["date"][:13]] = hours.get(point["date"][:13], 0) + point["count"]
    return hours


def _both(a: Any, b: Any) -> Any:
    return {"left": a, "operator": "and", "right": b}


def test_default_data_has_the_incidents(demo: Client) -> None:
    rmt = "request_response_rmt"
    # An error burst: gpt-4o-mini fails about 45% of the time on 2026-11-15, 10:00-13:00 UTC.
    errors = _scored_per_hour(demo, _both({rmt: {"model": {"equals": "gpt-4o-mini"}}},
                                          {rmt: {"status": {"equals": 500}}}),
                              "2026-11-14T00:00:00Z", "2026-11-16T23:00:00Z")
    burst = [errors[f"2026-11-15T{h}"] for h in ("10", "11", "12")]
    calm = [v for k, v in errors.items() if not ("2026-11-15T10" <= k <= "2026-11-15T12")]
    assert min(burst) > 5 * max(1, max(calm))
    # A latency spike: ANTHROPIC answers 4-7 times slower on 2026-11-18, 10:00-14:00 UTC.
    slow = _scored_per_hour(demo, _both({rmt: {"provider": {"equals": "ANTHROPIC"}}},
                                        {rmt: {"latency": {"gte": 20000}}}),
                            "2026-11-17T00:00:00Z", "2026-11-19T23:00:00Z")
    spike = sum(slow[f"2026-11-18T{h}"] for h in ("10", "11", "12", "13"))
    assert spike > 5 * max(1, sum(slow.values()) - spike)

    # A score drop: support-reply accuracy is in the 80s with v3 and the 60s with v4.
    def accuracy(version: str) -> float:
        data = demo.data(EVALS, {"filter": {rmt: {"prompt_version": {"equals": version}}},
                                 "timeFilter": MONTH})
        item = next(e for e in data if e["name"] == "accuracy")
        return sum(p["value"] * c["count"] for p, c in
                   zip(item["averageOverTime"], item["overTime"], strict=True)) / item["count"]
    assert accuracy("v3") > 80 > 70 > accuracy("v4") > 55


# --------------------------------------------------------------------------- no orphans


def _alive(pid: int) -> bool:
    """True while `pid` runs (a zombie waiting for its reaper counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def _wait_gone(pid: int, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


PARENT = textwrap.dedent("""
    import sys, time
    from tui.demo.process import start_demo_server
    server = start_demo_server(requests=2000, days=2, timeout=60)
    print(server.pid, flush=True)
    if sys.argv[1] == "sleep":
        time.sleep(120)
""")


def _spawn_parent(mode: str) -> tuple[subprocess.Popen[str], int]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen([sys.executable, "-c", PARENT, mode], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env)
    assert parent.stdout is not None
    line = parent.stdout.readline()
    if not line.strip():
        parent.kill()
        pytest.fail(f"the parent did not start its demo server: {parent.stderr.read()}")
    child = int(line)
    assert _alive(child)
    return parent, child


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_child_goes_when_the_parent_is_killed(signum: int) -> None:
    parent, child = _spawn_parent("sleep")
    try:
        parent.send_signal(signum)
        assert parent.wait(15) == -signum
        assert _wait_gone(child), f"demo server {child} outlived its parent ({signum!r})"
    finally:
        parent.kill()
        if _alive(child):
            os.kill(child, signal.SIGKILL)


def test_child_goes_when_the_parent_exits_without_stopping_it() -> None:
    parent, child = _spawn_parent("exit")
    try:
        assert parent.wait(15) == 0
        assert _wait_gone(child)
    finally:
        if _alive(child):
            os.kill(child, signal.SIGKILL)


def test_context_manager_stops_the_child() -> None:
    with DemoServer(requests=1000, days=1) as server:
        pid = server.pid
        assert pid is not None and _alive(pid)
        assert Client(server).http.get("/healthcheck").status_code == 200
    assert _wait_gone(pid)
    server.stop()  # a second stop is harmless


def test_a_server_that_dies_says_why(tmp_path: Path) -> None:
    with pytest.raises(DemoServerError) as excinfo:
        DemoServer(data=tmp_path / "missing.jsonl", timeout=60).start()
    assert "no such data file" in str(excinfo.value)


def test_command_line_rejects_bad_options() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "tui.demo", "--days", "0"],
                            capture_output=True, text=True, env=env, timeout=30)
    assert result.returncode == 2
    assert "--days" in result.stderr


def test_a_parquet_export_is_served(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from datetime import UTC, datetime

    table = pa.table({
        "request_id": ["7d3f6a9e-0d1c-4c1e-9a4b-000000000001",
                       "7d3f6a9e-0d1c-4c1e-9a4b-000000000002"],
        "request_created_at": pa.array([datetime(2025, 2, 3, 10, tzinfo=UTC),
                                        datetime(2025, 2, 3, 11, tzinfo=UTC)],
                                       pa.timestamp("ms", tz="UTC")),
        "model": ["gpt-4o", "gpt-4o"],
        "scores": pa.array([[("accuracy", 70)], [("accuracy", 90)]],
                           pa.map_(pa.string(), pa.int64())),
        "properties": pa.array([[("Helicone-Session-Id", "s1")], [("Helicone-Session-Id", "s1")]],
                               pa.map_(pa.string(), pa.string())),
        "cost": pa.array([1_000_000_000, 500_000_000], pa.uint64()),
    })
    path = tmp_path / "export.parquet"
    pq.write_table(table, path)
    with DemoServer(data=path, timeout=60) as server:
        client = Client(server)
        day = {"start": "2025-02-03", "end": "2025-02-03T23:59:59Z"}
        rows = client.data(SCORES, {"userFilter": "all", "dbIncrement": "day",
                                    "timeZoneDifference": 0, "timeFilter": day})
        assert rows == [{"created_at_trunc": "2025-02-03T00:00:00.000Z",
                         "score_key": "accuracy", "score_sum": 80}]
        sessions = client.data(SESSIONS, {"nameContains": "", "timezoneDifference": 0})
        assert sessions["average"] == {"session_cost": [{"average": 1.5}],
                                       "session_duration": [{"average": 3600}],
                                       "session_count": [{"average": 2}]}
