"""The real CLI against a server that answers with hostile or broken bodies (issue 12).

Every run must end with its exit status and exactly one line on stderr: no traceback, no terminal
control code, and the key in none of stdout, stderr or any file the run wrote.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from clirun import (
    KEY,
    MASKED,
    SCORES,
    assert_no_key,
    assert_one_clean_line,
    deep,
    key_forms,
    query,
    run_cli,
    scores_body,
)
from faultserver import FaultServer, Recorded, Reply

ROW = '{"created_at_trunc": "2026-11-20T11:00:00.000Z", "score_key": "a", "score_sum": %s}'
MB = 1 << 20


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as fs:
        fs.reply("/healthcheck", Reply(200, "healthy"))
        yield fs


# --------------------------------------------------------------------------- nesting (4)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(scores_body(deep(2_000)), id="2000-deep-in-data"),
        pytest.param(b'{"data": [], "error": null, "x": ' + deep(100_000).encode() + b"}",
                     id="100000-deep-in-an-unused-key"),
    ],
)
def test_deep_nesting_is_one_line_and_exit_3(server: FaultServer, tmp_path: Path, body) -> None:
    server.reply(SCORES, Reply(200, body, content_type="application/json"))
    line = assert_one_clean_line(query(tmp_path, server.url, "--format", "json"), 3)
    assert "nests deeper than 128 levels" in line


def test_doctor_with_a_deep_answer_exits_3_without_a_traceback(
    server: FaultServer, tmp_path: Path
) -> None:
    server.reply(SCORES, Reply(200, scores_body(deep(100_000)), content_type="application/json"))
    run = run_cli(tmp_path, "doctor", "--base-url", server.url)
    assert run.code == 3, run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert "nests deeper than 128 levels" in run.stdout
    assert_no_key(run)


# --------------------------------------------------------------------------- non-finite (9)


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_numbers_are_refused_not_printed(
    server: FaultServer, tmp_path: Path, number: str
) -> None:
    server.reply(SCORES, Reply(200, scores_body(f"[{ROW % number}]"),
                               content_type="application/json"))
    for fmt in ("json", "table", "csv"):
        run = query(tmp_path, server.url, "--format", fmt)
        line = assert_one_clean_line(run, 3)
        assert (number in line and "finite" in line) or "not a number JSON allows" in line
        assert run.stdout == ""  # nothing half-printed, never NaN


# --------------------------------------------------------------------------- size cap (8)


def test_a_50_mb_answer_stops_at_the_cap_with_memory_to_match(
    server: FaultServer, tmp_path: Path
) -> None:
    # Chunked, so no length is declared and the reader must count as it goes.
    chunk = ("[" + ",".join([ROW % 1] * 1000) + "]").encode()
    server.reply(SCORES, Reply(200, chunk, content_type="application/json",
                               repeat=50 * MB // len(chunk) + 1, chunked=True))
    run = query(tmp_path, server.url, measure=True)
    line = assert_one_clean_line(run, 4)
    assert "over the 32 MB size cap" in line and "max_answer_mb" in line
    assert run.peak_kib is not None
    # Before the cap, 50 MB took the CLI to 1 GB. Now: the interpreter plus the 32 MB read.
    assert run.peak_kib * 1024 < 5 * 32 * MB, f"peak RSS {run.peak_kib} KiB"


def test_a_declared_length_over_the_cap_is_refused_before_reading(
    server: FaultServer, tmp_path: Path
) -> None:
    server.reply(SCORES, Reply(200, b" " * MB, content_type="application/json", repeat=50))
    line = assert_one_clean_line(query(tmp_path, server.url), 4)
    assert "over the 32 MB size cap" in line


def test_a_gzip_bomb_is_counted_decoded_against_the_configured_cap(
    server: FaultServer, tmp_path: Path
) -> None:
    # 5 MB of zeros, about 5 KB on the wire: over a 1 MB cap once inflated.
    server.reply(SCORES, Reply(200, b"0" * MB, content_type="application/json",
                               repeat=5, gzip=True))
    line = assert_one_clean_line(query(tmp_path, server.url, config="max_answer_mb = 1\n"), 4)
    assert "over the 1 MB size cap" in line


def test_a_big_gzip_bomb_stops_at_the_default_cap(server: FaultServer, tmp_path: Path) -> None:
    # 1 GB of zeros is about 1 MB compressed; before the cap it took the CLI to 1.6 GB.
    server.reply(SCORES, Reply(200, b"0" * MB, content_type="application/json",
                               repeat=1024, gzip=True))
    run = query(tmp_path, server.url, measure=True)
    line = assert_one_clean_line(run, 4)
    assert "over the 32 MB size cap" in line
    assert run.peak_kib is not None and run.peak_kib * 1024 < 5 * 32 * MB, run.peak_kib


def test_a_compressed_answer_under_the_cap_still_works(server: FaultServer, tmp_path: Path) -> None:
    server.reply(SCORES, Reply(200, scores_body(f"[{ROW % 81}]"),
                               content_type="application/json", gzip=True))
    run = query(tmp_path, server.url, "--format", "json")
    assert run.code == 0, run.stderr
    assert json.loads(run.stdout)[0]["score_sum"] == 81
    assert server.requests[-1].headers["Accept-Encoding"] == "gzip, deflate"


def test_a_bad_max_answer_mb_is_a_usage_error(server: FaultServer, tmp_path: Path) -> None:
    line = assert_one_clean_line(query(tmp_path, server.url, config="max_answer_mb = -3\n"), 2)
    assert "max_answer_mb must be a positive number" in line


# --------------------------------------------------------------------------- Retry-After (5)


@pytest.mark.parametrize(
    "headers",
    [{"Retry-After": "1e999"}, {"RateLimit-Reset": "inf"}, {"Retry-After": "9" * 400}],
    ids=["retry-after-1e999", "ratelimit-reset-inf", "retry-after-400-digits"],
)
def test_an_endless_wait_is_reported_at_once(
    server: FaultServer, tmp_path: Path, headers: dict[str, str]
) -> None:
    server.reply(SCORES, Reply(429, {"error": "Too many requests"}, headers=headers))
    line = assert_one_clean_line(query(tmp_path, server.url), 3)
    assert "rate-limiting" in line and "asks to wait a day or more" in line
    assert len([r for r in server.requests if r.method == "POST"]) == 1  # no retry, no wait


def test_retry_after_nan_backs_off_instead_of_hammering(
    server: FaultServer, tmp_path: Path
) -> None:
    server.reply(
        SCORES,
        Reply(429, {"error": "Too many requests"}, headers={"Retry-After": "nan"}),
        Reply(200, {"data": [], "error": None}),
    )
    run = query(tmp_path, server.url, "--format", "json")
    assert run.code == 0, run.stderr
    posts = [r for r in server.requests if r.method == "POST"]
    assert len(posts) == 2
    # It backed off (1 s) instead of retrying at once: the server saw the gap.
    assert posts[1].at - posts[0].at >= 0.9


# --------------------------------------------------------------------------- empty (12)


@pytest.mark.parametrize(("status", "reason"), [(204, "No Content"), (200, "OK")])
def test_an_empty_answer_is_called_empty(
    server: FaultServer, tmp_path: Path, status: int, reason: str
) -> None:
    server.reply(SCORES, Reply(status, b"", content_type="application/json"))
    line = assert_one_clean_line(query(tmp_path, server.url), 3)
    assert f"sent an empty answer ({status} {reason})" in line
    assert "starts" not in line  # not the reason phrase quoted as if it were the body


def test_an_empty_error_body_is_not_quoted_as_the_reason(
    server: FaultServer, tmp_path: Path
) -> None:
    server.reply(SCORES, Reply(500, b"", reason="Everything Is Fine"))
    line = assert_one_clean_line(query(tmp_path, server.url), 3)
    assert "failed (500: an empty body)" in line and "Everything Is Fine" not in line


# --------------------------------------------------------------------------- escapes (2)

HOSTILE = "boom\x1b]0;pwned\x07\x1b[2J\x9b31m\x90q\x9c\x7f\x00end"


@pytest.mark.parametrize(
    "reply",
    [
        pytest.param(Reply(500, {"error": HOSTILE}), id="json-error-field"),
        pytest.param(Reply(200, {"data": None, "error": HOSTILE}), id="200-error-field"),
        pytest.param(Reply(422, {"message": HOSTILE, "details": {f"requestBody.{HOSTILE}": {
            "message": HOSTILE}}}), id="422-details"),
        pytest.param(Reply(503, HOSTILE), id="plain-text"),
        pytest.param(Reply(502, f"<html><title>{HOSTILE}</title><body>&#27;]0;t&#7; {HOSTILE}"
                                "</body></html>", content_type="text/html"), id="html-page"),
        pytest.param(Reply(200, {"data": [{"created_at_trunc": HOSTILE, "score_key": "a",
                                           "score_sum": "x"}]}), id="wrong-model"),
        pytest.param(Reply(302, b"", headers={"Location": "https://x/\x1b[2J"}),
                     id="redirect"),
        pytest.param(Reply(302, b"", headers={"Location": "https://x/\x9b2J"}),
                     id="redirect-c1"),
        pytest.param(Reply(429, {"error": HOSTILE}, headers={"Retry-After": "3600"}),
                     id="429"),
        pytest.param(Reply(401, {"error": HOSTILE}), id="401"),
    ],
)
def test_server_text_reaches_stderr_as_text(
    server: FaultServer, tmp_path: Path, reply: Reply
) -> None:
    server.reply(SCORES, reply)
    # A Location that is no URL at all is a broken exchange to httpx: exit 4, still one line.
    bad_location = "\x1b" in reply.headers.get("Location", "")
    line = assert_one_clean_line(query(tmp_path, server.url), 4 if bad_location else 3)
    if reply.status != 200 or reply.body.get("data") is None:  # a model error quotes no value
        assert "\\x1b" in line or "\\x9b" in line  # shown: the user sees something odd came


# --------------------------------------------------------------------------- key echoes (1)


def _echo(encode):
    def body(request: Recorded) -> dict[str, str]:
        return {"error": f"bad credentials: {encode(request.headers['Authorization'])}"}
    return body


ECHOES = {
    "as-is": lambda auth: auth,
    "lower": str.lower,
    "upper": str.upper,
    "url-encoded": lambda auth: "".join(f"%{ord(c):02X}" for c in auth),
    "json-escaped": lambda auth: "".join(f"\\u{ord(c):04x}" for c in auth),
    "html-entities": lambda auth: "".join(f"&#{ord(c)};" for c in auth),
    "base64-of-header": lambda auth: base64.b64encode(auth.encode()).decode(),
    "base64-of-key": lambda auth: base64.b64encode(auth.split()[1].encode()).decode(),
    "hex": lambda auth: auth.encode().hex(),
    "cut-short": lambda auth: auth[:30],
}


@pytest.mark.parametrize("encode", ECHOES.values(), ids=ECHOES.keys())
@pytest.mark.parametrize("status", [401, 500])
def test_a_key_echoed_in_any_encoding_is_masked(
    server: FaultServer, tmp_path: Path, encode, status: int
) -> None:
    # The JSON body carries the echo as a string: json.dumps writes \\u escapes as \\\\u, so
    # the json-escaped case is sent as raw text for the client to decode.
    body = _echo(encode)
    if encode is ECHOES["json-escaped"]:
        def body(request: Recorded) -> bytes:  # type: ignore[misc]
            echo = ECHOES["json-escaped"](request.headers["Authorization"])
            return ('{"error": "bad credentials: ' + echo + '"}').encode()
    server.reply(SCORES, Reply(status, body, content_type="application/json"))
    line = assert_one_clean_line(query(tmp_path, server.url), 3)
    assert MASKED in line or "…" in line


# --------------------------------------------------------------------------- key command (1)

FAILING_COMMAND = (
    f"api_key_command = \"echo '{KEY}'; echo 'other line'; "
    f"echo 'op: cannot use {KEY} (other line): vault locked' >&2; exit 3\"\n"
)


def test_query_with_a_failing_key_command_never_shows_the_key(tmp_path: Path) -> None:
    run = run_cli(tmp_path, "query", "scores", "--base-url", "http://127.0.0.1:9",
                  env={"HELICONE_API_KEY": ""}, config=FAILING_COMMAND)
    line = assert_one_clean_line(run, 2)
    assert "failed with exit status 3" in line and "vault locked" in line
    assert MASKED in line and "other line" not in line


def test_doctor_with_a_failing_key_command_never_shows_the_key(tmp_path: Path) -> None:
    # The key in its stdout (which line is unknown: it failed) and in its stderr, and a token
    # shaped like a key that it never printed on stdout.
    config = (
        "api_key_command = \"echo 'noise'; echo '" + KEY + "'; "
        "echo 'denied for " + KEY + " and pk-helicone-0a1b2c3d4e5f6g7h' >&2; exit 1\"\n"
    )
    run = run_cli(tmp_path, "doctor", "--base-url", "http://127.0.0.1:9",
                  env={"HELICONE_API_KEY": ""}, config=config)
    assert run.code == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert "api_key_command" in run.stdout and "exit status 1" in run.stdout
    assert MASKED in run.stdout and "0a1b2c3d4e5f" not in run.stdout
    assert_no_key(run)


def test_the_key_forms_checked_are_real_forms() -> None:
    # Guard for the checks above: each form is what it says and holds no masked text.
    forms = key_forms()
    assert base64.b64decode(forms["base64"]).decode() == KEY
    assert all("…" not in form for form in forms.values())
