"""The client sends the user agent its caller gives it (tui.api does not know the version: it
imports nothing of tui outside tui.api), and the CLI's and the app's callers give the version."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from faultserver import OK_SCORES, FaultServer, Reply

from tui import __version__
from tui.api.client import HeliconeClient
from tui.api.key import ApiKey
from tui.api.models import ScoresQuery, TimeFilter
from tui.query.context import Target

KEY = "sk-helicone-testkey-SECRET-0123456789-wxyz"
SCORES = "/v1/dashboard/scores/query"
REQUEST = ScoresQuery(
    time_filter=TimeFilter(start="2026-11-20T11:00:00.000Z", end="2026-11-20T12:00:00.000Z"),
    user_filter="all",
    db_increment="min",
    time_zone_difference=0,
)


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as fs:
        yield fs


def _agents(server: FaultServer) -> list[str | None]:
    return [r.headers.get("User-Agent") for r in server.requests]


async def test_the_callers_user_agent_goes_with_queries_and_signed_bodies(
    server: FaultServer,
) -> None:
    server.reply(SCORES, OK_SCORES)
    server.reply("/body", Reply(200, {"request": "hi"}))
    async with HeliconeClient(server.url, ApiKey(KEY), user_agent="probe/7.1") as client:
        await client.scores(REQUEST)
        await client.signed_body(f"{server.url}/body?X-Amz-Signature=abc")
    assert _agents(server) == ["probe/7.1", "probe/7.1"]


async def test_the_command_lines_client_names_the_version(server: FaultServer) -> None:
    server.reply(SCORES, OK_SCORES)
    async with Target(server.url, KEY).client() as client:
        await client.scores(REQUEST)
    assert _agents(server) == [f"helicone-tui/{__version__}"]
