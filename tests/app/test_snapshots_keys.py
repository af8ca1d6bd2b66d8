"""Snapshots of `?` (grouped, in columns) and of a dialog (the time range picker, its focused list
framed in the accent colour) at 80x24: fixed clock, zone and demo data.

Update after a deliberate change with `pytest tests/app/test_snapshots_keys.py --snapshot-update`,
and look at the pictures (snapshot_report.html) before accepting them.
"""

from __future__ import annotations

from apptools import footer_shows, make_app, scores_ready, wait_for


async def _help(pilot) -> None:
    app = pilot.app
    await scores_ready(pilot, app)
    await footer_shows(pilot, "Increment")
    await pilot.press("question_mark")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
    await footer_shows(pilot, "Binding ids")


async def _time_picker(pilot) -> None:
    app = pilot.app
    await scores_ready(pilot, app)
    await footer_shows(pilot, "Increment")
    await pilot.press("T")
    await wait_for(pilot, lambda: bool(app.screen.query("#time-quick")))
    await wait_for(pilot, lambda: app.focused is app.screen.query_one("#time-quick"))
    await footer_shows(pilot, "Cancel")


def test_help_80x24(snap_compare, demo_url: str) -> None:
    assert snap_compare(make_app(demo_url), terminal_size=(80, 24), run_before=_help)


def test_time_picker_80x24(snap_compare, demo_url: str) -> None:
    assert snap_compare(make_app(demo_url), terminal_size=(80, 24), run_before=_time_picker)
