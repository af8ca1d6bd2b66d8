"""Helpers for the Overview tests and bench: the app opened on the Overview, waiting until every
panel is drawn, and a proxy that fails chosen endpoints."""

from __future__ import annotations

import json

from app_servers import Recorded, RecordingProxy, _ProxyHandler
from apptools import KEY, wait_for


def overview_app(url: str, *, filter_text: str = "all", since: str = "7d", key: str = KEY):
    """The app as `helicone-tui --base-url URL --since SINCE` builds it, opened on the Overview
    (MainScreen's initial_tab, explicitly: the default tab is not this branch's to change)."""
    from tui.api.timerange import TimeRange
    from tui.app import HeliconeApp
    from tui.context import Investigation, Target
    from tui.filters.text import parse
    from tui.screens.main import MainScreen

    class OverviewFirst(HeliconeApp):
        def get_default_screen(self):
            return MainScreen(target=self.target, context=self.initial_context,
                              watch_seconds=self.watch_seconds, watching=self.start_watching,
                              initial_tab="overview")

    return OverviewFirst(target=Target(url, key, demo=True),
                         context=Investigation(parse(filter_text), TimeRange.since(since)))


async def overview_drawn(pilot, app, timeout: float = 60.0):
    """The Overview has its answer and every panel in view shows it (plot built)."""
    await wait_for(pilot, lambda: bool(app.screen.query("#overview-tab")))
    tab = app.screen.query_one("#overview-tab")
    await wait_for(pilot, lambda: tab.status in ("ready", "empty", "error"), timeout)

    def shown() -> bool:
        boxes = [b for b in tab.query("PanelBox") if b.display]
        return "strip" in tab.panels and bool(boxes) and all(b.complete for b in boxes)

    await wait_for(pilot, shown, timeout)
    return tab


class _FailingHandler(_ProxyHandler):
    def do_POST(self) -> None:
        proxy: FailingProxy = self.server.owner  # type: ignore[attr-defined]
        if any(self.path.endswith(end) for end in proxy.slow):
            proxy.stopping.wait(proxy.delay)  # cut short when the proxy stops
        if any(self.path.endswith(end) for end in proxy.failing):
            raw = self._body()
            proxy.record(Recorded(self.path, json.loads(raw or b"null"), True))
            body = {"data": None, "error": proxy.message}
            self._reply(500, json.dumps(body).encode())
            return
        super().do_POST()


class FailingProxy(RecordingProxy):
    """A recording proxy to the demo server that answers 500 on the paths ending as `failing`,
    and forwards those ending as `slow` only after `delay` seconds."""

    def __init__(self, upstream: str, failing: tuple[str, ...] = (),
                 message: str = "quantiles exploded (test)", *, slow: tuple[str, ...] = (),
                 delay: float = 0.0) -> None:
        super().__init__(upstream)
        self.httpd.RequestHandlerClass = _FailingHandler
        self.failing = failing
        self.message = message
        self.slow = slow
        self.delay = delay
