"""`POST /v1/request/query-clickhouse` and `GET /v1/request/{requestId}` (SEMANTICS-MORE §4).

query-clickhouse answers HTTP 201; a limit below 0 or above 1000 is 500 "invalid limit"; any
engine error (a fractional limit, a negative offset, an unknown sort column such as is_cached)
is swallowed into 201 `{"data": [], "error": null}`. `isScored: false` keeps only unscored
requests; isCached, includeInputs and isPartOfExperiment are ignored. Sort keys in Helicone's
priority order; only `created_at` (the default) leaves out `size_bytes`.

GET: the last 90 days only; an unknown or malformed id is 200 `{"error": null}` with no `data`
key (`{"data": null, "error": null}` with includeBody=true).

Bodies are stored inline (storage_location "clickhouse") and sent parsed, with no signed URL.
Helicone's now() is the data's anchor (see common.demo_now), so a data set answers the same on
any day. Ties of a sort are broken by request id, which Helicone leaves unspecified.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from typing import Any

from tui.demo.answer import INTERNAL_ERROR, Answer
from tui.demo.common import demo_now, iso_from_ch, jraw, number
from tui.demo.data import Engine, EngineError
from tui.demo.filter_sql import Args, FilterBuilder
from tui.demo.jsvalues import InvalidTimeValue, JsDate, js_number_str

_RMT = "request_response_rmt"
_PLACEHOLDER = ('{"helicone_message": "fetching body from signed_url... contact '
                'engineering@helicone.ai for more information"}')
_AZURE = ("openai.azure.com", "azure-api.net", "cognitiveservices.azure.com",
          "services.ai.azure.com")
#: (output key, SQL) in Helicone's select order.
_COLUMNS: tuple[tuple[str, str], ...] = (
    ("response_id", "response_id"),
    ("response_created_at", "toString(response_created_at)"),
    ("response_body", f"if(empty(response_body), '{_PLACEHOLDER}', response_body)"),
    ("response_status", "toInt32(status)"),
    ("request_id", "toString(request_id)"),
    ("request_created_at", "toString(request_created_at)"),
    ("request_body", f"if(empty(request_body), '{_PLACEHOLDER}', request_body)"),
    ("request_user_id", "user_id"),
    ("request_properties", "properties"),
    ("provider", "provider"),
    ("delay_ms", "toInt32(latency)"),
    ("request_model", "model"),
    ("ai_gateway_body_mapping", "ai_gateway_body_mapping"),
    ("time_to_first_token", "time_to_first_token"),
    ("total_tokens", "prompt_tokens + completion_tokens + reasoning_tokens"),
    ("completion_tokens", "completion_tokens"),
    ("reasoning_tokens", "reasoning_tokens"),
    ("prompt_tokens", "prompt_tokens"),
    ("prompt_cache_read_tokens", "prompt_cache_read_tokens"),
    ("prompt_cache_write_tokens", "prompt_cache_write_tokens"),
    ("country_code", "country_code"),
    ("scores", "scores"),
    ("properties", "properties"),
    ("asset_ids", "assets"),
    ("target_url", "target_url"),
    ("cache_reference_id", "toString(cache_reference_id)"),
    ("request_referrer", "request_referrer"),
    ("cache_enabled", "cache_enabled"),
    ("cost", "cost / 1000000000"),
    ("prompt_id", "prompt_id"),
    ("prompt_version", "prompt_version"),
    ("updated_at", "toString(updated_at)"),
    ("storage_location", "storage_location"),
)
_SIZE = ("size_bytes", "size_bytes")
_TIMES = ("response_created_at", "request_created_at", "updated_at")

#: Sort keys in Helicone's priority order -> ORDER BY text for a direction.
_SORTS: tuple[tuple[str, str], ...] = (
    ("created_at", "request_created_at {d}"),
    ("latency", "latency {d} NULLS LAST, request_created_at DESC"),
    ("time_to_first_token", "time_to_first_token {d} NULLS LAST, request_created_at DESC"),
    ("total_tokens", "(prompt_tokens + completion_tokens) {d}, request_created_at DESC"),
    ("completion_tokens", "completion_tokens {d} NULLS LAST, request_created_at DESC"),
    ("prompt_tokens", "prompt_tokens {d} NULLS LAST, request_created_at DESC"),
    ("user_id", "user_id {d}, request_created_at DESC"),
    ("body_model", "model {d}, request_created_at DESC"),
    ("is_cached", "is_cached {d}"),  # no such column: an engine error, so []
    ("request_prompt", "JSONExtractString(request_body, 'prompt') {d}, request_created_at DESC"),
    ("response_text",
     "JSONExtractString(response_body, 'choices', 0, 'text') {d}, request_created_at DESC"),
    ("cost", "cost {d} NULLS LAST, request_created_at DESC"),
)
_PROPERTY_KEY = re.compile(r"^[A-Za-z0-9_]+$")


class _Throw(Exception):
    """Helicone throws (generic HTTP 500)."""


def _order(sort: dict[str, Any], args: Args) -> tuple[str, bool]:
    """(ORDER BY text, created_at path?) for a sort leaf."""
    if sort.get("random") is True:
        return "rand()", False
    for key, text in _SORTS:
        if key in sort:
            return text.format(d=sort[key].upper()) + ", request_id ASC", key == "created_at"
    props = sort.get("properties")
    if isinstance(props, dict) and props:
        key = next(iter(props))
        if not _PROPERTY_KEY.match(key):
            raise _Throw(key)
        return (f"properties[{args.place(key)}] {props[key].upper()}, "
                "request_created_at DESC, request_id ASC"), False
    return "request_created_at DESC, request_id ASC", False


def _row(keys: list[str], values: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in zip(keys, values, strict=True):
        if key in _TIMES:
            value = iso_from_ch(value)
        elif key in ("request_body", "response_body"):
            # storage "clickhouse": parsed; text that is not JSON goes as text (a preview)
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        elif key in ("cost",):
            value = jraw(value)
        out[key] = value
    out["feedback_created_at"] = None
    out["model"] = out["request_model"]
    if any(host in (out.get("target_url") or "") for host in _AZURE):
        out["provider"] = "AZURE"
    return out


def fetch(engine: Engine, user_filter: Any, *, offset: Any = 0, limit: Any = 10,
          sort: dict[str, Any] | None = None, is_scored: bool | None = None,
          extra: list[str] | None = None) -> tuple[list[dict[str, Any]], float]:
    """The rows of one page; an engine error is an empty page (Helicone swallows it)."""
    builder = FilterBuilder()
    where = builder.node(user_filter)
    order, created_path = _order(sort or {"created_at": "desc"}, builder.args)
    now = demo_now(engine.anchor)
    conditions = [f"({where})",
                  f"request_created_at <= {builder.args.place(now)} + INTERVAL 5 MINUTE"]
    if is_scored is True:
        conditions.append("notEmpty(scores)")
    elif is_scored is False:
        conditions.append("empty(scores)")
    conditions += extra or []
    # Two phases, as Helicone's created_at path does: the page's ids first (two columns to
    # sort), then the rows of those ids only, so bodies are read for the page alone.
    page = (
        f"SELECT request_id FROM {_RMT} WHERE {' AND '.join(conditions)} "
        f"ORDER BY {order} LIMIT {_js_int(limit)} OFFSET {_js_int(offset)}"
    )
    columns = list(_COLUMNS) + ([] if created_path else [_SIZE])
    try:
        ids, ms = engine.query(page, builder.args.params())
        if not ids:
            return [], ms
        fetch_sql = (
            f"SELECT {', '.join(sql for _, sql in columns)} FROM {_RMT} "
            "WHERE request_id IN {ids:Array(UUID)}"
        )
        listed = "[" + ",".join(f"'{i[0]}'" for i in ids) + "]"
        rows, fetch_ms = engine.query(fetch_sql, {"ids": listed})
    except (EngineError, InvalidTimeValue):
        return [], 0.0
    keys = [k for k, _ in columns]
    where_in_page = {i[0]: n for n, i in enumerate(ids)}
    out = sorted((_row(keys, r) for r in rows), key=lambda r: where_in_page[r["request_id"]])
    return out, ms + fetch_ms


def _js_int(value: Any) -> str:
    """A number interpolated as jawn writes it (a fraction makes the engine refuse it)."""
    return js_number_str(number(value))


def query_clickhouse(engine: Engine, raw: dict[str, Any]) -> Answer:
    limit = number(raw.get("limit", 10))
    offset = number(raw.get("offset", 0))
    if math.isnan(limit) or math.isnan(offset):
        return Answer(500, {"data": None, "error": "Invalid offset or limit"})
    if limit < 0 or limit > 1000:
        return Answer(500, {"data": None, "error": "invalid limit"})
    if limit == 0:
        return Answer(201, {"data": [], "error": None})
    try:
        rows, ms = fetch(engine, raw["filter"], offset=offset, limit=limit,
                         sort=raw.get("sort"), is_scored=raw.get("isScored"))
    except _Throw:
        return Answer(500, dict(INTERNAL_ERROR))
    sort = raw.get("sort", {"created_at": "desc"})
    if "created_at" in sort:  # jawn re-sorts the page by request_created_at (a stable sort)
        rows.sort(key=lambda r: r["request_created_at"], reverse=sort["created_at"] == "desc")
    return Answer(201, {"data": rows, "error": None}, ms)


def request_by_id(engine: Engine, request_id: str, include_body: bool) -> Answer:
    now = demo_now(engine.anchor)
    since = JsDate(now.ms - 90 * 86_400_000 if now.ms is not None else None)
    user_filter = {"left": {_RMT: {"request_created_at": {"gte": since}}}, "operator": "and",
                   "right": {_RMT: {"request_id": {"equals": request_id}}}}
    rows, ms = fetch(engine, user_filter, limit=1)
    if not rows:
        # jawn's {data: undefined}: JSON drops the key (includeBody sends null instead).
        return Answer(200, {"data": None, "error": None} if include_body else {"error": None}, ms)
    return Answer(200, {"data": rows[0], "error": None}, ms)
