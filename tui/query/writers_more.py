"""The writers of the views on SEMANTICS-MORE's endpoints (requests, request, models, users,
properties, overview): json keyed by what each answer is, jsonl one object per row, csv with one
header line, and readable tables with times in the local zone (DESIGN.md, "Command line").
Every server text reaching the output goes through `visible`. Pure: no Textual."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Any, TextIO

from tui.api.safe_text import json_text, visible
from tui.api.timerange import parse_wire_time

FORMATS_ROWS: tuple[str, ...] = ("table", "json", "csv", "jsonl")


def jsonable(value: Any) -> Any:
    """A wire model (or a list/dict of them) as its wire JSON."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True)
    if isinstance(value, Mapping):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def write_json(keyed: Mapping[str, Any], out: TextIO) -> None:
    text = json.dumps(jsonable(keyed), indent=2, ensure_ascii=False, allow_nan=False)
    out.write(json_text(text) + "\n")


def write_jsonl(rows: Iterable[Any], out: TextIO) -> None:
    for row in rows:
        text = json.dumps(jsonable(row), ensure_ascii=False, allow_nan=False)
        out.write(json_text(text) + "\n")


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    terminal = _is_terminal(out)
    for row in rows:
        cells = [num(c) if isinstance(c, int | float) and not isinstance(c, bool) else
                 ("" if c is None else str(c)) for c in row]
        writer.writerow([visible(c, block=True) for c in cells] if terminal else cells)


def write_table(header: Sequence[str], rows: Sequence[Sequence[Any]], right: Sequence[bool],
                out: TextIO) -> None:
    from tui.api.export import _render  # the one column renderer (export needs pydantic)

    _render(header, [[cell(c) for c in row] for row in rows], right, out)


def _is_terminal(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def num(value: float | int | None) -> str:
    """A number as csv gives it: whole numbers without ".0", others in full."""
    if value is None:
        return ""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("a non-finite number in the answer")
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def cell(value: Any) -> str:
    """A table cell: numbers short, None as a dash."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e12:
            return str(int(value))
        return f"{value:.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return str(value)


def local_time(text: str | None, tz: tzinfo, seconds: bool = True) -> str:
    """A wire time in the local zone, for a table."""
    if not text:
        return "–"
    try:
        moment: datetime = parse_wire_time(text)
    except ValueError:
        return str(text)
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def iso_z(text: str) -> str:
    """A wire time as UTC ISO with Z (csv's time column)."""
    try:
        moment = parse_wire_time(text)
    except ValueError:
        return text
    from tui.api.timerange import iso_z as z

    return z(moment)


def curl_for(base_url: str, name: Any, request: Any, path: dict[str, str] | None = None,
             params: dict[str, str] | None = None) -> str:
    """The curl command of one request to a SEMANTICS-MORE endpoint (a GET has no body)."""
    import shlex
    from urllib.parse import urlencode

    from tui.api.curl import KEY_VARIABLE, curl_command
    from tui.api.endpoints_client import endpoint_path
    from tui.api.wire_endpoints import MORE_ENDPOINTS

    spec = MORE_ENDPOINTS[name]
    url = base_url.rstrip("/") + endpoint_path(spec, path or {})
    if params:
        url += "?" + urlencode(params)
    if spec.method == "POST":
        return curl_command(url, request.to_wire() if request is not None else {})
    return " \\\n".join([
        "curl --request GET", f"  --url {shlex.quote(url)}",
        f'  --header "Authorization: Bearer {KEY_VARIABLE}"',
    ])


def one_line_cell(text: str, limit: int = 400) -> str:
    """A long value (a body) as one table line, cut with an ellipsis."""
    from tui.api.safe_text import one_line

    return one_line(text, limit)
