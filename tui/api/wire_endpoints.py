"""The endpoints of SEMANTICS-MORE that the project speaks, by name: method, path, body model,
answer model and the HTTP status Helicone answers success with. One list, read by the demo
server's routes and by the tests that check requests and answers against the strict spec."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tui.api import wire_metrics as m
from tui.api import wire_properties as p
from tui.api import wire_requests as r
from tui.api import wire_users as u
from tui.api.models import WireRequest


class More(StrEnum):
    TOTAL_REQUESTS = "totalRequests"
    TOTAL_COST = "totalCost"
    AVERAGE_LATENCY = "averageLatency"
    AVERAGE_TTFT = "averageTimeToFirstToken"
    ACTIVE_USERS = "activeUsers"
    REQUEST_OVER_TIME = "requestOverTime"
    REQUEST_STATUS_OVER_TIME = "requestStatusOverTime"
    ERROR_OVER_TIME = "errorOverTime"
    LATENCY_OVER_TIME = "latencyOverTime"
    TTFT_OVER_TIME = "timeToFirstToken"
    COST_OVER_TIME = "costOverTime"
    TOKENS_OVER_TIME = "tokensOverTime"
    USERS_OVER_TIME = "usersOverTime"
    MODELS = "models"
    QUANTILES = "quantiles"
    REQUEST_COUNT = "requestCount"
    COUNTRY = "country"
    REQUESTS = "requests"
    REQUEST = "request"
    PROPERTIES = "properties"
    PROPERTY_SEARCH = "propertySearch"
    TOP_REQUESTS = "topRequests"
    TOP_COSTS = "topCosts"
    USERS = "users"
    SESSION_NAMES = "sessionNames"


@dataclass(frozen=True, slots=True)
class WireEndpoint:
    name: More
    method: str
    path: str  # with {propertyKey} / {requestId} placeholders where Helicone has them
    operation_id: str
    request: type[WireRequest] | None  # None: GET, no body
    response: Any
    status: int = 200  # Helicone's success status


def _metric(name: More, op: str, body: type[WireRequest], answer: Any) -> WireEndpoint:
    return WireEndpoint(name, "POST", f"/v1/metrics/{name.value}", op, body, answer)


MORE_ENDPOINTS: dict[More, WireEndpoint] = {e.name: e for e in (
    _metric(More.TOTAL_REQUESTS, "GetTotalRequests", m.MetricsFilterBody, m.NumberResponse),
    _metric(More.TOTAL_COST, "GetTotalCost", m.MetricsFilterBody, m.NumberResponse),
    _metric(More.AVERAGE_LATENCY, "GetAverageLatency", m.MetricsFilterBody, m.NumberResponse),
    _metric(More.AVERAGE_TTFT, "GetAverageTimeToFirstToken", m.MetricsFilterBody,
            m.NumberResponse),
    _metric(More.ACTIVE_USERS, "GetActiveUsers", m.MetricsFilterBody, m.NumberResponse),
    _metric(More.REQUEST_OVER_TIME, "GetRequestsOverTime", m.MetricsOverTimeBody,
            m.RequestsOverTimeResponse),
    _metric(More.REQUEST_STATUS_OVER_TIME, "GetRequestStatusOverTime", m.MetricsOverTimeBody,
            m.RequestsOverTimeResponse),
    _metric(More.ERROR_OVER_TIME, "GetErrorsOverTime", m.MetricsOverTimeBody,
            m.ErrorOverTimeResponse),
    _metric(More.LATENCY_OVER_TIME, "GetLatencyOverTime", m.MetricsOverTimeBody,
            m.LatencyOverTimeResponse),
    _metric(More.TTFT_OVER_TIME, "GetTimeToFirstTokenOverTime", m.MetricsOverTimeBody,
            m.TimeToFirstTokenResponse),
    _metric(More.COST_OVER_TIME, "GetCostOverTime", m.MetricsOverTimeBody,
            m.CostOverTimeResponse),
    _metric(More.TOKENS_OVER_TIME, "GetTokensOverTime", m.MetricsOverTimeBody,
            m.TokensOverTimeResponse),
    _metric(More.USERS_OVER_TIME, "GetUsersOverTime", m.MetricsOverTimeBody,
            m.UsersOverTimeResponse),
    _metric(More.MODELS, "GetModelMetrics", m.ModelMetricsBody, m.ModelMetricsResponse),
    _metric(More.QUANTILES, "GetQuantiles", m.QuantilesBody, m.QuantilesResponse),
    _metric(More.REQUEST_COUNT, "GetMetricsRequestCount", m.RequestCountBody,
            m.NumberResponse),
    _metric(More.COUNTRY, "GetCountryMetrics", m.CountryMetricsBody, m.CountryResponse),
    WireEndpoint(More.REQUESTS, "POST", "/v1/request/query-clickhouse", "GetRequestsClickhouse",
                 r.RequestQueryParams, r.RequestsResponse, status=201),
    WireEndpoint(More.REQUEST, "GET", "/v1/request/{requestId}", "GetRequestById", None,
                 r.RequestByIdResponse),
    WireEndpoint(More.PROPERTIES, "POST", "/v1/property/query", "GetProperties",
                 p.PropertyQuery, p.PropertiesResponse),
    WireEndpoint(More.PROPERTY_SEARCH, "POST", "/v1/property/{propertyKey}/search",
                 "SearchProperties", p.PropertySearch, p.PropertySearchResponse),
    WireEndpoint(More.TOP_REQUESTS, "POST", "/v1/property/{propertyKey}/top-requests/query",
                 "GetTopRequests", p.TimeFilterRequest, p.TopRequestsResponse),
    WireEndpoint(More.TOP_COSTS, "POST", "/v1/property/{propertyKey}/top-costs/query",
                 "GetTopCosts", p.TimeFilterRequest, p.TopCostsResponse),
    WireEndpoint(More.USERS, "POST", "/v1/user/metrics/query", "GetUserMetrics",
                 u.UserMetricsQuery, u.UserMetricsResponse),
    WireEndpoint(More.SESSION_NAMES, "POST", "/v1/session/name/query", "GetNames",
                 u.SessionNameQuery, u.SessionNamesResponse),
)}
