"""The one writer of each kind under every answer (DESIGN.md "Command line"): readable columns,
CSV with one header line, indented JSON and JSON lines. The per-endpoint writers (export.py,
export_table.py) and the views on SEMANTICS-MORE's endpoints (tui/query) all write through these.

Terminal safety (DESIGN.md): a table is for reading, so its cells show control characters as
escapes, measured as shown so the columns line up. JSON escapes them too (`\\u001b`): the same
value for any reader. CSV keeps the raw values in a file or a pipe (CSV has no escapes: changing a
cell would change the data), and makes them visible only when written straight to a terminal,
where they would act."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

from tui.api.safe_text import json_text, one_line, visible
from tui.format.numbers import cell, csv_number


def write_columns(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool], out: TextIO
) -> None:
    """Columns of text cells under their headers, `right` ones right-aligned."""
    # Cells quote the server (score keys, eval names): one line each, control characters visible,
    # and measured as shown so the columns line up.
    headers = [visible(h) for h in headers]
    rows = [[visible(c) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.rjust(width) if is_right else c.ljust(width)
            for c, width, is_right in zip(cells, widths, right, strict=True)
        ]
        return "  ".join(parts).rstrip()

    out.write(line(headers) + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in rows:
        out.write(line(row) + "\n")


def write_table(header: Sequence[str], rows: Sequence[Sequence[Any]], right: Sequence[bool],
                out: TextIO) -> None:
    """A table of answer values, each spelled as a table cell (`cell`)."""
    write_columns(header, [[cell(c) for c in row] for row in rows], right, out)


def one_line_cell(text: str, limit: int = 400) -> str:
    """A long value (a body) as one table line, cut with an ellipsis."""
    return one_line(text, limit)


def _is_terminal(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError, OSError):  # no such method, or closed
        return False


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], out: TextIO) -> None:
    """One header line, then a line per row: numbers exact (`csv_number`), None blank."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    terminal = _is_terminal(out)
    for row in rows:
        cells = [csv_number(c) if isinstance(c, int | float) and not isinstance(c, bool) else
                 ("" if c is None else str(c)) for c in row]
        writer.writerow([visible(c, block=True) for c in cells] if terminal else cells)


def jsonable(value: Any) -> Any:
    """A wire model (or a list/dict of them) as its wire JSON."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True)
    if isinstance(value, Mapping):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def write_json(value: Any, out: TextIO, *, allow_nan: bool = False) -> None:
    """`value` as indented JSON. `allow_nan`: a NaN or an infinity as received (an answer's raw
    JSON is written back as it came) instead of an error."""
    text = json.dumps(jsonable(value), indent=2, ensure_ascii=False, allow_nan=allow_nan)
    out.write(json_text(text) + "\n")


def write_jsonl(rows: Iterable[Any], out: TextIO) -> None:
    for row in rows:
        text = json.dumps(jsonable(row), ensure_ascii=False, allow_nan=False)
        out.write(json_text(text) + "\n")
