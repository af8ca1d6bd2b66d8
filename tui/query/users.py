"""Users (`POST /v1/user/metrics/query`): the top users of the window by requests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from tui.api.timerange import Window, epoch_ms
from tui.query.base import View

if TYPE_CHECKING:
    from tui.api.models import WireRequest

LIMIT = 50  # the top users (the endpoint refuses more than 1000)

HEADER = ("user", "requests", "active_for", "first_active", "last_active", "tokens_per_request",
          "cost")


@dataclass(frozen=True)
class UsersOptions:
    pass


class UsersView(View[UsersOptions]):
    name = "users"
    options_type = UsersOptions
    formats = ("table", "json", "csv", "jsonl")

    def request(self, wire_filter: Any, window: Window, options: UsersOptions,
                tz_offset: int) -> WireRequest:
        from tui.api.wire_users import SortLeafUsers, UserMetricsQuery, UserTimeFilter

        return UserMetricsQuery(
            filter=wire_filter, offset=0, limit=LIMIT,
            time_filter=UserTimeFilter(start_time_unix_seconds=epoch_ms(window.start) // 1000,
                                       end_time_unix_seconds=epoch_ms(window.end) // 1000),
            time_zone_difference_minutes=tz_offset,
            sort=SortLeafUsers(total_requests="desc"),
        )

    async def send(self, client: Any, request: Any) -> Any:
        return await client.user_metrics(request)

    def curl(self, base_url: str, request: Any) -> str:
        from tui.api.wire_endpoints import More
        from tui.query import writers_more as w

        return w.curl_for(base_url, More.USERS, request)

    def write(self, answer: Any, fmt: str, out: TextIO, options: Any, tz: Any) -> None:
        from tui.query import writers_more as w

        rows = answer.users
        if fmt == "json":
            w.write_json({"users": answer}, out)
        elif fmt == "jsonl":
            w.write_jsonl(rows, out)
        elif fmt == "csv":
            w.write_csv(HEADER, [(u.user_id, u.total_requests, u.active_for, u.first_active,
                                  u.last_active, u.average_tokens_per_request, u.cost)
                                 for u in rows], out)
        else:
            cells = [(u.user_id or "(no user)", u.total_requests, u.active_for,
                      w.local_time(u.first_active, tz, False),
                      w.local_time(u.last_active, tz, False),
                      u.average_tokens_per_request, u.cost) for u in rows]
            w.write_table(HEADER, cells, (False, True, True, False, False, True, True), out)
            out.write(f"{len(rows)} of {answer.count} users\n")


VIEW = UsersView()
