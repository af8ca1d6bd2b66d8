"""Compare with the previous period (v): the requests the server receives, the dimmer lines, the
change column; the window before is the current one shifted back by exactly its length (scores
count both ends, so its end stops one second short of the current start: see tui/compare.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from app_servers import RecordingProxy
from apptools import (
    DISTRIBUTIONS,
    EVALS,
    SCORES,
    T_NOW,
    main_ready,
    make_app,
    post,
    requests_to,
    scores_ready,
    screen_text,
    wait_for,
    window,
)

from tui.screens.score_series import PREVIOUS_SUFFIX, label


async def test_v_asks_for_the_previous_period_and_draws_it_dimmer(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url, since="24h")
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        first = proxy.to(SCORES)[0].body
        await pilot.press("v")
        sent = await requests_to(pilot, proxy, SCORES, 3)
        await scores_ready(pilot, app)
        bodies = sorted((r.body for r in sent[1:]), key=lambda b: b["timeFilter"]["start"])
        before, current = bodies
        assert current == first  # the same question for the current window
        start, end = window(current)
        length = end - start
        b_start, b_end = window(before)
        assert b_start == start - length  # shifted back by exactly the window's length
        assert b_end == end - length - timedelta(seconds=1)  # ...not sharing the start instant
        assert b_end < start
        # Everything else is the same question: filter, increment, time-zone offset.
        assert {k: v for k, v in before.items() if k != "timeFilter"} == {
            k: v for k, v in current.items() if k != "timeFilter"
        }

        tab = app.screen.query_one("#scores-tab")
        chart = app.screen.query_one("#numeric-chart")
        labels = [s.label for s in chart.data.series]
        key = tab.answer.numeric_keys[0]
        assert label(key) + PREVIOUS_SUFFIX in labels
        dim = next(s for s in chart.data.series if s.label == label(key) + PREVIOUS_SUFFIX)
        bright = next(s for s in chart.data.series if s.label == label(key))
        assert sum(dim.color) != sum(bright.color)  # a greyed version of the key's colour
        # the previous line is drawn over the current window (shifted forward by its length)
        assert min(dim.xs) >= (start - timedelta(days=1)).timestamp()
        legend = app.screen.query_one("#numeric-legend")
        assert all(not s.label.endswith(PREVIOUS_SUFFIX) for s in legend.data.series)
        assert "vs previous 24h (dim lines)" in screen_text(app)

        await pilot.press("v")  # off again: one request, the current window only
        sent = await requests_to(pilot, proxy, SCORES, 4)
        assert sent[-1].body == first
        await scores_ready(pilot, app)
        assert all(not s.label.endswith(PREVIOUS_SUFFIX)
                   for s in app.screen.query_one("#numeric-chart").data.series)


async def test_the_table_shows_the_change_from_the_previous_period(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url, since="24h")
    async with app.run_test(size=(120, 40)) as pilot:
        await scores_ready(pilot, app)
        await pilot.press("v")
        sent = await requests_to(pilot, proxy, SCORES, 3)
        await scores_ready(pilot, app)
        await pilot.press("t")
        table = app.screen.query_one("#scores-table")
        await wait_for(pilot, lambda: table.row_count > 0)
        tab = app.screen.query_one("#scores-tab")
        key = tab.answer.numeric_keys[0]
        headers = [str(c.label) for c in table.columns.values()]
        position = next(i for i, h in enumerate(headers) if h.split("\n")[0] == label(key))
        assert headers[position + 1] == "Δ prev"

        # Check one row by hand against the server's own answers for both windows.
        before = min((r.body for r in sent[1:]), key=lambda b: b["timeFilter"]["start"])
        current = max((r.body for r in sent[1:]), key=lambda b: b["timeFilter"]["start"])

        def values(body: dict) -> dict:
            rows = post(proxy.upstream, SCORES, body)["data"]
            return {r["created_at_trunc"]: r["score_sum"] for r in rows if r["score_key"] == key}

        now_values, before_values = values(current), values(before)
        shift = timedelta(hours=24)
        for i in range(table.row_count):
            bucket = tab.answer.buckets[i]
            at = (bucket - shift).strftime("%Y-%m-%dT%H:%M:%S.000Z")
            here = now_values.get(bucket.strftime("%Y-%m-%dT%H:%M:%S.000Z"))
            there = before_values.get(at)
            if here is not None and there is not None:
                cell = str(table.get_row_at(i)[position + 1])
                assert float(cell) == float(f"{here - there:+.3g}")
                break
        else:
            raise AssertionError("no bucket with data in both periods")
        last = str(table.get_row_at(table.row_count - 1)[position + 1])
        assert last == "-"  # the end instant's bucket has no previous-period counterpart
        assert window(current)[1] == T_NOW


async def test_v_on_a_tab_without_compare_says_so_and_sends_nothing(
    proxy: RecordingProxy,
) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await main_ready(pilot, app)
        await pilot.press("5")
        tab = app.screen.query_one("#distributions-tab")
        await wait_for(pilot, lambda: tab.status == "ready")
        await pilot.press("v")
        await wait_for(
            pilot,
            lambda: any("Scores, Evals and Sessions" in n.message for n in app._notifications),
        )
        assert len(proxy.to(DISTRIBUTIONS)) == 1


async def test_v_on_evals_shows_the_previous_periods_true_mean_and_count(
    proxy: RecordingProxy,
) -> None:
    """Evals compare: the previous window's request (inclusive ends: it stops a second before
    the current start), and its true mean and count beside the current ones, with the change."""
    from tui.api.models import Eval

    app = make_app(proxy.url, since="24h")
    async with app.run_test(size=(80, 24)) as pilot:
        await main_ready(pilot, app)
        await pilot.press("4")
        tab = app.screen.query_one("#evals-tab")
        await wait_for(pilot, lambda: tab.status == "ready")
        asked = len(proxy.to(EVALS))
        first = proxy.to(EVALS)[-1].body
        await pilot.press("v")
        sent = await requests_to(pilot, proxy, EVALS, asked + 2)
        await wait_for(pilot, lambda: tab.status == "ready" and tab.answer.compared)
        before, current = sorted((r.body for r in sent[asked:]),
                                 key=lambda b: b["timeFilter"]["start"])
        assert current == first
        start, end = window(current)
        assert window(before) == (start - (end - start), start - timedelta(seconds=1))

        then = {e["name"]: Eval.model_validate(e)
                for e in post(proxy.upstream, EVALS, before)["data"]}
        now = {e["name"]: Eval.model_validate(e)
               for e in post(proxy.upstream, EVALS, current)["data"]}
        table = app.screen.query_one("#evals-table")
        headers = [str(c.label).split(" ")[0] for c in table.columns.values()]
        assert headers[:6] == ["name", "true", "prev", "Δ", "count", "prev"]
        checked = 0
        for i in range(table.row_count):
            cells = [str(c) for c in table.get_row_at(i)]
            name = cells[0]
            if not (now[name].count and then[name].count):
                continue
            assert float(cells[1]) == pytest.approx(now[name].true_mean, rel=1e-3)
            assert float(cells[2]) == pytest.approx(then[name].true_mean, rel=1e-3)
            assert int(cells[4].replace(",", "")) == now[name].count
            assert int(cells[5].replace(",", "")) == then[name].count
            assert cells[3] == f"{now[name].true_mean - then[name].true_mean:+.3g}"
            checked += 1
        assert checked >= 2
        assert "vs previous 24h" in screen_text(app)

        await pilot.press("v")  # off again: the current window only, Helicone's columns back
        sent = await requests_to(pilot, proxy, EVALS, asked + 3)
        assert sent[-1].body == first
        await wait_for(pilot, lambda: tab.status == "ready" and not tab.answer.compared)
        assert "helicone avg" in screen_text(app)


# --------------------------------------------------------------------------- sessions

SESSIONS = "/v1/session/metrics/query"


async def show_sessions(pilot, app):
    await main_ready(pilot, app)
    await pilot.press("6")
    tab = app.screen.query_one("#sessions-tab")
    await wait_for(pilot, lambda: tab.status in ("ready", "empty", "error"))
    assert tab.status == "ready", screen_text(app)
    return tab


async def test_sessions_compare_the_averages_with_the_previous_period(
    proxy: RecordingProxy,
) -> None:
    from tui.compare import format_percent, percent_change
    from tui.widgets.histogram import significant

    app = make_app(proxy.url, since="7d")
    async with app.run_test(size=(100, 30)) as pilot:
        tab = await show_sessions(pilot, app)
        first = proxy.to(SESSIONS)[0].body
        await pilot.press("v")
        sent = await requests_to(pilot, proxy, SESSIONS, 3)
        await wait_for(pilot, lambda: tab.status == "ready" and tab.answer.previous is not None)
        bodies = sorted((r.body for r in sent[1:]),
                        key=lambda b: b["timeFilter"]["startTimeUnixMs"])
        before, current = bodies
        assert current == first
        now_tf, before_tf = current["timeFilter"], before["timeFilter"]
        length = now_tf["endTimeUnixMs"] - now_tf["startTimeUnixMs"]
        # (start, end): both ends open, so the previous window is shifted by exactly its length
        assert before_tf == {"startTimeUnixMs": now_tf["startTimeUnixMs"] - length,
                             "endTimeUnixMs": now_tf["endTimeUnixMs"] - length}
        assert {k: v for k, v in before.items() if k != "timeFilter"} == {
            k: v for k, v in current.items() if k != "timeFilter"
        }

        # The averages side by side, with the change in %, from the server's own numbers.
        then = post(proxy.upstream, SESSIONS, before)["data"]["average"]
        now = post(proxy.upstream, SESSIONS, current)["data"]["average"]
        a_now = now["session_count"][0]["average"]
        a_then = then["session_count"][0]["average"]
        assert a_now != a_then
        change = format_percent(percent_change(a_now, a_then))
        shown = str(app.screen.query_one("#session_count-average").render())
        assert "prev" in shown and change in shown

        await pilot.press("t")
        averages = app.screen.query_one("#sessions-averages")
        await wait_for(pilot, lambda: "previous" in str(averages.render()))
        text = str(averages.render())
        line = next(x for x in text.splitlines() if x.startswith("requests"))
        assert significant(a_now, 4) in line and significant(a_then, 4) in line
        assert change in line
        assert "Δ" in text.splitlines()[0]
