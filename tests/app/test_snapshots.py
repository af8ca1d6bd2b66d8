"""Snapshots of Scores and Evals at 80x24 and 120x40: fixed clock, zone and demo data.

Update after a deliberate change with `pytest tests/app/test_snapshots.py --snapshot-update`,
and look at the pictures (snapshot_report.html) before accepting them.
"""

from __future__ import annotations

import pytest
from apptools import footer_shows, make_app, wait_for

SIZES = [(80, 24), (120, 40)]


async def _main_screen(pilot) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: bool(app.screen.query("#scores-tab")))


async def _scores_drawn(pilot) -> None:
    app = pilot.app
    await _main_screen(pilot)
    tab = app.screen.query_one("#scores-tab")
    await wait_for(pilot, lambda: tab.status == "ready")
    charts = [c for c in app.screen.query("TimeChart") if c.parent.display]
    await wait_for(pilot, lambda: all(c.drawn for c in charts))
    await footer_shows(pilot, "Increment")


async def _evals_shown(pilot) -> None:
    app = pilot.app
    await _main_screen(pilot)
    await pilot.press("4")
    await wait_for(pilot, lambda: app.screen.ready)  # the later tabs: after the first's answer
    tab = app.screen.query_one("#evals-tab")
    await wait_for(pilot, lambda: tab.status == "ready")
    await footer_shows(pilot, "Sort")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_scores(snap_compare, demo_url: str, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(demo_url), terminal_size=size, run_before=_scores_drawn)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_evals(snap_compare, demo_url: str, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(demo_url), terminal_size=size, run_before=_evals_shown)
