"""The client's shared limits against a real server on 127.0.0.1 (the fault server): at most 6
requests in flight, a 429's wait held by every request to the target, path parameters that
stay one segment, bodies from signed URLs fetched without the key, and `doctor` telling a
write-only key from a read-only one (the real CLI).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from clirun import KEY, assert_no_key, run_cli
from faultserver import FaultServer, Recorded, Reply

from tui.api.client import (
    BodyTooLarge,
    BodyUnavailable,
    HeliconeClient,
    UsageError,
)
from tui.api.models import TimeFilter
from tui.api.wire_metrics import MetricsFilterBody
from tui.api.wire_properties import PropertySearch
from tui.config import ApiKey

TOTAL = "/v1/metrics/totalRequests"
COST = "/v1/metrics/totalCost"
BODY = MetricsFilterBody(filter="all", time_filter=TimeFilter(
    start="2026-11-20T11:00:00.000Z", end="2026-11-20T12:00:00.000Z"))
NUMBER = {"data": 42, "error": None}


class CountingServer(FaultServer):
    """The fault server, counting the requests it is answering at once."""

    def __init__(self) -> None:
        super().__init__()
        self._count_lock = threading.Lock()
        self.in_flight = 0
        self.peak = 0

    def _next(self, path: str) -> Reply:
        reply = super()._next(path)
        with self._count_lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        inner = reply.body

        def body(recorded: Recorded) -> object:  # called after the stall, just before answering
            with self._count_lock:
                self.in_flight -= 1
            return inner(recorded) if callable(inner) else inner

        return replace(reply, body=body)


@pytest.fixture
def server() -> Iterator[CountingServer]:
    with CountingServer() as fs:
        yield fs


def client(server: FaultServer, **kwargs: object) -> HeliconeClient:
    return HeliconeClient(server.url, ApiKey(KEY), **kwargs)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- in flight


async def test_thirty_at_once_never_exceed_six_in_flight(server: CountingServer) -> None:
    server.reply(TOTAL, Reply(200, NUMBER, stall=0.2))
    async with client(server) as c:
        answers = await asyncio.gather(*(c.total_requests(BODY) for _ in range(30)))
    assert answers == [42] * 30 and len(server.requests) == 30
    assert server.peak == 6  # the limit, and all of it used


async def test_the_limit_is_per_client_and_shared_by_every_method(
    server: CountingServer,
) -> None:
    server.reply(TOTAL, Reply(200, NUMBER, stall=0.2))
    server.reply(COST, Reply(200, {"data": 1.5, "error": None}, stall=0.2))
    server.reply("/v1/property/customer/search", Reply(200, {"data": ["a"], "error": None},
                                                        stall=0.2))
    async with client(server, max_in_flight=3) as c:
        await asyncio.gather(
            *(c.total_requests(BODY) for _ in range(4)), *(c.total_cost(BODY) for _ in range(4)),
            *(c.property_search("customer", PropertySearch(search_term="")) for _ in range(4)))
    assert server.peak == 3 and len(server.requests) == 12


async def test_a_429_holds_back_the_other_requests_too(server: CountingServer) -> None:
    server.reply(COST, Reply(429, {"error": "Too many requests"}, headers={"Retry-After": "1"}),
                 Reply(200, {"data": 1.5, "error": None}))
    server.reply(TOTAL, Reply(200, NUMBER))
    async with client(server) as c:
        limited = asyncio.create_task(c.total_cost(BODY))
        while not server.requests:  # the 429 is on its way back
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.2)
        others = await asyncio.gather(*(c.total_requests(BODY) for _ in range(8)))
        assert await limited == 1.5 and others == [42] * 8
    told = server.requests[0].at
    later = [r.at - told for r in server.requests[1:]]
    assert len(later) == 9
    # Before the shared wait the 8 arrived 0.2 s after the 429; now none before its second.
    assert min(later) >= 0.95, later


# --------------------------------------------------------------------------- path parameters


@pytest.mark.parametrize(("key", "sent"), [
    ("a/b?c#d e%", "/v1/property/a%2Fb%3Fc%23d%20e%25/search"),
    ("..", "/v1/property/%2E%2E/search"),
    ("ünï", "/v1/property/%C3%BCn%C3%AF/search"),
])
async def test_a_property_key_stays_one_path_segment(server: CountingServer, key: str,
                                                     sent: str) -> None:
    server.reply(sent, Reply(200, {"data": ["x"], "error": None}))
    async with client(server) as c:
        assert await c.property_search(key, PropertySearch(search_term="")) == ["x"]
    assert [r.path for r in server.requests] == [sent]


async def test_an_empty_key_or_id_is_refused_before_sending(server: CountingServer) -> None:
    async with client(server) as c:
        with pytest.raises(UsageError, match="a property key must not be empty"):
            await c.property_search("", PropertySearch(search_term=""))
        with pytest.raises(UsageError, match="a request id must not be empty"):
            await c.request("")
    assert server.requests == []


async def test_get_request_sends_include_body_as_a_query(server: CountingServer) -> None:
    path = "/v1/request/abc%2F..%2Fx"
    server.reply(path, Reply(200, {"error": None}))
    async with client(server) as c:
        with pytest.raises(Exception, match="no such request"):
            await c.request("abc/../x", include_body=False)
    (sent,) = server.requests
    assert sent.method == "GET" and sent.path == path and sent.body == b""


# --------------------------------------------------------------------------- signed bodies


async def test_a_signed_body_is_fetched_without_the_key(server: CountingServer) -> None:
    stored = {"request": {"messages": [{"role": "user", "content": "hi"}]},
              "response": {"choices": []}}
    server.reply("/bucket/body", Reply(200, stored, content_type="binary/octet-stream"))
    server.reply(TOTAL, Reply(200, NUMBER))
    async with client(server) as c:
        await c.total_requests(BODY)  # the client holds and sends the key...
        got = await c.signed_body(f"{server.url}/bucket/body?X-Amz-Signature=abc")
    assert got == stored
    api, signed = server.requests
    assert api.headers["Authorization"] == f"Bearer {KEY}"
    assert "Authorization" not in signed.headers  # ...but not to the signed URL
    assert KEY not in str(signed.headers)


async def test_a_signed_body_as_text_stays_text(server: CountingServer) -> None:
    server.reply("/t", Reply(200, "plain words, not JSON"))
    async with client(server) as c:
        assert await c.signed_body(f"{server.url}/t") == "plain words, not JSON"


@pytest.mark.parametrize("chunked", [False, True])
async def test_a_signed_body_over_2_mb_is_refused(server: CountingServer, chunked: bool) -> None:
    server.reply("/big", Reply(200, b"x" * 1024, content_type="text/plain", repeat=2049,
                               chunked=chunked))
    async with client(server) as c:
        with pytest.raises(BodyTooLarge, match="over 2 MB"):
            await c.signed_body(f"{server.url}/big")
    server.reply("/fits", Reply(200, b"x" * 1024, content_type="text/plain", repeat=2048))
    async with client(server) as c:
        assert len(await c.signed_body(f"{server.url}/fits")) == 2 << 20


@pytest.mark.parametrize("url", [
    "http://example.com/body?X-Amz-Signature=abc",
    "http://10.0.0.1/body",
    "ftp://127.0.0.1/body",
    "https://user:pass@example.com/body",
])
async def test_an_unsafe_signed_url_is_not_fetched(url: str) -> None:
    async with HeliconeClient("http://127.0.0.1:9", ApiKey(KEY)) as c:
        with pytest.raises(BodyUnavailable) as info:
            await c.signed_body(url)
    assert "not fetched" in info.value.message and "abc" not in info.value.message


async def test_a_signed_url_redirect_or_binary_is_not_followed(server: CountingServer) -> None:
    server.reply("/moved", Reply(302, "", headers={"Location": f"{server.url}/elsewhere"}))
    server.reply("/binary", Reply(200, b"\x89PNG\x00\x01\x02"))
    async with client(server) as c:
        with pytest.raises(BodyUnavailable, match="redirect, which is not followed"):
            await c.signed_body(f"{server.url}/moved")
        with pytest.raises(BodyUnavailable, match="not text"):
            await c.signed_body(f"{server.url}/binary")
    assert [r.path for r in server.requests] == ["/moved", "/binary"]


# --------------------------------------------------------------------------- doctor

PROBE = "/v1/request/00000000-0000-4000-8000-000000000000"
SCORES = "/v1/dashboard/scores/query"
LACKS = {"error": None, "trace": "isAuthenticated.error"}  # Helicone's permission 401


def _doctor(server: FaultServer, tmp_path: Path):
    server.reply("/healthcheck", Reply(200, "healthy"))
    run = run_cli(tmp_path, "doctor", "--base-url", server.url)
    assert "Traceback" not in run.stdout + run.stderr
    assert_no_key(run)
    assert "null" not in run.stdout  # Helicone's "error": null is no reason to show
    return run


def test_doctor_reports_a_write_only_key(server: CountingServer, tmp_path: Path) -> None:
    server.reply(SCORES, Reply(200, {"data": [], "error": None}))
    server.reply(PROBE, Reply(401, LACKS))
    run = _doctor(server, tmp_path)
    assert run.code == 0, run.stdout
    assert "ok    key accepted: a 1-minute scores query answered (write permission)" in run.stdout
    assert "warn  read permission: no, " in run.stdout
    assert "lacks read permission" in run.stdout and "default settings are write-only" in (
        run.stdout)
    assert [r.method for r in server.requests if r.path == PROBE] == ["GET"]


def test_doctor_reports_a_read_only_key(server: CountingServer, tmp_path: Path) -> None:
    server.reply(SCORES, Reply(401, LACKS))
    server.reply(PROBE, Reply(200, {"error": None}))  # no data: an unknown id, read works
    run = _doctor(server, tmp_path)
    assert run.code == 3, run.stdout
    assert "FAIL  key accepted: no" in run.stdout and "a read-only key" in run.stdout
    assert "lacks write permission" in run.stdout
    assert "ok    read permission" in run.stdout


def test_doctor_with_a_wrong_key_fails_both(server: CountingServer, tmp_path: Path) -> None:
    refused = {"error": "No API key found", "trace": "isAuthenticated.error"}
    server.reply(SCORES, Reply(401, refused))
    server.reply(PROBE, Reply(401, refused))
    run = _doctor(server, tmp_path)
    assert run.code == 3
    assert "FAIL  key accepted: no" in run.stdout and "another region" in run.stdout
    assert "FAIL  read permission: no" in run.stdout and "the key can read" not in run.stdout


def test_doctor_against_the_demo_finds_both(tmp_path: Path) -> None:
    pytest.importorskip("chdb")
    run = run_cli(tmp_path, "doctor", "--demo", timeout=120)
    assert run.code == 0, run.stdout + run.stderr
    assert "(write permission)" in run.stdout
    assert "ok    read permission: GET /v1/request/{id} answered" in run.stdout
    assert_no_key(run)

