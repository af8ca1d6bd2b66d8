"""A snapshot of the Scores charts at 80x24 with keys of two scales in a row of two panels (each
its own y axis) and the bucket cursor on, its values and n in the legends: fixed clock, zone and
demo data (seed 1).

Update after a deliberate change with `pytest tests/app/test_snapshots_reading.py
--snapshot-update`, and look at the picture before accepting it.
"""

from __future__ import annotations

from apptools import footer_shows, make_app, settle, wait_for


async def _two_panels_with_cursor(pilot) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: bool(app.screen.query("#scores-tab")))
    tab = app.screen.query_one("#scores-tab")
    await wait_for(pilot, lambda: tab.status == "ready")
    await pilot.press("right", "left", "left")
    charts = [c for c in app.screen.query("TimeChart") if c.parent.display]
    assert len([c for c in charts if c.id.startswith("numeric")]) == 2
    await wait_for(pilot, lambda: all(c.drawn for c in charts))
    await footer_shows(pilot, "Increment")
    await settle(pilot, 0.2)


def test_scores_two_panels_with_the_cursor(snap_compare, demo_url: str) -> None:
    assert snap_compare(make_app(demo_url), terminal_size=(80, 24),
                        run_before=_two_panels_with_cursor)
