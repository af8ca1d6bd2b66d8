"""Wire models of `POST /v1/request/query-clickhouse` and `GET /v1/request/{requestId}`
(SEMANTICS-MORE §4).

query-clickhouse answers HTTP 201 (and 201 `{"data": [], "error": null}` when ClickHouse failed);
GET answers `{"error": null}` with no `data` key for an unknown id. A row is Helicone's
HeliconeRequest as jawn really sends it (§4.2): bodies are parsed objects when stored inline and
strings otherwise, 64-bit token counts may be quoted, and several keys of Helicone's own schema
are never sent, so they are not required here.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, StrictBool

from tui.api.wire_common import (
    ClosedModel,
    Count,
    Envelope,
    OptionalData,
    Real,
    WireRequest,
    WireResponse,
)
from tui.api.wire_filter import Number, RequestFilterNode

SortDirection = Literal["asc", "desc"]


class SortLeafRequest(ClosedModel):
    """One sort key (only the first matching key in Helicone's priority order is used)."""

    random: Literal[True] | None = None
    created_at: SortDirection | None = None
    cache_created_at: SortDirection | None = None
    latency: SortDirection | None = None
    last_active: SortDirection | None = None
    total_tokens: SortDirection | None = None
    completion_tokens: SortDirection | None = None
    prompt_tokens: SortDirection | None = None
    user_id: SortDirection | None = None
    body_model: SortDirection | None = None
    is_cached: SortDirection | None = None
    request_prompt: SortDirection | None = None
    response_text: SortDirection | None = None
    properties: dict[str, SortDirection] | None = None
    values: dict[str, SortDirection] | None = None
    cost: SortDirection | None = None
    time_to_first_token: SortDirection | None = None


class RequestQueryParams(WireRequest):
    """POST /v1/request/query-clickhouse. `isScored: false` keeps only unscored requests;
    isCached, includeInputs and isPartOfExperiment are accepted and ignored by Helicone."""

    filter: RequestFilterNode
    offset: Number | None = None
    limit: Number | None = None
    sort: SortLeafRequest | None = None
    is_cached: StrictBool | None = None
    include_inputs: StrictBool | None = None
    is_part_of_experiment: StrictBool | None = None
    is_scored: StrictBool | None = None


class HeliconeRequest(WireResponse):
    """One request as B1/B2 send it (keys this model does not know are ignored)."""

    request_id: str
    request_created_at: str
    request_body: Any = None  # an object when stored inline, else text (preview/placeholder)
    request_user_id: str | None = None
    request_properties: dict[str, str] | None = None
    request_model: str | None = None
    request_referrer: str | None = None
    response_id: str | None = None
    response_created_at: str | None = None
    response_body: Any = None
    response_status: Count
    provider: str = ""
    model: str = ""
    delay_ms: Count | None = None
    time_to_first_token: Count | None = None
    total_tokens: Count | None = None
    prompt_tokens: Count | None = None
    completion_tokens: Count | None = None
    reasoning_tokens: Count | None = None
    prompt_cache_read_tokens: Count | None = None
    prompt_cache_write_tokens: Count | None = None
    cost: Real | None = None  # USD
    country_code: str | None = None
    target_url: str | None = None
    scores: dict[str, Count] | None = None
    properties: dict[str, str] = Field(default_factory=dict)
    asset_ids: list[str] | None = None
    cache_reference_id: str | None = None
    cache_enabled: bool = False
    prompt_id: str | None = None
    prompt_version: str | None = None
    updated_at: str | None = None
    storage_location: str | None = None
    size_bytes: Count | None = None  # only on the non-created_at sort path
    ai_gateway_body_mapping: str | None = None
    feedback_created_at: str | None = None
    signed_body_url: str | None = None
    asset_urls: dict[str, str] | None = None

    @property
    def body_inline(self) -> bool:
        """True when the bodies are here already (no signed URL to fetch them from)."""
        return self.signed_body_url is None


RequestsResponse = Envelope[list[HeliconeRequest]]
RequestByIdResponse = OptionalData[HeliconeRequest]
