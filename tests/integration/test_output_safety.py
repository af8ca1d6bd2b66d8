"""`helicone-tui query --format ...` against a real server on 127.0.0.1 whose eval names and score
keys hold escape sequences (issue 12, item 2): the table on stdout shows them as text, JSON
escapes them and reads back to the same names, CSV into a pipe keeps them as sent."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from faultserver import FaultServer, Reply

ROOT = Path(__file__).resolve().parents[2]
KEY = "sk-helicone-output-safety-0000"
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b[bold]x[/]"
RAW = ("\x1b", "\x07", "\x9b")

EVALS = [{
    "name": HOSTILE, "averageScore": 0.5, "minScore": 0.1, "maxScore": 0.9, "count": 4,
    "overTime": [{"date": "2026-11-20T10:00:00.000Z", "count": 4}],
    "averageOverTime": [{"date": "2026-11-20T10:00:00.000Z", "value": 0.5}],
}]
SCORES = [{"created_at_trunc": "2026-11-20T11:00:00.000Z", "score_key": HOSTILE, "score_sum": 1}]


@pytest.fixture
def server():
    with FaultServer() as fault:
        fault.reply("/v1/evals/query", Reply(200, {"data": EVALS, "error": None}))
        fault.reply("/v1/dashboard/scores/query", Reply(200, {"data": SCORES, "error": None}))
        yield fault


def query(server: FaultServer, endpoint: str, fmt: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HELICONE_", "XDG_CONFIG"))}
    env.update({
        "HELICONE_API_KEY": KEY,
        "XDG_CONFIG_HOME": str(ROOT / "tests" / "integration" / "no-such-config-dir"),
        "TZ": "UTC",
        "PYTHONPATH": str(ROOT),
    })
    done = subprocess.run(
        [sys.executable, "-m", "tui", "query", endpoint, "--base-url", server.url,
         "--since", "24h", "--now", "2026-11-20T12:00:00Z", "--format", fmt],
        capture_output=True, text=True, env=env, timeout=60, cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert KEY not in done.stdout + done.stderr
    return done


@pytest.mark.parametrize("endpoint", ["evals", "scores"])
def test_format_table_prints_server_text_as_escapes(server: FaultServer, endpoint: str) -> None:
    out = query(server, endpoint, "table").stdout
    for raw in RAW:
        assert raw not in out, (raw, out)
    assert "\\x1b]0;pwned\\x07\\x1b[2J\\x9b[bold]x[/]" in out


def test_format_json_escapes_them_and_reads_back_the_same_names(server: FaultServer) -> None:
    out = query(server, "evals", "json").stdout
    for raw in RAW:
        assert raw not in out
    assert json.loads(out)[0]["name"] == HOSTILE


def test_format_csv_into_a_pipe_keeps_the_names_as_sent(server: FaultServer) -> None:
    out = query(server, "evals", "csv").stdout
    assert next(csv.DictReader(io.StringIO(out)))["name"] == HOSTILE
