"""Pilot tests of the app against the demo server on 127.0.0.1, with the clock fixed.

What the server receives is read from a recording proxy in front of the demo server.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from app_servers import RecordingProxy, ScriptedServer
from apptools import (
    EVALS,
    SCORES,
    T_NOW,
    main_ready,
    make_app,
    post,
    requests_to,
    scores_ready,
    screen_text,
    settle,
    wait_for,
    window,
)

from tui.screens.score_series import label


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


# --------------------------------------------------------------------------- data renders


async def test_scores_render_the_keys_the_server_returned(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await scores_ready(pilot, app)
        sent = proxy.to(SCORES)
        assert len(sent) == 1 and sent[0].authorized
        body = sent[0].body
        assert body["userFilter"] == "all"
        assert body["dbIncrement"] == "hour"  # 24 h: Helicone's web rule
        assert window(body) == (T_NOW - timedelta(hours=24), T_NOW)
        assert body["timeZoneDifference"] == 300  # New York in November

        answer = post(proxy.upstream, SCORES, body)["data"]
        keys = {row["score_key"] for row in answer if row["score_key"]}
        assert keys, "the demo data has scores"
        shown = {s.label for legend in app.screen.query("Legend") if legend.data is not None
                 for s in legend.data.series}  # panels not needed hold no data
        assert shown == {label(k) for k in keys}
        text = screen_text(app)
        assert "Numeric scores" in text and "Boolean scores" in text
        assert "hcone-bool" not in text  # booleans are shown without the suffix


async def test_scores_table_shows_exact_numbers_in_local_time(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await scores_ready(pilot, app)
        await pilot.press("t")
        table = app.screen.query_one("#scores-table")
        await wait_for(pilot, lambda: table.row_count > 0)
        tab = app.screen.query_one("#scores-tab")
        assert table.row_count == len(tab.answer.buckets)
        first = str(table.get_row_at(0)[0])
        assert first.endswith(" EST")  # local time, with the zone
        await pilot.press("t")
        assert app.screen.query_one("#scores-charts").display


async def test_the_series_checklist_hides_a_line(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await scores_ready(pilot, app)
        tab = app.screen.query_one("#scores-tab")
        first = tab.answer.keys[0]
        await pilot.press("l")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "SeriesPicker")
        await pilot.press("space", "enter")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "MainScreen")
        assert tab.hidden == {first}
        chart = app.screen.query_one("#numeric-chart")
        assert chart.hidden == {label(first)}
        await scores_ready(pilot, app)
        assert len(proxy.to(SCORES)) == 1  # hiding a line asks the server nothing


async def test_z_on_a_table_row_zooms_to_its_bucket_and_backspace_returns(
    proxy: RecordingProxy,
) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await scores_ready(pilot, app)
        await pilot.press("t")
        table = app.screen.query_one("#scores-table")
        await wait_for(pilot, lambda: table.row_count > 0)
        bucket = app.screen.query_one("#scores-tab").answer.buckets[3]
        await pilot.press("down", "down", "down", "z")  # (enter: its requests, test_drill_down)
        sent = await requests_to(pilot, proxy, SCORES, 2)
        assert window(sent[-1].body) == (bucket, bucket + timedelta(hours=1))
        assert sent[-1].body["dbIncrement"] == "min"  # 1 h: Helicone's web rule
        await scores_ready(pilot, app)
        await pilot.press("backspace")
        sent = await requests_to(pilot, proxy, SCORES, 3)
        assert window(sent[-1].body) == (T_NOW - timedelta(hours=24), T_NOW)


async def test_evals_render_with_true_mean_beside_helicones_average(
    proxy: RecordingProxy,
) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await main_ready(pilot, app)
        await pilot.press("4")
        tab = app.screen.query_one("#evals-tab")
        await wait_for(pilot, lambda: tab.status in ("ready", "empty", "error"))
        assert tab.status == "ready", screen_text(app)
        body = proxy.to(EVALS)[-1].body
        assert window(body) == (T_NOW - timedelta(hours=24), T_NOW)
        answer = post(proxy.upstream, EVALS, body)["data"]
        table = app.screen.query_one("#evals-table")
        assert table.row_count == len(answer)
        text = screen_text(app)
        for header in ("true mean", "helicone avg", "min*", "max*", "count"):
            assert header in text
        assert "clamped toward 0 by empty hours" in text
        # One row, checked by hand: the true mean weights hourly averages by hourly counts.
        item = max(answer, key=lambda e: e["count"])
        counts = [p["count"] for p in item["overTime"]]
        values = [p["value"] for p in item["averageOverTime"]]
        expected = sum(v * c for v, c in zip(values, counts, strict=True)) / sum(counts)
        row = table.get_row(item["name"])
        assert float(str(row[1]).replace(",", "")) == pytest.approx(expected, rel=1e-3)


async def test_evals_sort_search_and_open(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await main_ready(pilot, app)
        await pilot.press("4")
        tab = app.screen.query_one("#evals-tab")
        await wait_for(pilot, lambda: tab.status == "ready")
        table = app.screen.query_one("#evals-table")
        asked = len(proxy.to(EVALS))  # (Scores asks it too, for its counts)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        await pilot.press("o")  # count -> name
        by_name = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert by_name == sorted(names, key=str.lower)
        needle = by_name[0][:3]
        await pilot.press("n")
        # Type only once the search box has the focus, as a person would.
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id != "evals-table")
        await pilot.press(*needle, "enter")
        assert 0 < table.row_count <= len(names)
        assert all(needle.lower() in str(table.get_row_at(i)[0]).lower()
                   for i in range(table.row_count))
        assert len(proxy.to(EVALS)) == asked  # searching asks the server nothing
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "EvalDetail")
        assert "Hourly average" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "MainScreen")


# --------------------------------------------------------------------------- the filter line


async def test_a_filter_changes_the_request_the_server_receives(proxy: RecordingProxy) -> None:
    from tui.filters.text import parse
    from tui.filters.wire import to_wire

    app = make_app(proxy.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await scores_ready(pilot, app)
        text = "model ilike '%gpt-4%' and status >= 500"
        await pilot.press("slash", *text, "enter")
        sent = await requests_to(pilot, proxy, SCORES, 2)
        assert sent[-1].body["userFilter"] == to_wire(parse(text))
        assert sent[-1].body["userFilter"] != "all"
        await scores_ready(pilot, app)
        assert "model ilike '%gpt-4%' and status >= 500" in screen_text(app)


async def test_a_bad_filter_shows_its_column_and_sends_nothing(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await scores_ready(pilot, app)
        before = len(proxy.requests)
        await pilot.press("slash", *"latency ilike 'x'", "enter")
        await settle(pilot, 0.5)
        text = screen_text(app)
        assert "col 9:" in text  # the operator's column
        assert "        ^" in text  # a caret under it
        assert len(proxy.requests) == before
        await pilot.press("escape")  # closes the line, keeps the old filter
        assert "filter all" in screen_text(app)


async def test_session_fields_are_refused_outside_sessions(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await scores_ready(pilot, app)
        before = len(proxy.requests)
        await pilot.press("slash", *"session_tag = 'checkout'", "enter")
        tab = app.screen.query_one("#scores-tab")
        await wait_for(pilot, lambda: tab.status == "error")
        assert "only the Sessions tab can send" in screen_text(app)
        assert len(proxy.requests) == before


# --------------------------------------------------------------------------- time keys


async def test_time_keys_move_and_zoom_the_window(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url)
    day = timedelta(hours=24)
    async with app.run_test(size=(100, 30)) as pilot:
        await scores_ready(pilot, app)
        expected = [(T_NOW - day, T_NOW)]

        async def press(key: str, start: datetime, end: datetime) -> dict:
            await pilot.press(key)
            expected.append((start, end))
            sent = await requests_to(pilot, proxy, SCORES, len(expected))
            await scores_ready(pilot, app)
            return sent[-1].body

        body = await press("left_square_bracket", T_NOW - 2 * day, T_NOW - day)
        assert window(body) == expected[-1]
        body = await press("right_square_bracket", T_NOW - day, T_NOW)
        assert window(body) == expected[-1]
        body = await press("minus", T_NOW - 2 * day, T_NOW)  # widen x2 (still ends now)
        assert window(body) == expected[-1]
        # narrow x2 around the centre of the 48 h window: the middle 24 h
        body = await press("plus", T_NOW - 36 * timedelta(hours=1), T_NOW - 12 * timedelta(hours=1))
        assert window(body) == expected[-1]
        body = await press("equals_sign", T_NOW - 30 * timedelta(hours=1),
                           T_NOW - 18 * timedelta(hours=1))
        assert window(body) == expected[-1]
        assert body["dbIncrement"] == "hour"


async def test_the_time_picker_sets_a_quick_or_custom_range(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await scores_ready(pilot, app)
        await pilot.press("T")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "TimeRangePicker")
        # Quick ranges: 15m 1h 6h 24h(highlighted) 7d 30d; down once is 7d.
        await pilot.press("down", "enter")
        sent = await requests_to(pilot, proxy, SCORES, 2)
        assert window(sent[-1].body) == (T_NOW - timedelta(days=7), T_NOW)
        assert sent[-1].body["dbIncrement"] == "day"
        await scores_ready(pilot, app)

        await pilot.press("T")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "TimeRangePicker")
        start = app.screen.query_one("#time-start")
        end = app.screen.query_one("#time-end")
        start.value, end.value = "2026-11-18 08:00", "2026-11-18 20:00"  # local (EST)
        start.focus()
        await pilot.press("enter")
        sent = await requests_to(pilot, proxy, SCORES, 3)
        assert window(sent[-1].body) == (
            datetime(2026, 11, 18, 13, tzinfo=UTC),
            datetime(2026, 11, 19, 1, tzinfo=UTC),
        )


async def test_increment_key_cycles_the_bucket_size(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await scores_ready(pilot, app)
        await pilot.press("i")
        sent = await requests_to(pilot, proxy, SCORES, 2)
        assert sent[-1].body["dbIncrement"] == "day"  # hour -> day


# --------------------------------------------------------------------------- errors


async def test_nothing_listening_is_a_one_line_error_with_retry() -> None:
    with ScriptedServer(200, {}) as gone:
        url = gone.url
    app = make_app(url)  # the port was just freed: nothing listens there now
    async with app.run_test(size=(80, 24)) as pilot:
        tab = app.screen.query_one("#scores-tab")
        await wait_for(pilot, lambda: tab.status == "error")
        text = screen_text(app)
        assert "connection refused" in text
        assert "r retries" in text
        assert "Traceback" not in text


async def test_a_401_says_what_to_do_and_shows_no_key() -> None:
    body = {"error": "Invalid auth header", "trace": "isAuthenticated.error"}
    with ScriptedServer(401, body) as server:
        app = make_app(server.url)
        async with app.run_test(size=(100, 30)) as pilot:
            tab = app.screen.query_one("#scores-tab")
            await wait_for(pilot, lambda: tab.status == "error")
            text = screen_text(app)
            assert "401" in text or "key" in text.lower()
            assert "r retries" in text
            assert "0000-0000-abcd" not in text  # the key never shows
            hits = server.hits
            await pilot.press("r")
            await wait_for(pilot, lambda: server.hits > hits)


async def test_escape_cancels_a_slow_request() -> None:
    with ScriptedServer(200, {"data": [], "error": None}, delay=30) as slow:
        app = make_app(slow.url)
        async with app.run_test(size=(80, 24)) as pilot:
            tab = app.screen.query_one("#scores-tab")
            await wait_for(pilot, lambda: tab.status == "loading" and slow.hits >= 1)
            assert "Loading scores" in screen_text(app)
            await pilot.press("escape")
            await wait_for(pilot, lambda: tab.status == "cancelled")
            assert "Cancelled" in screen_text(app)
            assert not any(w.is_running for w in app.workers if w.group == "fetch-scores")


async def test_an_empty_answer_suggests_a_wider_range() -> None:
    with ScriptedServer(200, {"data": [], "error": None}) as server:
        app = make_app(server.url)
        async with app.run_test(size=(80, 24)) as pilot:
            tab = app.screen.query_one("#scores-tab")
            await wait_for(pilot, lambda: tab.status == "empty")
            assert "wider range" in screen_text(app)


async def test_a_tiny_terminal_shows_a_notice_instead() -> None:
    with ScriptedServer(200, {"data": [], "error": None}) as server:
        app = make_app(server.url)
        async with app.run_test(size=(40, 12)) as pilot:
            await wait_for(pilot, lambda: "too small" in screen_text(app))
            text = screen_text(app)
            assert "Traceback" not in text


async def test_quitting_as_the_first_frame_shows_is_a_clean_exit() -> None:
    # The first tab mounts its widgets right after the first frame: an exit at that moment (a
    # quick `q`) once reported "stopped on an unexpected error" (MountError) on the way out.
    with ScriptedServer(200, {"data": [], "error": None}) as server:
        app = make_app(server.url)
        async with app.run_test(size=(80, 24)) as pilot:
            app.screen.call_after_refresh(app.exit, 0)
            await wait_for(pilot, lambda: app.return_value == 0 or app.crash_message is not None)
    assert app.crash_message is None
    assert app.return_value == 0 and app.return_code in (None, 0)


# --------------------------------------------------------------------------- keys


async def test_help_lists_the_screens_keys_with_their_ids() -> None:
    with ScriptedServer(200, {"data": [], "error": None}) as server:
        app = make_app(server.url)
        async with app.run_test(size=(100, 40)) as pilot:
            await main_ready(pilot, app)
            await pilot.press("question_mark")
            await wait_for(pilot, lambda: app.screen.__class__.__name__ == "HelpScreen")
            await pilot.press("i")  # the ids in place of the labels
            text = screen_text(app)
            for binding_id in ("main.filter", "main.range", "main.back", "main.watch",
                               "scores.increment", "scores.series"):
                assert binding_id in text
            await pilot.press("escape")
            # Main-screen keys do not fire inside a modal: `T` in the picker's input is text.
            await pilot.press("T")
            await wait_for(pilot, lambda: app.screen.__class__.__name__ == "TimeRangePicker")
            await pilot.press("tab", "question_mark")
            assert app.screen.__class__.__name__ == "TimeRangePicker"


async def test_the_footer_keeps_help_and_quit_in_one_line_and_a_click_presses_a_key() -> None:
    with ScriptedServer(200, {"data": [], "error": None}) as server:
        app = make_app(server.url)
        async with app.run_test(size=(80, 24)) as pilot:
            await main_ready(pilot, app)
            await wait_for(pilot, lambda: "Increment" in screen_text(app).splitlines()[-1])
            footer = screen_text(app).splitlines()[-1]
            # Not every key fits in 80 columns: the ones that do, then `?` to list them all.
            assert footer.rstrip().endswith("? More  q Quit")
            assert "/ Filter" in footer and "T Range" in footer
            assert "p Presets" not in footer
            await pilot.click("KeyLines", offset=(footer.index("T Range") + 2, 0))
            await wait_for(pilot, lambda: app.screen.__class__.__name__ == "TimeRangePicker")


async def test_a_click_on_a_tab_title_shows_that_tab() -> None:
    with ScriptedServer(200, {"data": [], "error": None}) as server:
        app = make_app(server.url)
        async with app.run_test(size=(80, 24)) as pilot:
            await main_ready(pilot, app)
            row = screen_text(app).splitlines()[2]  # under the header: the tab titles
            await pilot.click("TabBar", offset=(row.index("4 Evals") + 1, 0))
            await wait_for(pilot, lambda: app.screen.query_one("#evals-tab").shown)
            assert not app.screen.query_one("#scores-tab").shown
            assert app.screen.query_one("#evals-tab").display


async def test_the_keymap_remaps_a_binding_by_id(tmp_path, monkeypatch) -> None:
    from tui.keys import load_keymap

    config = tmp_path / "config.toml"
    config.write_text('[keys]\n"main.refresh" = "f5"\n"no.such" = "x"\n')
    keymap, warnings = load_keymap(config)
    assert keymap == {"main.refresh": "f5"}
    assert any("no.such" in w for w in warnings)
    with ScriptedServer(200, {"data": [], "error": None}) as server:
        app = make_app(server.url)
        app.set_keymap(keymap)
        async with app.run_test(size=(80, 24)) as pilot:
            tab = app.screen.query_one("#scores-tab")
            await wait_for(pilot, lambda: tab.status == "empty")
            hits = server.hits
            await pilot.press("f5")
            await wait_for(pilot, lambda: server.hits > hits)


async def test_watch_refreshes_and_shows_in_the_header() -> None:
    with ScriptedServer(200, {"data": [], "error": None}) as server:
        app = make_app(server.url, watch=0.3)
        async with app.run_test(size=(100, 24)) as pilot:
            await wait_for(pilot, lambda: server.hits >= 3)
            assert "watch 0.3s" in screen_text(app)
            await pilot.press("w")
            assert "watch off" in screen_text(app)


async def test_every_main_action_is_in_the_command_palette() -> None:
    from tui.screens.main import MainScreen

    with ScriptedServer(200, {"data": [], "error": None}) as server:
        app = make_app(server.url)
        async with app.run_test(size=(100, 30)) as pilot:
            await main_ready(pilot, app)
            titles = {c.title for c in app.get_system_commands(app.screen)}
            for binding in MainScreen.BINDINGS:
                if binding.action != "toggle_view":  # hidden where it does not apply
                    assert binding.description in titles
            assert "Increment" in titles and "Series" in titles


async def test_a_bug_becomes_one_line_and_a_log_without_the_key(monkeypatch, tmp_path) -> None:
    from apptools import KEY

    from tui.screens.scores import ScoresTab

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))

    def broken(self, answer) -> None:
        raise RuntimeError(f"boom with {KEY} inside")

    monkeypatch.setattr(ScoresTab, "watch_answer", broken)
    with ScriptedServer(200, {"data": [], "error": None}) as server:
        app = make_app(server.url)
        with pytest.raises(RuntimeError):
            async with app.run_test(size=(80, 24)) as pilot:
                await wait_for(pilot, lambda: app.crash_message is not None)
    assert "boom with" in app.crash_message and KEY not in app.crash_message
    log = (tmp_path / "helicone-tui" / "crash.log").read_text()
    assert "RuntimeError" in log and KEY not in log
