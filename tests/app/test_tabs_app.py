"""The tabs' numbering (1 Overview, 2 Requests, 3 Scores, 4 Evals, 5 Distributions, 6 Sessions),
the first tab shown, and the placeholder tabs of views not built yet (tui/screens/coming.py): they
say what they will show, send nothing, and answer `t` `v` `x` `c` with a notification."""

from __future__ import annotations

import pytest
from app_servers import RecordingProxy
from apptools import SCORES, main_ready, make_app, scores_ready, screen_text, settle, wait_for

from tui.screens import TABS

TAB_ROW = "1 Overview   2 Requests   3 Scores   4 Evals   5 Distributions   6 Sessions"

#: The tabs that are placeholders for now (Requests at least, until its release).
COMING = [spec for spec in TABS if spec.module == "tui.screens.coming"]


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


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


@pytest.mark.parametrize("spec", COMING, ids=lambda spec: spec.id)
async def test_a_placeholder_tab_says_what_it_will_show_and_sends_nothing(
    proxy: RecordingProxy, spec
) -> None:
    app = make_app(proxy.url, tab=spec.id)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await main_ready(pilot, app, spec.id)
        tab = app.screen.query_one(f"#{spec.id}-tab")
        await wait_for(pilot, lambda: f"{spec.title}: coming in the next release"
                       in screen_text(app))
        assert tab.WILL_SHOW.split(",")[0] in " ".join(screen_text(app).split())
        # Refresh, the window's keys, a filter, the watch: the placeholder asks nothing.
        await pilot.press("r", "left_square_bracket", "minus", "w")
        await pilot.press("slash", *"status >= 500", "enter")
        await settle(pilot, 0.5)
        assert proxy.requests == []
        assert tab.status == "ready" and "failed" not in screen_text(app)

        for key, words in (("t", "nothing to show as a table yet"),
                           ("v", "nothing to compare with the previous period yet"),
                           ("x", "nothing to export yet"),
                           ("c", "nothing to copy as curl yet")):
            await pilot.press(key)
            await wait_for(pilot, lambda words=words: any(
                n.startswith(f"{spec.title}: {words}") for n in notices(app)))
            assert type(app.screen).__name__ == "MainScreen"  # no dialog, no error
        assert proxy.requests == []

        await pilot.press("3")  # the other tabs work around it
        await scores_ready(pilot, app)
        assert proxy.to(SCORES)[0].body["userFilter"] != "all"  # the filter typed there
