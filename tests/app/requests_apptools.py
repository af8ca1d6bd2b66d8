"""Helpers for the Requests tab's tests: the app started on that tab, and what its list shows."""

from __future__ import annotations

from apptools import make_app, wait_for

REQUESTS = "/v1/request/query-clickhouse"


def requests_app(url: str, **options):
    """The app as `make_app` builds it, its main screen opened on the Requests tab."""
    from tui.screens.main import MainScreen

    app = make_app(url, **options)

    def default_screen():
        return MainScreen(target=app.target, context=app.initial_context,
                          watch_seconds=app.watch_seconds, watching=app.start_watching,
                          initial_tab="requests")

    app.get_default_screen = default_screen
    return app


def requests_tab(app):
    return app.screen.query_one("#requests-tab")


async def requests_ready(pilot, app, status: str = "ready"):
    """The Requests tab has answered (and drawn its list); the tab."""
    await wait_for(pilot, lambda: bool(app.screen.query("#requests-tab")))
    tab = requests_tab(app)
    await wait_for(pilot, lambda: tab.status in ("ready", "empty", "error"))
    assert tab.status == status, (tab.status, tab.notice.message)
    await pilot.pause()
    return tab


def listed_ids(tab) -> list[str]:
    """The request ids in the list, top to bottom, as its table holds them."""
    from tui.screens.requests import RequestsTable

    table = tab.query_one(RequestsTable)
    return [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]


def cursor_id(tab) -> str:
    from tui.screens.requests import RequestsTable

    table = tab.query_one(RequestsTable)
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
