"""The command line contract: options, usage errors (exit 2), time flags, and the app hand-off."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tui import __version__, clock
from tui.cli import main

ROOT = Path(__file__).resolve().parents[1]
NOW = "2026-11-20T12:00:00Z"
SECRET = "sk-helicone-clitest-SECRET-5555-abcd"


@pytest.fixture(autouse=True)
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in list(os.environ):
        if name.startswith("HELICONE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("TZ", "UTC")
    clock.fix(None)
    yield
    clock.fix(None)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def curl_body(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    code, out, err = run(capsys, "query", *argv, "--curl", "--now", NOW)
    assert code == 0, err
    words = shlex.split(out.replace("\\\n", ""))
    return json.loads(words[words.index("--data") + 1])


# --------------------------------------------------------------------------- basics


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"helicone-tui {__version__}"


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys, contextlib, io\n"
        "from tui.cli import main\n"
        "for argv in (['--help'], ['query', '--help'], ['doctor', '--help']):\n"
        "    with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "        main(argv)\n"
        "print(sorted(m for m in ('httpx', 'pydantic', 'textual', 'chdb') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"


def test_query_help_lists_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["query", "--help"])
    text = capsys.readouterr().out
    for option in ("--demo", "--seed", "--data", "--base-url", "--eu", "--allow-insecure-http",
                   "--timeout", "--filter", "--filter-json", "--since", "--start", "--end",
                   "--increment", "--tz-offset", "--limit", "--offset", "--p-size",
                   "--interquartile", "--session-name", "--format", "--curl", "--now"):
        assert option in text


# --------------------------------------------------------------------------- usage errors (2)


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["query", "scores", "--since", "1h", "--start", "2026-11-20T00:00"], "not allowed with"),
        (["query", "scores", "--end", "2026-11-20T00:00"], "--end needs --start"),
        (["query", "scores", "--since", "1y"], "m, h, d or w"),
        (["query", "scores", "--start", "2026-11-21T00:00Z", "--end", "2026-11-20T00:00Z"],
         "not before --end"),
        (["query", "scores", "--start", "tomorrow"], "not an ISO 8601 time"),
        (["query", "evals", "--increment", "day"],
         "--increment applies to breakdown, overview and scores only, not evals"),
        (["query", "scores", "--limit", "10"],
         "--limit applies to distributions, evals and requests only"),
        (["query", "distributions", "--p-size", "p99"], "--p-size applies to sessions only"),
        (["query", "evals", "--interquartile"], "--interquartile applies to sessions only"),
        (["query", "scores", "--session-name", "x"], "--session-name applies to sessions only"),
        (["query", "scores", "--tz-offset", "2000"], "outside Helicone's [-1440, 1440]"),
        (["query", "scores", "--filter", "session_tag = 'a'"], "only `query sessions` can send"),
        (["query", "scores", "--filter-json", "{not json"], "--filter-json is not JSON"),
        (["query", "scores", "--filter-json", '{"request_response_rmt": {"nope": {}}}'],
         "bad --filter-json"),
        (["query", "scores", "--base-url", "http://helicone.example.com"],
         "refusing to send the API key over plain http://"),
        (["query", "scores", "--base-url", "ftp://x"], "is not an http(s) URL"),
        (["query", "scores", "--seed", "3"], "--seed goes with --demo"),
        (["query", "scores", "--demo", "--curl"], "--curl with --demo"),
        (["query", "scores", "--now", "noon"], "--now:"),
        (["query", "scores", "--timeout", "0"], "must be more than 0"),
        (["query", "nonsense"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], words: str):
    try:
        code = main([*argv, "--curl"] if "--curl" not in argv else argv)
    except SystemExit as exc:  # argparse's own errors
        code = exc.code  # type: ignore[assignment]
    err = capsys.readouterr().err
    assert code == 2
    assert words in err


def test_bad_filter_text_names_the_column(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "query", "scores", "--curl",
                         "--filter", "model = 'a' and latency ilike 'x'")
    assert code == 2 and out == ""
    first, text, caret = err.splitlines()[:3]
    assert first.startswith("helicone-tui: bad --filter: col ")
    column = int(first.split("col ")[1].split(":")[0])
    assert text == "  model = 'a' and latency ilike 'x'"
    assert caret == "  " + " " * (column - 1) + "^"
    assert "ilike" in first


def test_bad_helicone_tui_now_environment(capsys, monkeypatch) -> None:
    monkeypatch.setenv("HELICONE_TUI_NOW", "soon")
    code, _, err = run(capsys, "query", "scores", "--curl")
    assert code == 2 and "$HELICONE_TUI_NOW" in err


def test_filter_json_notices_go_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    leaf = {"request_response_rmt": {"model": {"equals": "gpt-4o"}, "status": {"gte": 500}}}
    code, out, err = run(capsys, "query", "scores", "--curl", "--now", NOW,
                         "--filter-json", json.dumps(leaf))
    assert code == 0
    assert "note:" in err and "Helicone itself would have applied only" in err
    body = json.loads(shlex.split(out.replace("\\\n", ""))[-1])
    assert body["userFilter"]["operator"] == "and"  # one condition per leaf now


# --------------------------------------------------------------------------- time flags


@pytest.mark.parametrize(
    ("since", "start", "increment"),
    [
        ("15m", "2026-11-20T11:45:00.000Z", "min"),
        ("5h", "2026-11-20T07:00:00.000Z", "min"),
        ("6h", "2026-11-20T06:00:00.000Z", "hour"),
        ("2d", "2026-11-18T12:00:00.000Z", "hour"),
        ("3d", "2026-11-17T12:00:00.000Z", "day"),
        ("2w", "2026-11-06T12:00:00.000Z", "day"),
    ],
)
def test_since_sets_the_window_and_the_increment(capsys, since: str, start: str, increment: str):
    body = curl_body(capsys, "scores", "--since", since)
    assert body["timeFilter"] == {"start": start, "end": "2026-11-20T12:00:00.000Z"}
    assert body["dbIncrement"] == increment


def test_default_range_is_24h(capsys) -> None:
    body = curl_body(capsys, "evals")
    assert body["timeFilter"]["start"] == "2026-11-19T12:00:00.000Z"


def test_now_from_the_environment(capsys, monkeypatch) -> None:
    monkeypatch.setenv("HELICONE_TUI_NOW", "2026-01-01T00:00:00Z")
    code, out, _ = run(capsys, "query", "evals", "--curl", "--since", "1h")
    assert code == 0 and '"end": "2026-01-01T00:00:00.000Z"' in out


def test_start_end_with_and_without_zones(capsys, monkeypatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    body = curl_body(capsys, "scores", "--start", "2026-07-01T00:00", "--end", "2026-07-02T00:00")
    assert body["timeFilter"] == {"start": "2026-07-01T04:00:00.000Z",
                                  "end": "2026-07-02T04:00:00.000Z"}
    assert body["timeZoneDifference"] == 240  # summer
    body = curl_body(capsys, "scores", "--start", "2026-11-19T00:00Z", "--end", "2026-11-20T00:00Z")
    assert body["timeFilter"] == {"start": "2026-11-19T00:00:00.000Z",
                                  "end": "2026-11-20T00:00:00.000Z"}
    assert body["timeZoneDifference"] == 300  # winter
    body = curl_body(capsys, "sessions", "--start", "2026-11-20T06:00")  # --end: now
    assert body["timeFilter"] == {"startTimeUnixMs": 1795172400000, "endTimeUnixMs": 1795176000000}


def test_tz_offset_sign_is_passed_through(capsys, monkeypatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    assert curl_body(capsys, "scores")["timeZoneDifference"] == -60  # CET: negative east
    assert curl_body(capsys, "scores", "--tz-offset", "300")["timeZoneDifference"] == 300
    assert curl_body(capsys, "evals", "--tz-offset", "-330")["timeZoneDifference"] == -330


def test_dst_through_a_subprocess_tz(tmp_path: Path) -> None:
    """The real program with TZ set in its environment: summer 240, winter 300."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELICONE_")}
    env.update({"TZ": "America/New_York", "XDG_CONFIG_HOME": str(tmp_path)})
    offsets = []
    for now in ("2026-07-15T12:00:00Z", "2026-12-15T12:00:00Z"):
        done = subprocess.run(
            [sys.executable, "-m", "tui", "query", "scores", "--curl", "--now", now],
            capture_output=True, text=True, env=env, cwd=ROOT, check=True,
        )
        offsets.append(json.loads(shlex.split(done.stdout.replace("\\\n", ""))[-1])
                       ["timeZoneDifference"])
    assert offsets == [240, 300]


def test_options_reach_the_body(capsys) -> None:
    assert curl_body(capsys, "scores", "--increment", "week")["dbIncrement"] == "week"
    body = curl_body(capsys, "evals", "--limit", "10", "--offset", "20")
    assert (body["limit"], body["offset"]) == (10, 20)
    body = curl_body(capsys, "sessions", "--p-size", "p50", "--interquartile",
                     "--session-name", "Checkout")
    assert (body["pSize"], body["useInterquartile"], body["nameContains"]) == (
        "p50", True, "Checkout")


# --------------------------------------------------------------------------- target


def test_base_url_sources(capsys, monkeypatch) -> None:
    def url(*argv: str) -> str:
        code, out, err = run(capsys, "query", "scores", "--curl", *argv)
        assert code == 0, err
        words = shlex.split(out.replace("\\\n", ""))
        return words[words.index("--url") + 1]

    assert url() == "https://api.helicone.ai/v1/dashboard/scores/query"
    assert url("--eu") == "https://eu.api.helicone.ai/v1/dashboard/scores/query"
    monkeypatch.setenv("HELICONE_BASE_URL", "https://helicone.internal.example/")
    assert url() == "https://helicone.internal.example/v1/dashboard/scores/query"
    assert url("--base-url", "http://localhost:8585") == (
        "http://localhost:8585/v1/dashboard/scores/query")
    assert url("--base-url", "http://10.0.0.5:8585", "--allow-insecure-http").startswith(
        "http://10.0.0.5:8585/")


def test_demo_without_the_extra_says_how_to_install(capsys, monkeypatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "chdb" else real(name, *a))
    code, _, err = run(capsys, "query", "scores", "--demo")
    assert code == 2 and "install helicone-tui[demo]" in err
    code, _, err = run(capsys, "demo-server")
    assert code == 2 and "install helicone-tui[demo]" in err


# --------------------------------------------------------------------------- the app hand-off


def test_plain_invocation_hands_the_resolved_context_to_the_app(capsys, monkeypatch) -> None:
    seen: dict[str, Any] = {}

    def fake_run(args: Any) -> int:
        seen.update(vars(args))
        return 0

    monkeypatch.setitem(sys.modules, "tui.app", types.SimpleNamespace(run=fake_run))
    monkeypatch.setenv("HELICONE_API_KEY", SECRET)
    code, _, err = run(capsys, "--eu", "--filter", "status >= 500", "--since", "6h",
                       "--watch", "10", "--now", NOW)
    assert code == 0, err
    assert seen["base_url"] == "https://eu.api.helicone.ai"
    assert seen["api_key"].reveal() == SECRET and SECRET not in repr(seen["api_key"])
    assert seen["watch"] == 10.0 and seen["demo"] is False
    assert seen["time_range"].describe() == "last 6h"
    assert seen["now"].isoformat() == "2026-11-20T12:00:00+00:00"
    from tui.filters.text import format as format_filter

    assert format_filter(seen["filter"]) == "status >= 500"


def test_app_needs_a_key(capsys, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "tui.app", types.SimpleNamespace(run=lambda args: 0))
    code, _, err = run(capsys, "--since", "1h")
    assert code == 2 and "no API key" in err


# --------------------------------------------------------------------------- presets


def write_presets(path: Path) -> Path:
    path.write_text(
        "# the team's presets\n"
        "[presets.gpt4-errors]\n"
        'description = "GPT-4 failures"\n'
        "filter = \"model ilike '%gpt-4%' and status >= 500\"\n"
        'since = "6h"\n'
        'increment = "min"\n'
        'p_size = "p95"\n'
        'session_name = "checkout"\n'
        "[presets.fixed]\n"
        'filter = "status = 429"\n'
        'start = "2026-11-18T00:00:00Z"\n'
        'end = "2026-11-19T00:00:00Z"\n'
    )
    return path


def test_query_preset_brings_its_filter_range_and_tab_options(capsys, tmp_path) -> None:
    from tui.filters.text import parse
    from tui.filters.wire import to_wire

    file = str(write_presets(tmp_path / "presets.toml"))
    body = curl_body(capsys, "scores", "--preset", "gpt4-errors", "--presets-file", file)
    assert body["userFilter"] == to_wire(parse("model ilike '%gpt-4%' and status >= 500"))
    assert body["timeFilter"] == {"start": "2026-11-20T06:00:00.000Z",
                                  "end": "2026-11-20T12:00:00.000Z"}
    assert body["dbIncrement"] == "min"
    # The sessions options belong to sessions; the increment to scores: each where it applies.
    body = curl_body(capsys, "sessions", "--preset", "gpt4-errors", "--presets-file", file)
    assert (body["pSize"], body["nameContains"]) == ("p95", "checkout")
    body = curl_body(capsys, "evals", "--preset", "fixed", "--presets-file", file)
    assert body["timeFilter"] == {"start": "2026-11-18T00:00:00.000Z",
                                  "end": "2026-11-19T00:00:00.000Z"}


def test_explicit_options_replace_the_presets(capsys, tmp_path, monkeypatch) -> None:
    from tui.filters.text import parse
    from tui.filters.wire import to_wire

    monkeypatch.setenv("HELICONE_TUI_PRESETS", str(write_presets(tmp_path / "team.toml")))
    body = curl_body(capsys, "scores", "--preset", "gpt4-errors", "--filter", "status = 200",
                     "--since", "2d", "--increment", "hour")
    assert body["userFilter"] == to_wire(parse("status = 200"))
    assert body["timeFilter"]["start"] == "2026-11-18T12:00:00.000Z"
    assert body["dbIncrement"] == "hour"
    body = curl_body(capsys, "scores", "--preset", "fixed", "--start", "2026-11-20T10:00:00Z")
    assert body["timeFilter"] == {"start": "2026-11-20T10:00:00.000Z",
                                  "end": "2026-11-20T12:00:00.000Z"}
    assert body["userFilter"] == to_wire(parse("status = 429"))
    body = curl_body(capsys, "sessions", "--preset", "gpt4-errors", "--p-size", "p50")
    assert (body["pSize"], body["nameContains"]) == ("p50", "checkout")


def test_preset_problems_exit_2(capsys, tmp_path) -> None:
    file = write_presets(tmp_path / "presets.toml")
    code, out, err = run(capsys, "query", "scores", "--preset", "nope", "--presets-file",
                         str(file), "--curl")
    assert code == 2 and not out
    assert "no preset named 'nope'" in err and "fixed, gpt4-errors" in err  # the known ones
    broken = tmp_path / "broken.toml"
    broken.write_text('[presets.a]\nfilter = "all"\nsince = \n')
    code, _, err = run(capsys, "query", "scores", "--preset", "a", "--presets-file", str(broken),
                       "--curl")
    assert code == 2 and "line 3" in err
    assert broken.read_text() == '[presets.a]\nfilter = "all"\nsince = \n'  # left alone
    bad = tmp_path / "bad.toml"
    bad.write_text('[presets.a]\nfilter = "latency ilike 1"\n')
    code, _, err = run(capsys, "query", "scores", "--preset", "a", "--presets-file", str(bad),
                       "--curl")
    assert code == 2 and "preset 'a'" in err and "col 9" in err


def test_the_app_gets_the_preset_and_the_presets_file(capsys, monkeypatch, tmp_path) -> None:
    seen: dict[str, Any] = {}

    def fake_run(args: Any) -> int:
        seen.update(vars(args))
        return 0

    file = write_presets(tmp_path / "presets.toml")
    monkeypatch.setitem(sys.modules, "tui.app", types.SimpleNamespace(run=fake_run))
    monkeypatch.setenv("HELICONE_API_KEY", SECRET)
    code, _, err = run(capsys, "--preset", "gpt4-errors", "--presets-file", str(file),
                       "--now", NOW)
    assert code == 0, err
    from tui.filters.text import format as format_filter

    assert format_filter(seen["filter"]) == "model ilike '%gpt-4%' and status >= 500"
    assert seen["time_range"].describe() == "last 6h"
    assert seen["preset"].name == "gpt4-errors" and seen["preset"].increment == "min"
    assert seen["presets_file"] == file
    code, _, err = run(capsys, "--preset", "gone", "--presets-file", str(file))
    assert code == 2 and "gpt4-errors" in err


# --------------------------------------------------------------------------- --demo end to end


@pytest.mark.demo
def test_query_against_a_demo_server(tmp_path: Path) -> None:
    pytest.importorskip("chdb")
    pytest.importorskip("tui.demo.process")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELICONE_")}
    env.update({"TZ": "UTC", "XDG_CONFIG_HOME": str(tmp_path)})
    done = subprocess.run(
        [sys.executable, "-m", "tui", "query", "scores", "--demo", "--seed", "7",
         "--since", "6h", "--now", NOW, "--format", "csv"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "created_at_trunc,score_key,score_sum"
    assert len(lines) > 1


# --------------------------------------------------------------------------- the real program


def cli(*argv: str, env_extra: dict[str, str] | None = None,
        home: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m tui ARGV` as a user runs it (its own process, TZ=UTC unless told)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELICONE_")}
    env.update({"TZ": "UTC", "XDG_CONFIG_HOME": str(home or ROOT / "no-such-config")})
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "tui", *argv], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)


def assert_one_line_exit_2(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stdout == ""
    return done.stderr


SESSIONS_ANSWER = {
    "data": {
        "session_count": [{"range_start": "1", "range_end": "2", "value": 3}],
        "session_duration": [],
        "session_cost": [],
        "average": {"session_cost": [{"average": None}], "session_duration": [{"average": 1.5}],
                    "session_count": [{"average": 2}]},
    },
    "error": None,
}


def test_the_sessions_note_says_the_p_size_a_preset_sent(tmp_path: Path) -> None:
    from integration.faultserver import FaultServer, Reply

    file = write_presets(tmp_path / "presets.toml")  # gpt4-errors holds p_size = "p95"
    with FaultServer() as server:
        server.reply("/v1/session/metrics/query", Reply(200, SESSIONS_ANSWER))
        done = cli("query", "sessions", "--preset", "gpt4-errors", "--presets-file", str(file),
                   "--base-url", server.url, "--now", NOW,
                   env_extra={"HELICONE_API_KEY": SECRET})
        sent = server.requests[-1].json()
    assert done.returncode == 0, done.stderr
    assert sent["pSize"] == "p95"
    assert "histograms trimmed at p95" in done.stdout
    assert "p75" not in done.stdout


def test_a_caveat_field_is_warned_about_once_on_stderr(capsys) -> None:
    code, out, err = run(capsys, "query", "scores", "--filter",
                         "total_tokens > 5 and total_tokens < 500 and model = 'x'",
                         "--curl", "--now", NOW)
    assert code == 0, err
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert len(warnings) == 1, err
    assert "total_tokens" in warnings[0] and "no column in Helicone's published schema" in err
    assert "warning" not in out  # stdout stays the curl command


def _curl_data(stdout: str) -> str:
    """The --data text of a curl command (shlex is far too slow for megabytes of it)."""
    quoted = stdout.split("  --data ", 1)[1].rstrip("\n")
    assert quoted[0] == quoted[-1] == "'"
    return quoted[1:-1].replace("'\"'\"'", "'")


@pytest.mark.parametrize("count", [254, 1000])
def test_long_filter_chains_go_through_the_real_program(count: int) -> None:
    from tui.api import wirejson

    text = " and ".join(f"status = {400 + i}" for i in range(count))
    done = cli("query", "scores", "--filter", text, "--curl", "--now", NOW)
    assert done.returncode == 0, done.stderr[-500:]
    assert "Traceback" not in done.stderr
    body = wirejson.loads(_curl_data(done.stdout), max_depth=5000)
    node, levels = body["userFilter"], 1
    while "right" in node:
        node, levels = node["right"], levels + 1
    assert levels == count
    assert node == {"request_response_rmt": {"status": {"equals": 400 + count - 1}}}
    # the tool's own wire filter is taken back by --filter-json, and sent the same
    wire = wirejson.dumps(body["userFilter"], separators=(",", ":"))
    again = cli("query", "scores", "--filter-json", wire, "--curl", "--now", NOW)
    assert again.returncode == 0, again.stderr[-500:]
    assert again.stdout == done.stdout


@pytest.mark.parametrize("depth", [1500, 100_000])
def test_filter_json_nested_too_deep_is_one_line_exit_2(depth: int) -> None:
    # (100,000 deep is written without its closers: argv takes at most 128 KB an argument)
    text = "[" * depth + "]" * depth if depth < 50_000 else "[" * depth
    done = cli("query", "scores", "--filter-json", text, "--curl")
    err = assert_one_line_exit_2(done)
    assert "--filter-json" in err


def test_a_filter_beyond_the_limit_is_one_line_exit_2() -> None:
    from tui.filters.tree import MAX_CONDITIONS

    text = " or ".join(f"status = {i}" for i in range(MAX_CONDITIONS + 1))
    err = assert_one_line_exit_2(cli("query", "scores", "--filter", text, "--curl"))
    assert f"at most {MAX_CONDITIONS}" in err


@pytest.mark.parametrize("text", ["model = '\\ud800'", "model = 'gpt-\ud800'",
                                  "properties.'\udcff' = 'x'"])
def test_a_lone_surrogate_in_the_filter_is_an_error_at_its_column(capsys, text: str) -> None:
    code, out, err = run(capsys, "query", "scores", "--filter", text, "--curl")
    assert code == 2 and out == ""
    assert "Traceback" not in err
    assert "col " in err and "surrogate" in err


def test_a_filter_timestamp_without_a_zone_is_local_time_as_start_is() -> None:
    """New York, through the real program: both sent as the same UTC instant, with a Z."""
    done = cli("query", "scores", "--filter", "request_created_at >= '2026-11-15T06:00'",
               "--start", "2026-11-15T06:00", "--now", NOW, "--curl",
               env_extra={"TZ": "America/New_York"})
    assert done.returncode == 0, done.stderr
    body = json.loads(_curl_data(done.stdout))
    assert body["timeFilter"]["start"] == "2026-11-15T11:00:00.000Z"
    assert body["userFilter"] == {"request_response_rmt": {"request_created_at": {
        "gte": "2026-11-15T11:00:00.000Z"}}}
    bad = cli("query", "scores", "--filter", "request_created_at >= '2026-W46'", "--curl")
    assert bad.returncode == 2 and "col 23" in bad.stderr and "Traceback" not in bad.stderr
