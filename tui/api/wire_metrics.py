"""Wire models of Helicone's `/v1/metrics/*` endpoints (SEMANTICS-MORE §3).

Bodies are closed as tsoa closes them; answers take what jawn really sends: 64-bit counts as
numbers or quoted strings, `status: null` on every requestOverTime row, null token sums on
/models for a model whose rows all lack them.
"""

from __future__ import annotations

from pydantic import StrictBool, StrictStr

from tui.api.enums import TimeIncrement
from tui.api.models import TimeFilter
from tui.api.wire_common import Count, Envelope, Real, WireRequest, WireResponse
from tui.api.wire_filter import Number, RequestFilterNode

# --------------------------------------------------------------------------- requests


class MetricsFilterBody(WireRequest):
    """totalRequests, totalCost, averageLatency, averageTimeToFirstToken, activeUsers."""

    filter: RequestFilterNode
    time_filter: TimeFilter


class MetricsOverTimeBody(WireRequest):
    """The over-time series (requestOverTime ... usersOverTime); dbIncrement defaults to hour."""

    time_filter: TimeFilter
    filter: RequestFilterNode
    time_zone_difference: Number
    db_increment: TimeIncrement | None = None


class ModelMetricsBody(WireRequest):
    """/models and /country (CountryMetricsBody is the same shape)."""

    filter: RequestFilterNode
    offset: Number
    limit: Number
    time_filter: TimeFilter


CountryMetricsBody = ModelMetricsBody

#: The metrics /quantiles accepts; anything else is a 500 "Invalid metric".
QUANTILE_METRICS = ("latency", "prompt_tokens", "completion_tokens", "total_tokens")


class QuantilesBody(WireRequest):
    filter: RequestFilterNode
    time_filter: TimeFilter
    time_zone_difference: Number
    metric: StrictStr
    db_increment: TimeIncrement | None = None


class RequestCountBody(WireRequest):
    """No time window: only what the filter says. isCached means cache_enabled = 1."""

    filter: RequestFilterNode
    is_cached: StrictBool | None = None


# --------------------------------------------------------------------------- responses


class RequestsOverTimeRow(WireResponse):
    time: str
    count: Count
    status: Count | None = None  # always null on requestOverTime; exact code (0 fill) on status


class ErrorOverTimeRow(WireResponse):
    time: str
    count: Count


class LatencyOverTimeRow(WireResponse):
    time: str
    duration: Real


class TimeToFirstTokenRow(WireResponse):
    time: str
    ttft: Real


class CostOverTimeRow(WireResponse):
    time: str
    cost: Real


class TokensOverTimeRow(WireResponse):
    time: str
    prompt_tokens: Count
    completion_tokens: Count


class UsersOverTimeRow(WireResponse):
    time: str
    count: Count


class ModelMetric(WireResponse):
    model: str
    total_requests: Count
    total_completion_tokens: Count | None
    total_prompt_token: Count | None  # Helicone's name: singular
    total_tokens: Count | None
    cost: Real


class QuantilesRow(WireResponse):
    time: str
    p75: Real
    p90: Real
    p95: Real
    p99: Real


class CountryRow(WireResponse):
    country: str  # "" is a row: requests whose country is unknown
    total_requests: Count


NumberResponse = Envelope[Count]
RequestsOverTimeResponse = Envelope[list[RequestsOverTimeRow]]
ErrorOverTimeResponse = Envelope[list[ErrorOverTimeRow]]
LatencyOverTimeResponse = Envelope[list[LatencyOverTimeRow]]
TimeToFirstTokenResponse = Envelope[list[TimeToFirstTokenRow]]
CostOverTimeResponse = Envelope[list[CostOverTimeRow]]
TokensOverTimeResponse = Envelope[list[TokensOverTimeRow]]
UsersOverTimeResponse = Envelope[list[UsersOverTimeRow]]
ModelMetricsResponse = Envelope[list[ModelMetric]]
QuantilesResponse = Envelope[list[QuantilesRow]]
CountryResponse = Envelope[list[CountryRow]]
