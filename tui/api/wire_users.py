"""Wire models of `POST /v1/user/metrics/query` and `POST /v1/session/name/query`
(SEMANTICS-MORE §6.1, §7.2).

Users: times are seconds and exclusive; errors are HTTP 400; `active_for`, `rate_limited_count`
and `count` are raw 64-bit (maybe quoted). Session names: LIMIT 50 with no order; the times are
ClickHouse strings without a zone; `session_count` is raw 64-bit.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from tui.api.models import SessionMetricsQuery
from tui.api.wire_common import ClosedModel, Count, Envelope, Real, WireRequest, WireResponse
from tui.api.wire_filter import Number, RequestFilterNode

SortDirection = Literal["asc", "desc"]


class UserTimeFilter(WireRequest):
    start_time_unix_seconds: Number
    end_time_unix_seconds: Number


class SortLeafUsers(ClosedModel):
    """Only the first key is used; `{}` orders by nothing at all (a constant)."""

    id: SortDirection | None = None
    user_id: SortDirection | None = None
    active_for: SortDirection | None = None
    first_active: SortDirection | None = None
    last_active: SortDirection | None = None
    total_requests: SortDirection | None = None
    average_requests_per_day_active: SortDirection | None = None
    average_tokens_per_request: SortDirection | None = None
    total_prompt_tokens: SortDirection | None = None
    total_completion_tokens: SortDirection | None = None
    cost: SortDirection | None = None
    rate_limited_count: SortDirection | None = None


class UserMetricsQuery(WireRequest):
    """POST /v1/user/metrics/query (UserMetricsQueryParams); limit > 1000 is a 400."""

    filter: RequestFilterNode
    offset: Number
    limit: Number
    time_filter: UserTimeFilter | None = None
    time_zone_difference_minutes: Number | None = None
    sort: SortLeafUsers | None = None


class UserMetricsRow(WireResponse):
    id: str
    user_id: str  # "" is the row of requests without a user
    active_for: Count
    first_active: str
    last_active: str
    total_requests: Count
    average_requests_per_day_active: Real
    average_tokens_per_request: Real
    total_completion_tokens: Count
    total_prompt_tokens: Count
    cost: Real
    rate_limited_count: Count = 0


class UserMetrics(WireResponse):
    users: list[UserMetricsRow]
    count: Count  # users matching the filter, whatever limit and offset say
    has_users: bool = Field(False, alias="hasUsers")  # any user at all, filter ignored


UserMetricsResponse = Envelope[UserMetrics]

#: POST /v1/session/name/query takes the same body as session metrics (SessionNameQueryParams).
SessionNameQuery = SessionMetricsQuery


class SessionNameRow(WireResponse):
    name: str  # "" = requests with a session id but no name
    created_at: str  # ClickHouse DateTime64(3) text, no zone
    last_used: str
    first_used: str
    session_count: Count
    avg_latency: Real


SessionNamesResponse = Envelope[list[SessionNameRow]]
