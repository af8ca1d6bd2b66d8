"""The client and `helicone-tui query` against a real HTTP server that fails as Helicone does.

Each failure shape is checked twice: in-process (the typed error, its one-line message and exit
code) and through the real CLI in a subprocess (exit status, stderr), and the key must appear in
none of stdout, stderr, messages, reprs or tracebacks.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from faultserver import FaultServer, Reply

from tui.api.client import (
    ApiError,
    AuthFailed,
    BadAnswer,
    ConnectionRefused,
    DnsFailed,
    HeliconeClient,
    HeliconeError,
    NetworkError,
    QueryFailed,
    RateLimited,
    RequestRejected,
    RequestTimedOut,
    ServerFailed,
    UsageError,
    auth_causes,
)
from tui.api.models import EndpointName, EvalQuery, ScoresQuery, SessionMetricsQuery, TimeFilter
from tui.config import ApiKey

KEY = "sk-helicone-testkey-SECRET-0123456789-wxyz"
MASKED = "sk-…wxyz"
SCORES = "/v1/dashboard/scores/query"
ROOT = Path(__file__).resolve().parents[2]

REQUEST = ScoresQuery(
    time_filter=TimeFilter(start="2026-11-20T11:00:00.000Z", end="2026-11-20T12:00:00.000Z"),
    user_filter="all",
    db_increment="min",
    time_zone_difference=0,
)

GOOD_ROWS = [
    {"created_at_trunc": "2026-11-20T11:00:00.000Z", "score_key": "accuracy", "score_sum": 81},
    {"created_at_trunc": "2026-11-20T11:01:00.000Z", "score_key": "", "score_sum": 0},
]


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as fs:
        fs.reply("/healthcheck", Reply(200, "healthy"))
        yield fs


def free_port() -> int:
    """A port nothing listens on (bound, then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FakeSleep:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def assert_no_key(*texts: str) -> None:
    for text in texts:
        assert KEY not in text
        assert "SECRET" not in text


def assert_clean_error(exc: HeliconeError) -> None:
    """One line, key-free message, key-free traceback."""
    assert "\n" not in exc.message
    assert_no_key(exc.message, str(exc), repr(exc), "".join(traceback.format_exception(exc)))


async def fail(server: FaultServer, *replies: Reply, **client_kwargs: object) -> HeliconeError:
    server.reply(SCORES, *replies)
    async with HeliconeClient(server.url, ApiKey(KEY), **client_kwargs) as client:  # type: ignore[arg-type]
        with pytest.raises(HeliconeError) as info:
            await client.scores(REQUEST)
    assert_clean_error(info.value)
    return info.value


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 30):
    """The real program in a subprocess, with a clean config and a fixed clock."""
    base_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("HELICONE_", "XDG_CONFIG"))
    }
    base_env.update({
        "HELICONE_API_KEY": KEY,
        "XDG_CONFIG_HOME": str(ROOT / "tests" / "integration" / "no-such-config-dir"),
        "TZ": "UTC",
        "PYTHONPATH": str(ROOT),
    })
    base_env.update(env or {})
    done = subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True, text=True, env=base_env, timeout=timeout, cwd=ROOT,
    )
    assert_no_key(done.stdout, done.stderr)
    return done


def query_cli(server_url: str, *extra: str, **kwargs: object):
    return run_cli(
        "query", "scores", "--base-url", server_url, "--since", "1h",
        "--now", "2026-11-20T12:00:00Z", *extra, **kwargs,  # type: ignore[arg-type]
    )


# --------------------------------------------------------------------------- success


async def test_success_sends_bearer_key_and_returns_typed_rows(server: FaultServer) -> None:
    server.reply(SCORES, Reply(200, {"data": GOOD_ROWS, "error": None}))
    async with HeliconeClient(server.url, ApiKey(KEY)) as client:
        rows = await client.scores(REQUEST)
        answer = await client.fetch(EndpointName.SCORES, REQUEST)
    assert [r.score_key for r in rows] == ["accuracy", ""]
    assert rows[0].score_sum == 81.0
    assert answer.raw == GOOD_ROWS  # the JSON as received, for --format json
    sent = server.requests[-1]
    assert sent.method == "POST" and sent.path == SCORES
    assert sent.headers["Authorization"] == f"Bearer {KEY}"
    assert sent.json() == REQUEST.to_wire()
    assert MASKED in repr(client) and KEY not in repr(client)


async def test_one_connection_serves_several_requests(server: FaultServer) -> None:
    server.reply(SCORES, Reply(200, {"data": [], "error": None}))
    async with HeliconeClient(server.url, ApiKey(KEY)) as client:
        for _ in range(3):
            await client.scores(REQUEST)
    # HTTP/1.1 keep-alive: the client did not ask to close between requests.
    assert all(r.headers.get("Connection", "").lower() != "close" for r in server.requests)
    assert len(server.requests) == 3


async def test_each_endpoint_method_returns_its_model(server: FaultServer) -> None:
    evals = {"data": [{"name": "a", "averageScore": None, "minScore": 0, "maxScore": 0,
                       "count": 0, "overTime": [], "averageOverTime": []}], "error": None}
    dists = {"data": [{"name": "a", "distribution": [{"lower": 0, "upper": 1, "value": 2}]}],
             "error": None}
    sessions = {"data": {"session_count": [{"range_start": "1", "range_end": "2", "value": 3}],
                         "session_duration": [], "session_cost": [],
                         "average": {"session_cost": [{"average": None}],
                                     "session_duration": [{"average": 1.5}],
                                     "session_count": [{"average": 2}]}}, "error": None}
    server.reply("/v1/evals/query", Reply(200, evals))
    server.reply("/v1/evals/score-distributions/query", Reply(200, dists))
    server.reply("/v1/session/metrics/query", Reply(200, sessions))
    eval_q = EvalQuery(filter="all", time_filter=REQUEST.time_filter)
    sess_q = SessionMetricsQuery(name_contains="", timezone_difference=0)
    async with HeliconeClient(server.url, KEY) as client:
        assert (await client.evals(eval_q))[0].average_score is None
        assert (await client.distributions(eval_q))[0].distribution[0].value == 2
        metrics = await client.session_metrics(sess_q)
        assert metrics.session_count[0].range_start == "1"
        assert metrics.average.session_cost[0].average is None
        generic = await client.query("evals", eval_q)
        assert generic[0].name == "a"
        with pytest.raises(TypeError):
            await client.query("sessions", eval_q)


def test_cli_success_prints_data_json_unchanged(server: FaultServer) -> None:
    server.reply(SCORES, Reply(200, {"data": GOOD_ROWS, "error": None}))
    done = query_cli(server.url, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == GOOD_ROWS
    assert '"score_sum": 81' in done.stdout  # not re-typed to 81.0
    assert server.requests[-1].headers["Authorization"] == f"Bearer {KEY}"


# --------------------------------------------------------------------------- 401


async def test_401_names_the_likely_causes(server: FaultServer) -> None:
    body = {"error": "No API key found", "trace": "isAuthenticated.error"}
    exc = await fail(server, Reply(401, body))
    assert isinstance(exc, AuthFailed) and exc.exit_code == 3 and exc.status == 401
    assert "refused the API key (401: No API key found)" in exc.message
    assert "another region" in exc.message  # US keys on the EU API and the reverse
    assert "write permission" in exc.message  # a read-only key
    assert "doctor" in exc.message
    assert exc.reason == "No API key found"
    assert len(exc.causes) >= 3


async def test_401_echoing_the_key_is_scrubbed(server: FaultServer) -> None:
    body = {"error": f"Invalid auth header: Bearer {KEY}", "trace": "isAuthenticated.error"}
    exc = await fail(server, Reply(401, body))
    assert MASKED in exc.message


def test_cli_401_exits_3(server: FaultServer) -> None:
    server.reply(SCORES, Reply(401, {"error": "Invalid auth header", "trace": "x"}))
    done = query_cli(server.url)
    assert done.returncode == 3
    assert "refused the API key (401: Invalid auth header)" in done.stderr
    assert done.stdout == ""


# --------------------------------------------------------------------------- 422

VALIDATION = {
    "message": "Validation Failed",
    "details": {
        "requestBody.userFilter": {
            "message": "Could not match the union against any of the items",
            "value": {"request_response_rmt": {"latency": {"gte": "x"}}},
        }
    },
}


async def test_422_names_the_field(server: FaultServer) -> None:
    exc = await fail(server, Reply(422, VALIDATION))
    assert isinstance(exc, RequestRejected) and exc.exit_code == 3
    assert exc.field == "userFilter"
    assert "422 Validation Failed" in exc.message
    assert "userFilter: Could not match the union" in exc.message


def test_cli_422_exits_3(server: FaultServer) -> None:
    server.reply(SCORES, Reply(422, VALIDATION))
    done = query_cli(server.url)
    assert done.returncode == 3
    assert "userFilter" in done.stderr


# --------------------------------------------------------------------------- 429


async def test_429_retries_honouring_retry_after_then_reports(server: FaultServer) -> None:
    limited = Reply(429, {"error": "Too many requests, please try again later."},
                    headers={"Retry-After": "2"})
    sleep = FakeSleep()
    exc = await fail(server, limited, sleep=sleep, max_retries=3)
    assert isinstance(exc, RateLimited) and exc.exit_code == 3
    assert sleep.waits == [2.0, 2.0, 2.0]
    assert len(server.requests) == 4 and exc.attempts == 4
    assert "429: Too many requests" in exc.message and "wait" in exc.message


async def test_429_uses_ratelimit_reset_and_recovers(server: FaultServer) -> None:
    server.reply(
        SCORES,
        Reply(429, {"error": "Too many requests"}, headers={"RateLimit-Reset": "7"}),
        Reply(200, {"data": GOOD_ROWS, "error": None}),
    )
    sleep = FakeSleep()
    async with HeliconeClient(server.url, ApiKey(KEY), sleep=sleep) as client:
        rows = await client.scores(REQUEST)
    assert sleep.waits == [7.0]
    assert len(rows) == 2 and len(server.requests) == 2


async def test_429_without_hint_backs_off_exponentially(server: FaultServer) -> None:
    sleep = FakeSleep()
    exc = await fail(server, Reply(429, "slow down"), sleep=sleep, max_retries=3)
    assert isinstance(exc, RateLimited)
    assert sleep.waits == [1.0, 2.0, 4.0]


async def test_429_asking_for_too_long_a_wait_is_reported_at_once(server: FaultServer) -> None:
    sleep = FakeSleep()
    limited = Reply(429, {"error": "Too many requests"}, headers={"Retry-After": "3600"})
    exc = await fail(server, limited, sleep=sleep, max_retry_wait=60)
    assert isinstance(exc, RateLimited)
    assert sleep.waits == [] and len(server.requests) == 1
    assert "asks to wait 3600 s" in exc.message


def test_cli_429_retries_then_exits_3(server: FaultServer) -> None:
    server.reply(SCORES, Reply(429, {"error": "Too many requests, please try again later."},
                               headers={"Retry-After": "0"}))
    done = query_cli(server.url)
    assert done.returncode == 3
    assert "rate-limiting" in done.stderr
    assert len(server.requests) == 4  # one try and three retries


# --------------------------------------------------------------------------- 5xx and bad bodies

FAILURES = [
    pytest.param(
        Reply(500, {"data": None, "error": "No request count found"}),
        ServerFailed, "failed (500: No request count found)", id="500-envelope",
    ),
    pytest.param(
        Reply(500, {"message": "Internal Server Error", "details": "Internal Server Error"}),
        ServerFailed, "failed (500: Internal Server Error)", id="500-message-details",
    ),
    pytest.param(
        Reply(500, {"message": "Query timeout. Try a shorter time range or simpler filters.",
                    "details": "max_execution_time exceeded"}),
        ServerFailed, "Query timeout. Try a shorter time range", id="500-timeout",
    ),
    pytest.param(
        Reply(502, "<html><body>502 Bad Gateway</body></html>", content_type="text/html"),
        ServerFailed, "failed (502: 502 Bad Gateway)", id="502-html",
    ),
    pytest.param(
        Reply(503, "upstream connect error or disconnect/reset before headers"),
        ServerFailed, "failed (503: upstream connect error or disconnect/reset",
        id="503-plain-text",
    ),
    pytest.param(
        Reply(200, {"data": None, "error": "Invalid time filter"}),
        QueryFailed, "could not run the scores query: Invalid time filter", id="200-error",
    ),
    pytest.param(
        Reply(200, '{"data": [', content_type="application/json"),
        BadAnswer, "is not valid JSON", id="malformed-json",
    ),
    pytest.param(
        Reply(200, {"data": [{"created_at_trunc": "2026-11-20T11:00:00.000Z",
                              "score_key": "a", "score_sum": "lots"}], "error": None}),
        BadAnswer, "does not match Helicone's scores response (data.0.score_sum", id="wrong-model",
    ),
    pytest.param(
        Reply(404, "Cannot POST /v1/dashboard/scores/query"),
        ApiError, "does not exist (404)", id="404",
    ),
]


@pytest.mark.parametrize(("reply", "kind", "words"), FAILURES)
async def test_api_failures_are_typed_with_a_clear_line(
    server: FaultServer, reply: Reply, kind: type[HeliconeError], words: str
) -> None:
    exc = await fail(server, reply)
    assert isinstance(exc, kind)
    assert exc.exit_code == 3
    assert words in exc.message


@pytest.mark.parametrize(("reply", "kind", "words"), FAILURES)
def test_cli_api_failures_exit_3(
    server: FaultServer, reply: Reply, kind: type[HeliconeError], words: str
) -> None:
    server.reply(SCORES, reply)
    done = query_cli(server.url)
    assert done.returncode == 3, done.stderr
    assert words in done.stderr
    assert done.stdout == ""


async def test_server_error_echoing_the_key_is_scrubbed(server: FaultServer) -> None:
    exc = await fail(server, Reply(500, f"boom: header was Bearer {KEY}"))
    assert isinstance(exc, ServerFailed)
    assert MASKED in exc.message


# --------------------------------------------------------------------------- network


async def test_connection_refused() -> None:
    async with HeliconeClient(f"http://127.0.0.1:{free_port()}", ApiKey(KEY)) as client:
        with pytest.raises(ConnectionRefused) as info:
            await client.scores(REQUEST)
    assert info.value.exit_code == 4
    assert "connection refused by 127.0.0.1" in info.value.message
    assert_clean_error(info.value)


def test_cli_connection_refused_exits_4() -> None:
    done = run_cli("query", "scores", "--since", "1h", "--base-url", "http://127.0.0.1:9")
    assert done.returncode == 4
    assert "connection refused by 127.0.0.1:9" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


async def test_dns_failure() -> None:
    async with HeliconeClient("https://helicone-tui-test.invalid", ApiKey(KEY)) as client:
        with pytest.raises(DnsFailed) as info:
            await client.scores(REQUEST)
    assert info.value.exit_code == 4
    assert "cannot resolve helicone-tui-test.invalid" in info.value.message
    assert_clean_error(info.value)


def test_cli_dns_failure_exits_4() -> None:
    done = run_cli("query", "evals", "--base-url", "https://helicone-tui-test.invalid")
    assert done.returncode == 4
    assert "cannot resolve" in done.stderr


async def test_timeout(server: FaultServer) -> None:
    exc = await fail(server, Reply(200, {"data": [], "error": None}, stall=30), timeout=0.5)
    assert isinstance(exc, RequestTimedOut) and exc.exit_code == 4
    assert "no answer from" in exc.message and "within 0.5 s" in exc.message


def test_cli_timeout_exits_4(server: FaultServer) -> None:
    server.reply(SCORES, Reply(200, {"data": [], "error": None}, stall=30))
    done = query_cli(server.url, "--timeout", "1")
    assert done.returncode == 4
    assert "within 1 s" in done.stderr


async def test_dropped_connection_is_a_network_error(server: FaultServer) -> None:
    exc = await fail(server, Reply(drop=True))
    assert isinstance(exc, NetworkError) and exc.exit_code == 4


# --------------------------------------------------------------------------- usage


def test_plain_http_to_a_remote_host_is_refused() -> None:
    with pytest.raises(UsageError) as info:
        HeliconeClient("http://helicone.example.com", ApiKey(KEY))
    assert info.value.exit_code == 2
    assert "--allow-insecure-http" in info.value.message
    HeliconeClient("http://helicone.example.com", ApiKey(KEY), allow_insecure_http=True)
    HeliconeClient("http://localhost:8585", ApiKey(KEY))
    HeliconeClient("http://[::1]:8585", ApiKey(KEY))


def test_cli_insecure_url_exits_2() -> None:
    done = run_cli("query", "scores", "--base-url", "http://helicone.example.com")
    assert done.returncode == 2
    assert "refusing to send the API key over plain http://" in done.stderr


def test_cli_no_key_exits_2(server: FaultServer) -> None:
    done = query_cli(server.url, env={"HELICONE_API_KEY": ""})
    assert done.returncode == 2
    assert "no API key: set $HELICONE_API_KEY" in done.stderr
    assert not [r for r in server.requests if r.method == "POST"]  # nothing was queried


def test_cli_key_from_api_key_command(server: FaultServer, tmp_path: Path) -> None:
    config = tmp_path / "helicone-tui" / "config.toml"
    config.parent.mkdir()
    config.write_text(f"api_key_command = \"echo '  {KEY}  '; echo second-line\"\n")
    server.reply(SCORES, Reply(200, {"data": [], "error": None}))
    done = query_cli(server.url, env={"HELICONE_API_KEY": "", "XDG_CONFIG_HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert server.requests[-1].headers["Authorization"] == f"Bearer {KEY}"


def test_cli_failing_api_key_command_is_explained(tmp_path: Path) -> None:
    config = tmp_path / "helicone-tui" / "config.toml"
    config.parent.mkdir()
    config.write_text("api_key_command = \"echo 'vault is locked' >&2; exit 3\"\n")
    env = {"HELICONE_API_KEY": "", "XDG_CONFIG_HOME": str(tmp_path)}
    done = run_cli("query", "scores", env=env)
    assert done.returncode == 2
    assert "api_key_command" in done.stderr and "exit status 3: vault is locked" in done.stderr


# --------------------------------------------------------------------------- doctor


def test_doctor_all_good(server: FaultServer) -> None:
    server.reply(SCORES, Reply(200, {"data": [], "error": None}))
    done = run_cli("doctor", "--base-url", server.url)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"key: {MASKED} from $HELICONE_API_KEY" in done.stdout
    assert "target answers: GET /healthcheck -> 200" in done.stdout
    assert "ok    key accepted" in done.stdout


def test_doctor_explains_a_401(server: FaultServer) -> None:
    body = {"error": "No API key found", "trace": "isAuthenticated.error"}
    server.reply(SCORES, Reply(401, body))
    done = run_cli("doctor", "--base-url", server.url)
    assert done.returncode == 3
    assert "key accepted: no" in done.stdout
    assert "write permission" in done.stdout and "another region" in done.stdout


def test_auth_causes_follow_the_region() -> None:
    us = auth_causes("https://api.helicone.ai", ApiKey("sk-helicone-aaaa-bbbb-cccc"))
    assert any("EU key on the US API: use --eu" in c for c in us)
    eu = auth_causes("https://eu.api.helicone.ai", ApiKey("sk-helicone-aaaa-bbbb-cccc"))
    assert any("US key on the EU API: drop --eu" in c for c in eu)
    eu_key = auth_causes("https://api.helicone.ai", ApiKey("sk-helicone-eu-aaaa-bbbb"))
    assert eu_key[0].startswith("the key looks like an EU key")
    public = auth_causes("https://api.helicone.ai", ApiKey("pk-helicone-aaaa-bbbb-cccc"))
    assert public[0].startswith("a pk- key is write-only")
    assert all("write permission" in c[-1] for c in (us, eu, eu_key, public))


def test_doctor_explains_a_missing_key(server: FaultServer) -> None:
    done = run_cli("doctor", "--base-url", server.url, env={"HELICONE_API_KEY": ""})
    assert done.returncode == 2
    assert "FAIL  key: no API key: set $HELICONE_API_KEY" in done.stdout
    assert "target answers" in done.stdout  # the other checks still run


def test_doctor_unreachable_target_exits_4() -> None:
    done = run_cli("doctor", "--base-url", f"http://127.0.0.1:{free_port()}")
    assert done.returncode == 4
    assert "FAIL  target answers: connection refused" in done.stdout


# --------------------------------------------------------------------------- the key itself


def test_api_key_is_masked_everywhere_but_reveal() -> None:
    import pickle

    from tui.config import mask

    key = ApiKey(f"  {KEY}\n")
    assert key.reveal() == KEY
    assert repr(key) == f"ApiKey({MASKED!r})" and str(key) == repr(key)
    assert f"{key}" == repr(key) and KEY not in f"{[key]}"
    assert key.scrub(f"got Bearer {KEY}!") == f"got Bearer {MASKED}!"
    assert mask("pk-helicone-eu-1234567890") == "pk-…7890"
    assert mask("short") == "…"
    with pytest.raises(TypeError):
        pickle.dumps(key)


def test_api_key_command_timeout_is_explained(tmp_path: Path) -> None:
    from tui.config import ConfigError, load_config, resolve_key

    config = tmp_path / "config.toml"
    config.write_text('api_key_command = ["sleep", "5"]\napi_key_command_timeout = 0.3\n')
    with pytest.raises(ConfigError) as info:
        resolve_key(load_config(config), env={})
    assert "did not finish within 0.3 s" in info.value.message
    assert info.value.exit_code == 2


def test_broken_config_file_is_reported_with_its_path(tmp_path: Path) -> None:
    from tui.config import ConfigError, load_config

    config = tmp_path / "config.toml"
    config.write_text("api_key_command = [1, 2\n")
    with pytest.raises(ConfigError) as info:
        load_config(config)
    assert str(config) in info.value.message and "not valid TOML" in info.value.message


def test_environment_key_wins_over_the_command(tmp_path: Path) -> None:
    from tui.config import load_config, resolve_key

    config = tmp_path / "config.toml"
    config.write_text('api_key_command = "exit 1"\n')
    found = resolve_key(load_config(config), env={"HELICONE_API_KEY": KEY})
    assert found is not None and found.key.reveal() == KEY
    assert found.source == "$HELICONE_API_KEY"
    assert resolve_key(load_config(tmp_path / "missing.toml"), env={}) is None


def test_a_mangled_key_is_refused_without_echoing_it() -> None:
    from tui.config import ConfigError, resolve_key

    with pytest.raises(ConfigError) as info:
        resolve_key(env={"HELICONE_API_KEY": "sk-helicone-SECRET part-two"})
    assert "spaces" in info.value.message and "SECRET" not in info.value.message
