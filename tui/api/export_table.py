"""The `table` format: readable columns, times in the local zone, Helicone's quirks labelled.

A table is for reading, so its cells show control characters as escapes (DESIGN.md "Terminal
safety"), measured as shown so the columns line up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import tzinfo
from typing import Any, TextIO

from tui.api import clock
from tui.api.export_cells import SESSION_METRICS, local_time, range_number, short, true_mean
from tui.api.models import EndpointName, Eval, ScoreDistribution, ScoreRow, SessionMetrics
from tui.api.safe_text import visible

#: Wider than this many score keys, the scores table is written long instead of pivoted.
MAX_PIVOT_KEYS = 6


def render(
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
            [local_time(when, tz), *(short(values.get(k)) for k in keys)]
            for when, values in buckets.items()
        ]
        render([time_header, *keys], table, [False, *([True] * len(keys))], out)
    else:
        table = [
            [local_time(when, tz), key, short(values[key])]
            for when, values in buckets.items()
            for key in sorted(values)
        ]
        render([time_header, "score", "average"], table, [False, False, True], out)
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
            short(item.count),
            short(true_mean(item)),
            short(item.average_score),
            short(item.min_score),
            short(item.max_score),
        ])
    render(
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
                short(bin_.lower),
                short(bin_.upper),
                short(bin_.value),
            ])
    render(["score", "from", "to", "count (est.)"], table, [False, True, True, True], out)
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
        shown = "no data" if average is None else f"{short(average)} {per}"
        out.write(f"{title}: average {shown}\n")
        if not rows:
            out.write("no sessions in this range\n")
            continue
        table = [
            [
                short(range_number(row.range_start), row.range_start),
                short(range_number(row.range_end), row.range_end),
                short(row.value),
            ]
            for row in rows
        ]
        render(["from", "to", "sessions (est.)"], table, [True, True, True], out)
    out.write("\n")


# Each writer takes its endpoint's answer as export.coerce types it.
TABLE: dict[EndpointName, Callable[[Any, TextIO, tzinfo], None]] = {
    EndpointName.SCORES: _table_scores,
    EndpointName.EVALS: _table_evals,
    EndpointName.DISTRIBUTIONS: _table_distributions,
    EndpointName.SESSIONS: _table_sessions,
}
