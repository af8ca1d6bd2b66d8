"""`query --curl`: the request as a curl command, parsed back, checked against the strict spec."""

from __future__ import annotations

import json
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_schema_validator import OAS30Validator

from tui import clock
from tui.api.curl import curl_command
from tui.cli import main

SPEC_PATH = Path(__file__).resolve().parents[2] / "tui" / "api" / "spec" / "openapi.strict.yaml"
SECRET = "sk-helicone-curltest-SECRET-9876-abcd"
NOW = "2026-11-20T12:00:00Z"

PATHS = {
    "scores": "/v1/dashboard/scores/query",
    "evals": "/v1/evals/query",
    "distributions": "/v1/evals/score-distributions/query",
    "sessions": "/v1/session/metrics/query",
}

FILTERS = [
    None,
    "model ilike '%gpt-4%' and (status >= 500 or latency > 10000)",
    "properties.environment = 'production' and scores.accuracy = 80",
    "request_created_at >= '2026-11-01T00:00:00Z' or helicone-score-feedback = false",
    "user_id = 'O\\'Brien' or user_id contains '$HOME \"quoted\" `cmd`'",
    "cost >= 0.25 and cached = true and properties.\"team name\" != 'a b'",
]


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC_PATH.read_text())


@pytest.fixture(autouse=True)
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("HELICONE_API_KEY", SECRET)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.delenv("HELICONE_BASE_URL", raising=False)
    monkeypatch.setenv("TZ", "America/New_York")
    yield
    clock.fix(None)


def request_schema(spec: dict[str, Any], path: str) -> OAS30Validator:
    schema = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    return OAS30Validator({**schema, "components": spec["components"]})


def curl_of(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(["query", *args, "--curl", "--now", NOW])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert SECRET not in out and SECRET not in err
    return out


def parse_curl(text: str) -> dict[str, Any]:
    # A shell removes backslash-newline (line continuation); shlex does not. The JSON body never
    # holds a backslash before a newline (JSON escapes newlines), so this is safe here.
    words = shlex.split(text.replace("\\\n", ""))
    assert words[:3] == ["curl", "--request", "POST"]
    parsed: dict[str, Any] = {"headers": []}
    it = iter(words[3:])
    for word in it:
        value = next(it)
        if word == "--header":
            parsed["headers"].append(value)
        else:
            parsed[word.removeprefix("--")] = value
    return parsed


@pytest.mark.parametrize("endpoint", sorted(PATHS))
@pytest.mark.parametrize("filter_text", FILTERS)
def test_curl_body_is_valid_for_the_strict_spec(
    capsys: pytest.CaptureFixture[str], spec: dict[str, Any], endpoint: str, filter_text: str | None
) -> None:
    args = [endpoint] + (["--filter", filter_text] if filter_text else [])
    text = curl_of(capsys, *args)
    parsed = parse_curl(text)
    assert parsed["url"] == "https://api.helicone.ai" + PATHS[endpoint]
    assert "Content-Type: application/json" in parsed["headers"]
    assert "Authorization: Bearer $HELICONE_API_KEY" in parsed["headers"]
    assert '"Authorization: Bearer $HELICONE_API_KEY"' in text  # double quotes: the shell expands
    body = json.loads(parsed["data"])
    errors = [e.message for e in request_schema(spec, PATHS[endpoint]).iter_errors(body)]
    assert errors == []
    if endpoint == "sessions":
        assert body["timeFilter"] == {"startTimeUnixMs": 1795089600000,
                                      "endTimeUnixMs": 1795176000000}
    else:
        assert body["timeFilter"] == {"start": "2026-11-19T12:00:00.000Z",
                                      "end": "2026-11-20T12:00:00.000Z"}


def test_the_done_when_example(capsys: pytest.CaptureFixture[str]) -> None:
    text = curl_of(
        capsys, "scores", "--since", "24h",
        "--filter", "model ilike '%gpt-4%' and (status >= 500 or latency > 10000)",
    )
    body = json.loads(parse_curl(text)["data"])
    assert body == {
        "timeFilter": {"start": "2026-11-19T12:00:00.000Z", "end": "2026-11-20T12:00:00.000Z"},
        "userFilter": {
            "left": {"request_response_rmt": {"model": {"ilike": "%gpt-4%"}}},
            "operator": "and",
            "right": {
                "left": {"request_response_rmt": {"status": {"gte": 500}}},
                "operator": "or",
                "right": {"request_response_rmt": {"latency": {"gt": 10000}}},
            },
        },
        "dbIncrement": "hour",
        "timeZoneDifference": 300,  # New York in November
    }


def test_sessions_curl_carries_session_fields_and_options(
    capsys: pytest.CaptureFixture[str], spec: dict[str, Any]
) -> None:
    text = curl_of(
        capsys, "sessions", "--filter", "session_tag = 'checkout' and cost > 0.5",
        "--p-size", "p99.9", "--interquartile", "--session-name", "Checkout flow", "--eu",
    )
    parsed = parse_curl(text)
    assert parsed["url"] == "https://eu.api.helicone.ai/v1/session/metrics/query"
    body = json.loads(parsed["data"])
    assert body["pSize"] == "p99.9" and body["useInterquartile"] is True
    assert body["nameContains"] == "Checkout flow"
    assert list(request_schema(spec, PATHS["sessions"]).iter_errors(body)) == []


def test_curl_names_the_base_url_host(capsys: pytest.CaptureFixture[str]) -> None:
    parsed = parse_curl(curl_of(capsys, "evals", "--base-url", "http://127.0.0.1:8585/"))
    assert parsed["url"] == "http://127.0.0.1:8585/v1/evals/query"


def test_curl_needs_no_key(capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    monkeypatch.delenv("HELICONE_API_KEY")
    assert "$HELICONE_API_KEY" in curl_of(capsys, "scores")


def test_a_real_shell_expands_the_key_and_keeps_the_body(tmp_path: Path) -> None:
    body = {"filter": {"request_response_rmt": {"user_id": {"equals": "O'Brien $HOME `x` \\n"}}}}
    command = curl_command("https://api.helicone.ai/v1/evals/query", body)
    # A stand-in `curl` that prints its arguments, one per line, NUL-separated.
    script = "curl() { printf '%s\\0' \"$@\"; }\n" + command + "\n"
    done = subprocess.run(
        ["bash", "-c", script], capture_output=True, env={"HELICONE_API_KEY": "expanded-key"},
        check=True,
    )
    args = done.stdout.decode().split("\0")[:-1]
    assert "Authorization: Bearer expanded-key" in args
    assert json.loads(args[args.index("--data") + 1]) == body
