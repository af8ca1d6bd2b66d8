"""The tabs' numbering (1 Overview, 2 Requests, 3 Scores, 4 Evals, 5 Distributions, 6 Sessions)
and the first tab shown."""

from __future__ import annotations

import pytest
from app_servers import RecordingProxy
from apptools import SCORES, main_ready, make_app, scores_ready, screen_text, wait_for

from tui.screens import TABS

TAB_ROW = "1 Overview   2 Requests   3 Scores   4 Evals   5 Distributions   6 Sessions"



def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


@pytest.mark.usefixtures("no_findings")  # counts the Overview's requests
async def test_the_app_opens_on_the_overview_and_3_shows_scores(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url, tab=None)  # no --tab: the app's own first tab
    async with app.run_test(size=(80, 24)) as pilot:
        await main_ready(pilot, app, "overview")
        screen = app.screen
        assert screen.active_id == "overview" == TABS[0].id
        assert screen.query_one("TabBar").active == "overview"
        assert screen_text(app).splitlines()[2].strip() == TAB_ROW
        assert not proxy.to(SCORES)  # Scores is not shown: it asks nothing yet
        await pilot.press("3")
        await scores_ready(pilot, app)
        assert screen.active_id == "scores" and screen.query_one("TabBar").active == "scores"
        assert len(proxy.to(SCORES)) == 1


async def test_every_digit_shows_its_tab_and_help_lists_them(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        for spec in (*TABS[1:], TABS[0]):  # from Scores, one digit after the other
            await pilot.press(spec.key)
            await wait_for(pilot, lambda spec=spec: app.screen.active_id == spec.id)
            assert app.screen.query_one(f"#{spec.id}-tab").shown
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        lines = screen_text(app).splitlines()
        for spec in TABS:
            assert any(f" {spec.key}    {spec.title} tab" in line for line in lines), spec
