"""Keys as a fast typist or a laggy SSH link sends them: in bursts, to the screen that is current.

A burst is posted to the app as Key events all at once, before the app has handled the first one,
as a terminal delivers a paste or a delayed packet (pilot.press waits between keys: not a burst).
Against the demo server on 127.0.0.1, clock fixed.
"""

from __future__ import annotations

import pytest
from apptools import main_ready, make_app, scores_ready, screen_text, settle, wait_for
from textual import events
from textual.keys import _character_to_key

NAMED = {"enter": "\r", "escape": "\x1b", "space": " "}


def burst(app, *keys: str) -> None:
    """Post every key at once: characters of a string, or named keys ("enter", "escape")."""
    for part in keys:
        for char in [part] if part in NAMED else part:
            if part in NAMED:
                key, char = part, NAMED[part]
            else:
                key = char if char.isalnum() else _character_to_key(char)
            app.post_message(events.Key(key, char))


def screen_name(app) -> str:
    return type(app.screen).__name__


async def test_a_burst_after_slash_lands_in_the_filter_line(demo_url: str) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        burst(app, "/req")  # the `q` once reached the main screen and quit
        field = await _filter_input(pilot, app)
        await wait_for(pilot, lambda: field.value == "req")
        await settle(pilot)
        assert app.is_running and screen_name(app) == "MainScreen"
        assert app.focused is field


async def test_a_key_after_slash_is_typed_not_a_binding(demo_url: str) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        burst(app, "/s")  # once opened the save-preset dialog
        field = await _filter_input(pilot, app)
        await wait_for(pilot, lambda: field.value == "s")
        await settle(pilot)
        assert screen_name(app) == "MainScreen"


async def test_a_whole_filter_and_enter_in_one_burst_is_applied(demo_url: str) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        burst(app, "/model ilike '%gpt%'", "enter", "l")  # `l` after it: the Series picker
        screen = app.screen
        await wait_for(pilot, lambda: screen.context.filter_text == "model ilike '%gpt%'")
        await wait_for(pilot, lambda: screen_name(app) == "SeriesPicker")
        await wait_for(pilot, lambda: "filter model ilike '%gpt%'" in screen_text(app))


async def test_a_paste_right_after_slash_lands_in_the_filter_line(demo_url: str) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        burst(app, "/")
        app.post_message(events.Paste("status >= 500"))  # a bracketed paste: one event
        field = await _filter_input(pilot, app)
        await wait_for(pilot, lambda: field.value == "status >= 500")


async def test_typing_into_a_dialog_as_it_opens_keeps_every_character(demo_url: str) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        burst(app, "sabc")  # once saved `bc`: `a` reached the dialog before its input had focus
        await wait_for(pilot, lambda: bool(app.screen.query("#preset-name")))
        name = app.screen.query_one("#preset-name")
        await wait_for(pilot, lambda: name.value == "abc")
        await settle(pilot)
        assert name.value == "abc" and app.focused is name


@pytest.mark.parametrize("key", ["s", "p", "c", "x", "f", "T", "?"])
async def test_a_key_right_after_q_opens_nothing_and_the_exit_is_clean(
    demo_url: str, key: str
) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        burst(app, "q" + key)  # once: NoMatches on the dialog being built, exit status 1
        await wait_for(pilot, lambda: not app.is_running or app.crash_message is not None)
    assert app.crash_message is None
    assert app.return_code in (None, 0)
    assert screen_name_safe(app) in ("MainScreen", "")


def screen_name_safe(app) -> str:
    try:
        return screen_name(app)
    except Exception:  # no screen left after the exit
        return ""


async def _filter_input(pilot, app):
    await wait_for(pilot, lambda: bool(app.screen.query("#filter-input")))
    return app.screen.query_one("#filter-input")


# --------------------------------------------------------------------------- too small


async def test_too_small_keys_do_nothing_and_growing_back_keeps_the_tabs_keys(
    demo_url: str,
) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        screen = app.screen
        tab = screen.query_one("#scores-tab")
        await pilot.resize_terminal(40, 12)
        await wait_for(pilot, lambda: "too small" in screen_text(app))
        increment = tab.options()
        for key in ("4", "t", "i", "l", "slash", "T"):  # the hidden screen does not act
            await pilot.press(key)
        await settle(pilot)
        assert screen_name(app) == "MainScreen" and screen.active_id == "scores"
        assert tab.view != "table" and tab.options() == increment
        assert not screen.query("#filter-input") or not screen.query_one("FilterLine").display

        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: "too small" not in screen_text(app))
        await pilot.press("i")  # the tab's own keys work again, without a tab switch
        await wait_for(pilot, lambda: tab.options() != increment)
        await scores_ready(pilot, app)
        await pilot.press("l")
        await wait_for(pilot, lambda: screen_name(app) == "SeriesPicker")


async def test_q_quits_while_too_small(demo_url: str) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(40, 12)) as pilot:
        await main_ready(pilot, app)
        await wait_for(pilot, lambda: "too small" in screen_text(app))
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running)
    assert app.crash_message is None and app.return_code in (None, 0)


# --------------------------------------------------------------------------- quit


async def test_q_asks_once_while_watching_and_q_q_quits(demo_url: str) -> None:
    app = make_app(demo_url, watch=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        await pilot.press("q")
        await settle(pilot)
        assert app.is_running
        assert any("press q again to quit" in n.message for n in app._notifications)
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running)
    assert app.crash_message is None and app.return_code in (None, 0)


async def test_q_q_in_one_burst_quits_while_watching(demo_url: str) -> None:
    app = make_app(demo_url, watch=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        burst(app, "qq")
        await wait_for(pilot, lambda: not app.is_running)
    assert app.crash_message is None


async def test_q_quits_at_once_when_nothing_runs(demo_url: str) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running)


# --------------------------------------------------------------------------- remaps


def test_a_remap_onto_another_bindings_key_is_refused_naming_both(tmp_path) -> None:
    from tui.keys import load_keymap

    config = tmp_path / "config.toml"
    config.write_text('[keys]\n"main.filter" = "t"\n"main.refresh" = "f5"\n')
    keymap, warnings = load_keymap(config)
    assert keymap == {"main.refresh": "f5"}  # the other remap still applies
    (warning,) = warnings
    assert "main.filter" in warning and "main.view" in warning and "'t'" in warning


def test_a_tab_key_remapped_onto_a_main_key_is_refused_but_tabs_may_share(tmp_path) -> None:
    from tui.keys import load_keymap

    config = tmp_path / "config.toml"
    # `o` is Evals' sort: the Scores tab is never shown with it. `r` is the main screen's.
    config.write_text('[keys]\n"scores.increment" = "o"\n"scores.series" = "r"\n')
    keymap, warnings = load_keymap(config)
    assert keymap == {"scores.increment": "o"}
    assert len(warnings) == 1 and "scores.series" in warnings[0] and "main.refresh" in warnings[0]


async def test_a_refused_remap_keeps_both_keys_working(tmp_path, demo_url: str) -> None:
    from tui.keys import load_keymap

    config = tmp_path / "config.toml"
    config.write_text('[keys]\n"main.filter" = "t"\n')
    keymap, _ = load_keymap(config)
    app = make_app(demo_url)
    if keymap:
        app.set_keymap(keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        tab = app.screen.query_one("#scores-tab")
        await pilot.press("t")
        await wait_for(pilot, lambda: tab.view == "table")
        await pilot.press("slash")
        await _filter_input(pilot, app)
        await pilot.press("escape")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: screen_name(app) == "HelpScreen")
        await pilot.press("i")  # the binding ids
        text = screen_text(app)
        assert "/    main.filter" in text and "t    main.view" in text


# --------------------------------------------------------------------------- dialogs


async def test_the_series_picker_applies_on_enter_and_escape_cancels(demo_url: str) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await scores_ready(pilot, app)
        tab = app.screen.query_one("#scores-tab")
        first = tab.answer.keys[0]
        await pilot.press("l")
        await wait_for(pilot, lambda: screen_name(app) == "SeriesPicker")
        await pilot.press("space", "escape")  # escape: nothing changes
        await wait_for(pilot, lambda: screen_name(app) == "MainScreen")
        assert tab.hidden == set()
        await pilot.press("l")
        await wait_for(pilot, lambda: screen_name(app) == "SeriesPicker")
        await pilot.press("space", "enter")  # enter applies
        await wait_for(pilot, lambda: screen_name(app) == "MainScreen")
        assert tab.hidden == {first}
