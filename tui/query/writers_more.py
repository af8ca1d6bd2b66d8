"""The writers of the views on SEMANTICS-MORE's endpoints (requests, request, models, users,
properties, overview): json keyed by what each answer is, jsonl one object per row, csv with one
header line, and readable tables with times in the local zone (DESIGN.md, "Command line"); the
numbers and times in them are `tui.format`'s.
Every server text reaching the output goes through `visible`. Pure: no Textual."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

from tui.api.safe_text import json_text, visible
from tui.format.numbers import cell  # re-export (moved to tui.format.numbers)
from tui.format.numbers import csv_number as num  # re-export (moved to tui.format.numbers)
from tui.format.times import iso_z, local_time  # re-export (moved to tui.format.times)

FORMATS_ROWS: tuple[str, ...] = ("table", "json", "csv", "jsonl")

__all__ = [
    "FORMATS_ROWS", "cell", "curl_for", "iso_z", "jsonable", "local_time", "num", "one_line_cell",
    "write_csv", "write_json", "write_jsonl", "write_table",
]


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
