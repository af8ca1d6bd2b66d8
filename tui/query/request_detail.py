"""One request by id (`GET /v1/request/{requestId}?includeBody=true`): its fields as a table, or
its wire JSON. No filter and no window: Helicone looks the id up over the last 90 days."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any, TextIO

from tui.api.timerange import Window
from tui.query.base import View, option
from tui.query.context import Investigation


@dataclass(frozen=True)
class RequestDetailOptions:
    #: The positional ID (`query request ID`); no flag, no preset key.
    request_id: str | None = field(default=None, metadata=option(None))
    #: Accepted so that `query requests` and `query request ID` take the same flags; one request
    #: always comes with its bodies (the GET asks includeBody=true).
    bodies: bool | None = field(default=None, metadata=option(
        "--bodies", "include the request and response bodies", kind="switch",
    ))


@dataclass(frozen=True)
class ById:
    """The request "sent": a GET by id with the bodies."""

    request_id: str


class RequestDetailView(View[RequestDetailOptions]):
    name = "request"
    options_type = RequestDetailOptions
    formats = ("table", "json", "csv", "jsonl")
    #: The positional argument this view takes, and what it is.
    positional = ("request_id", "ID", True)

    def build(self, investigation: Investigation, window: Window,
              options: RequestDetailOptions | None = None, *, compare: bool = False,
              tz: tzinfo | None = None) -> Any:
        if options is None or not options.request_id:
            raise ValueError("query request needs the request's ID")
        return ById(options.request_id)

    async def send(self, client: Any, request: ById) -> Any:
        return await client.request(request.request_id, include_body=True)

    def curl(self, base_url: str, request: ById) -> str:
        from tui.api.wire_endpoints import More
        from tui.query import writers_more as w

        return w.curl_for(base_url, More.REQUEST, None, path={"requestId": request.request_id},
                          params={"includeBody": "true"})

    def write(self, answer: Any, fmt: str, out: TextIO, options: Any, tz: Any) -> None:
        from tui.query import writers_more as w

        row = w.jsonable(answer)
        if fmt == "json":
            w.write_json({"request": row}, out)
        elif fmt == "jsonl":
            w.write_jsonl([row], out)
        elif fmt == "csv":
            w.write_csv(("field", "value"), ((k, flat(v)) for k, v in row.items()), out)
        else:
            rows = []
            for key, value in row.items():
                text = flat(value)
                if key.endswith("created_at") and isinstance(value, str):
                    text = w.local_time(value, tz)
                rows.append((key, w.one_line_cell(text)))
            w.write_table(("field", "value"), rows, (False, False), out)


def flat(value: Any) -> str:
    """A field's value as one text: objects (bodies, properties) as compact JSON."""
    import json

    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


VIEW = RequestDetailView()
