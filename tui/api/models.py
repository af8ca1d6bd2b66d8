"""Pydantic v2 models of Helicone's four query endpoints: requests, responses, the endpoints.

Requests are closed (unknown keys are refused, as Helicone's tsoa layer refuses them with 422), so
nothing invalid is ever sent. Responses accept what Helicone really sends: `score_key: ""` filler
rows, `averageScore: null`, string `range_start`, `{"average": null}`, and ignore keys they do not
know. The filter node union and its operator objects are in wire_filter.py.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Generic, Literal, Self, TypeVar

from pydantic import BaseModel, ConfigDict, StrictBool, StrictStr
from pydantic.alias_generators import to_camel

# Re-exported: callers import the enums from here too.
from tui.api.enums import P_LEVEL as P_LEVEL
from tui.api.enums import PSize as PSize
from tui.api.enums import TimeIncrement as TimeIncrement
from tui.api.wire_filter import (
    WIRE_NAMES_ONLY,
    FilterJSON,
    Number,
    RequestFilterNode,
    SessionFilterNode,
)

# --------------------------------------------------------------------------- requests


class WireRequest(BaseModel):
    """A request body: closed, camelCase on the wire, snake_case in Python."""

    model_config = ConfigDict(
        extra="forbid", alias_generator=to_camel, populate_by_name=True, frozen=True,
        defer_build=True,  # validators built on first use: most models are never used in a run
    )

    def to_wire(self) -> dict[str, Any]:
        """The JSON body, exactly as it is sent (in field order). The filter is the validated
        data itself (read it, do not change it): pydantic's serialiser has a depth limit."""
        fields = type(self).model_fields
        deep = {name for name in fields if isinstance(getattr(self, name), FilterJSON)}
        plain = self.model_dump(mode="json", by_alias=True, exclude_none=True, exclude=deep)
        body: dict[str, Any] = {}
        for name, info in fields.items():
            alias = info.alias or name
            if name in deep:
                body[alias] = getattr(self, name).data
            elif alias in plain:
                body[alias] = plain[alias]
        return body

    @classmethod
    def from_wire(cls, body: Any) -> Self:
        """Validate a received body by its wire names only, as Helicone does (Python names and
        `helicone_score_feedback` are refused; they are only for building requests in code)."""
        return cls.model_validate(
            body, by_alias=True, by_name=False, context={WIRE_NAMES_ONLY: True}
        )


class TimeFilter(WireRequest):
    start: StrictStr
    end: StrictStr


class TimeFilterMs(WireRequest):
    start_time_unix_ms: Number
    end_time_unix_ms: Number


class ScoresQuery(WireRequest):
    """POST /v1/dashboard/scores/query (DataOverTimeRequest)."""

    time_filter: TimeFilter
    user_filter: RequestFilterNode
    db_increment: TimeIncrement
    time_zone_difference: Number


class EvalQuery(WireRequest):
    """POST /v1/evals/query and /v1/evals/score-distributions/query (EvalQueryParams)."""

    filter: RequestFilterNode
    time_filter: TimeFilter
    offset: Number | None = None
    limit: Number | None = None
    time_zone_difference: Number | None = None


class SessionMetricsQuery(WireRequest):
    """POST /v1/session/metrics/query (SessionMetricsQueryParams)."""

    name_contains: StrictStr
    timezone_difference: Number
    p_size: PSize | None = None
    use_interquartile: StrictBool | None = None
    time_filter: TimeFilterMs | None = None
    filter: SessionFilterNode | None = None


# --------------------------------------------------------------------------- responses


class WireResponse(BaseModel):
    """Response data: tolerant of keys Helicone may add, strict about the ones we read."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True, defer_build=True)


class ScoreRow(WireResponse):
    created_at_trunc: str
    score_key: str  # "" on WITH FILL filler rows
    score_sum: float  # Helicone's name; the value is the AVERAGE score in the bucket

    @property
    def is_filler(self) -> bool:
        return self.score_key == ""


class EvalCountPoint(WireResponse):
    date: str
    count: float


class EvalValuePoint(WireResponse):
    date: str
    value: float


class Eval(WireResponse):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, frozen=True, defer_build=True
    )

    name: str
    average_score: float | None
    min_score: float | None
    max_score: float | None
    count: float
    over_time: list[EvalCountPoint]
    average_over_time: list[EvalValuePoint]

    @property
    def true_mean(self) -> float | None:
        """Σ(hourly average × hourly count) / Σ count: the mean Helicone's averageScore is not
        (DESIGN.md "Honest numbers"); None without data. The one definition: the writers in
        tui.format and the evals shaping in tui.query both read it here."""
        counts = [point.count for point in self.over_time]
        total = sum(counts)
        if not total:
            return None
        weighted = sum(
            value.value * count
            for value, count in zip(self.average_over_time, counts, strict=False)
        )
        return weighted / total


class DistributionBin(WireResponse):
    lower: float
    upper: float
    value: float


class ScoreDistribution(WireResponse):
    name: str
    distribution: list[DistributionBin]


class HistogramRow(WireResponse):
    range_start: str  # JS Number#toString text, e.g. "2.5" or "1e-7"
    range_end: str
    value: float


class AverageRow(WireResponse):
    average: float | None


class SessionAverages(WireResponse):
    session_cost: list[AverageRow]
    session_duration: list[AverageRow]
    session_count: list[AverageRow]


class SessionMetrics(WireResponse):
    session_count: list[HistogramRow]
    session_duration: list[HistogramRow]
    session_cost: list[HistogramRow]
    average: SessionAverages


T = TypeVar("T")


class Envelope(WireResponse, Generic[T]):
    """Helicone's Result<T, string>: `{data, error}`, both keys always present."""

    data: T | None
    error: str | None


ScoresResponse = Envelope[list[ScoreRow]]
EvalsResponse = Envelope[list[Eval]]
DistributionsResponse = Envelope[list[ScoreDistribution]]
SessionMetricsResponse = Envelope[SessionMetrics]

# --------------------------------------------------------------------------- endpoints


class EndpointName(StrEnum):
    SCORES = "scores"
    EVALS = "evals"
    DISTRIBUTIONS = "distributions"
    SESSIONS = "sessions"


class Endpoint(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    name: EndpointName
    path: str
    operation_id: str
    request: type[WireRequest]
    response: Any
    sessions: bool  # may send sessions_request_response_rmt fields
    # How the endpoint treats the window's ends (SEMANTICS §7).
    window: Literal["[start, end]", "[start, end)", "(start, end)"]


ENDPOINTS: dict[EndpointName, Endpoint] = {
    EndpointName.SCORES: Endpoint(
        name=EndpointName.SCORES,
        path="/v1/dashboard/scores/query",
        operation_id="GetScoresOverTime",
        request=ScoresQuery,
        response=ScoresResponse,
        sessions=False,
        window="[start, end]",
    ),
    EndpointName.EVALS: Endpoint(
        name=EndpointName.EVALS,
        path="/v1/evals/query",
        operation_id="QueryEvals",
        request=EvalQuery,
        response=EvalsResponse,
        sessions=False,
        window="[start, end]",
    ),
    EndpointName.DISTRIBUTIONS: Endpoint(
        name=EndpointName.DISTRIBUTIONS,
        path="/v1/evals/score-distributions/query",
        operation_id="QueryScoreDistributions",
        request=EvalQuery,
        response=DistributionsResponse,
        sessions=False,
        window="[start, end)",
    ),
    EndpointName.SESSIONS: Endpoint(
        name=EndpointName.SESSIONS,
        path="/v1/session/metrics/query",
        operation_id="GetMetrics",
        request=SessionMetricsQuery,
        response=SessionMetricsResponse,
        sessions=True,
        window="(start, end)",
    ),
}

ENDPOINT_BY_PATH: dict[str, Endpoint] = {e.path: e for e in ENDPOINTS.values()}

WireFilter = FilterJSON  # a validated RequestFilterNode or SessionFilterNode
