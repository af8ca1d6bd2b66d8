"""Helpers for the app tests: build the app as the command line would, wait, read the screen."""

from __future__ import annotations

import asyncio
import html
import json
import re
import time
import urllib.request
from collections.abc import Callable
from datetime import datetime

NOW = "2026-11-20T12:00:00Z"
ZONE = "America/New_York"  # local time in the app: EST in November, so offsets show
KEY = "sk-helicone-test-0000-0000-abcd"
T_NOW = datetime.fromisoformat(NOW.replace("Z", "+00:00"))

SCORES = "/v1/dashboard/scores/query"
EVALS = "/v1/evals/query"
DISTRIBUTIONS = "/v1/evals/score-distributions/query"
SESSIONS = "/v1/session/metrics/query"


def make_app(
    url: str,
    *,
    filter_text: str = "all",
    since: str = "24h",
    watch: float | None = None,
    key: str = KEY,
    tab: str | None = "scores",
    breakdown: str | None = None,
    wait_for_tabs: bool = True,
):
    """The app as `helicone-tui --base-url URL --filter TEXT --since SINCE --tab TAB` builds it.

    `tab`: the tab shown first. Scores by default, the tab most of these tests are about (they
    were written when it was the first tab); None: the app's own default, the first tab.
    `wait_for_tabs`: `run_test` hands over the pilot once the tabs are mounted (False: at once,
    as a user's first keys meet the app)."""
    from tui.api.timerange import TimeRange
    from tui.app import HeliconeApp
    from tui.context import Investigation, Target
    from tui.filters.text import parse

    node = parse(filter_text)
    return (_app_class() if wait_for_tabs else HeliconeApp)(
        target=Target(url, key, demo=True),
        context=Investigation(node, TimeRange.since(since), breakdown=breakdown),
        watch_seconds=watch or 30.0,
        watching=watch is not None,
        initial_tab=tab,
    )


def _app_class():
    """The app, whose `run_test` hands over the pilot once the main screen is ready: its tabs
    are mounted right after the first frame (as in real use), and the tests look at them."""
    from contextlib import asynccontextmanager

    from tui.app import HeliconeApp as Base

    class HeliconeApp(Base):
        @asynccontextmanager
        async def run_test(self, *args, **kwargs):
            async with super().run_test(*args, **kwargs) as pilot:
                await wait_for(pilot, lambda: getattr(self.screen, "ready", True), timeout=60)
                yield pilot

    return HeliconeApp


async def wait_for(pilot, condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Let the app run until `condition()` holds (a bound on waiting, not a timed assertion)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {condition}")
        await pilot.pause(0.05)


async def footer_shows(pilot, wanted: str) -> None:
    """Wait until the footer (the screen's last line) shows this text (it redraws after focus
    moves, so a snapshot taken too early shows the previous tab's keys)."""

    def shown() -> bool:
        return wanted in screen_text(pilot.app).splitlines()[-1]

    # The footer redraws whenever the bindings change (focus moves, a worker ends): wait until
    # it has shown the key through a few quiet moments in a row.
    steady = 0
    deadline = time.monotonic() + 30.0
    while steady < 4:
        if time.monotonic() > deadline:
            raise AssertionError(f"the footer never settled on {wanted!r}")
        steady = steady + 1 if shown() else 0
        await pilot.pause(0.05)


#: Rich's SVG export draws a cell this wide (its defaults: 20 px high, aspect 0.61).
_CELL_WIDTH = 20 * 0.61
_SVG_TEXT = re.compile(
    r'<text class="[^"]*" x="([0-9.]+)" y="[0-9.]+" textLength="[0-9.]+" '
    r'clip-path="url\(#[^)]*-line-([0-9]+)\)">([^<]*)</text>'
)


def screen_text(app) -> str:
    """What the terminal shows, as plain text: one line per row, each as wide as the screen.

    Read through Textual's public screenshot (`App.export_screenshot`, an SVG with one text
    element per run of styled characters and a clip path per row), not its compositor."""
    from rich.cells import cell_len

    width, height = app.size
    rows: list[list[tuple[int, str]]] = [[] for _ in range(height)]
    for x, row, text in _SVG_TEXT.findall(app.export_screenshot()):
        text = html.unescape(text).replace("\n", "")  # each row ends with its newline
        if text and int(row) < height:
            rows[int(row)].append((round(float(x) / _CELL_WIDTH), text))
    lines = []
    for runs in rows:
        line, at = "", 0
        for column, text in sorted(runs):
            line += " " * (column - at) + text.replace("\xa0", " ")
            at = column + cell_len(text)
        lines.append(line + " " * (width - at))
    return "\n".join(lines)


async def settle(pilot, seconds: float = 0.3) -> None:
    """Give the app time to do what it would do next (e.g. send a request)."""
    await asyncio.sleep(seconds)
    await pilot.pause()




def window(body: dict) -> tuple[datetime, datetime]:
    """The time window a request body asks about."""
    tf = body["timeFilter"]
    return (
        datetime.fromisoformat(tf["start"].replace("Z", "+00:00")),
        datetime.fromisoformat(tf["end"].replace("Z", "+00:00")),
    )


def post(url: str, path: str, body: dict) -> dict:
    """POST `body` to the server directly (not through the app): the answer to compare with."""
    request = urllib.request.Request(
        url + path,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": "Bearer sk-test-direct"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


async def main_ready(pilot, app, tab: str = "scores") -> None:
    """The main screen is up and the tab it starts on shown: keys reach their bindings now."""
    await wait_for(pilot, lambda: bool(app.screen.query(f"#{tab}-tab")))
    await wait_for(pilot, lambda: app.screen.query_one(f"#{tab}-tab").shown)


async def scores_ready(pilot, app) -> None:
    """The Scores tab has its answer, and its charts (unless it shows the table) are drawn."""
    await wait_for(pilot, lambda: bool(app.screen.query("#scores-tab")))
    tab = app.screen.query_one("#scores-tab")
    await wait_for(pilot, lambda: tab.status in ("ready", "empty", "error"))
    assert tab.status == "ready", screen_text(app)

    def drawn() -> bool:
        if tab.view == "table":
            return True
        charts = [c for c in tab.query("TimeChart") if c.parent.display]
        return bool(charts) and all(c.drawn for c in charts)

    await wait_for(pilot, drawn)


async def requests_to(pilot, proxy, path: str, count: int) -> list:
    """The requests the proxy saw to `path`, once there are at least `count`."""
    await wait_for(pilot, lambda: len(proxy.to(path)) >= count)
    return proxy.to(path)
