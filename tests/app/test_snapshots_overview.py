"""Snapshots of the Overview at 80x24 and 120x40 (seed 1, now 2026-11-20T12:00Z, last 7 days),
and of its table view. Update after a deliberate change with
`pytest tests/app/test_snapshots_overview.py --snapshot-update`, and look at the pictures."""

from __future__ import annotations

import pytest
from apptools import footer_shows
from overview_tools import overview_app, overview_drawn

SIZES = [(80, 24), (120, 40)]


async def _findings(pilot) -> None:
    """The "what changed" list has its findings (it asks after the panels' answer)."""
    from apptools import wait_for

    found = pilot.app.screen.query_one("#overview-findings")
    await wait_for(pilot, lambda: found.state in ("ready", "error"))
    await pilot.pause()


async def _drawn(pilot) -> None:
    await overview_drawn(pilot, pilot.app)
    await _findings(pilot)
    await footer_shows(pilot, "Next chart")


async def _table(pilot) -> None:
    await overview_drawn(pilot, pilot.app)
    await _findings(pilot)
    await pilot.press("t")
    tab = pilot.app.screen.query_one("#overview-tab")
    from apptools import wait_for

    grid = tab.query_one("#overview-table")
    await wait_for(pilot, lambda: grid.row_count > 0)
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_overview(snap_compare, demo_url: str, size: tuple[int, int]) -> None:
    assert snap_compare(overview_app(demo_url), terminal_size=size, run_before=_drawn)


def test_overview_table(snap_compare, demo_url: str) -> None:
    assert snap_compare(overview_app(demo_url), terminal_size=(120, 40), run_before=_table)
