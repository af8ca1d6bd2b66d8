"""The field catalogue: every leaf field of Helicone's filter trees, and what Helicone does with it.

This is the one place that knows field names, tables, types, operators and caveats. The text
parser, the condition editor, the wire models and the demo server's SQL all ask it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Table(StrEnum):
    """The two filter tables, by their wire names."""

    REQUEST = "request_response_rmt"
    SESSION = "sessions_request_response_rmt"


class FieldType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    TIMESTAMP = "timestamp"
    BOOLEAN = "boolean"


class Op(StrEnum):
    """Wire operator names."""

    EQUALS = "equals"
    NOT_EQUALS = "not-equals"
    GT = "gt"
    GTE = "gte"
    LT = "lt"
    LTE = "lte"
    LIKE = "like"
    ILIKE = "ilike"
    CONTAINS = "contains"
    NOT_CONTAINS = "not-contains"


#: Operators per field type, in the order Helicone's spec lists them.
OPERATORS: dict[FieldType, tuple[Op, ...]] = {
    FieldType.TEXT: (
        Op.EQUALS, Op.NOT_EQUALS, Op.LIKE, Op.ILIKE, Op.CONTAINS, Op.NOT_CONTAINS,
    ),
    FieldType.NUMBER: (Op.EQUALS, Op.NOT_EQUALS, Op.GT, Op.GTE, Op.LT, Op.LTE),
    FieldType.TIMESTAMP: (Op.EQUALS, Op.GT, Op.GTE, Op.LT, Op.LTE),
    FieldType.BOOLEAN: (Op.EQUALS,),
}

#: The filter text language's spelling of each wire operator.
OP_TEXT: dict[Op, str] = {
    Op.EQUALS: "=",
    Op.NOT_EQUALS: "!=",
    Op.GT: ">",
    Op.GTE: ">=",
    Op.LT: "<",
    Op.LTE: "<=",
    Op.LIKE: "like",
    Op.ILIKE: "ilike",
    Op.CONTAINS: "contains",
    Op.NOT_CONTAINS: "not contains",
}
TEXT_OP: dict[str, Op] = {text: op for op, text in OP_TEXT.items()}


class FieldKind(StrEnum):
    """How a field sits in a leaf: a plain column, or a map whose key the user names."""

    COLUMN = "column"
    MAP = "map"


# Caveat texts: shown where a condition is edited, never silently applied.
NO_COLUMN = (
    "has no column in Helicone's published schema: the server may answer with an error"
)
WILDCARDS = "'contains' and 'like' treat % and _ as wildcards"
INT32 = (
    "Helicone binds whole numbers as 32-bit integers: values beyond ±2,147,483,647 wrap around"
)
COST_INT32 = (
    "cost is sent in USD and multiplied by 1e9 on Helicone's side: "
    "a whole-number cost at or above $2.15 wraps around"
)
MISSING_PROPERTY = (
    "'!=' and 'not contains' also match requests that do not have this property"
)
FEEDBACK_FALSE = "'= false' also matches requests that have no feedback at all"
SESSION_IGNORED = (
    "Helicone's session metrics ignore this field (only session_tag is applied there)"
)
SESSION_TAG_CONTAINS = "'contains' on session_tag is an exact (case-insensitive) match in Helicone"
SESSION_ONLY = "a session field: only the Sessions tab can send it"
PROPERTY_KEY_EQUALS = "property_key only takes '=' (the request has a property with that name)"
SCORES_INT = "score values are integers; only '=' and '!=' with an integer are sent"
SCORES_COLUMN_TYPE = (
    "compares the whole scores map with text: Helicone's database may reject it"
)


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """One leaf field of a filter table."""

    name: str
    table: Table
    type: FieldType
    kind: FieldKind = FieldKind.COLUMN
    operators: tuple[Op, ...] = ()
    caveats: tuple[str, ...] = ()
    description: str = ""

    @property
    def is_map(self) -> bool:
        return self.kind is FieldKind.MAP

    @property
    def session_only(self) -> bool:
        return self.table is Table.SESSION

    def allows(self, op: Op) -> bool:
        return op in self.operators


def _field(
    name: str,
    table: Table,
    ftype: FieldType,
    description: str,
    *caveats: str,
    kind: FieldKind = FieldKind.COLUMN,
    operators: tuple[Op, ...] | None = None,
) -> FieldInfo:
    ops = operators if operators is not None else OPERATORS[ftype]
    extra: tuple[str, ...] = ()
    if ftype is FieldType.TEXT and (Op.CONTAINS in ops or Op.LIKE in ops):
        extra = (WILDCARDS,)
    if ftype is FieldType.NUMBER and name != "cost":
        extra = (INT32,)
    if table is Table.SESSION:
        extra = (SESSION_ONLY, *extra)
    return FieldInfo(name, table, ftype, kind, ops, (*caveats, *extra), description)


_R = Table.REQUEST
_S = Table.SESSION
_T, _N, _TS, _B = FieldType.TEXT, FieldType.NUMBER, FieldType.TIMESTAMP, FieldType.BOOLEAN

#: Every leaf field, in the order a picker shows them (most used first).
FIELDS: tuple[FieldInfo, ...] = (
    _field("model", _R, _T, "model name, e.g. gpt-4o"),
    _field("provider", _R, _T, "provider, e.g. OPENAI"),
    _field("status", _R, _N, "HTTP status of the LLM response"),
    _field("latency", _R, _N, "latency in ms"),
    _field("time_to_first_token", _R, _N, "time to first token in ms"),
    _field("cost", _R, _N, "cost in USD", COST_INT32),
    _field("user_id", _R, _T, "the Helicone-User-Id"),
    _field("country_code", _R, _T, "two-letter country code"),
    _field("request_created_at", _R, _TS, "when the request was made (ISO 8601)"),
    _field("response_created_at", _R, _TS, "when the response arrived (ISO 8601)"),
    _field("prompt_tokens", _R, _N, "prompt tokens"),
    _field("completion_tokens", _R, _N, "completion tokens"),
    _field("prompt_cache_read_tokens", _R, _N, "prompt tokens read from the provider's cache"),
    _field("prompt_cache_write_tokens", _R, _N, "prompt tokens written to the provider's cache"),
    _field("total_tokens", _R, _N, "total tokens", NO_COLUMN),
    _field("properties", _R, _T, "a custom property: properties.<name>", MISSING_PROPERTY,
           kind=FieldKind.MAP),
    _field("scores", _R, _N, "a score: scores.<key> (integer)", SCORES_INT,
           kind=FieldKind.MAP, operators=(Op.EQUALS, Op.NOT_EQUALS)),
    _field("helicone-score-feedback", _R, _B, "user thumbs feedback", FEEDBACK_FALSE),
    _field("property_key", _R, _T, "the request has a property with this name",
           PROPERTY_KEY_EQUALS, operators=(Op.EQUALS,)),
    _field("cached", _R, _B, "served from Helicone's cache"),
    _field("cache_enabled", _R, _B, "Helicone caching was enabled"),
    _field("threat", _R, _B, "flagged as a prompt-injection threat"),
    _field("is_passthrough_billing", _R, _B, "billed through Helicone"),
    _field("target_url", _R, _T, "the provider URL"),
    _field("request_id", _R, _T, "request id (UUID)"),
    _field("organization_id", _R, _T, "organization id (UUID)"),
    _field("prompt_id", _R, _T, "prompt id"),
    _field("prompt_version", _R, _T, "prompt version"),
    _field("request_referrer", _R, _T, "referrer, e.g. ai-gateway"),
    _field("cache_reference_id", _R, _T, "id of the cached request (UUID)"),
    _field("request_body", _R, _T, "the request body"),
    _field("response_body", _R, _T, "the response body"),
    _field("search_properties", _R, _T, "property search: search_properties.<name>",
           NO_COLUMN, kind=FieldKind.MAP),
    _field("scores_column", _R, _T, "the scores map compared as text", SCORES_COLUMN_TYPE),
    _field("assets", _R, _T, "asset ids", NO_COLUMN),
    _field("node_id", _R, _T, "legacy node id", NO_COLUMN),
    _field("job_id", _R, _T, "legacy job id", NO_COLUMN),
    # sessions_request_response_rmt: only the session-metrics endpoint accepts these.
    _field("session_tag", _S, _T, "a session tag", SESSION_TAG_CONTAINS),
    _field("session_session_id", _S, _T, "session id", SESSION_IGNORED),
    _field("session_session_name", _S, _T, "session name", SESSION_IGNORED),
    _field("session_total_cost", _S, _N, "session total cost", SESSION_IGNORED),
    _field("session_total_tokens", _S, _N, "session total tokens", SESSION_IGNORED),
    _field("session_prompt_tokens", _S, _N, "session prompt tokens", SESSION_IGNORED),
    _field("session_completion_tokens", _S, _N, "session completion tokens", SESSION_IGNORED),
    _field("session_total_requests", _S, _N, "session total requests", SESSION_IGNORED),
    _field("session_created_at", _S, _TS, "session start", SESSION_IGNORED),
    _field("session_latest_request_created_at", _S, _TS, "session's latest request",
           SESSION_IGNORED),
)

_BY_NAME: dict[str, FieldInfo] = {f.name: f for f in FIELDS}

#: Map fields (the text language writes them as `map.key`).
MAP_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.is_map)


def get_field(name: str) -> FieldInfo | None:
    """The field named `name`, or None. Names are case-sensitive, as on the wire."""
    return _BY_NAME.get(name)


def fields_of(table: Table) -> tuple[FieldInfo, ...]:
    return tuple(f for f in FIELDS if f.table is table)


def fields_for(sessions: bool) -> tuple[FieldInfo, ...]:
    """The fields an endpoint may send: session fields only on session metrics."""
    return FIELDS if sessions else fields_of(Table.REQUEST)
