"""The shell draws first and the tabs come right after; keys typed meanwhile wait, none is lost."""

from __future__ import annotations

from apptools import make_app, wait_for


async def test_keys_typed_before_the_tabs_are_in_wait_and_then_act(demo_url: str) -> None:
    app = make_app(demo_url, tab="overview", since="7d", wait_for_tabs=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await pilot.press("3", "2")  # Scores, then Requests, typed at once at start
        await wait_for(pilot, lambda: screen.ready)
        await wait_for(pilot, lambda: screen.active_id == "requests")
        tab = screen.query_one("#requests-tab")
        await wait_for(pilot, lambda: tab.status in ("ready", "empty"))
        assert screen.query_one("#scores-tab").shown is False


async def test_a_filter_typed_in_a_burst_at_start_is_applied(demo_url: str) -> None:
    app = make_app(demo_url, tab="overview", since="7d", wait_for_tabs=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await pilot.press("slash", *"status >= 500", "enter")  # before the tabs are in
        await wait_for(pilot, lambda: screen.ready)
        await wait_for(pilot, lambda: screen.context.filter_text == "status >= 500")
        tab = screen.query_one("#overview-tab")
        await wait_for(pilot, lambda: tab.status == "ready"
                       and tab.context.filter_text == "status >= 500")


async def test_every_tab_is_there_once_the_first_has_its_answer(demo_url: str) -> None:
    app = make_app(demo_url, tab="overview", since="7d", wait_for_tabs=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await wait_for(pilot, lambda: screen.ready)
        ids = [tab.id for tab in screen.tabs]
        assert ids == ["overview-tab", "requests-tab", "scores-tab", "evals-tab",
                       "distributions-tab", "sessions-tab"]
        assert [t.id for t in screen.tabs if t.display] == ["overview-tab"]
        # The context reaches the tabs mounted late too: a new filter is theirs.
        from tui.filters.text import parse

        screen.context = screen.context.with_filter(parse("model = 'gpt-4o'"), "model = 'gpt-4o'")
        await pilot.pause()
        assert [t.context.filter_text for t in screen.tabs] == ["model = 'gpt-4o'"] * 6


async def test_the_cycle_collector_held_through_the_start_runs_again_once_the_tabs_are_in(
    demo_url: str,
) -> None:
    """The command line holds the collector while the app starts (tui.startup_gc); a hold that
    never ended would let every cycle of a long session pile up."""
    import gc

    from tui import startup_gc

    frozen = gc.get_freeze_count()
    startup_gc.hold()
    try:
        assert not gc.isenabled()
        app = make_app(demo_url, tab="overview", since="7d", wait_for_tabs=False)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.screen
            assert not gc.isenabled()  # the shell is drawn, the tabs are on their way
            await wait_for(pilot, lambda: screen.ready)
            assert gc.isenabled()
            assert gc.get_freeze_count() > frozen  # the start's objects: out of later scans
    finally:
        startup_gc.release()
        gc.enable()
        gc.unfreeze()
