"""Snapshots of Distributions and Sessions at 80x24 and 120x40: fixed clock, zone and demo data.

Update after a deliberate change with `pytest tests/app/test_snapshots_part2.py --snapshot-update`,
and look at the pictures (snapshot_report.html) before accepting them.
"""

from __future__ import annotations

import pytest
from apptools import footer_shows, make_app, wait_for

SIZES = [(80, 24), (120, 40)]


async def _tab_drawn(pilot, key: str, tab_id: str, footer_key: str) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: bool(app.screen.query("#scores-tab")))
    await wait_for(pilot, lambda: app.screen.query_one("#scores-tab").shown)
    await pilot.press(key)
    # The later tabs mount after the first one's answer (the key waits for them): on a slow
    # machine, after the press returns.
    await wait_for(pilot, lambda: app.screen.ready)
    tab = app.screen.query_one(f"#{tab_id}-tab")
    await wait_for(pilot, lambda: tab.status == "ready")
    charts = [c for c in tab.query("BarChart") if c.bars is not None]
    await wait_for(pilot, lambda: bool(charts))
    await pilot.pause()
    await wait_for(pilot, lambda: all(c.drawn for c in charts))
    await footer_shows(pilot, footer_key)


async def _distributions(pilot) -> None:
    await _tab_drawn(pilot, "5", "distributions", "Score")


async def _sessions(pilot) -> None:
    await _tab_drawn(pilot, "6", "sessions", "Percentile")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_distributions(snap_compare, demo_url: str, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(demo_url), terminal_size=size, run_before=_distributions)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_sessions(snap_compare, demo_url: str, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(demo_url), terminal_size=size, run_before=_sessions)
