"""Requests (`POST /v1/request/query-clickhouse`): one page of requests, newest first unless
sorted otherwise (SEMANTICS-MORE §4). `isScored` is never sent: `false` would keep only the
unscored requests, which no one asking for "the requests" means."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from tui.api.timerange import Window
from tui.format.numbers import cost, latency
from tui.query import writers_more as w
from tui.query.base import View, option, time_filter

if TYPE_CHECKING:
    from tui.api.models import WireRequest

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000

#: The --sort names a user types -> Helicone's sort keys.
SORT_COLUMNS: dict[str, str] = {
    "time": "created_at", "created_at": "created_at", "latency": "latency",
    "ttft": "time_to_first_token", "time_to_first_token": "time_to_first_token",
    "tokens": "total_tokens", "total_tokens": "total_tokens",
    "prompt_tokens": "prompt_tokens", "completion_tokens": "completion_tokens",
    "cost": "cost", "user": "user_id", "user_id": "user_id", "model": "body_model",
}
BODY_KEYS = ("request_body", "response_body")


def parse_sort(text: str) -> tuple[str, str]:
    """`COLUMN[:asc|desc]` -> (Helicone's sort key, direction); ValueError with the names."""
    column, _, direction = str(text).strip().partition(":")
    direction = direction or "desc"
    key = SORT_COLUMNS.get(column.strip().lower())
    if key is None:
        names = ", ".join(sorted({k for k in SORT_COLUMNS if "_" not in k}))
        raise ValueError(f"--sort {text!r}: the column is one of {names}")
    if direction not in ("asc", "desc"):
        raise ValueError(f"--sort {text!r}: the direction is asc or desc")
    return key, direction


@dataclass(frozen=True)
class RequestsOptions:
    sort: str | None = field(default=None, metadata=option(
        "--sort", "COLUMN[:asc|desc] (time, latency, ttft, tokens, cost, user, model; "
        "default time:desc)", metavar="COLUMN[:DIR]",
    ))
    limit: int | None = field(default=None, metadata=option(
        "--limit", f"requests: page size (default {DEFAULT_LIMIT}, max {MAX_LIMIT}); "
        "evals, distributions: Helicone ignores it", kind="count", metavar="N", convert=int,
    ))
    offset: int | None = field(default=None, metadata=option(
        "--offset", "rows to skip (evals, distributions: Helicone ignores it)",
        kind="count", metavar="N", convert=int,
    ))
    bodies: bool | None = field(default=None, metadata=option(
        "--bodies", "include the request and response bodies", kind="switch",
    ))


class RequestsView(View[RequestsOptions]):
    name = "requests"
    options_type = RequestsOptions
    formats = ("table", "json", "csv", "jsonl")

    def problems(self, options: RequestsOptions) -> list[str]:
        errors = super().problems(options)
        if options.limit is not None and options.limit > MAX_LIMIT:
            errors.append(f"--limit is at most {MAX_LIMIT}, not {options.limit}")
        if options.sort is not None:
            try:
                parse_sort(options.sort)
            except ValueError as exc:
                errors.append(str(exc))
        return errors

    def request(self, wire_filter: Any, window: Window, options: RequestsOptions,
                tz_offset: int) -> WireRequest:
        from tui.api.wire_requests import RequestQueryParams, SortLeafRequest

        key, direction = parse_sort(options.sort or "time:desc")
        return RequestQueryParams(
            filter=with_time(wire_filter, window),
            offset=options.offset or 0,
            limit=DEFAULT_LIMIT if options.limit is None else options.limit,
            sort=SortLeafRequest.model_validate({key: direction}),
        )

    async def send(self, client: Any, request: Any) -> Any:
        return await client.requests(request)

    def curl(self, base_url: str, request: Any) -> str:
        from tui.api.wire_endpoints import More

        return w.curl_for(base_url, More.REQUESTS, request)

    def write(self, answer: Any, fmt: str, out: TextIO, options: RequestsOptions,
              tz: Any) -> None:
        rows = [request_row(r, bool(options.bodies)) for r in answer]
        if fmt == "json":
            w.write_json({"requests": rows}, out)
        elif fmt == "jsonl":
            w.write_jsonl(rows, out)
        elif fmt == "csv":
            w.write_csv(CSV_HEADER, (csv_cells(r) for r in answer), out)
        else:
            w.write_table(TABLE_HEADER, [table_cells(r, tz) for r in answer], TABLE_RIGHT, out)


def with_time(wire_filter: Any, window: Window) -> Any:
    """The user's filter AND the window on request_response_rmt.request_created_at (this
    endpoint has no timeFilter of its own)."""
    tf = time_filter(window)
    when = {"request_response_rmt": {"request_created_at": {"gte": tf.start}}}
    until = {"request_response_rmt": {"request_created_at": {"lte": tf.end}}}
    window_node: Any = {"left": when, "operator": "and", "right": until}
    if wire_filter == "all":
        return window_node
    return {"left": window_node, "operator": "and", "right": wire_filter}


def request_row(request: Any, bodies: bool) -> dict[str, Any]:
    """One request as its wire JSON, without the bodies unless asked for."""
    row = w.jsonable(request)
    if not bodies:
        for key in BODY_KEYS:
            row.pop(key, None)
    return row


TABLE_HEADER = ("time", "status", "model", "provider", "latency", "TTFT", "tokens", "cost",
                "user", "scores")
TABLE_RIGHT = (False, True, False, False, True, True, True, True, False, False)
CSV_HEADER = ("time", "request_id", "status", "model", "provider", "latency_ms", "ttft_ms",
              "tokens", "cost", "user", "scores")


def scores_text(scores: Any) -> str:
    """A request's scores as `key=value` pairs by key ("" when it has none)."""
    if not scores:
        return ""
    return " ".join(f"{key}={w.cell(value)}" for key, value in sorted(scores.items()))


def table_cells(r: Any, tz: Any) -> list[str]:
    return [
        w.local_time(r.request_created_at, tz), str(r.response_status),
        r.model or r.request_model or "–", r.provider or "–", latency(r.delay_ms),
        latency(r.time_to_first_token), w.cell(r.total_tokens), cost(r.cost),
        r.request_user_id or "–", scores_text(r.scores) or "–",
    ]


def csv_cells(r: Any) -> list[Any]:
    return [w.iso_z(r.request_created_at), r.request_id, r.response_status,
            r.model or r.request_model, r.provider, r.delay_ms, r.time_to_first_token,
            r.total_tokens, r.cost, r.request_user_id, scores_text(r.scores)]


VIEW = RequestsView()
