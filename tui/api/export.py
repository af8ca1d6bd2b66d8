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
import math
from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any, Literal, TextIO

from pydantic import TypeAdapter

from tui.api import clock
from tui.api.models import (
    ENDPOINTS,
    EndpointName,
    Eval,
    ScoreDistribution,
    ScoreRow,
    SessionMetrics,
)
from tui.api.safe_text import json_text, visible
from tui.api.timerange import parse_wire_time

Format = Literal["json", "csv", "table"]
FORMATS: tuple[str, ...] = ("table", "json", "csv")

#: Session metrics in the order they are written, with what their numbers are.
SESSION_METRICS: tuple[tuple[str, str, str], ...] = (
    ("session_count", "requests per session", "requests / session"),
    ("session_duration", "session duration (s)", "seconds / session"),
    ("session_cost", "session cost (USD)", "USD / session"),
)

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

#: Wider than this many score keys, the scores table is written long instead of pivoted.
MAX_PIVOT_KEYS = 6


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
        _TABLE[endpoint](typed, out, tz or clock.local_zone())
        if endpoint is EndpointName.SESSIONS:
            note = note or SESSIONS_NOTE
        if note:
            out.write(visible(note, block=True) + "\n")
    else:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


# --------------------------------------------------------------------------- numbers


def true_mean(item: Eval) -> float | None:
    """Σ(hourly average × hourly count) / Σ count: the mean Helicone's averageScore is not."""
    counts = [point.count for point in item.over_time]
    total = sum(counts)
    if not total:
        return None
    weighted = sum(
        value.value * count
        for value, count in zip(item.average_over_time, counts, strict=False)
    )
    return weighted / total


def _num(value: float | int | None) -> str:
    """CSV: exact numbers, whole ones without `.0`, none as blank."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _derived(value: float | None) -> float | None:
    # A computed mean: 12 significant digits, so 0.85 is not written 0.8500000000000001.
    return None if value is None else float(f"{value:.12g}")


def _short(value: float | int | None, missing: str = "–") -> str:
    """Table: readable numbers."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing
    number = float(value)
    if number.is_integer() and abs(number) < 1e15:
        return f"{int(number):,}"
    if abs(number) >= 100:
        return f"{number:,.1f}"
    if abs(number) >= 0.001:
        return f"{number:.4g}"
    return f"{number:.3g}"


def _range_text(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _local(text: str, tz: tzinfo) -> str:
    try:
        moment = parse_wire_time(text)
    except ValueError:
        return text
    return _local_dt(moment, tz)


def _local_dt(moment: datetime, tz: tzinfo) -> str:
    local = moment.astimezone(tz)
    return local.strftime("%Y-%m-%d %H:%M ") + (local.tzname() or "")


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
            writer.writerow((row.created_at_trunc, row.score_key, _num(row.score_sum)))


def _csv_evals(items: Sequence[Eval], out: TextIO) -> None:
    writer = _csv_writer(EndpointName.EVALS, out)
    for item in items:
        writer.writerow((
            item.name,
            _num(item.average_score),
            _num(_derived(true_mean(item))),
            _num(item.min_score),
            _num(item.max_score),
            _num(item.count),
        ))


def _csv_distributions(items: Sequence[ScoreDistribution], out: TextIO) -> None:
    writer = _csv_writer(EndpointName.DISTRIBUTIONS, out)
    for item in items:
        for bin_ in item.distribution:
            writer.writerow((item.name, _num(bin_.lower), _num(bin_.upper), _num(bin_.value)))


def _csv_sessions(metrics: SessionMetrics, out: TextIO) -> None:
    writer = _csv_writer(EndpointName.SESSIONS, out)
    for metric, _, _ in SESSION_METRICS:
        for row in getattr(metrics, metric):
            writer.writerow((metric, row.range_start, row.range_end, _num(row.value)))
    for metric, _, _ in SESSION_METRICS:
        rows = getattr(metrics.average, metric)
        writer.writerow((f"average_{metric}", "", "", _num(rows[0].average if rows else None)))


_CSV = {
    EndpointName.SCORES: _csv_scores,
    EndpointName.EVALS: _csv_evals,
    EndpointName.DISTRIBUTIONS: _csv_distributions,
    EndpointName.SESSIONS: _csv_sessions,
}

# --------------------------------------------------------------------------- table


def _render(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool], out: TextIO
) -> None:
    # Cells quote the server (score keys, eval names): one line each, control characters visible,
    # and measured as shown so the columns line up.
    headers = [visible(h) for h in headers]
    rows = [[visible(cell) for cell in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.rjust(width) if is_right else cell.ljust(width)
            for cell, width, is_right in zip(cells, widths, right, strict=True)
        ]
        return "  ".join(parts).rstrip()

    out.write(line(headers) + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in rows:
        out.write(line(row) + "\n")


def _table_scores(rows: Sequence[ScoreRow], out: TextIO, tz: tzinfo) -> None:
    buckets: dict[str, dict[str, float]] = {}
    for row in rows:
        cell = buckets.setdefault(row.created_at_trunc, {})
        if not row.is_filler:
            cell[row.score_key] = row.score_sum
    keys = sorted({row.score_key for row in rows if not row.is_filler})
    zone = clock.zone_name(tz)
    if not keys:
        out.write(f"no scores in this range ({len(buckets)} empty buckets)\n")
        return
    time_header = f"bucket start ({zone})"
    if len(keys) <= MAX_PIVOT_KEYS:
        table = [
            [_local(when, tz), *(_short(values.get(k)) for k in keys)]
            for when, values in buckets.items()
        ]
        _render([time_header, *keys], table, [False, *([True] * len(keys))], out)
    else:
        table = [
            [_local(when, tz), key, _short(values[key])]
            for when, values in buckets.items()
            for key in sorted(values)
        ]
        _render([time_header, "score", "average"], table, [False, False, True], out)
    out.write(
        "values are the average score per bucket (Helicone calls it score_sum); "
        "– = no data in that bucket\n"
    )


def _table_evals(items: Sequence[Eval], out: TextIO, tz: tzinfo) -> None:
    if not items:
        out.write("no evals (no score names in this organization)\n")
        return
    table = []
    for item in items:
        if not item.count:
            table.append([item.name, "0", "no data", "", "", ""])
            continue
        table.append([
            item.name,
            _short(item.count),
            _short(true_mean(item)),
            _short(item.average_score),
            _short(item.min_score),
            _short(item.max_score),
        ])
    _render(
        ["name", "count", "mean", "Helicone avg", "min*", "max*"],
        table,
        [False, True, True, True, True, True],
        out,
    )
    out.write(
        "mean = Σ(hourly average × count) / Σ count; Helicone avg = averageScore "
        "(Σ hourly averages / count, not a mean)\n"
        "* min/max as Helicone returns them: clamped toward 0 by empty hours\n"
    )


def _table_distributions(items: Sequence[ScoreDistribution], out: TextIO, tz: tzinfo) -> None:
    if not items:
        out.write("no scores in this range\n")
        return
    table = []
    for item in items:
        for i, bin_ in enumerate(item.distribution):
            table.append([
                item.name if i == 0 else "",
                _short(bin_.lower),
                _short(bin_.upper),
                _short(bin_.value),
            ])
    _render(["score", "from", "to", "count (est.)"], table, [False, True, True, True], out)
    out.write(
        "bins as Helicone returns them (adaptive, unequal widths); counts are smoothed "
        "estimates whose total is exact\n"
    )


def _table_sessions(metrics: SessionMetrics, out: TextIO, tz: tzinfo) -> None:
    for i, (metric, title, per) in enumerate(SESSION_METRICS):
        if i:
            out.write("\n")
        rows = getattr(metrics, metric)
        averages = getattr(metrics.average, metric)
        average = averages[0].average if averages else None
        shown = "no data" if average is None else f"{_short(average)} {per}"
        out.write(f"{title}: average {shown}\n")
        if not rows:
            out.write("no sessions in this range\n")
            continue
        table = [
            [
                _short(_range_text(row.range_start), row.range_start),
                _short(_range_text(row.range_end), row.range_end),
                _short(row.value),
            ]
            for row in rows
        ]
        _render(["from", "to", "sessions (est.)"], table, [True, True, True], out)
    out.write("\n")


_TABLE = {
    EndpointName.SCORES: _table_scores,
    EndpointName.EVALS: _table_evals,
    EndpointName.DISTRIBUTIONS: _table_distributions,
    EndpointName.SESSIONS: _table_sessions,
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
