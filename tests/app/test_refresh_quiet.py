"""A background refresh is quiet (Pilot, against the demo server through a proxy that can hold
requests): `r` with the same question keeps the charts where they are and as they are while the
request is out (only the header says "loading..."), and the same answer draws the same screen. A
changed question still shows the loading notice."""

from __future__ import annotations

import threading

from app_servers import RecordingProxy, _ProxyHandler, _Server
from apptools import SCORES, make_app, scores_ready, screen_text, settle, wait_for

SIZE = (120, 40)


class _HeldHandler(_ProxyHandler):
    def do_POST(self) -> None:
        proxy: HoldingProxy = self.server.owner  # type: ignore[attr-defined]
        with proxy._lock:
            proxy.arrived.append(self.path)
        proxy.gate.wait(30)  # while the test holds the gate, the request is out
        super().do_POST()


class HoldingProxy(RecordingProxy):
    """A recording proxy that forwards only while `gate` is set (set at the start); `arrived`
    lists the paths of the requests that came in, held or not."""

    def __init__(self, upstream: str) -> None:
        _Server.__init__(self, _HeldHandler)
        self.upstream = upstream.rstrip("/")
        self._lock = threading.Lock()
        self._requests = []
        self.arrived: list[str] = []
        self.gate = threading.Event()
        self.gate.set()

    def stop(self) -> None:
        self.gate.set()
        super().stop()


def below_header(app) -> list[str]:
    """The screen without the two header lines (whose "fetched" field tells the refresh)."""
    return screen_text(app).splitlines()[2:]


async def charts_drawn(pilot, app) -> None:
    await scores_ready(pilot, app)
    chart = app.screen.query_one("#numeric-chart")
    await wait_for(pilot, lambda: chart.drawn)
    await settle(pilot, 0.3)


async def test_a_background_refresh_moves_nothing_and_keeps_the_charts(demo_url: str) -> None:
    with HoldingProxy(demo_url) as proxy:
        app = make_app(proxy.url)
        async with app.run_test(size=SIZE) as pilot:
            await charts_drawn(pilot, app)
            tab = app.screen.query_one("#scores-tab")
            charts = [app.screen.query_one(f"#{kind}-chart") for kind in ("numeric", "boolean")]
            regions = [c.region for c in charts]
            before = below_header(app)

            proxy.gate.clear()
            count = proxy.arrived.count(SCORES)
            await pilot.press("r")
            await wait_for(pilot, lambda: proxy.arrived.count(SCORES) > count)
            await settle(pilot, 0.5)
            # The request is out: the old charts stay, in place, and no notice pushes them down.
            assert tab.status == "loading"
            assert not tab.notice.display
            assert "Loading scores" not in screen_text(app)
            assert "loading..." in screen_text(app).splitlines()[0]  # the header says so
            assert [c.region for c in charts] == regions
            assert all(c.drawn for c in charts)
            assert below_header(app) == before

            proxy.gate.set()
            await wait_for(pilot, lambda: tab.status == "ready")
            await settle(pilot, 0.5)
            # The same numbers came back: the same screen under the header, nothing moved.
            assert [c.region for c in charts] == regions
            assert all(c.drawn for c in charts)
            assert below_header(app) == before
            assert "loading..." not in screen_text(app).splitlines()[0]


async def test_a_changed_question_still_shows_the_loading_notice(demo_url: str) -> None:
    with HoldingProxy(demo_url) as proxy:
        app = make_app(proxy.url)
        async with app.run_test(size=SIZE) as pilot:
            await charts_drawn(pilot, app)
            tab = app.screen.query_one("#scores-tab")
            proxy.gate.clear()
            count = proxy.arrived.count(SCORES)
            await pilot.press("i")  # another increment: another question
            await wait_for(pilot, lambda: proxy.arrived.count(SCORES) > count)
            await wait_for(pilot, lambda: "Loading scores" in screen_text(app))
            assert tab.notice.display
            proxy.gate.set()
            await wait_for(pilot, lambda: tab.status == "ready")
            await settle(pilot, 0.3)
            assert not tab.notice.display
            assert "Loading scores" not in screen_text(app)
