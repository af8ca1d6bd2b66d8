"""The Overview's users panel, shaped from its two answers (tui/query/overview_plan.users_parts).
Pure: no Textual (the fetch worker calls it in a thread, as the other panels).

Honest numbers (SEMANTICS-MORE §6.1):
- both rankings are /v1/user/metrics/query's, the second filtered on `status != 200` (Helicone's
  "error"), so its `total_requests` is the user's errors; `requests` counts every status;
- the user `""` (requests without a Helicone-User-Id) is a row of its own, shown "(no user)"; the
  strip's "users" (activeUsers) counts it as one user too;
- the endpoint's window is whole seconds with both ends excluded, where the metrics endpoints
  include both: a request in the window's first or last second counts in the strip, not here;
- each ranking gives at most 1000 users: a user missing from one that was cut shows "≤ n" (the
  fewest listed), never a made-up 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tui.query.overview_shaping import Failed

#: How many users the panel lists: the top by requests, then the top by errors not among them.
USERS_BY_REQUESTS = 10
USERS_BY_ERRORS = 5
NO_USER_LABEL = "(no user)"


@dataclass(frozen=True)
class Count:
    """A user's number from one of the two rankings: exact, or only bounded (`at_most`) when the
    user is not in a ranking cut at the endpoint's limit, or unknown (both None: it failed)."""

    value: int | None
    at_most: int | None = None


@dataclass(frozen=True)
class UserRow:
    user_id: str  # as Helicone has it ("" for requests without a user id): the drill's value
    listed_for: str  # "requests" or "errors": the ranking that put it in the panel
    requests: Count
    errors: Count
    cost: float | None  # USD, of all its requests (None: not in the requests ranking)

    @property
    def label(self) -> str:
        return self.user_id if self.user_id != "" else NO_USER_LABEL

    @property
    def error_rate(self) -> float | None:
        """% of its requests (Helicone's error: status != 200)."""
        e, n = self.errors.value, self.requests.value
        return None if e is None or not n else e / n * 100.0


def _ranking(answer: Any) -> tuple[dict[str, Any], int | None]:
    """A users answer's rows by user id, and the bound for a user missing from it (None: the
    list is whole, so a missing user has none)."""
    if answer is None or isinstance(answer, Failed):
        return {}, None
    rows = {u.user_id: u for u in answer.users}
    whole = int(answer.count) <= len(rows)
    fewest = min((int(u.total_requests) for u in answer.users), default=0)
    return rows, None if whole else fewest


def _count(rows: dict[str, Any], bound: int | None, known: bool, user: str) -> Count:
    if not known:
        return Count(None)
    row = rows.get(user)
    if row is not None:
        return Count(int(row.total_requests))
    return Count(0) if bound is None else Count(None, bound)


def shape_users(by_requests: Any, by_errors: Any) -> tuple[UserRow, ...]:
    """The top users by requests, each with its errors and cost, then the top users by errors
    not among them (a retry storm's users have few requests but the most errors). Both answers
    are /v1/user/metrics/query's (the errors one filtered on status != 200, so its
    `total_requests` is the user's errors); ties by user id."""
    if by_requests is None or isinstance(by_requests, Failed):
        return ()  # the panel says its request failed
    req_rows, req_bound = _ranking(by_requests)
    err_rows, err_bound = _ranking(by_errors)
    err_known = by_errors is not None and not isinstance(by_errors, Failed)

    def ranked(rows: dict[str, Any]) -> list[str]:
        return sorted(rows, key=lambda u: (-int(rows[u].total_requests), u))

    def row(user: str, listed_for: str) -> UserRow:
        got = req_rows.get(user)
        return UserRow(user, listed_for, _count(req_rows, req_bound, True, user),
                       _count(err_rows, err_bound, err_known, user),
                       None if got is None else float(got.cost))

    top = ranked(req_rows)[:USERS_BY_REQUESTS]
    listed = set(top)
    failing = [u for u in ranked(err_rows)
               if u not in listed and int(err_rows[u].total_requests) > 0][:USERS_BY_ERRORS]
    return tuple([row(u, "requests") for u in top] + [row(u, "errors") for u in failing])
