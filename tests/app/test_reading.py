"""Reading the numbers (Pilot, against the demo server): the place in a table survives a refresh,
zoom and the increment, the bucket cursor with each key's value and n, the partial bucket, and
the small formatting promises (t chart, home/end, an empty answer under a filter, the header)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from app_servers import RecordingProxy
from apptools import (
    EVALS,
    SCORES,
    SESSIONS,
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


def hour_counts(url: str, body: dict, key: str) -> dict[datetime, int]:
    """The evals endpoint's hourly count of `key` for the window of a scores request."""
    evals_body = {"filter": body["userFilter"], "timeFilter": body["timeFilter"],
                  "timeZoneDifference": body["timeZoneDifference"]}
    item = next(e for e in post(url, EVALS, evals_body)["data"] if e["name"] == key)
    return {datetime.fromisoformat(p["date"].replace("Z", "+00:00")): p["count"]
            for p in item["overTime"]}


async def table_shown(pilot, app, table_id: str):
    table = app.screen.query_one(f"#{table_id}")
    await wait_for(pilot, lambda: table.row_count > 0 and table.display)
    await settle(pilot, 0.2)
    return table


async def refreshed(pilot, proxy: RecordingProxy, path: str, tab) -> None:
    count = len(proxy.to(path))
    await pilot.press("r")
    await requests_to(pilot, proxy, path, count + 1)
    await wait_for(pilot, lambda: tab.status == "ready")
    await settle(pilot, 0.3)


# --------------------------------------------------------------------------- 3: keep the place


async def test_a_refresh_keeps_the_scores_tables_cursor_and_scroll(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        await pilot.press("t")
        table = await table_shown(pilot, app, "scores-table")
        await pilot.press(*["down"] * 20)
        await settle(pilot, 0.2)
        row, scroll = table.cursor_row, table.scroll_y
        assert row == 20 and scroll > 0
        await refreshed(pilot, proxy, SCORES, app.screen.query_one("#scores-tab"))
        assert (table.cursor_row, table.scroll_y) == (row, scroll)


async def test_a_refresh_keeps_the_place_in_the_evals_and_sessions_tables(
    proxy: RecordingProxy,
) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await main_ready(pilot, app)
        await pilot.press("4")
        evals = app.screen.query_one("#evals-tab")
        table = await table_shown(pilot, app, "evals-table")
        await pilot.press("down", "down")
        name = str(table.get_row_at(table.cursor_row)[0])
        await refreshed(pilot, proxy, EVALS, evals)
        assert table.cursor_row == 2 and str(table.get_row_at(2)[0]) == name

        await pilot.press("6")
        sessions = app.screen.query_one("#sessions-tab")
        await wait_for(pilot, lambda: sessions.status == "ready")
        await pilot.press("t")
        table = await table_shown(pilot, app, "sessions-table")
        await pilot.press(*["down"] * 15)
        await settle(pilot, 0.2)
        row, scroll = table.cursor_row, table.scroll_y
        assert row == 15 and scroll > 0
        await refreshed(pilot, proxy, SESSIONS, sessions)
        assert (table.cursor_row, table.scroll_y) == (row, scroll)


async def test_end_and_home_go_to_the_last_and_first_row(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        await pilot.press("t")
        table = await table_shown(pilot, app, "scores-table")
        await pilot.press("end")
        await settle(pilot, 0.2)
        assert table.cursor_row == table.row_count - 1 and table.scroll_x == 0
        assert table.scroll_y == table.max_scroll_y > 0
        await pilot.press("home")
        await settle(pilot, 0.2)
        assert table.cursor_row == 0 and table.scroll_y == 0


# --------------------------------------------------------------------------- 6: zoom, increment


async def test_zoom_after_a_hand_set_increment_goes_finer_and_I_returns_to_auto(
    proxy: RecordingProxy, tmp_path: Path
) -> None:
    from tui.presets import PresetStore

    path = tmp_path / "presets.toml"
    app = make_app(proxy.url, since="7d")
    app.presets_path = path
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        tab = app.screen.query_one("#scores-tab")
        assert proxy.to(SCORES)[-1].body["dbIncrement"] == "day"  # 7 d: the web rule
        await pilot.press("i")  # day -> week, by hand
        await requests_to(pilot, proxy, SCORES, 2)
        await scores_ready(pilot, app)
        await pilot.press("i", "i", "i", "i", "i")  # ... year, min, hour, day (by hand)
        sent = await requests_to(pilot, proxy, SCORES, 7)
        assert sent[-1].body["dbIncrement"] == "day" and tab.increment == "day"
        await scores_ready(pilot, app)
        await pilot.press("t")
        await table_shown(pilot, app, "scores-table")
        bucket = tab.answer.buckets[2]
        await pilot.press("down", "down", "z")  # zoom to the row's day
        sent = await requests_to(pilot, proxy, SCORES, 8)
        # The day, at the automatic increment for one day: hours (not one row of a day again).
        assert window(sent[-1].body) == (bucket, bucket + timedelta(days=1))
        assert sent[-1].body["dbIncrement"] == "hour"
        await scores_ready(pilot, app)
        assert tab.answer.increment == "hour" and len(tab.answer.buckets) == 25

        await pilot.press("backspace")  # the range before, with the increment it had
        sent = await requests_to(pilot, proxy, SCORES, 9)
        assert window(sent[-1].body) == (T_NOW - timedelta(days=7), T_NOW)
        assert sent[-1].body["dbIncrement"] == "day" and tab.increment == "day"
        await scores_ready(pilot, app)

        await pilot.press("i")  # day -> week by hand, then I: automatic again
        await requests_to(pilot, proxy, SCORES, 10)
        await scores_ready(pilot, app)
        await pilot.press("I")
        sent = await requests_to(pilot, proxy, SCORES, 11)
        assert sent[-1].body["dbIncrement"] == "day" and tab.increment is None
        await scores_ready(pilot, app)
        assert "auto" in screen_text(app)

        await pilot.press("s")  # a preset saved now leaves the increment to the range
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "PresetSave")
        await pilot.press(*"week-auto", "enter", "enter")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "MainScreen")
    saved = PresetStore(path).get("week-auto")
    assert saved.since == "7d" and saved.increment is None
    assert "increment" not in path.read_text()


# --------------------------------------------------------------------------- 9, 10: cursor, n


async def test_the_bucket_cursor_shows_each_keys_value_and_n_and_z_zooms_to_it(
    proxy: RecordingProxy,
) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        tab = app.screen.query_one("#scores-tab")
        body = proxy.to(SCORES)[-1].body
        await pilot.press("right", "left", "left")  # the newest bucket, then two before
        await settle(pilot, 0.2)
        answer = tab.answer
        i = len(answer.buckets) - 3
        bucket = answer.buckets[i]
        assert tab.cursor == i
        key = answer.numeric_keys[0]
        value = answer.values[key][i]
        assert value is not None
        n = hour_counts(proxy.upstream, body, key)[bucket]
        assert n > 0
        shown = screen_text(app).replace("\u00a0", " ")  # the legend's no-break spaces
        assert f"{label(key)} {answer.display_value(key, value)} n={n}" in shown
        assert "at Nov 20 05:00 EST" in shown  # the cursor's bucket, local time
        chart = app.screen.query_one("#numeric-chart")
        assert chart.cursor_x == bucket.timestamp()
        column = chart.column_of(bucket.timestamp())
        drawn = chart.render()
        assert any(span.style.reverse and span.start % (len(drawn.plain.split("\n")[0]) + 1)
                   == column for span in drawn.spans if hasattr(span.style, "reverse"))

        await pilot.press("r")  # a refresh keeps the cursor on its bucket
        await requests_to(pilot, proxy, SCORES, 2)
        await scores_ready(pilot, app)
        assert tab.cursor == i

        await pilot.press("z")
        sent = await requests_to(pilot, proxy, SCORES, 3)
        assert window(sent[-1].body) == (bucket, bucket + timedelta(hours=1))
        assert sent[-1].body["dbIncrement"] == "min"


async def test_the_partial_bucket_is_marked_and_the_table_shows_n(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url, since="3d")  # day buckets: the first and the current are partial
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        tab = app.screen.query_one("#scores-tab")
        body = proxy.to(SCORES)[-1].body
        assert body["dbIncrement"] == "day"
        answer = tab.answer
        today = datetime(2026, 11, 20, 5, tzinfo=UTC)  # midnight in New York
        assert answer.buckets[-1] == today and answer.is_partial(len(answer.buckets) - 1)
        assert not answer.is_partial(len(answer.buckets) - 2)
        chart = app.screen.query_one("#numeric-chart")
        assert chart.partial_x == today.timestamp()
        drawn = chart.render()
        assert any("dim" in str(span.style) for span in drawn.spans), (
            chart.column_of(today.timestamp()), drawn.plain)

        await pilot.press("t")
        table = await table_shown(pilot, app, "scores-table")
        assert "t chart" in screen_text(app)
        last = [str(c) for c in table.get_row_at(table.row_count - 1)]
        assert last[0] == "2026-11-20 EST partial"
        whole = [str(c) for c in table.get_row_at(table.row_count - 2)]
        assert "partial" not in whole[0]
        key = answer.keys[0]
        counts = hour_counts(proxy.upstream, body, key)
        day = answer.buckets[-2]
        n = sum(c for at, c in counts.items() if day <= at < day + timedelta(days=1))
        headers = [str(c.label) for c in table.columns.values()]
        assert headers[1] == f"{label(key)}\navg (n)"
        assert whole[1].endswith(f" ({n})")


# --------------------------------------------------------------------------- 14: formatting


async def test_an_empty_answer_under_a_filter_blames_the_filter(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url, filter_text="model = 'no-such-model'")
    async with app.run_test(size=(80, 24)) as pilot:
        await main_ready(pilot, app)
        tab = app.screen.query_one("#scores-tab")
        await wait_for(pilot, lambda: tab.status == "empty")
        text = screen_text(app)
        assert "Nothing matches the filter in this range." in text
        assert "No scores in this range" not in text


async def test_a_long_host_gives_way_before_the_fetched_time(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        bar = app.screen.query_one("#context-bar")
        bar.demo = False
        bar.target = "helicone-jawn.internal.observability.platform.example.com"
        await settle(pilot, 0.2)
        first = screen_text(app).splitlines()[0].rstrip()
        assert first.endswith("fetched 07:00:00")
        assert first.startswith(" helic") and "…" in first  # the host, cut short


async def test_an_evals_hourly_charts_have_a_cursor_with_the_hours_average_and_n(
    proxy: RecordingProxy,
) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await main_ready(pilot, app)
        await pilot.press("4")
        tab = app.screen.query_one("#evals-tab")
        table = await table_shown(pilot, app, "evals-table")
        name = str(table.get_row_at(table.cursor_row)[0])
        asked = len(proxy.to(EVALS))
        body = proxy.to(EVALS)[-1].body
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "EvalDetail")
        await pilot.press("right", "left")  # the last hour, then the one before
        await settle(pilot, 0.2)
        item = next(e for e in post(proxy.upstream, EVALS, body)["data"] if e["name"] == name)
        hour, count = item["overTime"][-2]["date"], item["overTime"][-2]["count"]
        value = item["averageOverTime"][-2]["value"]
        assert count > 0
        text = screen_text(app)
        assert f"at Nov 20 06:00 EST  average {value:.4g}  n {count}" in text
        charts = list(app.screen.query("TimeChart"))
        at = datetime.fromisoformat(hour.replace("Z", "+00:00"))
        assert all(c.cursor_x == at.timestamp() for c in charts)

        await pilot.press("z")  # the range narrows to that hour; the tab asks again
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "MainScreen")
        sent = await requests_to(pilot, proxy, EVALS, asked + 1)
        assert window(sent[-1].body) == (at, at + timedelta(hours=1))
        await wait_for(pilot, lambda: tab.status in ("ready", "empty"))
        await pilot.press("backspace")
        sent = await requests_to(pilot, proxy, EVALS, asked + 2)
        assert window(sent[-1].body) == (T_NOW - timedelta(hours=24), T_NOW)
