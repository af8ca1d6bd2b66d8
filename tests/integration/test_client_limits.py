"""The client's own limits against the real fault server: waits, tries and the answer size cap."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from faultserver import FaultServer, Reply

from tui.api.client import AnswerTooLarge, BadAnswer, HeliconeClient, RateLimited
from tui.api.models import ScoresQuery, TimeFilter
from tui.config import ApiKey

KEY = "sk-helicone-testkey-SECRET-0123456789-wxyz"
SCORES = "/v1/dashboard/scores/query"
REQUEST = ScoresQuery(
    time_filter=TimeFilter(start="2026-11-20T11:00:00.000Z", end="2026-11-20T12:00:00.000Z"),
    user_filter="all",
    db_increment="min",
    time_zone_difference=0,
)
LIMITED = {"error": "Too many requests"}


class FakeSleep:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as fs:
        yield fs


async def _limited(server: FaultServer, headers: dict[str, str], **kwargs: object):
    server.reply(SCORES, Reply(429, LIMITED, headers=headers))
    sleep = FakeSleep()
    async with HeliconeClient(server.url, ApiKey(KEY), sleep=sleep, **kwargs) as client:  # type: ignore[arg-type]
        with pytest.raises(RateLimited) as info:
            await client.scores(REQUEST)
    return info.value, sleep.waits


@pytest.mark.parametrize("value", ["nan", "NaN", "-5", "-inf"])
async def test_a_meaningless_retry_after_backs_off(server: FaultServer, value: str) -> None:
    exc, waits = await _limited(server, {"Retry-After": value})
    assert waits == [1.0, 2.0, 4.0]  # before: four tries without waiting
    assert exc.attempts == 4 and len(server.requests) == 4


@pytest.mark.parametrize(
    "headers", [{"Retry-After": "1e999"}, {"Retry-After": "inf"}, {"RateLimit-Reset": "inf"},
                {"RateLimit": "limit=5, remaining=0, reset=1e999"}],
)
async def test_an_endless_retry_after_is_reported_at_once(
    server: FaultServer, headers: dict[str, str]
) -> None:
    exc, waits = await _limited(server, headers)
    assert waits == [] and len(server.requests) == 1
    assert "asks to wait a day or more" in exc.message
    assert exc.retry_after == 86_400.0


async def test_callers_cannot_lift_the_limits(server: FaultServer) -> None:
    # At most 4 tries and 60 s a wait, whatever the caller passes.
    exc, waits = await _limited(server, {"Retry-After": "59"}, max_retries=50,
                                max_retry_wait=float("inf"))
    assert waits == [59.0, 59.0, 59.0] and exc.attempts == 4
    server.requests.clear()
    exc, waits = await _limited(server, {"Retry-After": "3600"}, max_retry_wait=1e9)
    assert waits == [] and "asks to wait 3600 s" in exc.message


async def test_the_size_cap_counts_decoded_bytes(server: FaultServer) -> None:
    server.reply(SCORES, Reply(200, b"0" * (1 << 20), repeat=3, gzip=True))
    async with HeliconeClient(server.url, ApiKey(KEY), max_answer_mb=2) as client:
        with pytest.raises(AnswerTooLarge) as info:
            await client.scores(REQUEST)
    assert info.value.exit_code == 4 and "over the 2 MB size cap" in info.value.message


async def test_an_answer_just_under_the_cap_is_read(server: FaultServer) -> None:
    body = b'{"data": [], "error": null}' + b" " * ((1 << 20) - 40)
    server.reply(SCORES, Reply(200, body, content_type="application/json", chunked=True))
    async with HeliconeClient(server.url, ApiKey(KEY), max_answer_mb=1) as client:
        assert await client.scores(REQUEST) == []


async def test_an_unasked_encoding_is_a_bad_answer(server: FaultServer) -> None:
    server.reply(SCORES, Reply(200, b"\x1b\x00", headers={"Content-Encoding": "br"}))
    async with HeliconeClient(server.url, ApiKey(KEY)) as client:
        with pytest.raises(BadAnswer) as info:
            await client.scores(REQUEST)
    assert "Content-Encoding 'br'" in info.value.message and info.value.exit_code == 3
