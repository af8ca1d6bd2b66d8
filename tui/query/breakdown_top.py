"""The top values of a breakdown dimension in the window: from the endpoint that ranks them where
Helicone has one (models, country, user metrics, property top-requests), the status classes from
the status-over-time counts, and otherwise from a bounded random sample of the window's requests
(query-clickhouse, `sort: {random: true}`): said so, with its size, in `notes`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tui.api.timerange import Window, epoch_ms
from tui.query.base import time_filter
from tui.query.breakdown_dims import Dimension, DimensionError, parse_dimension, status_class

#: At most this many values get a series of their own (DESIGN.md: "at most 6").
MAX_VALUES = 6
#: The sample of requests a dimension without a ranking endpoint is ranked from (query-clickhouse
#: takes at most 1000 rows a page).
SAMPLE_SIZE = 1000
#: property top-requests lists the top 10, then its remainder as a row named "Other".
_TOP_REQUESTS_ROWS = 10

#: The endpoint each dimension's top values come from (the rest: the requests sample).
SOURCES: dict[str, str] = {
    "model": "/v1/metrics/models",
    "country_code": "/v1/metrics/country",
    "user_id": "/v1/user/metrics/query",
    "status_class": "/v1/metrics/requestStatusOverTime",
    "properties": "/v1/property/{key}/top-requests/query",
}
SAMPLED = "/v1/request/query-clickhouse"


@dataclass(frozen=True)
class TopValues:
    """The values to draw, most requests first, and where they come from."""

    dimension: Dimension
    values: tuple[str, ...]
    #: Requests per value as the source counted them (in the sample, for a sample).
    counts: tuple[int, ...]
    source: str  # the endpoint path asked
    #: True when there are requests beyond the values shown (an "other" series has data).
    more: bool
    sample_size: int | None = None  # rows in the sample, None when ranked by the server
    notes: tuple[str, ...] = field(default=())

    @property
    def sampled(self) -> bool:
        return self.sample_size is not None


def source(dimension: str | Dimension) -> str:
    dim = parse_dimension(dimension)
    return SOURCES.get(dim.name, SAMPLED)


def requests_for_top(dimension: str | Dimension) -> int:
    """How many requests finding the top values sends: one, plus the property-key list for a
    property (the key must be one `/v1/property/query` lists)."""
    return 2 if parse_dimension(dimension).is_property else 1


async def property_keys(client: Any) -> list[str]:
    """Every key `/v1/property/query` lists (all time, hidden keys left out by Helicone)."""
    from tui.api.wire_properties import PropertyQuery

    rows = await client.properties(PropertyQuery())
    return sorted({row.property for row in rows})


def ranking_request(dim: Dimension, wire_filter: Any, window: Window,
                    limit: int = MAX_VALUES) -> tuple[Any, Any, dict[str, str]]:
    """The request that finds the top values: (endpoint name, body, path parameters)."""
    from tui.api.wire_endpoints import More

    if dim.is_property:
        from tui.api.wire_properties import TimeFilterRequest

        return (More.TOP_REQUESTS, TimeFilterRequest(time_filter=time_filter(window)),
                {"propertyKey": dim.key or ""})
    if dim.name in ("model", "country_code"):
        from tui.api.wire_metrics import ModelMetricsBody

        # One row more than shown tells whether an "other" has data.
        body = ModelMetricsBody(filter=wire_filter, offset=0, limit=limit + 1,
                                time_filter=time_filter(window))
        return (More.MODELS if dim.name == "model" else More.COUNTRY), body, {}
    if dim.name == "user_id":
        from tui.api.wire_users import SortLeafUsers, UserMetricsQuery, UserTimeFilter

        return More.USERS, UserMetricsQuery(
            filter=wire_filter, offset=0, limit=limit,
            time_filter=UserTimeFilter(start_time_unix_seconds=epoch_ms(window.start) // 1000,
                                       end_time_unix_seconds=epoch_ms(window.end) // 1000),
            sort=SortLeafUsers(total_requests="desc"),
        ), {}
    if dim.name == "status_class":
        from tui.api.timerange import default_increment
        from tui.api.wire_metrics import MetricsOverTimeBody

        return More.REQUEST_STATUS_OVER_TIME, MetricsOverTimeBody(
            time_filter=time_filter(window), filter=wire_filter,
            time_zone_difference=0,  # the buckets are summed: the zone moves no count
            db_increment=default_increment(window)), {}
    from tui.api.wire_requests import RequestQueryParams, SortLeafRequest
    from tui.query.requests_view import with_time

    return More.REQUESTS, RequestQueryParams(
        filter=with_time(wire_filter, window), offset=0, limit=SAMPLE_SIZE,
        sort=SortLeafRequest(random=True)), {}


async def top_values(client: Any, dimension: str | Dimension, wire_filter: Any, window: Window,
                     limit: int = MAX_VALUES) -> TopValues:
    """The top `limit` (at most 6) values of `dimension` for `wire_filter` over `window`."""
    dim = parse_dimension(dimension)
    limit = max(1, min(int(limit), MAX_VALUES))
    if dim.is_property:
        return await _top_property(client, dim, window, limit)
    if dim.name in ("model", "country_code"):
        return await _top_metric(client, dim, wire_filter, window, limit)
    if dim.name == "user_id":
        return await _top_users(client, dim, wire_filter, window, limit)
    if dim.name == "status_class":
        return await _top_status(client, dim, wire_filter, window, limit)
    return await _top_sampled(client, dim, wire_filter, window, limit)


def _ranked(dim: Dimension, counts: dict[str, int], limit: int, where: str, *,
            more: bool = False, sample: int | None = None,
            notes: tuple[str, ...] = ()) -> TopValues:
    # Most requests first; ties by value, so the same data always gives the same series.
    order = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    shown = order[:limit]
    return TopValues(dim, tuple(v for v, _ in shown), tuple(c for _, c in shown), where,
                     more or len(order) > limit, sample, notes)


async def _top_metric(client: Any, dim: Dimension, wire_filter: Any, window: Window,
                      limit: int) -> TopValues:
    _, body, _ = ranking_request(dim, wire_filter, window, limit)
    if dim.name == "model":
        rows = await client.models(body)
        counts = {r.model: int(r.total_requests) for r in rows}
    else:
        rows = await client.country(body)
        counts = {r.country: int(r.total_requests) for r in rows}
    return _ranked(dim, counts, limit, SOURCES[dim.name])


async def _top_users(client: Any, dim: Dimension, wire_filter: Any, window: Window,
                     limit: int) -> TopValues:
    _, body, _ = ranking_request(dim, wire_filter, window, limit)
    answer = await client.user_metrics(body)
    counts = {u.user_id: int(u.total_requests) for u in answer.users}
    return _ranked(dim, counts, limit, SOURCES["user_id"], more=int(answer.count) > len(counts))


async def _top_status(client: Any, dim: Dimension, wire_filter: Any, window: Window,
                      limit: int) -> TopValues:
    # Exact counts by status over the window (the buckets summed): no sample needed.
    _, body, _ = ranking_request(dim, wire_filter, window, limit)
    counts: Counter[str] = Counter()
    for row in await client.request_status_over_time(body):
        if row.status or row.count:  # a fill row (status 0, count 0) is an empty bucket
            counts[status_class(int(row.status or 0))] += int(row.count)
    return _ranked(dim, dict(counts), limit, SOURCES["status_class"])


async def _top_property(client: Any, dim: Dimension, window: Window, limit: int) -> TopValues:
    assert dim.key is not None
    keys = await property_keys(client)
    if dim.key not in keys:
        from tui.api.errors import UsageError

        shown = ", ".join(keys[:20]) + (", ..." if len(keys) > 20 else "")
        raise UsageError(f"no property key {dim.key!r} in /v1/property/query "
                         f"(keys: {shown or 'none'})")
    _, body, _ = ranking_request(dim, "all", window, limit)
    rows = await client.top_requests(dim.key, body)
    counts: dict[str, int] = {}
    more = False
    for i, row in enumerate(rows):
        if i >= _TOP_REQUESTS_ROWS and row.value == "Other":  # jawn's remainder row
            more = True
            continue
        counts[row.value] = counts.get(row.value, 0) + int(row.count)
    notes = ("ranked over every request in the window: Helicone's property top-requests "
             "takes no filter (the series do apply it)",)
    return _ranked(dim, counts, limit, SOURCES["properties"], more=more, notes=notes)


def _sample_value(dim: Dimension, row: Any) -> str:
    if dim.name == "provider":
        return row.provider or ""
    if dim.name == "prompt_id":
        return row.prompt_id or ""
    if dim.name == "prompt_version":
        return row.prompt_version or ""
    raise DimensionError(f"no sample rule for {dim.text}")


async def _top_sampled(client: Any, dim: Dimension, wire_filter: Any, window: Window,
                       limit: int) -> TopValues:
    _, body, _ = ranking_request(dim, wire_filter, window, limit)
    rows = await client.requests(body)
    counts = Counter(_sample_value(dim, row) for row in rows)
    full = len(rows) >= SAMPLE_SIZE  # a full page: the window may hold values it did not see
    note = (f"top values of {dim.text} from a random sample of {len(rows)} of the window's "
            "requests (Helicone has no ranking endpoint for it)")
    return _ranked(dim, dict(counts), limit, SAMPLED, more=full, sample=len(rows),
                   notes=(note,))
