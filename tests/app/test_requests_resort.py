"""`o` on the Requests tab: the list stays on screen and keeps the keyboard while the new order
loads (one request, the rows replaced in place), and escape leaves the order that is shown.

The demo server's first page is served by a small real server on 127.0.0.1 that answers after a
delay, so the app can be looked at while the sort is on its way."""

from __future__ import annotations

from app_servers import ScriptedServer
from apptools import screen_text, wait_for
from requests_apptools import REQUESTS, listed_ids, requests_app, requests_ready

from tui.screens.requests import RequestsTable

DELAY = 0.6


def _slow_server(demo_url: str) -> ScriptedServer:
    from apptools import post

    rows = post(demo_url, REQUESTS, {"filter": "all", "limit": 50, "offset": 0,
                                     "sort": {"created_at": "desc"}})["data"]
    assert len(rows) == 50
    return ScriptedServer(200, {"data": rows, "error": None}, delay=DELAY)


async def test_o_keeps_the_list_shown_and_focused_while_the_new_order_loads(
    demo_url: str,
) -> None:
    with _slow_server(demo_url) as server:
        app = requests_app(server.url)
        async with app.run_test(size=(100, 30)) as pilot:
            tab = await requests_ready(pilot, app)
            table = tab.query_one(RequestsTable)
            await wait_for(pilot, lambda: app.focused is table)
            before, hits = listed_ids(tab), server.hits
            await pilot.press("down", "down", "o")
            assert tab.status == "loading"
            await pilot.pause(DELAY / 3)
            # While it loads: the rows are still there, the keyboard in them, no notice above.
            assert tab.body.display and not tab.notice.display
            assert app.focused is table
            assert listed_ids(tab) == before
            assert "sorting..." in screen_text(app)
            await pilot.press("down")  # the keys still move the cursor in the list
            assert table.cursor_row == 3
            await wait_for(pilot, lambda: tab.status == "ready")
            await pilot.pause()
            assert server.hits == hits + 1  # one request for the new order
            assert app.focused is table
            assert table.cursor_row == 0  # a new order starts at its first row
            text = screen_text(app)
            assert "latency ↓" in text and "sorting..." not in text


async def test_escape_while_a_new_order_loads_leaves_the_order_shown(demo_url: str) -> None:
    with _slow_server(demo_url) as server:
        app = requests_app(server.url)
        async with app.run_test(size=(100, 30)) as pilot:
            tab = await requests_ready(pilot, app)
            table = tab.query_one(RequestsTable)
            await pilot.press("o")
            await pilot.pause(DELAY / 3)
            await pilot.press("escape")
            await wait_for(pilot, lambda: tab.status != "loading")
            assert tab.status == "ready" and tab.body.display
            assert app.focused is table and table.row_count == 50
            # The list is in the time order it came in, and the tab says that order.
            assert tab.sort_options.sort == "time" and not tab.stale
            text = screen_text(app)
            assert "by time ↓" in text and "time ↓" in text and "latency ↓" not in text
