"""`b`, the breakdown picker, against the demo server (seed 1, clock fixed): it lists the
dimensions and every property key the demo's `/v1/property/query` lists; typing narrows, enter
picks, escape cancels, keys in a burst land in its input; "none" clears; `--breakdown DIM` on the
command line reaches the app; a preset saves the breakdown and loading it brings it back."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest
from apptools import KEY, NOW, main_ready, make_app, post, scores_ready, screen_text, wait_for
from textual import events
from textual.keys import _character_to_key

from tui.presets import PresetStore, make_preset

COLUMNS = ["model", "provider", "user_id", "country_code", "status_class", "prompt_id",
           "prompt_version"]


def screen_name(app) -> str:
    return type(app.screen).__name__


def header(app) -> str:
    return screen_text(app).splitlines()[1]  # the context bar's second line


def burst(app, text: str, *named: str) -> None:
    """Every key at once, as a paste or a laggy link delivers them (pilot.press waits)."""
    for char in text:
        app.post_message(events.Key(char if char.isalnum() else _character_to_key(char), char))
    for name in named:
        app.post_message(events.Key(name, {"enter": "\r", "escape": "\x1b"}[name]))


def picker_lines(app) -> list[str]:
    listing = app.screen.query_one("#breakdown-list")
    return [listing.get_option_at_index(i).id for i in range(listing.option_count)]


async def open_picker(pilot, app) -> None:
    await pilot.press("b")
    await wait_for(pilot, lambda: screen_name(app) == "BreakdownPicker")


async def test_the_picker_lists_the_dimensions_and_the_demos_property_keys(
    demo_url: str,
) -> None:
    keys = sorted({row["property"] for row in post(demo_url, "/v1/property/query", {})["data"]},
                  key=str.lower)
    assert keys  # the demo has custom properties
    app = make_app(demo_url, tab=None)
    async with app.run_test(size=(100, 36)) as pilot:
        await main_ready(pilot, app, "overview")
        await open_picker(pilot, app)
        await wait_for(pilot, lambda: "property keys from" in screen_text(app))
        assert picker_lines(app) == [*COLUMNS, *(f"properties.{k}" for k in keys), "none"]
        text = screen_text(app)
        assert f"properties.{keys[0]}" in text and f"{len(keys)} property keys" in text
        await pilot.press(*"tier")  # typing narrows
        await wait_for(pilot, lambda: all("tier" in line for line in picker_lines(app)))
        assert picker_lines(app) == [f"properties.{k}" for k in keys if "tier" in k.lower()]
        await pilot.press("escape")  # cancels: nothing changes
        await wait_for(pilot, lambda: screen_name(app) == "MainScreen")
        assert app.screen.context.breakdown is None
        assert "by " not in header(app)


async def test_keys_in_a_burst_land_in_the_input_and_enter_picks(demo_url: str) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await scores_ready(pilot, app)
        burst(app, "bcountry", "enter")  # `c` once copied curl, `y`... reached the tab
        screen = app.screen
        await wait_for(pilot, lambda: screen.context.breakdown == "country_code")
        await wait_for(pilot, lambda: screen_name(app) == "MainScreen")
        await wait_for(pilot, lambda: "by country_code" in header(app))
        await open_picker(pilot, app)
        await pilot.press(*"none", "enter")
        await wait_for(pilot, lambda: screen.context.breakdown is None)
        await wait_for(pilot, lambda: "by " not in header(app))


async def test_a_typed_property_key_not_listed_yet_is_taken(demo_url: str) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await scores_ready(pilot, app)
        await open_picker(pilot, app)
        await pilot.press(*"properties.not-a-key-yet", "enter")
        await wait_for(pilot, lambda: app.screen.context.breakdown == "properties.not-a-key-yet")
        # The ranking says why there is no split (the key is not one the server lists).
        tab = app.screen.query_one("#scores-tab")
        await wait_for(pilot, lambda: tab.status == "error")
        assert "no property key 'not-a-key-yet'" in screen_text(app)


def app_from_command_line(monkeypatch: pytest.MonkeyPatch, *argv: str):
    """The app `helicone-tui ARGV` would run (the CLI resolves it all; Pilot runs it)."""
    import tui.app as real_app
    from tui.cli import main

    seen: dict[str, Any] = {}

    def capture(args: Any) -> int:
        seen["args"] = args
        return 0

    monkeypatch.setenv("HELICONE_API_KEY", KEY)
    with monkeypatch.context() as patch:
        patch.setitem(sys.modules, "tui.app", types.SimpleNamespace(run=capture))
        assert main([*argv, "--now", NOW]) == 0
    return real_app.create_app(**real_app.app_options(seen["args"]))


async def test_breakdown_on_the_command_line_reaches_the_app(
    demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_from_command_line(monkeypatch, "--base-url", demo_url, "--since", "14d",
                                "--tab", "scores", "--breakdown", "status")
    async with app.run_test(size=(100, 30)) as pilot:
        await scores_ready(pilot, app)
        assert app.screen.context.breakdown == "status_class"  # the alias, spelled out
        tab = app.screen.query_one("#scores-tab")
        await wait_for(pilot, lambda: getattr(tab.answer, "dimension", None) == "status_class")
        assert "by status_class" in header(app)
        assert "2xx" in [p.label for p in tab.answer.parts]


async def test_a_preset_round_trips_the_breakdown(
    demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "presets.toml"
    app = make_app(demo_url, since="14d", breakdown="prompt_version")
    app.presets_path = path
    async with app.run_test(size=(100, 30)) as pilot:
        await scores_ready(pilot, app)
        await pilot.press("s")
        await wait_for(pilot, lambda: screen_name(app) == "PresetSave")
        assert "breakdown prompt_version" in screen_text(app)  # what will be saved is shown
        await pilot.press(*"by-version", "enter", "enter")
        await wait_for(pilot, lambda: screen_name(app) == "MainScreen")
        assert PresetStore(path).get("by-version").breakdown == "prompt_version"
        assert "preset by-version" in header(app) and "(changed)" not in header(app)
        # Another breakdown leaves the preset; loading it brings its breakdown back.
        await open_picker(pilot, app)
        await pilot.press(*"model", "enter")
        screen = app.screen
        await wait_for(pilot, lambda: screen.context.breakdown == "model")
        await wait_for(pilot, lambda: "(changed)" in header(app))
        await pilot.press("p")
        await wait_for(pilot, lambda: screen_name(app) == "PresetPicker")
        await pilot.press(*"by-version", "enter")
        await wait_for(pilot, lambda: screen.context.breakdown == "prompt_version")
        await wait_for(pilot, lambda: "(changed)" not in header(app))
        assert "by prompt_version" in header(app)
    # --preset on the command line: the preset's breakdown, unless --breakdown says another.
    PresetStore(path).save(make_preset("plain", filter="status >= 500"))
    app = app_from_command_line(monkeypatch, "--base-url", demo_url, "--preset", "by-version",
                                "--presets-file", str(path), "--tab", "scores")
    assert app.initial_context.breakdown == "prompt_version"
    app = app_from_command_line(monkeypatch, "--base-url", demo_url, "--preset", "by-version",
                                "--presets-file", str(path), "--breakdown", "model")
    assert app.initial_context.breakdown == "model"
