"""The one writer for the answers of the four query endpoints: `json`, `csv` and `table` (the
CLI's --format and the app's export).

- json: the response's `data` re-serialised as indented JSON, values unchanged.
- csv: one header line, long form, per endpoint (DESIGN.md, "Command line").
- table: readable columns, times in the local zone, Helicone's quirks labelled (export_table.py).

All three through the writers in writers.py, which keep the terminal safe (DESIGN.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import tzinfo
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
from tui.api.safe_text import visible
from tui.format.export_sessions import SESSION_METRICS, SESSIONS_NOTE
from tui.format.export_table import TABLE
from tui.format.writers import write_csv, write_json

Format = Literal["json", "csv", "table"]
FORMATS: tuple[str, ...] = ("table", "json", "csv")

CSV_HEADERS: dict[EndpointName, tuple[str, ...]] = {
    EndpointName.SCORES: ("created_at_trunc", "score_key", "score_sum"),
    EndpointName.EVALS: (
        "name", "average_score", "true_mean", "min_score", "max_score", "count",
    ),
    EndpointName.DISTRIBUTIONS: ("name", "lower", "upper", "value"),
    EndpointName.SESSIONS: ("metric", "range_start", "range_end", "value"),
}


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
        write_json(raw if raw is not None else to_jsonable(endpoint, data), out, allow_nan=True)
        return
    typed = coerce(endpoint, data)
    if fmt == "csv":
        write_csv(CSV_HEADERS[endpoint], _CSV[endpoint](typed), out)
    elif fmt == "table":
        TABLE[endpoint](typed, out, tz or clock.local_zone())
        if endpoint is EndpointName.SESSIONS:
            note = note or SESSIONS_NOTE
        if note:
            out.write(visible(note, block=True) + "\n")
    else:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


# --------------------------------------------------------------------------- csv rows
# Numbers as received; write_csv spells them exact (csv_number).


def _derived(value: float | None) -> float | None:
    # A computed mean: 12 significant digits, so 0.85 is not written 0.8500000000000001.
    return None if value is None else float(f"{value:.12g}")


def _csv_scores(rows: Sequence[ScoreRow]) -> Iterator[Sequence[Any]]:
    for row in rows:
        if not row.is_filler:  # WITH FILL rows: an empty bucket, not a score of 0
            yield (row.created_at_trunc, row.score_key, row.score_sum)


def _csv_evals(items: Sequence[Eval]) -> Iterator[Sequence[Any]]:
    for item in items:
        yield (item.name, item.average_score, _derived(item.true_mean), item.min_score,
               item.max_score, item.count)


def _csv_distributions(items: Sequence[ScoreDistribution]) -> Iterator[Sequence[Any]]:
    for item in items:
        for bin_ in item.distribution:
            yield (item.name, bin_.lower, bin_.upper, bin_.value)


def _csv_sessions(metrics: SessionMetrics) -> Iterator[Sequence[Any]]:
    for metric, _, _ in SESSION_METRICS:
        for row in getattr(metrics, metric):
            yield (metric, row.range_start, row.range_end, row.value)
    for metric, _, _ in SESSION_METRICS:
        rows = getattr(metrics.average, metric)
        yield (f"average_{metric}", "", "", rows[0].average if rows else None)


_CSV: dict[EndpointName, Callable[[Any], Iterator[Sequence[Any]]]] = {
    EndpointName.SCORES: _csv_scores,
    EndpointName.EVALS: _csv_evals,
    EndpointName.DISTRIBUTIONS: _csv_distributions,
    EndpointName.SESSIONS: _csv_sessions,
}
