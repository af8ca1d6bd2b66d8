"""Users (`POST /v1/user/metrics/query`): the top users of the window by requests, by cost, or by
errors (the same endpoint with `status != 200` added to the filter: Helicone's "error" is any
status but 200, so the requests column then counts each user's errors)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from tui.api.timerange import Window, epoch_ms
from tui.query.base import View, option

if TYPE_CHECKING:
    from tui.api.models import WireRequest

LIMIT = 50  # the top users
MAX_LIMIT = 1000  # the endpoint refuses more

HEADER = ("user", "requests", "active_for", "first_active", "last_active", "tokens_per_request",
          "cost")


BY = ("requests", "cost", "errors")
#: The users' sort key for each --by.
_SORT = {"requests": "total_requests", "cost": "cost", "errors": "total_requests"}
ERROR_LEAF = {"request_response_rmt": {"status": {"not-equals": 200}}}


@dataclass(frozen=True)
class UsersOptions:
    by: str | None = field(default=None, metadata=option(
        "--by", "users: the top users by requests (default), cost, or errors (status != 200)",
        choices=BY, kind="choice",
    ))


def users_body(wire_filter: Any, window: Window, tz_offset: int, by: str,
               limit: int) -> WireRequest:
    """The top `limit` users of `window` by `by` (one of BY): the CLI's view and the Overview's
    users panel ask alike."""
    from tui.api.wire_users import SortLeafUsers, UserMetricsQuery, UserTimeFilter

    if by == "errors":
        wire_filter = (ERROR_LEAF if wire_filter == "all" else
                       {"left": wire_filter, "operator": "and", "right": ERROR_LEAF})
    return UserMetricsQuery(
        filter=wire_filter, offset=0, limit=limit,
        time_filter=UserTimeFilter(start_time_unix_seconds=epoch_ms(window.start) // 1000,
                                   end_time_unix_seconds=epoch_ms(window.end) // 1000),
        time_zone_difference_minutes=tz_offset,
        sort=SortLeafUsers.model_validate({_SORT[by]: "desc"}),
    )


class UsersView(View[UsersOptions]):
    name = "users"
    options_type = UsersOptions
    formats = ("table", "json", "csv", "jsonl")

    def request(self, wire_filter: Any, window: Window, options: UsersOptions,
                tz_offset: int) -> WireRequest:
        return users_body(wire_filter, window, tz_offset, options.by or "requests", LIMIT)

    async def send(self, client: Any, request: Any) -> Any:
        return await client.user_metrics(request)

    def curl(self, base_url: str, request: Any) -> str:
        from tui.api.wire_endpoints import More
        from tui.query import writers_more as w

        return w.curl_for(base_url, More.USERS, request)

    def write(self, answer: Any, fmt: str, out: TextIO, options: Any, tz: Any) -> None:
        from tui.query import writers_more as w

        rows = answer.users
        by = getattr(options, "by", None) or "requests"
        header = HEADER if by != "errors" else ("user", "errors", *HEADER[2:])
        if fmt == "json":
            w.write_json({"users": answer}, out)
        elif fmt == "jsonl":
            w.write_jsonl(rows, out)
        elif fmt == "csv":
            w.write_csv(header, [(u.user_id, u.total_requests, u.active_for, u.first_active,
                                  u.last_active, u.average_tokens_per_request, u.cost)
                                 for u in rows], out)
        else:
            cells = [(u.user_id or "(no user)", u.total_requests, u.active_for,
                      w.local_time(u.first_active, tz, False),
                      w.local_time(u.last_active, tz, False),
                      u.average_tokens_per_request, u.cost) for u in rows]
            w.write_table(header, cells, (False, True, True, False, False, True, True), out)
            what = {"requests": "", "cost": " by cost",
                    "errors": " with errors (status != 200), by errors"}[by]
            out.write(f"{len(rows)} of {answer.count} users{what}\n")


VIEW = UsersView()
