"""Properties: without a key, every property key (`POST /v1/property/query`); with one, its top
values by requests over the window (`POST /v1/property/{key}/top-requests/query`). Neither
endpoint takes a filter (SEMANTICS-MORE §1), so a filter is refused rather than ignored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any, TextIO

from tui.api.timerange import Window
from tui.query.base import View, option, time_filter
from tui.query.context import Investigation


@dataclass(frozen=True)
class PropertiesOptions:
    key: str | None = field(default=None, metadata=option(None))  # the positional KEY


@dataclass(frozen=True)
class PropertyAsk:
    key: str | None
    body: Any


class PropertiesView(View[PropertiesOptions]):
    name = "properties"
    options_type = PropertiesOptions
    formats = ("table", "json", "csv", "jsonl")
    positional = ("key", "KEY", False)

    def build(self, investigation: Investigation, window: Window,
              options: PropertiesOptions | None = None, *, compare: bool = False,
              tz: tzinfo | None = None) -> Any:
        from tui.api.wire_properties import PropertyQuery, TimeFilterRequest
        from tui.filters.tree import FilterError
        from tui.filters.wire import to_wire

        if to_wire(investigation.filter) != "all":
            raise FilterError("the property endpoints take no filter; nothing was sent")
        key = options.key if options is not None else None
        if key is None:
            return PropertyAsk(None, PropertyQuery())
        return PropertyAsk(key, TimeFilterRequest(time_filter=time_filter(window)))

    async def send(self, client: Any, request: PropertyAsk) -> Any:
        if request.key is None:
            return await client.properties(request.body)
        return await client.top_requests(request.key, request.body)

    def curl(self, base_url: str, request: PropertyAsk) -> str:
        from tui.api.wire_endpoints import More
        from tui.query import writers_more as w

        if request.key is None:
            return w.curl_for(base_url, More.PROPERTIES, request.body)
        return w.curl_for(base_url, More.TOP_REQUESTS, request.body,
                          path={"propertyKey": request.key})

    def write(self, answer: Any, fmt: str, out: TextIO, options: PropertiesOptions,
              tz: Any) -> None:
        from tui.query import writers_more as w

        if options.key is None:
            keys = sorted(row.property for row in answer)  # Helicone's order is none
            if fmt == "json":
                w.write_json({"properties": answer}, out)
            elif fmt == "jsonl":
                w.write_jsonl([{"property": k} for k in keys], out)
            elif fmt == "csv":
                w.write_csv(("property",), [(k,) for k in keys], out)
            else:
                w.write_table(("property",), [(k,) for k in keys], (False,), out)
            return
        rows = sorted(answer, key=lambda r: (r.value == "Other", -r.count, r.value))
        if fmt == "json":
            w.write_json({"top_requests": answer}, out)
        elif fmt == "jsonl":
            w.write_jsonl(rows, out)
        elif fmt == "csv":
            w.write_csv(("value", "requests"), [(r.value, r.count) for r in rows], out)
        else:
            w.write_table((options.key, "requests"),
                          [(r.value or "(none)", r.count) for r in rows], (False, True), out)


VIEW = PropertiesView()
