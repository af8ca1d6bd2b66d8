"""Wire models of Helicone's property endpoints (SEMANTICS-MORE §5): keys, value search, top
values by count and by cost. Errors come back with HTTP 200 here (no setStatus in jawn)."""

from __future__ import annotations

from pydantic import StrictStr

from tui.api.models import TimeFilter
from tui.api.wire_common import Count, Envelope, Real, WireRequest, WireResponse


class PropertyQuery(WireRequest):
    """POST /v1/property/query: the body is an empty object."""


class PropertySearch(WireRequest):
    """POST /v1/property/{key}/search: at most 25 values containing the term (ILIKE)."""

    search_term: StrictStr


class TimeFilterRequest(WireRequest):
    """top-requests and top-costs: the window is exclusive at both ends."""

    time_filter: TimeFilter


class PropertyRow(WireResponse):
    property: str


class TopCountRow(WireResponse):
    value: str  # "" = requests without the key; "Other" = the rest beyond the top 10
    count: Count


class TopCostRow(WireResponse):
    value: str
    cost: Real


PropertiesResponse = Envelope[list[PropertyRow]]
PropertySearchResponse = Envelope[list[str]]
TopRequestsResponse = Envelope[list[TopCountRow]]
TopCostsResponse = Envelope[list[TopCostRow]]
