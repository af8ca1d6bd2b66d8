"""Answers over the client's "read it in a thread" size (a request with a 1 MB body, a long
page) are read exactly as small ones: the same typed data and raw JSON, the same typed errors
(tui.api.client reads them off the event loop; the bench shows why, bench/requests.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from faultserver import FaultServer, Reply

from tui.api import client as client_module
from tui.api.client import BadAnswer, HeliconeClient, NotFound, QueryFailed

ID = "1f2b96a6-2a6e-4e13-999a-91bc0ec91c35"
KEY = "sk-helicone-test-0000000000000000"


def row(content: str) -> dict:
    return {
        "request_id": ID, "request_created_at": "2026-11-20T11:59:59.999Z",
        "request_body": {"model": "gpt-4o", "messages": [{"role": "user", "content": content}]},
        "response_body": {"choices": []}, "request_user_id": "user-1",
        "request_properties": {}, "request_model": "gpt-4o", "response_status": 200,
        "provider": "OPENAI", "model": "gpt-4o", "delay_ms": 900, "properties": {}, "scores": {},
    }


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as s:
        yield s


def fetch(server: FaultServer) -> object:
    async def go() -> object:
        async with HeliconeClient(server.url, KEY) as client:
            return await client.request(ID, include_body=True)

    return asyncio.run(go())


def test_a_request_with_a_megabyte_body_comes_whole(server: FaultServer) -> None:
    content = "Where is my order? é \x1b[31m " * 40_000
    server.reply(f"/v1/request/{ID}", Reply(200, {"data": row(content), "error": None}))
    got = fetch(server)
    assert len(content) > client_module._BIG_ANSWER
    assert got.request_body["messages"][0]["content"] == content  # type: ignore[attr-defined]
    assert got.request_id == ID  # type: ignore[attr-defined]


def test_big_answers_fail_as_small_ones_do(server: FaultServer) -> None:
    padding = "x" * (client_module._BIG_ANSWER + 1)
    path = f"/v1/request/{ID}"
    server.reply(path, Reply(200, {"data": None, "error": f"boom {padding}"}))
    with pytest.raises(QueryFailed, match="could not run the request query: boom"):
        fetch(server)
    server.reply(path, Reply(200, {"data": {"request_id": 7, "pad": padding}, "error": None}))
    with pytest.raises(BadAnswer, match="does not match Helicone's request response"):
        fetch(server)
    server.reply(path, Reply(200, {"data": None, "error": None, "pad": padding}))
    with pytest.raises(NotFound):
        fetch(server)
    server.reply(path, Reply(200, b"{" + padding.encode(), content_type="application/json"))
    with pytest.raises(BadAnswer, match="not valid JSON"):
        fetch(server)
