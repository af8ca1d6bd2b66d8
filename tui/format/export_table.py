"""The `table` format of the four query endpoints: readable columns, times in the local zone,
Helicone's quirks labelled, not hidden; the columns by the one renderer (writers.write_columns)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import tzinfo
from functools import partial
from typing import Any, TextIO

from tui.api import clock
from tui.api.models import EndpointName, Eval, ScoreDistribution, ScoreRow, SessionMetrics
from tui.format.export_sessions import SESSION_METRICS
from tui.format.numbers import value
from tui.format.times import local_time
from tui.format.writers import write_columns

#: Wider than this many score keys, the scores table is written long instead of pivoted.
MAX_PIVOT_KEYS = 6

#: A number in these tables: the wide spelling, none as a dash.
_short = partial(value, missing="–", table=True)


def _local(text: str, tz: tzinfo) -> str:
    # A bucket's start to the minute, with its zone (rows either side of a DST change differ).
    return local_time(text, tz, seconds=False, zone=True)


def _range_number(text: str) -> float | None:
    # A histogram bound comes as JavaScript number text ("2.5", "1e-7"); other text shows as is.
    try:
        return float(text)
    except ValueError:
        return None


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
        write_columns([time_header, *keys], table, [False, *([True] * len(keys))], out)
    else:
        table = [
            [_local(when, tz), key, _short(values[key])]
            for when, values in buckets.items()
            for key in sorted(values)
        ]
        write_columns([time_header, "score", "average"], table, [False, False, True], out)
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
            _short(item.true_mean),
            _short(item.average_score),
            _short(item.min_score),
            _short(item.max_score),
        ])
    write_columns(
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
    write_columns(["score", "from", "to", "count (est.)"], table, [False, True, True, True], out)
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
                value(_range_number(row.range_start), missing=row.range_start, table=True),
                value(_range_number(row.range_end), missing=row.range_end, table=True),
                _short(row.value),
            ]
            for row in rows
        ]
        write_columns(["from", "to", "sessions (est.)"], table, [True, True, True], out)
    out.write("\n")


# Each writer takes its endpoint's answer as export.coerce types it.
TABLE: dict[EndpointName, Callable[[Any, TextIO, tzinfo], None]] = {
    EndpointName.SCORES: _table_scores,
    EndpointName.EVALS: _table_evals,
    EndpointName.DISTRIBUTIONS: _table_distributions,
    EndpointName.SESSIONS: _table_sessions,
}
