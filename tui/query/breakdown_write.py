"""A breakdown's answer written out: csv `time,series,metric,value` (series = the value as it is,
`""` for the "(none)" group, `(other)` for the rest), json (the top values, where they came from,
each series with its filter and error), and a table per metric with a column per value."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from tui.query.breakdown_dims import OTHER_LABEL
from tui.query.breakdown_shape import BreakdownAnswer, BreakdownSeries


def series_name(series: BreakdownSeries) -> str:
    return OTHER_LABEL if series.value is None else series.value


def _warn(answer: BreakdownAnswer) -> None:
    # csv carries no error column: a failed series is said on stderr, the others are written.
    from tui.safe import one_line

    for s in answer.failed:
        print(f"helicone-tui: warning: {one_line(s.label)} {s.metric}: {one_line(s.error or '')}",
              file=sys.stderr)


def write(answer: BreakdownAnswer, fmt: str, out: TextIO, tz: Any) -> None:
    from tui.query import writers_more as w

    if fmt == "json":
        w.write_json(as_json(answer), out)
    elif fmt == "csv":
        w.write_csv(("time", "series", "metric", "value"),
                    ((w.iso_z(at), series_name(s), s.metric, value)
                     for s in answer.series if s.error is None
                     for at, value in s.points if value is not None), out)
        _warn(answer)
    else:
        write_tables(answer, out, tz)


def as_json(answer: BreakdownAnswer) -> dict[str, Any]:
    from tui.filters.text import format as format_filter

    top = answer.top
    return {
        "view": answer.view,
        "dimension": top.dimension.text,
        "top": {
            "source": top.source, "sample_size": top.sample_size, "more": top.more,
            "values": [{"value": v, "requests": c} for v, c in zip(top.values, top.counts,
                                                                    strict=True)],
            "notes": list(top.notes),
        },
        "requests_sent": answer.requests_sent,
        "series": [{
            "value": s.value, "label": s.label, "other": s.is_other, "metric": s.metric,
            "filter": format_filter(s.condition), "error": s.error,
            "points": [{"time": at, "value": v} for at, v in s.points],
        } for s in answer.series],
    }


def write_tables(answer: BreakdownAnswer, out: TextIO, tz: Any) -> None:
    from tui.format.numbers import value as value_text
    from tui.query import writers_more as w
    from tui.safe import one_line

    top = answer.top
    where = top.source + (f" (a sample of {top.sample_size} requests)" if top.sampled else "")
    out.write(f"breakdown of {answer.view} by {one_line(top.dimension.text)}: "
              f"top values from {where}; {answer.requests_sent} requests sent\n")
    for note in top.notes:
        out.write(f"note: {one_line(note)}\n")
    if not top.values:
        out.write("no requests in the window\n")
        return
    metrics = list(dict.fromkeys(s.metric for s in answer.series))
    for metric in metrics:
        group = [s for s in answer.series if s.metric == metric]
        out.write(f"\n{metric}\n")
        times = list(dict.fromkeys(at for s in group for at, _ in s.points))
        columns = {id(s): dict(s.points) for s in group}
        rows = []
        for at in times:
            cells = [w.local_time(at, tz, False)]
            for s in group:
                v = columns[id(s)].get(at)
                cells.append("error" if s.error else _cell(metric, v, value_text))
            rows.append(cells)
        w.write_table(("time", *(s.label for s in group)), rows,
                      (False, *([True] * len(group))), out)
    for s in answer.failed:
        out.write(f"error: {one_line(s.label)} {s.metric}: {one_line(s.error or '')}\n")


def _cell(metric: str, v: float | None, value_text: Any) -> str:
    # As `query overview` writes them: rates in %, latencies in whole ms.
    if v is None:
        return "–"
    if metric == "error_rate":
        return f"{v:.1%}"
    if metric.startswith("latency") or metric == "ttft":
        return f"{v:,.0f}"
    return str(value_text(v, missing="–", table=True))


def ranking_curl(base_url: str, request: Any) -> str:
    from tui.query import writers_more as w
    from tui.query.breakdown_top import ranking_request, requests_for_top

    name, body, path = ranking_request(request.dimension, request.wire_filter, request.window)
    lines = ["# the top values of " + request.dimension.text + "; the per-value requests "
             "depend on its answer (run without --curl to send them)"]
    if requests_for_top(request.dimension) > 1:
        from tui.api.wire_endpoints import More
        from tui.api.wire_properties import PropertyQuery

        lines.append(w.curl_for(base_url, More.PROPERTIES, PropertyQuery()))
    lines.append(w.curl_for(base_url, name, body, path))
    return "\n\n".join(lines)
