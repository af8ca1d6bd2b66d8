"""The Overview's users panel without Textual (tui.query.overview_users, the plan's users parts):
the top users by requests with their errors and cost, then the users with the most errors; a
user missing from a ranking cut at its limit is bounded, never a made-up 0; the requests the
plan sends are the ones `query users` sends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tui.api.timerange import Window
from tui.api.wire_users import UserMetrics
from tui.filters.text import parse
from tui.query import overview_plan as plan_
from tui.query.overview import OverviewOptions
from tui.query.overview_export import csv_rows
from tui.query.overview_shaping import Failed
from tui.query.overview_users import USERS_BY_ERRORS, USERS_BY_REQUESTS, Count, shape_users
from tui.query.users import VIEW, UsersOptions

START = datetime(2026, 11, 13, 12, tzinfo=UTC)
WINDOW = Window(START, START + timedelta(days=7))


def answer(counts: dict[str, int], count: int | None = None,
           cost: float = 0.5) -> UserMetrics:
    """A /v1/user/metrics/query answer: each user's total_requests (the server's order: most
    first), `count` users in all (default: these)."""
    users = [{"id": u, "user_id": u, "active_for": 1, "first_active": "2026-11-13T12:00:00.000Z",
              "last_active": "2026-11-14T12:00:00.000Z", "total_requests": n,
              "average_requests_per_day_active": n, "average_tokens_per_request": 10.0,
              "total_completion_tokens": 1, "total_prompt_tokens": 1, "cost": cost * n}
             for u, n in sorted(counts.items(), key=lambda kv: -kv[1])]
    return UserMetrics.model_validate({"users": users, "count": len(users) if count is None
                                       else count, "hasUsers": True})


HEAVY = {"": 400, **{f"user-{i}": 300 - i for i in range(12)}}
STORM = {f"user-30{i:02}": 14 + i for i in range(7)}


def test_top_users_by_requests_then_the_most_errors_not_among_them() -> None:
    by_requests = answer({**HEAVY, **STORM})
    by_errors = answer({"user-0": 6, "user-1": 3, **{u: n - 1 for u, n in STORM.items()}})
    rows = shape_users(by_requests, by_errors)
    assert len(rows) == USERS_BY_REQUESTS + USERS_BY_ERRORS
    top = rows[:USERS_BY_REQUESTS]
    assert [r.label for r in top][:3] == ["(no user)", "user-0", "user-1"]
    assert top[0].user_id == "" and top[0].listed_for == "requests"
    assert top[1].errors == Count(6) and top[2].errors == Count(3)
    assert top[3].errors == Count(0)  # the errors list is whole: a missing user has none
    assert top[1].cost == 150.0 and top[1].error_rate == 2.0
    # The storm's users: the most errors first, with their own requests and cost.
    storm = rows[USERS_BY_REQUESTS:]
    assert [r.user_id for r in storm] == [f"user-30{i:02}" for i in (6, 5, 4, 3, 2)]
    assert all(r.listed_for == "errors" for r in storm)
    assert storm[0].requests == Count(20) and storm[0].errors == Count(19)
    assert storm[0].cost == 10.0


def test_a_ranking_cut_at_its_limit_bounds_the_users_it_misses() -> None:
    by_requests = answer({"a": 50, "b": 40, "c": 30}, count=2191)
    by_errors = answer({"z": 9, "a": 4}, count=300)  # 300 users had errors: 2 listed
    rows = shape_users(by_requests, by_errors)
    b = next(r for r in rows if r.user_id == "b")
    assert b.errors == Count(None, at_most=4) and b.error_rate is None
    z = next(r for r in rows if r.user_id == "z")
    assert z.listed_for == "errors" and z.requests == Count(None, at_most=30)
    assert z.cost is None


def test_failed_answers_show_as_unknown_not_as_zero() -> None:
    rows = shape_users(answer({"a": 5}), Failed("HTTP 400: boom"))
    assert rows[0].errors == Count(None) and rows[0].error_rate is None
    assert shape_users(Failed("HTTP 500"), answer({"a": 5})) == ()
    assert shape_users(None, None) == ()


def test_the_plan_asks_what_query_users_asks() -> None:
    node = parse("model = 'gpt-4o-mini'")
    zone = ZoneInfo("America/New_York")  # both compute the same offset from it: 300
    plan = plan_.build_plan(node, WINDOW, OverviewOptions(), tz=zone)
    parts = {p.name: p for p in plan.parts}
    assert parts[plan_.USERS].endpoint == parts[plan_.USER_ERRORS].endpoint == "users"
    for name, by in ((plan_.USERS, "requests"), (plan_.USER_ERRORS, "errors")):
        cli = VIEW.build_for(node, WINDOW, UsersOptions(by=by), tz=zone).to_wire()
        sent = parts[name].body.to_wire()
        assert sent["limit"] == 1000 and sent["timeZoneDifferenceMinutes"] == 300
        assert {k: v for k, v in sent.items() if k != "limit"} == {
            k: v for k, v in cli.items() if k != "limit"}
    # The previous period has no users parts (the panel is the window's only).
    assert not any(p.base in (plan_.USERS, plan_.USER_ERRORS) and p.name != p.base
                   for p in plan.parts)


def test_the_csv_export_has_each_users_numbers() -> None:
    plan = plan_.build_plan(parse("all"), WINDOW, OverviewOptions(), tz=ZoneInfo("UTC"))
    outcomes = {plan_.USERS: answer({"": 10, "u1": 4}),
                plan_.USER_ERRORS: answer({"u1": 2})}
    rows = [r for r in csv_rows(plan, outcomes, ZoneInfo("UTC")) if r[0] == "user"]
    assert ("user", "current", "", "(no user).errors", 0) in rows
    assert ("user", "current", "", "u1.error_rate", 50.0) in rows
    assert ("user", "current", "", "u1.cost", 2.0) in rows
