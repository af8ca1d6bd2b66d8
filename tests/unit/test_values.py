"""tui.query.values (the values completion offers) and tui.query.completing (where the cursor is),
against a small real HTTP server on 127.0.0.1 that counts what it is asked."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tui.api.client import HeliconeClient
from tui.api.timerange import TimeRange
from tui.query import values as v
from tui.query.completing import Spot, spot

NOW = "2026-11-20T12:00:00Z"


class _Server:
    """Answers each path from `answers` ((status, data)); counts requests per path."""

    def __init__(self, answers: dict[str, tuple[int, Any]]) -> None:
        self.answers = answers
        self.hits: dict[str, int] = {}
        self.bodies: dict[str, list[Any]] = {}
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"null")
                owner.hits[self.path] = owner.hits.get(self.path, 0) + 1
                owner.bodies.setdefault(self.path, []).append(body)
                status, data = owner.answers.get(self.path, (404, None))
                payload = json.dumps({"data": data, "error": None} if status == 200
                                     else {"error": "nope"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"


MODELS = [{"model": m, "total_requests": n, "total_completion_tokens": 1,
           "total_prompt_token": 1, "total_tokens": 2, "cost": 0.1}
          for m, n in (("gpt-4o-mini", 50), ("claude-3-5-sonnet", 90), ("gpt-4o", 70))]


@pytest.fixture
def server() -> Iterator[_Server]:
    s = _Server({
        "/v1/metrics/models": (200, MODELS),
        "/v1/property/environment/search": (200, ["staging", "production", "bad\x1b[2J"]),
        "/v1/property/query": (200, [{"property": "environment"}, {"property": "App"}]),
        "/v1/metrics/country": (500, None),
    })
    s.thread.start()
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()


def _ask(server: _Server, cache: v.ValueCache, ask: v.Ask,
         time_range: TimeRange | None = None) -> tuple[str, ...]:
    from tui import clock

    async def run() -> tuple[str, ...]:
        async with HeliconeClient(server.url, "sk-test-values", max_retries=0) as client:
            return await cache.values(client, server.url, time_range or TimeRange.since("24h"),
                                      ask, clock.parse_instant(NOW))

    return asyncio.run(run())


def test_models_most_used_first_and_cached_per_target_and_range(server: _Server) -> None:
    cache = v.ValueCache()
    ask = v.Ask(v.MODEL)
    assert _ask(server, cache, ask) == ("claude-3-5-sonnet", "gpt-4o", "gpt-4o-mini")
    assert _ask(server, cache, ask) == ("claude-3-5-sonnet", "gpt-4o", "gpt-4o-mini")
    assert server.hits["/v1/metrics/models"] == 1  # the second ask sent nothing
    body = server.bodies["/v1/metrics/models"][0]
    assert body["timeFilter"] == {"start": "2026-11-19T12:00:00.000Z",
                                  "end": "2026-11-20T12:00:00.000Z"}
    _ask(server, cache, ask, TimeRange.since("7d"))  # another range: its own values
    assert server.hits["/v1/metrics/models"] == 2
    assert cache.peek(server.url, TimeRange.since("24h"), ask) is not None


def test_values_are_bounded_and_unsafe_ones_are_not_offered(server: _Server) -> None:
    cache = v.ValueCache(limit=2)
    assert len(_ask(server, cache, v.Ask(v.MODEL))) == 2
    found = _ask(server, v.ValueCache(), v.Ask(v.PROPERTY_VALUES, "environment"))
    assert found == ("production", "staging")  # the one with an escape sequence is left out
    assert server.bodies["/v1/property/environment/search"] == [{"searchTerm": ""}]
    assert _ask(server, v.ValueCache(), v.Ask(v.PROPERTY_KEYS)) == ("App", "environment")


def test_a_failing_endpoint_offers_nothing_and_is_not_hammered(server: _Server) -> None:
    cache = v.ValueCache()
    ask = v.Ask(v.COUNTRY)
    assert _ask(server, cache, ask) == ()
    assert _ask(server, cache, ask) == ()
    assert server.hits["/v1/metrics/country"] == 1  # retried only after RETRY_AFTER
    assert cache.peek(server.url, TimeRange.since("24h"), ask) is None


def test_a_full_property_search_is_narrowed_by_what_was_typed() -> None:
    ask = v.ask_for("properties", "environment", "pro")
    assert ask == v.Ask(v.PROPERTY_VALUES, "environment", "")
    full = tuple(f"v{i}" for i in range(v.PROPERTY_SEARCH_CAP))
    assert v.narrowed(ask, full, "pro") == v.Ask(v.PROPERTY_VALUES, "environment", "pro")
    assert v.narrowed(ask, full[:3], "pro") is None
    assert v.ask_for("latency", None, "") is None
    assert v.matching(("gpt-4o-mini", "my-gpt-4o", "gpt-4o"), "gpt-4o") == [
        "gpt-4o", "gpt-4o-mini", "my-gpt-4o"]


@pytest.mark.parametrize(("text", "expected"), [
    ("", Spot("field", 0)),
    ("mod", Spot("field", 0, "mod")),
    ("model = '", Spot("value", 8, "", "model", None, quoted=True)),
    ("model = 'gp", Spot("value", 8, "gp", "model", None, quoted=True)),
    ("model = gp", Spot("value", 8, "gp", "model")),
    ("properties.", Spot("key", 0, "", "properties", "")),
    ("properties.en", Spot("key", 0, "en", "properties", "en")),
    ("properties.env = 'pr", Spot("value", 17, "pr", "properties", "env", quoted=True)),
    ("properties.'my key' = '", Spot("value", 22, "", "properties", "my key", quoted=True)),
    ("model = 'x' and (st", Spot("field", 17, "st")),
    ("status >= 500", Spot("none")),
    ("model = 'x'", Spot("none")),
    ("model = 'x' ", Spot("none")),
    ("status >= ", Spot("value", 10, "", "status")),
    ("model ilike '", Spot("value", 12, "", "model", None, quoted=True)),
    ("model not contains 'a", Spot("value", 19, "a", "model", None, quoted=True)),
])
def test_where_the_cursor_is(text: str, expected: Spot) -> None:
    assert spot(text, len(text)) == expected


def test_the_cursor_in_the_middle_reads_the_text_before_it() -> None:
    text = "model = 'gpt' and provider = 'OP'"
    assert spot(text, len("model = 'g")) == Spot("value", 8, "g", "model", None, quoted=True)
