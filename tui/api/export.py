"""The one writer for answers: `json`, `csv` and `table` (the CLI's --format and the app's export).

- json: the response's `data` re-serialised as indented JSON, values unchanged.
- csv: one header line, long form, per endpoint (DESIGN.md, "Command line").
- table: readable columns, times in the local zone, Helicone's quirks labelled, not hidden.

Terminal safety (DESIGN.md): a table is for reading, so its cells show control characters as
escapes. JSON escapes them too (`\\u001b`): the same value for any reader. CSV keeps the raw
values in a file or a pipe (CSV has no escapes: changing a cell would change the data), and makes
them visible only when written straight to a terminal, where they would act.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Sequence
from datetime import tzinfo
from typing import Any, Literal, TextIO

from pydantic import TypeAdapter

from tui.api import clock
from tui.api.export_cells import SESSION_METRICS, derived, exact, true_mean
from tui.api.export_table import TABLE, render
from tui.api.models import (
    ENDPOINTS,
    EndpointName,
    Eval,
    ScoreDistribution,
    ScoreRow,
    SessionMetrics,
)
from tui.api.safe_text import json_text, visible

Format = Literal["json", "csv", "table"]
FORMATS: tuple[str, ...] = ("table", "json", "csv")

#: Re-exported: tui/query/writers_more.py imports the one column renderer by this name (and the
#: app's eval view and the tests `true_mean`, which the CSV writer uses too).
_render = render

CSV_HEADERS: dict[EndpointName, tuple[str, ...]] = {
    EndpointName.SCORES: ("created_at_trunc", "score_key", "score_sum"),
    EndpointName.EVALS: (
        "name", "average_score", "true_mean", "min_score", "max_score", "count",
    ),
    EndpointName.DISTRIBUTIONS: ("name", "lower", "upper", "value"),
    EndpointName.SESSIONS: ("metric", "range_start", "range_end", "value"),
}

SESSIONS_NOTE = (
    "histograms trimmed at the chosen percentile (p75 unless set); averages over all sessions; "
    "session counts are smoothed estimates"
)


def _adapter(endpoint: EndpointName) -> TypeAdapter[Any]:
    data_field = ENDPOINTS[endpoint].response.model_fields["data"]
    return TypeAdapter(data_field.annotation)


def coerce(endpoint: EndpointName, data: Any) -> Any:
    """`data` as the endpoint's models (accepts the models, or the raw JSON of `data`)."""
    endpoint = EndpointName(endpoint)
    if endpoint is EndpointName.SESSIONS:
        if isinstance(data, SessionMetrics):
            return data
    elif isinstance(data, list) and all(
        isinstance(item, ScoreRow | Eval | ScoreDistribution) for item in data
    ):
        return data
    value = _adapter(endpoint).validate_python(data)
    if value is None:
        raise ValueError(f"no {endpoint.value} data to write")
    return value


def to_jsonable(endpoint: EndpointName, data: Any) -> Any:
    """The wire JSON of `data` (used when the raw answer is not at hand)."""
    return _adapter(EndpointName(endpoint)).dump_python(
        coerce(endpoint, data), mode="json", by_alias=True
    )


def write(
    endpoint: EndpointName | str,
    data: Any,
    fmt: Format | str,
    out: TextIO,
    *,
    raw: Any = None,
    tz: tzinfo | None = None,
    note: str | None = None,
) -> None:
    """Write an answer. `raw` (the JSON of `data` as received) keeps --format json exact;
    `tz` is the zone for table times (default: local); `note` adds a line under a table."""
    endpoint = EndpointName(endpoint)
    if fmt == "json":
        value = raw if raw is not None else to_jsonable(endpoint, data)
        out.write(json_text(json.dumps(value, indent=2, ensure_ascii=False)) + "\n")
        return
    typed = coerce(endpoint, data)
    if fmt == "csv":
        _CSV[endpoint](typed, out)
    elif fmt == "table":
        TABLE[endpoint](typed, out, tz or clock.local_zone())
        if endpoint is EndpointName.SESSIONS:
            note = note or SESSIONS_NOTE
        if note:
            out.write(visible(note, block=True) + "\n")
    else:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


# --------------------------------------------------------------------------- csv


def _is_terminal(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError, OSError):  # no such method, or closed
        return False


class _TerminalRows:
    """A csv writer for a terminal: each cell's control characters made visible."""

    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writerow(self, row: Sequence[Any]) -> None:
        self._writer.writerow([visible(c, block=True) if isinstance(c, str) else c for c in row])


def _csv_writer(endpoint: EndpointName, out: TextIO) -> Any:
    writer: Any = csv.writer(out, lineterminator="\n")
    if _is_terminal(out):
        writer = _TerminalRows(writer)
    writer.writerow(CSV_HEADERS[endpoint])
    return writer


def _csv_scores(rows: Sequence[ScoreRow], out: TextIO) -> None:
    writer = _csv_writer(EndpointName.SCORES, out)
    for row in rows:
        if not row.is_filler:  # WITH FILL rows: an empty bucket, not a score of 0
            writer.writerow((row.created_at_trunc, row.score_key, exact(row.score_sum)))


def _csv_evals(items: Sequence[Eval], out: TextIO) -> None:
    writer = _csv_writer(EndpointName.EVALS, out)
    for item in items:
        writer.writerow((
            item.name,
            exact(item.average_score),
            exact(derived(true_mean(item))),
            exact(item.min_score),
            exact(item.max_score),
            exact(item.count),
        ))


def _csv_distributions(items: Sequence[ScoreDistribution], out: TextIO) -> None:
    writer = _csv_writer(EndpointName.DISTRIBUTIONS, out)
    for item in items:
        for bin_ in item.distribution:
            writer.writerow((item.name, exact(bin_.lower), exact(bin_.upper), exact(bin_.value)))


def _csv_sessions(metrics: SessionMetrics, out: TextIO) -> None:
    writer = _csv_writer(EndpointName.SESSIONS, out)
    for metric, _, _ in SESSION_METRICS:
        for row in getattr(metrics, metric):
            writer.writerow((metric, row.range_start, row.range_end, exact(row.value)))
    for metric, _, _ in SESSION_METRICS:
        rows = getattr(metrics.average, metric)
        writer.writerow((f"average_{metric}", "", "", exact(rows[0].average if rows else None)))


# Each writer takes its endpoint's answer as `coerce` types it.
_CSV: dict[EndpointName, Callable[[Any, TextIO], None]] = {
    EndpointName.SCORES: _csv_scores,
    EndpointName.EVALS: _csv_evals,
    EndpointName.DISTRIBUTIONS: _csv_distributions,
    EndpointName.SESSIONS: _csv_sessions,
}


def sessions_note(p_size: str | None, interquartile: bool | None) -> str:
    """What the sessions histograms are, for the given options (DESIGN.md, "Honest numbers")."""
    level = p_size or "p75"
    low = {"p50": "p50", "p75": "p25", "p95": "p5", "p99": "p1", "p99.9": "p0.1"}.get(level, "")
    band = f" (interquartile: {low}..{level})" if interquartile else ""
    return (
        f"histograms trimmed at {level}{band}; averages over all sessions; "
        "session counts are smoothed estimates"
    )
