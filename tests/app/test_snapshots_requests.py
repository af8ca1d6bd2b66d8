"""Snapshots of the Requests tab and of a request's detail at 80x24: fixed clock, zone and demo
data (seed 1).

Update after a deliberate change with `pytest tests/app/test_snapshots_requests.py
--snapshot-update`, and look at the pictures before accepting them.
"""

from __future__ import annotations

from apptools import footer_shows, settle, wait_for
from requests_apptools import requests_app, requests_ready


async def _list(pilot) -> None:
    await requests_ready(pilot, pilot.app)
    await footer_shows(pilot, "Sort")
    await settle(pilot, 0.2)


async def _detail(pilot) -> None:
    app = pilot.app
    await requests_ready(pilot, app)
    await pilot.press("down", "enter")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "RequestDetail")
    await wait_for(pilot, lambda: app.screen.settled)
    await footer_shows(pilot, "Copy id")
    await settle(pilot, 0.2)


def test_requests_list(snap_compare, demo_url: str) -> None:
    assert snap_compare(requests_app(demo_url), terminal_size=(80, 24), run_before=_list)


def test_request_detail(snap_compare, demo_url: str) -> None:
    assert snap_compare(requests_app(demo_url), terminal_size=(80, 24), run_before=_detail)
