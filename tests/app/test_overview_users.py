"""The Overview's top-users panel against the demo server (seed 1, now 2026-11-20T12:00Z, last 7
days) through a recording proxy: it lists the server's top users by requests with their errors
and cost, then the users with the most errors, the retry storm's (globex's) users; `down` past
the last panel walks its rows and `enter` opens the Requests of that user; the table view (`t`)
and the export (`x`) carry the users too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from app_servers import RecordingProxy, _ProxyHandler
from apptools import post, screen_text, wait_for
from overview_tools import overview_app, overview_drawn
from requests_apptools import REQUESTS, requests_ready

from tui.query import overview_shaping as shaping

USERS = "/v1/user/metrics/query"
ERROR_LEAF = {"request_response_rmt": {"status": {"not-equals": 200}}}
GLOBEX = {"request_response_rmt": {"properties": {"customer": {"equals": "globex"}}}}


def server_users(demo_url: str, proxy: RecordingProxy, filter_: object, limit: int) -> list:
    """The server's users by requests under `filter_`, for the window the app asked (asked here
    directly, not through the app)."""
    window = proxy.to(USERS)[0].body["timeFilter"]
    body = {"filter": filter_, "offset": 0, "limit": limit, "timeFilter": window,
            "sort": {"total_requests": "desc"}}
    return post(demo_url, USERS, body)["data"]["users"]


async def users_in_view(pilot, app):
    """The Overview drawn, then `down` until the users panel is the one in view (80x24)."""
    tab = await overview_drawn(pilot, app)
    await pilot.press(*["down"] * (len(shaping.PANELS) - 1))
    box = tab.query_one("#ov-users")
    await wait_for(pilot, lambda: box.display and box.complete)
    await wait_for(pilot, lambda: tab.query_one("#ov-users-table").row_count > 0)
    return tab


def panel_rows(tab) -> list[list[str]]:
    grid = tab.query_one("#ov-users-table")
    return [[str(c) for c in grid.get_row_at(i)] for i in range(grid.row_count)]


async def test_the_panel_lists_the_top_users_then_the_retry_storms_users(
    proxy: RecordingProxy, demo_url: str
) -> None:
    app = overview_app(proxy.url)
    async with app.run_test(size=(80, 24)) as pilot:
        tab = await users_in_view(pilot, app)
        rows = panel_rows(tab)
        top = server_users(demo_url, proxy, "all", 10)
        failing = {u["user_id"]: u["total_requests"] for u in server_users(
            demo_url, proxy, ERROR_LEAF, 1000)}
        # The first ten: the server's top users by requests, with their errors and cost.
        assert [r[0] for r in rows[:10]] == [u["user_id"] or "(no user)" for u in top]
        for row, user in zip(rows[:10], top, strict=True):
            assert row[1] == f"{user['total_requests']:,}"
            assert row[2] == f"{failing.get(user['user_id'], 0):,}"
            assert row[4] == f"${user['cost']:,.3f}" and row[5] == "top requests"
        # Then the users with the most errors: every one of them globex's (the retry storm's),
        # nearly all their requests failed, where the heaviest users fail a few percent.
        storm = {u["user_id"] for u in server_users(
            demo_url, proxy, {"left": GLOBEX, "operator": "and", "right": ERROR_LEAF}, 1000)}
        extra = rows[10:]
        assert len(extra) == shaping_users_by_errors() and all(r[5] == "top errors" for r in extra)
        assert {r[0] for r in extra} <= storm
        most = sorted(failing.values(), reverse=True)[:len(extra)]
        assert [int(r[2]) for r in extra] == most
        assert all(float(r[3].rstrip("%")) > 50 for r in extra)
        assert all(float(r[3].rstrip("%")) < 10 for r in rows[:10])
        text = screen_text(app)
        assert "Top users by requests, then by errors" in text
        assert extra[0][0] in text  # the first storm user is on the first screen of the panel
        # The panel is one more part of the plan, sent once with the others.
        assert len(proxy.to(USERS)) == 2


def shaping_users_by_errors() -> int:
    from tui.query.overview_users import USERS_BY_ERRORS

    return USERS_BY_ERRORS


async def test_enter_on_a_user_row_opens_that_users_requests_and_backspace_returns(
    proxy: RecordingProxy,
) -> None:
    app = overview_app(proxy.url)
    async with app.run_test(size=(80, 24)) as pilot:
        tab = await users_in_view(pilot, app)
        rows = panel_rows(tab)
        await pilot.press("down")  # into the rows: the first one
        assert tab.users_row == 0 and tab.query_one("#ov-users-table").show_cursor
        await pilot.press(*["down"] * 10)  # the first user listed for its errors
        assert tab.users_row == 10
        user, requests = rows[10][0], int(rows[10][1])
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.active_id == "requests")
        await wait_for(pilot, lambda: len(proxy.to(REQUESTS)) >= 1)
        listed = await requests_ready(pilot, app)
        sent = json.dumps(proxy.to(REQUESTS)[-1].body)
        assert json.dumps({"user_id": {"equals": user}}) in sent
        assert {r.request_user_id for r in listed.answer.rows} == {user}
        assert len(listed.answer.rows) == requests  # the whole window: all of its requests
        assert f"user_id = '{user}'" in screen_text(app)
        await pilot.press("backspace")
        await wait_for(pilot, lambda: app.screen.active_id == "overview")
        await wait_for(pilot, lambda: tab.query_one("#ov-users").display)
        # up walks back out of the rows, then up the panels again.
        await pilot.press(*["up"] * 11)
        assert tab.users_row is None
        await pilot.press("up")
        await wait_for(pilot, lambda: tab.query_one("#ov-models").display)


async def test_the_table_view_and_the_export_carry_the_users(
    proxy: RecordingProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = overview_app(proxy.url)
    async with app.run_test(size=(120, 40)) as pilot:
        tab = await overview_drawn(pilot, app)
        users = tab.user_rows()
        await pilot.press("t")
        grid = tab.query_one("#overview-table")
        buckets = len(tab.panels["status"][0].buckets)
        await wait_for(pilot, lambda: grid.row_count == buckets + len(users))
        keys = [c.key.value for c in grid.columns.values()]
        first = [str(c) for c in grid.get_row_at(buckets)]
        assert first[0] == "user (no user)" and first[keys.index("n")] == str(
            users[0].requests.value)
        storm = [str(c) for c in grid.get_row_at(buckets + 10)]
        assert storm[0] == f"user {users[10].user_id}"
        assert float(storm[keys.index("rate")]) > 50
        # enter on a user's row: its requests (from the table view too).
        grid.move_cursor(row=buckets + 10)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.active_id == "requests")
        await wait_for(pilot, lambda: len(proxy.to(REQUESTS)) >= 1)
        sent = json.dumps(proxy.to(REQUESTS)[-1].body)
        assert json.dumps({"user_id": {"equals": users[10].user_id}}) in sent
        await pilot.press("backspace")
        await wait_for(pilot, lambda: app.screen.active_id == "overview"
                       and tab.status == "ready")

        await pilot.press("x")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "ExportDialog")
        await pilot.press("down")  # JSON
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "MainScreen")
        doc = json.loads(next(tmp_path.glob("helicone-overview-*.json")).read_text())
        assert doc["answers"]["users"]["users"][0]["user_id"] == ""
        assert doc["answers"]["userErrors"]["users"][0]["user_id"] == users[10].user_id
        await pilot.press("x")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "ExportDialog")
        await pilot.press("enter", "enter")  # CSV
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "MainScreen")
        lines = next(tmp_path.glob("helicone-overview-*.csv")).read_text().splitlines()
        assert f"user,current,,(no user).requests,{users[0].requests.value}" in lines
        assert f"user,current,,{users[10].user_id}.errors,{users[10].errors.value}" in lines


#: A user id that would set the window title and clear the screen, then markup (SHOWN: as shown).
HOSTILE = "\x1b]0;pwned\x07\x1b[2J[bold]x[/]"
SHOWN = "\\x1b]0;pwned\\x07\\x1b[2J[bold]x[/]"


class _HostileUsers(_ProxyHandler):
    """The demo's answers, but the users' ids are hostile text (a real server on 127.0.0.1)."""

    def do_POST(self) -> None:
        if not self.path.endswith(USERS):
            super().do_POST()
            return
        self._body()
        user = {"id": HOSTILE, "user_id": HOSTILE, "active_for": 1,
                "first_active": "2026-11-15T10:00:00.000Z",
                "last_active": "2026-11-15T11:00:00.000Z", "total_requests": 9,
                "average_requests_per_day_active": 9, "average_tokens_per_request": 10,
                "total_completion_tokens": 1, "total_prompt_tokens": 1, "cost": 0.25}
        body = {"data": {"users": [user], "count": 1, "hasUsers": True}, "error": None}
        self._reply(200, json.dumps(body).encode())


async def test_a_hostile_user_id_is_shown_as_text_and_drilled_as_typed(demo_url: str) -> None:
    with RecordingProxy(demo_url) as proxy:
        proxy.httpd.RequestHandlerClass = _HostileUsers
        app = overview_app(proxy.url)
        async with app.run_test(size=(100, 30)) as pilot:
            tab = await users_in_view(pilot, app)
            assert panel_rows(tab)[0][0] == SHOWN
            text = screen_text(app)
            assert "\x1b" not in text and "\x07" not in text and SHOWN[:20] in text
            await pilot.press("down", "enter")
            await wait_for(pilot, lambda: len(proxy.to(REQUESTS)) >= 1)
            sent = proxy.to(REQUESTS)[-1].body
            assert json.dumps({"user_id": {"equals": HOSTILE}}) in json.dumps(sent)


async def test_a_failed_users_request_shows_in_the_users_panel_only(demo_url: str) -> None:
    from overview_tools import FailingProxy

    with FailingProxy(demo_url, (USERS,), "users exploded (test)") as proxy:
        app = overview_app(proxy.url)
        async with app.run_test(size=(80, 24)) as pilot:
            tab = await overview_drawn(pilot, app)
            assert tab.status == "ready"
            await pilot.press(*["down"] * (len(shaping.PANELS) - 1))
            box = tab.query_one("#ov-users")
            await wait_for(pilot, lambda: box.display)
            await pilot.pause()
            text = screen_text(app)
            assert "failed: users:" in text and "users exploded (test)" in text
            assert "requests " in text and not tab.query_one("#ov-users-table").display
            assert tab.user_rows() == () and tab.panels["models"][0]  # the models still drew
            await pilot.press("down", "enter")  # no rows to walk: enter drills no user
            await pilot.pause()
            assert app.screen.active_id == "overview" and tab.users_row is None
