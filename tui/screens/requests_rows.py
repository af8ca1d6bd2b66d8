"""What the Requests tab and the request detail show, without Textual: the pages, the sort
cycle, a row's cells, a request's fields (with the filter field each one is), its web link.

Helicone's query-clickhouse pages by offset over row versions and removes duplicate versions
afterwards (SEMANTICS-MORE §4.1), so a page may hold fewer than `limit` requests while more
exist: the next page is at `pages * limit`, rows seen on an earlier page are dropped, and only an
empty page is the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from rich.style import Style
from rich.text import Text

from tui.query import requests_view as rv
from tui.query import writers_more as w
from tui.safe import one_line, visible

PAGE_SIZE = rv.DEFAULT_LIMIT
#: Refreshing a list of this many pages asks for all of them in one request (Helicone's cap).
MOST_ROWS = rv.MAX_LIMIT

#: `o` steps through these (the names parse_sort knows), newest first by default.
SORT_CYCLE: tuple[str, ...] = ("time", "latency", "ttft", "tokens", "cost", "user", "model")
#: The column each sort is shown on.
SORT_COLUMN = {"time": "time", "latency": "latency", "ttft": "ttft", "tokens": "tokens",
               "cost": "cost", "user": "user", "model": "model"}

COLUMNS: tuple[tuple[str, str, bool, int], ...] = (
    # (key, header, right-aligned, width). Fixed by the kind, so the list measures no cell: a
    # time is "11-20 06:59:59", a status 3 digits, a latency "99,999 ms" (in seconds from 100
    # s on), tokens 8 digits, a cost "$12.345678"; names are cut to their width (the detail
    # shows them whole) so more columns fit 80 wide. Each holds its header and the sort's arrow.
    ("time", "time", False, 14), ("status", "status", True, 6), ("model", "model", False, 20),
    ("provider", "provider", False, 9), ("latency", "latency", True, 9),
    ("ttft", "TTFT", True, 9), ("tokens", "tokens", True, 8), ("cost", "cost", True, 10),
    ("user", "user", False, 14), ("scores", "scores", False, 40),
)

WEB_HOSTS = {"EU": "https://eu.helicone.ai", "US": "https://us.helicone.ai"}


@dataclass(frozen=True)
class TabOptions:
    """The tab's question: the sort, and how many pages a refresh asks for again."""

    sort: str = "time"
    descending: bool = True
    pages: int = 1

    @property
    def sort_text(self) -> str:
        return f"{self.sort}:{'desc' if self.descending else 'asc'}"

    @property
    def sort_key(self) -> tuple[str, bool]:
        return self.sort, self.descending


@dataclass(frozen=True)
class RequestsAnswer:
    """The requests loaded so far (newest page last), and whether an empty page came."""

    rows: tuple[Any, ...]  # HeliconeRequest
    raw: tuple[Any, ...]  # their wire JSON, as received
    pages: int  # pages asked for (the next one is at offset pages * PAGE_SIZE)
    last: bool = False  # an empty page came: there is no more
    sort: str = "time:desc"
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: The first rows' cells, made where the answer was shaped (off the UI thread); the list
    #: makes the others' as it draws them.
    cells: tuple[list[Text], ...] = field(default_factory=tuple, compare=False)

    def appended(self, rows: list[Any], raw: list[Any]) -> RequestsAnswer:
        """This answer with the next page's rows (a request seen already is not added twice)."""
        seen = {r.request_id for r in self.rows}
        keep = [(r, j) for r, j in zip(rows, raw, strict=False) if r.request_id not in seen]
        return RequestsAnswer(
            self.rows + tuple(r for r, _ in keep), self.raw + tuple(j for _, j in keep),
            self.pages + 1, last=not rows, sort=self.sort, cells=self.cells,
        )


def first_pages(rows: list[Any], raw: list[Any], pages: int, sort: str,
                tz: Any = None) -> RequestsAnswer:
    """The answer to the first `pages` pages asked at once (a refresh of a longer list); with
    `tz`, its rows' cells too (this runs in a thread: 50 rows' cells are 10-20 ms)."""
    seen: set[str] = set()
    kept_rows, kept_raw = [], []
    for r, j in zip(rows, raw, strict=False):
        if r.request_id not in seen:
            seen.add(r.request_id)
            kept_rows.append(r)
            kept_raw.append(j)
    cells = tuple(row_cells(r, tz) for r in kept_rows) if tz is not None else ()
    return RequestsAnswer(tuple(kept_rows), tuple(kept_raw), pages, last=not rows, sort=sort,
                          cells=cells)


def next_sort(options: TabOptions) -> TabOptions:
    """`o`: the next column, newest / largest first."""
    i = SORT_CYCLE.index(options.sort) if options.sort in SORT_CYCLE else -1
    return TabOptions(SORT_CYCLE[(i + 1) % len(SORT_CYCLE)], True, 1)


def reversed_sort(options: TabOptions) -> TabOptions:
    """`O`: the same column the other way."""
    return TabOptions(options.sort, not options.descending, 1)


def row_cells(r: Any, tz: Any) -> list[Text]:
    """One request as the table's cells, every server text made safe."""
    status = r.response_status
    style = "bold red" if status >= 500 or status == 0 else ("yellow" if status >= 400 else "")
    cells = rv.table_cells(r, tz)
    cells[0] = _short_time(r.request_created_at, tz)  # the year is the range's: 5 columns back
    for i, ms in ((4, r.delay_ms), (5, r.time_to_first_token)):
        if len(cells[i]) > COLUMNS[i][3]:  # 100 s or more: whole seconds, not a cut number
            cells[i] = f"{ms / 1000:,.0f} s"
    out = []
    for (key, _, right, width), text in zip(COLUMNS, cells, strict=True):
        # Cut to the column (an ellipsis says so); the overflow catches what `visible` widened.
        out.append(Text(one_line(text, width), style=style if key == "status" else "",
                        justify="right" if right else "left", no_wrap=True,
                        overflow="ellipsis"))
    return out


def _short_time(text: str, tz: Any) -> str:
    from tui.api.timerange import parse_wire_time

    try:
        return parse_wire_time(text).astimezone(tz).strftime("%m-%d %H:%M:%S")
    except (ValueError, TypeError):
        return str(text)


def web_link(request_id: str, region: str) -> tuple[str, Text]:
    """The request's page on Helicone's web app (eu for EU targets), and the text to show: an
    OSC 8 hyperlink through Rich's Style(link=...). The id is URL-quoted in the link and made
    visible in the text, so neither can carry an escape sequence."""
    host = WEB_HOSTS.get(region, WEB_HOSTS["US"])
    url = f"{host}/requests?requestId={quote(str(request_id), safe='')}"
    return url, Text(url, style=Style(link=url, underline=True))


# --------------------------------------------------------------------------- the detail's fields


@dataclass(frozen=True)
class FieldRow:
    """One line of the detail's field list; `field` is the filter's name for it (None: the
    filter has no such field, so `=` / `!` say so)."""

    label: str
    shown: str
    field: str | None = None
    value: Any = None


#: wire field -> (label, filter field). The rest are listed under their wire names.
_KNOWN: dict[str, tuple[str, str | None]] = {
    "request_id": ("request_id", "request_id"),
    "request_created_at": ("time", None),
    "response_status": ("status", "status"),
    "model": ("model", "model"),
    "provider": ("provider", "provider"),
    "request_user_id": ("user_id", "user_id"),
    "delay_ms": ("latency (ms)", "latency"),
    "time_to_first_token": ("TTFT (ms)", "time_to_first_token"),
    "total_tokens": ("total_tokens", None),  # no column in Helicone's schema: not a filter
    "prompt_tokens": ("prompt_tokens", "prompt_tokens"),
    "completion_tokens": ("completion_tokens", "completion_tokens"),
    "prompt_cache_read_tokens": ("prompt_cache_read_tokens", "prompt_cache_read_tokens"),
    "prompt_cache_write_tokens": ("prompt_cache_write_tokens", "prompt_cache_write_tokens"),
    "cost": ("cost (USD)", "cost"),
    "country_code": ("country_code", "country_code"),
    "target_url": ("target_url", "target_url"),
    "cache_enabled": ("cache_enabled", "cache_enabled"),
    "cache_reference_id": ("cache_reference_id", "cache_reference_id"),
    "prompt_id": ("prompt_id", "prompt_id"),
    "prompt_version": ("prompt_version", "prompt_version"),
    "request_referrer": ("request_referrer", "request_referrer"),
}
BODY_FIELDS = ("request_body", "response_body")
#: Shown elsewhere (bodies below the list, the maps as one line each key), or repeated.
_SKIP = {"request_body", "response_body", "properties", "request_properties", "scores",
         "request_model", "signed_body_url", "asset_urls"}


def field_rows(request: Any, tz: Any) -> list[FieldRow]:
    """Every field of the request, its properties and scores, in a useful order."""
    # Not the bodies: shown below the list, and a megabyte to copy for nothing.
    row = (request.model_dump(mode="json", exclude=set(BODY_FIELDS))
           if hasattr(request, "model_dump") else w.jsonable(request))
    rows: list[FieldRow] = []
    order = [k for k in _KNOWN if k in row] + [k for k in row if k not in _KNOWN]
    for key in order:
        if key in _SKIP:
            continue
        value = row[key]
        label, filter_field = _KNOWN.get(key, (key, None))
        if key.endswith("_at") and isinstance(value, str):
            shown = w.local_time(value, tz) + f"  ({value})"
        else:
            shown = w.cell(value) if not isinstance(value, dict | list) else _compact(value)
        # Nothing to compare with (an empty user id is a value: the requests without a user).
        empty = value is None or (value == "" and key != "request_user_id")
        if filter_field is not None and empty:
            filter_field = None
        rows.append(FieldRow(label, one_line(shown, 400), filter_field, value))
    properties = row.get("properties") or row.get("request_properties") or {}
    for key, value in sorted(properties.items()):
        rows.append(FieldRow(f"properties.{visible(key)}", one_line(str(value), 400),
                             f"properties.{key}", value))
    for key, value in sorted((row.get("scores") or {}).items()):
        rows.append(FieldRow(f"scores.{visible(key)}", one_line(w.cell(value), 400),
                             f"scores.{key}", value))
    return rows


def _compact(value: Any) -> str:
    import json

    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))[:400]
    except (TypeError, ValueError, RecursionError):
        return "…"


def condition_for(row: FieldRow, negate: bool) -> tuple[str, str, Any] | None:
    """`=` / `!` on a field: the condition for the main screen to add, or None when the filter
    has no such field."""
    if row.field is None:
        return None
    return ("!=" if negate else "=", row.field, row.value)
