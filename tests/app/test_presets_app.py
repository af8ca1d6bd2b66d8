"""Presets in the app: save (s), the picker (p: narrow, load, rename, delete), the header's mark,
and --preset on the command line bringing back the same request (read at a recording proxy)."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest
from app_servers import RecordingProxy
from apptools import (
    KEY,
    NOW,
    SCORES,
    main_ready,
    make_app,
    requests_to,
    scores_ready,
    screen_text,
    wait_for,
)

from tui.presets import PresetStore, make_preset


def screen_name(app) -> str:
    return app.screen.__class__.__name__


async def on_screen(pilot, app, name: str) -> None:
    await wait_for(pilot, lambda: screen_name(app) == name)


def header(app) -> str:
    return screen_text(app).splitlines()[1]  # the context bar's second line: preset and filter


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


async def test_save_quit_and_start_with_the_preset_sends_the_same_request(
    proxy: RecordingProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "team-presets.toml"
    app = make_app(proxy.url)
    app.presets_path = path
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        await pilot.press("slash", *"model ilike '%gpt-4%'", "enter")
        await requests_to(pilot, proxy, SCORES, 2)
        await scores_ready(pilot, app)
        await pilot.press("minus")  # the last 48 h
        await requests_to(pilot, proxy, SCORES, 3)
        await scores_ready(pilot, app)
        await pilot.press("i")  # hour -> day
        sent = await requests_to(pilot, proxy, SCORES, 4)
        await scores_ready(pilot, app)
        saved_body = sent[-1].body
        assert saved_body["dbIncrement"] == "day"

        await pilot.press("s")
        await on_screen(pilot, app, "PresetSave")
        assert "model ilike '%gpt-4%'" in screen_text(app)  # what will be saved is shown
        await pilot.press(*"gpt4-2d", "enter", *"GPT-4 over two days", "enter")
        await on_screen(pilot, app, "MainScreen")
        assert "preset gpt4-2d" in header(app) and "(changed)" not in header(app)
        await pilot.press("q")
    saved = PresetStore(path).get("gpt4-2d")
    assert saved.description == "GPT-4 over two days"
    assert saved.filter == "model ilike '%gpt-4%'"
    assert (saved.since, saved.increment) == ("2d", "day")

    proxy.clear()
    app = app_from_command_line(
        monkeypatch, "--base-url", proxy.url, "--preset", "gpt4-2d", "--presets-file", str(path),
        "--tab", "scores",
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        sent = proxy.to(SCORES)
        assert len(sent) == 1  # the preset's increment applied before the first request
        assert sent[0].body == saved_body
        assert "preset gpt4-2d" in header(app) and "(changed)" not in header(app)
        await pilot.press("i")  # day -> week: no longer what the preset says
        await requests_to(pilot, proxy, SCORES, 2)
        await wait_for(pilot, lambda: "(changed)" in header(app))


async def test_an_explicit_filter_replaces_the_presets_and_marks_it_changed(
    proxy: RecordingProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "presets.toml"
    PresetStore(path).save(make_preset("errors", filter="status >= 500", since="6h"))
    monkeypatch.setenv("HELICONE_TUI_PRESETS", str(path))  # the file named by the environment
    app = app_from_command_line(
        monkeypatch, "--base-url", proxy.url, "--preset", "errors", "--filter", "status = 200",
        "--tab", "scores",
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        from tui.filters.text import parse
        from tui.filters.wire import to_wire

        body = proxy.to(SCORES)[0].body
        assert body["userFilter"] == to_wire(parse("status = 200"))
        assert body["dbIncrement"] == "hour"  # 6 h, from the preset: Helicone's web rule
        assert "preset errors (changed)" in header(app)


async def test_the_picker_narrows_loads_renames_and_deletes(
    proxy: RecordingProxy, tmp_path: Path
) -> None:
    path = tmp_path / "presets.toml"
    store = PresetStore(path)
    store.save(make_preset("gpt4-errors", description="GPT-4 failures",
                           filter="model ilike '%gpt-4%' and status >= 500", since="7d"))
    store.save(make_preset("slow", description="slow requests", filter="latency > 10000",
                           increment="min"))
    app = make_app(proxy.url)
    app.presets_path = path
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        await pilot.press("p")
        await on_screen(pilot, app, "PresetPicker")
        listing = app.screen.query_one("#preset-list")
        assert listing.option_count == 2
        await pilot.press(*"fail")  # narrows by name, description or filter
        assert listing.option_count == 1
        await pilot.press("down", "enter")  # into the list, load the one left
        sent = await requests_to(pilot, proxy, SCORES, 2)
        body = sent[-1].body
        assert body["dbIncrement"] == "day"  # 7 d
        assert "gpt-4" in str(body["userFilter"]) and "500" in str(body["userFilter"])
        await scores_ready(pilot, app)
        assert "preset gpt4-errors" in header(app)

        # rename the active preset: the header follows it
        await pilot.press("p")
        await on_screen(pilot, app, "PresetPicker")
        await pilot.press(*"gpt4", "down", "r")
        await on_screen(pilot, app, "RenamePreset")
        await pilot.press("ctrl+u", *"gpt4-5xx", "enter")
        await on_screen(pilot, app, "PresetPicker")
        assert sorted(PresetStore(path).load().presets) == ["gpt4-5xx", "slow"]

        # delete asks first: n keeps it, y deletes it
        await pilot.press("slash", "ctrl+u", "down", "down")  # the second one: slow
        await pilot.press("d")
        await on_screen(pilot, app, "Confirm")
        assert "slow" in screen_text(app)
        await pilot.press("n")
        await on_screen(pilot, app, "PresetPicker")
        assert "slow" in PresetStore(path).load().presets
        await pilot.press("d")
        await on_screen(pilot, app, "Confirm")
        await pilot.press("y")
        await on_screen(pilot, app, "PresetPicker")
        assert sorted(PresetStore(path).load().presets) == ["gpt4-5xx"]
        await pilot.press("escape")
        await on_screen(pilot, app, "MainScreen")
        assert "preset gpt4-5xx" in header(app)


async def test_saving_over_a_name_asks_before_replacing(
    proxy: RecordingProxy, tmp_path: Path
) -> None:
    path = tmp_path / "presets.toml"
    path.write_text('# our team\'s presets\n[presets.mine]\nfilter = "status >= 500"\n')
    app = make_app(proxy.url, filter_text="status = 429")
    app.presets_path = path
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        await pilot.press("s")
        await on_screen(pilot, app, "PresetSave")
        await pilot.press(*"mine", "enter", "enter")
        await on_screen(pilot, app, "Confirm")
        await pilot.press("n")  # back to the dialog, nothing written
        await on_screen(pilot, app, "PresetSave")
        assert PresetStore(path).get("mine").filter == "status >= 500"
        await pilot.press("ctrl+s")
        await on_screen(pilot, app, "Confirm")
        await pilot.press("y")
        await on_screen(pilot, app, "MainScreen")
    assert PresetStore(path).get("mine").filter == "status = 429"
    assert path.read_text().startswith("# our team's presets")  # the comment survives


async def test_a_broken_presets_file_is_reported_with_its_line_and_left_alone(
    proxy: RecordingProxy, tmp_path: Path
) -> None:
    path = tmp_path / "presets.toml"
    text = '[presets.ok]\nfilter = "status >= 500"\n[presets.broken\n'
    path.write_text(text)
    app = make_app(proxy.url)
    app.presets_path = path
    async with app.run_test(size=(100, 30)) as pilot:
        await scores_ready(pilot, app)
        await pilot.press("p")
        await on_screen(pilot, app, "PresetPicker")
        assert "line 3" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("s")
        await on_screen(pilot, app, "PresetSave")
        await pilot.press(*"new", "enter", "enter")
        await wait_for(pilot, lambda: "line 3" in screen_text(app))  # refused, with the reason
        assert screen_name(app) == "PresetSave"
    assert path.read_text() == text


async def test_a_presets_sessions_options_reach_the_sessions_request(
    proxy: RecordingProxy, tmp_path: Path
) -> None:
    path = tmp_path / "presets.toml"
    PresetStore(path).save(make_preset("checkout", filter="all", p_size="p95",
                                       interquartile=True, session_name="checkout"))
    app = make_app(proxy.url)
    app.presets_path = path
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        await pilot.press("p")
        await on_screen(pilot, app, "PresetPicker")
        await pilot.press("enter")  # enter in the input loads the first match
        await on_screen(pilot, app, "MainScreen")
        await pilot.press("6")
        await wait_for(pilot, lambda: bool(proxy.to("/v1/session/metrics/query")))
        body = proxy.to("/v1/session/metrics/query")[0].body
        assert (body["pSize"], body["useInterquartile"], body["nameContains"]) == (
            "p95", True, "checkout")
        assert "preset checkout" in header(app) and "(changed)" not in header(app)
        tab = app.screen.query_one("#sessions-tab")
        await wait_for(pilot, lambda: tab.status in ("ready", "empty"))
        await pilot.press("I")  # interquartile off: no longer the preset
        await wait_for(pilot, lambda: "(changed)" in header(app))
        await pilot.press("s")
        await on_screen(pilot, app, "PresetSave")
        await pilot.press("ctrl+u", *"checkout-all", "ctrl+s")
        await on_screen(pilot, app, "MainScreen")
    saved = PresetStore(path).get("checkout-all")
    # what was chosen is saved; a tab option at its default (interquartile off) is not
    assert (saved.p_size, saved.session_name, saved.interquartile) == ("p95", "checkout", None)
    assert saved.description == "" and saved.since == "24h"


async def test_a_broken_file_is_not_shown_as_no_presets_at_80x24(
    proxy: RecordingProxy, tmp_path: Path
) -> None:
    path = tmp_path / "presets.toml"
    text = '[presets.ok]\nfilter = "status >= 500"\nsince = \n'
    path.write_text(text)
    app = make_app(proxy.url)
    app.presets_path = path
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        await pilot.press("p")
        await on_screen(pilot, app, "PresetPicker")
        shown = screen_text(app)
        assert "no presets yet" not in shown
        assert "cannot be used" in shown and "line 3" in shown
        await pilot.press("escape")
        await on_screen(pilot, app, "MainScreen")
    assert path.read_text() == text


async def test_a_name_with_a_space_is_saved_from_the_app_and_no_lock_file_is_left(
    proxy: RecordingProxy, tmp_path: Path
) -> None:
    path = tmp_path / "presets.toml"
    app = make_app(proxy.url, filter_text="status = 429")
    app.presets_path = path
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        await pilot.press("s")
        await on_screen(pilot, app, "PresetSave")
        await pilot.press(*"checkout sessions", "enter", "enter")
        await on_screen(pilot, app, "MainScreen")
        await pilot.press("p")
        await on_screen(pilot, app, "PresetPicker")
        assert "checkout sessions" in screen_text(app)
        await pilot.press("escape")
    assert PresetStore(path).get("checkout sessions").filter == "status = 429"
    assert '[presets."checkout sessions"]' in path.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["presets.toml"]


async def test_a_1000_condition_preset_is_sent_in_full_by_the_app(tmp_path: Path) -> None:
    """The app, a long filter from a preset, and a real server on 127.0.0.1 reading the body."""
    sys.path.insert(0, str(Path(__file__).parents[1] / "integration"))
    from faultserver import OK_SCORES, FaultServer

    from tui.api import wirejson

    path = tmp_path / "presets.toml"
    chain = " or ".join(f"status = {400 + i}" for i in range(1000))
    PresetStore(path).save(make_preset("long", filter=chain, since="6h"))
    with FaultServer() as server:
        server.reply(SCORES, OK_SCORES)
        app = make_app(server.url)
        app.presets_path = path
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: len(server.requests) >= 1)
            await pilot.press("p")
            await on_screen(pilot, app, "PresetPicker")
            await pilot.press("enter")
            await wait_for(pilot, lambda: sum(r.path == SCORES for r in server.requests) >= 2)
            await on_screen(pilot, app, "MainScreen")
            assert "preset long" in header(app)
        scores = [r for r in server.requests if r.path == SCORES]  # the tab also asks for n
        body = wirejson.loads(scores[-1].body.decode(), max_depth=5000)
    node, levels = body["userFilter"], 1
    while "right" in node:
        assert node["operator"] == "or"
        node, levels = node["right"], levels + 1
    assert levels == 1000


async def test_tab_opens_its_tab_first_with_a_preset_that_names_a_tab(
    proxy: RecordingProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "presets.toml"  # hand-written: a `tab` key is kept and ignored for now
    path.write_text('[presets.vip]\ntab = "scores"\nfilter = "status >= 500"\n'
                    'p_size = "p99"\nsession_name = "checkout"\n')
    app = app_from_command_line(
        monkeypatch, "--base-url", proxy.url, "--preset", "vip", "--presets-file", str(path),
        "--tab", "sess",
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await main_ready(pilot, app, "sessions")
        tab = app.screen.query_one("#sessions-tab")
        await wait_for(pilot, lambda: tab.status in ("ready", "empty"))
        assert app.screen.active_id == "sessions"
        body = proxy.to("/v1/session/metrics/query")[0].body
        assert (body["pSize"], body["nameContains"]) == ("p99", "checkout")  # the preset's
        assert "preset vip" in header(app) and "status >= 500" in header(app)
        assert not proxy.to(SCORES)  # only the tab shown asks
