"""The client's typed methods for SEMANTICS-MORE's endpoints (metrics, requests, properties, users,
session names), one per endpoint, and how their path parameters go into a URL.

A mixin of HeliconeClient: every method goes through `fetch_more`, so all share the client's
in-flight limit, its 429 waits and its typed errors.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from tui.api import wire_metrics as m
from tui.api import wire_properties as p
from tui.api import wire_requests as r
from tui.api import wire_users as u
from tui.api.errors import UsageError
from tui.api.wire_endpoints import More, WireEndpoint

if TYPE_CHECKING:
    from tui.api.answers import Answer
    from tui.api.models import WireRequest

Number = int | float


def path_segment(value: str, what: str) -> str:
    """`value` as one URL path segment: every byte but RFC 3986's unreserved ones escaped, so a
    `/`, `?`, `#` or `%` in a property key stays part of the key (Express decodes it back into
    the parameter). A segment of dots only is escaped too: a URL resolver would otherwise read
    `..` as "the parent" and send the request elsewhere. An empty value cannot be a segment."""
    if not isinstance(value, str) or not value:
        raise UsageError(f"{what} must not be empty")
    encoded = quote(value, safe="")
    if set(value) == {"."}:
        encoded = "%2E" * len(value)
    return encoded


def endpoint_path(spec: WireEndpoint, values: dict[str, str]) -> str:
    """The endpoint's path with its {placeholders} filled from `values`, each URL-encoded."""
    names = [name for _, name, _, _ in string.Formatter().parse(spec.path) if name]
    if sorted(names) != sorted(values):
        raise TypeError(f"{spec.name.value} takes the path parameters {names}, not "
                        f"{sorted(values)}")
    return spec.path.format(**{name: path_segment(values[name], _WHAT.get(name, name))
                               for name in names})


_WHAT = {"propertyKey": "a property key", "requestId": "a request id"}


class MoreEndpoints:
    """One typed method per endpoint; `fetch_more` (the client's) does the sending."""

    if TYPE_CHECKING:

        async def fetch_more(
            self, endpoint: More | str, request: WireRequest | None = None, *,
            path: dict[str, str] | None = None, params: dict[str, str] | None = None,
        ) -> Answer[Any]: ...

    async def _data(self, name: More, request: WireRequest | None = None, **path: str) -> Any:
        return (await self.fetch_more(name, request, path=path)).data

    # -- metrics: one number for the window (A1-A5, A16)

    async def total_requests(self, body: m.MetricsFilterBody) -> Number:
        return await self._data(More.TOTAL_REQUESTS, body)

    async def total_cost(self, body: m.MetricsFilterBody) -> Number:
        """USD."""
        return await self._data(More.TOTAL_COST, body)

    async def average_latency(self, body: m.MetricsFilterBody) -> Number:
        """Milliseconds; NULL latencies count as 0 (Helicone's sum / count(*))."""
        return await self._data(More.AVERAGE_LATENCY, body)

    async def average_ttft(self, body: m.MetricsFilterBody) -> Number:
        """Milliseconds, over the requests with a time to first token above 0."""
        return await self._data(More.AVERAGE_TTFT, body)

    async def active_users(self, body: m.MetricsFilterBody) -> Number:
        return await self._data(More.ACTIVE_USERS, body)

    async def request_count(self, body: m.RequestCountBody) -> Number:
        """Distinct requests matching the filter, no window (the Requests page's count)."""
        return await self._data(More.REQUEST_COUNT, body)

    # -- metrics over time (A6-A13, A15): one row per bucket, gaps filled

    async def request_over_time(
        self, body: m.MetricsOverTimeBody
    ) -> list[m.RequestsOverTimeRow]:
        return await self._data(More.REQUEST_OVER_TIME, body)

    async def request_status_over_time(
        self, body: m.MetricsOverTimeBody
    ) -> list[m.RequestsOverTimeRow]:
        return await self._data(More.REQUEST_STATUS_OVER_TIME, body)

    async def error_over_time(self, body: m.MetricsOverTimeBody) -> list[m.ErrorOverTimeRow]:
        """Every status but 200 counts as an error."""
        return await self._data(More.ERROR_OVER_TIME, body)

    async def latency_over_time(
        self, body: m.MetricsOverTimeBody
    ) -> list[m.LatencyOverTimeRow]:
        return await self._data(More.LATENCY_OVER_TIME, body)

    async def ttft_over_time(self, body: m.MetricsOverTimeBody) -> list[m.TimeToFirstTokenRow]:
        """Helicone's /v1/metrics/timeToFirstToken."""
        return await self._data(More.TTFT_OVER_TIME, body)

    async def cost_over_time(self, body: m.MetricsOverTimeBody) -> list[m.CostOverTimeRow]:
        return await self._data(More.COST_OVER_TIME, body)

    async def tokens_over_time(self, body: m.MetricsOverTimeBody) -> list[m.TokensOverTimeRow]:
        return await self._data(More.TOKENS_OVER_TIME, body)

    async def users_over_time(self, body: m.MetricsOverTimeBody) -> list[m.UsersOverTimeRow]:
        return await self._data(More.USERS_OVER_TIME, body)

    async def quantiles(self, body: m.QuantilesBody) -> list[m.QuantilesRow]:
        return await self._data(More.QUANTILES, body)

    # -- metrics by model and country (A14, A17)

    async def models(self, body: m.ModelMetricsBody) -> list[m.ModelMetric]:
        return await self._data(More.MODELS, body)

    async def country(self, body: m.CountryMetricsBody) -> list[m.CountryRow]:
        return await self._data(More.COUNTRY, body)

    # -- requests (B1, B2)

    async def requests(self, body: r.RequestQueryParams) -> list[r.HeliconeRequest]:
        """A page of requests (Helicone answers 201). A page may hold fewer than `limit` rows
        while more exist: page by offset until an empty page."""
        return await self._data(More.REQUESTS, body)

    async def request(
        self, request_id: str, *, include_body: bool | None = None
    ) -> r.HeliconeRequest:
        """One request by id (a GET: the key needs read permission). NotFound for an unknown id,
        one older than 90 days or of another organization."""
        params = None if include_body is None else {"includeBody": str(include_body).lower()}
        answer = await self.fetch_more(More.REQUEST, None, path={"requestId": request_id},
                                       params=params)
        return answer.data

    # -- properties (C1-C4)

    async def properties(self, body: p.PropertyQuery | None = None) -> list[p.PropertyRow]:
        """Every property key ever seen (unordered)."""
        return await self._data(More.PROPERTIES, body or p.PropertyQuery())

    async def property_search(self, key: str, body: p.PropertySearch) -> list[str]:
        """At most 25 values of `key` containing the term, case-insensitive (unordered)."""
        return await self._data(More.PROPERTY_SEARCH, body, propertyKey=key)

    async def top_requests(self, key: str, body: p.TimeFilterRequest) -> list[p.TopCountRow]:
        """The top 10 values of `key` by request count; `""` = requests without the key, and
        "Other" the rest when there is any."""
        return await self._data(More.TOP_REQUESTS, body, propertyKey=key)

    async def top_costs(self, key: str, body: p.TimeFilterRequest) -> list[p.TopCostRow]:
        """As `top_requests`, by cost (USD)."""
        return await self._data(More.TOP_COSTS, body, propertyKey=key)

    # -- users and session names (C6, D2)

    async def user_metrics(self, body: u.UserMetricsQuery) -> u.UserMetrics:
        return await self._data(More.USERS, body)

    async def session_names(self, body: u.SessionNameQuery) -> list[u.SessionNameRow]:
        """At most 50 names (unordered); `""` = sessions without a name."""
        return await self._data(More.SESSION_NAMES, body)
