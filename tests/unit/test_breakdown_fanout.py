"""The breakdown's fan-out against a small real server on 127.0.0.1 (the fault server): a value
whose requests fail keeps its error on its own series while the other values' series are drawn;
exactly the counted number of requests is sent, at most 6 at once."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))

from faultserver import FaultServer, Recorded, Reply

from tui.api.client import HeliconeClient
from tui.api.timerange import Window
from tui.config import ApiKey
from tui.filters.text import parse
from tui.query import breakdown as bd
from tui.query.breakdown_fanout import breakdown_count
from tui.query.overview import OverviewOptions

KEY = "sk-helicone-testkey-0123456789-abcd"
WINDOW = Window(datetime(2026, 11, 20, 9, tzinfo=UTC), datetime(2026, 11, 20, 12, tzinfo=UTC))
HOURS = ["2026-11-20T09:00:00.000Z", "2026-11-20T10:00:00.000Z", "2026-11-20T11:00:00.000Z"]
MODELS = ["gpt-4o", "broken-model", "claude", "gemini", "llama", "", "mistral"]  # 7: an "other"
BROKEN = "ClickHouse: memory limit exceeded"


def _equals(node: Any, value: str) -> bool:
    """Does the wire filter hold `model = value`?"""
    if isinstance(node, dict):
        if node.get("model") == {"equals": value}:
            return True
        return any(_equals(v, value) for v in node.values())
    return False


def _rows(path: str) -> list[dict[str, Any]]:
    if path.endswith("requestStatusOverTime"):
        return [{"time": t, "count": 90, "status": 200} for t in HOURS] + [
            {"time": t, "count": 10, "status": 500} for t in HOURS]
    if path.endswith("errorOverTime"):
        return [{"time": t, "count": 10} for t in HOURS]
    if path.endswith("latencyOverTime"):
        return [{"time": t, "duration": 800.0} for t in HOURS]
    if path.endswith("quantiles"):
        return [{"time": t, "p75": 900.0, "p90": 1000.0, "p95": 1200.0, "p99": 2000.0}
                for t in HOURS]
    if path.endswith("timeToFirstToken"):
        return [{"time": t, "ttft": 300.0} for t in HOURS]
    return [{"time": t, "cost": 0.5} for t in HOURS]


def _series_body(path: str) -> Callable[[Recorded], Any]:
    def body(recorded: Recorded) -> Any:
        if _equals(recorded.json().get("filter"), "broken-model"):
            return {"data": None, "error": BROKEN}  # Helicone's failed query, one value only
        return {"data": _rows(path), "error": None}
    return body


class _ByThread(list[Recorded]):
    """The server's record of requests, also by the thread answering each: the fault server
    hands a body callable its latest request, which under concurrency is another one's."""

    def __init__(self) -> None:
        super().__init__()
        self.mine: dict[int, Recorded] = {}

    def append(self, item: Recorded) -> None:
        super().append(item)
        self.mine[threading.get_ident()] = item


class Server(FaultServer):
    """Counts the requests being answered at once (each stalls a little); each body is made
    from its own request."""

    def __init__(self) -> None:
        super().__init__()
        self.requests = _ByThread()
        self._count = threading.Lock()
        self.in_flight = 0
        self.peak = 0

    def _next(self, path: str) -> Reply:
        reply = super()._next(path)
        with self._count:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        inner = reply.body
        assert isinstance(self.requests, _ByThread)
        own = self.requests.mine[threading.get_ident()]

        def body(recorded: Recorded) -> Any:
            with self._count:
                self.in_flight -= 1
            return inner(own) if callable(inner) else inner

        return replace(reply, body=body, stall=0.02)


def _serve(server: FaultServer) -> None:
    server.reply("/v1/metrics/models", Reply(200, {"data": [
        {"model": m, "total_requests": 100 - i, "total_completion_tokens": 1,
         "total_prompt_token": 1, "total_tokens": 2, "cost": 0.1}
        for i, m in enumerate(MODELS)], "error": None}))
    for name in ("requestStatusOverTime", "errorOverTime", "latencyOverTime", "quantiles",
                 "timeToFirstToken", "costOverTime"):
        path = f"/v1/metrics/{name}"
        server.reply(path, Reply(200, _series_body(path)))


async def _breakdown(server: FaultServer) -> bd.BreakdownAnswer:
    ask = bd.ask_for("overview", "model", parse("status >= 200"), WINDOW,
                     OverviewOptions(), None, None)
    async with HeliconeClient(server.url, ApiKey(KEY)) as client:
        return await bd.run(client, ask)


async def test_a_failing_value_keeps_its_error_and_the_others_stay() -> None:
    with Server() as server:
        _serve(server)
        answer = await _breakdown(server)
    broken = [s for s in answer.series if s.value == "broken-model"]
    assert broken and all(s.error is not None and BROKEN in s.error for s in broken), [
        s.error for s in broken]
    assert all(not s.points for s in broken)
    fine = [s for s in answer.series if s.value != "broken-model"]
    assert {s.label for s in fine} == {"gpt-4o", "claude", "gemini", "llama", "(none)",
                                       "(other)"}
    assert all(s.error is None for s in fine)
    rates = {s.label: s.points for s in fine if s.metric == "error_rate"}
    assert rates["gpt-4o"] == tuple((t, 0.1) for t in HOURS)
    assert [s.label for s in answer.failed][:1] == ["broken-model"]


async def test_the_requests_sent_are_the_counted_ones_at_most_6_at_once() -> None:
    with Server() as server:
        _serve(server)
        answer = await _breakdown(server)
        sent = list(server.requests)
    # 1 ranking + 6 values x 6 endpoints + "other" x 3 additive endpoints.
    assert len(sent) == answer.requests_sent == breakdown_count(
        "overview", "model", 6, other=True) == 40
    assert server.peak <= 6
    # "other" asks only what adds up, with every shown value excluded.
    other = [r for r in sent if '"not-equals"' in r.body.decode()]
    assert sorted(r.path.rsplit("/", 1)[1] for r in other) == [
        "costOverTime", "errorOverTime", "requestStatusOverTime"]
    # Each value's request carries the investigation's filter too.
    assert all('"status"' in r.body.decode() for r in sent if r.path != "/v1/metrics/models")


async def test_every_request_failing_is_the_error_of_the_breakdown() -> None:
    import pytest

    from tui.api.errors import HeliconeError

    with Server() as server:
        _serve(server)
        for name in ("requestStatusOverTime", "errorOverTime", "latencyOverTime", "quantiles",
                     "timeToFirstToken", "costOverTime"):
            server.reply(f"/v1/metrics/{name}", Reply(200, {"data": None, "error": BROKEN}))
        with pytest.raises(HeliconeError) as info:
            await _breakdown(server)
    assert BROKEN in info.value.message
