"""What the Overview tab draws from its shaped panels: chart data, the legends' readouts, the
table's cells and the strip's text. No Textual here (Rich text only): the chart data is built in
the fetch worker's thread, the rest is small and testable without a terminal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from rich.text import Text

from tui.query.compare import format_percent
from tui.query.overview_shaping import CHARTS, SeriesPanel, Total
from tui.screens.score_series import dimmed
from tui.widgets.timefmt import bucket_label, spell_length
from tui.widgets.timeseries import ChartData, Color, Series

GREEN: Color = (95, 215, 0)
ORANGE: Color = (255, 135, 0)
RED: Color = (255, 95, 95)
GREY: Color = (175, 175, 175)
BLUE: Color = (0, 175, 255)
COLOURS: dict[str, Color] = {
    "2xx": GREEN, "4xx": ORANGE, "5xx": RED, "other": GREY, "error rate": RED,
    "avg": BLUE, "p75": (95, 215, 0), "p90": (255, 215, 0), "p95": ORANGE, "p99": RED,
    "cost": (255, 215, 0), "avg TTFT": (0, 215, 175),
}

#: Each panel's title: which number it is (DESIGN.md "Honest numbers").
TITLES = {
    "status": "Requests by status class (per bucket)",
    "errors": "Error rate, % of requests (error: any status but 200)",
    "latency": "Latency ms: avg (latencyOverTime; skips missing, -batch) p75-p99 (quantiles)",
    "cost": "Cost USD per bucket",
    "ttft": "Avg TTFT ms per bucket (zeros included; the strip's avg: TTFT > 0 only)",
    "models": 'Top models in the window ("" is "(none)")',
    "users": "Top users by requests, then by errors (≠ 200): down/up rows, enter requests",
}
SHORT = {"status": "requests", "errors": "error rate", "latency": "latency", "cost": "cost",
         "ttft": "TTFT", "models": "top models", "users": "top users"}
UNITS = {"status": "", "errors": "%", "latency": "", "cost": "", "ttft": ""}
#: Panels whose values are rates or averages: n (the bucket's requests) goes beside them.
WITH_N = frozenset({"errors", "latency", "ttft"})
PREVIOUS_SUFFIX = " (prev)"


def chart_data(panel: SeriesPanel, tz: tzinfo) -> ChartData:
    """The panel's lines (the previous period's first and dimmer, shifted onto the current)."""
    xs = tuple(b.timestamp() for b in panel.buckets)
    series: list[Series] = []
    shift = panel.window.length
    for name, values in panel.columns.items():
        colour = COLOURS.get(name, BLUE)
        if panel.previous_points is not None and name in panel.previous_points:
            before, ys = panel.previous_points[name]
            series.append(Series(name + PREVIOUS_SUFFIX, tuple((b + shift).timestamp()
                                                               for b in before), ys,
                                 dimmed(colour)))
        series.append(Series(name, xs, values, colour))
    lo = min([panel.window.start.timestamp(), *xs[:1]])
    hi = max([panel.window.end.timestamp(), *xs[-1:]])
    return ChartData(tuple(series), tz=tz, y_unit=UNITS[panel.name], x_range=(lo, hi),
                     y_min=0.0)


def current_series(data: ChartData) -> ChartData:
    """The lines the legend lists (not the previous period's)."""
    from dataclasses import replace

    return replace(data, series=tuple(s for s in data.series
                                      if not s.label.endswith(PREVIOUS_SUFFIX)))


def value_text(panel: str, value: float | None) -> str:
    if value is None:
        return "-"
    if panel == "errors":
        return f"{value:.1f}%"
    if panel == "cost":
        return f"${value:,.3f}"
    if panel == "status":
        return f"{value:,.0f}"
    return f"{value:,.0f}"


def readout(panel: SeriesPanel, i: int) -> dict[str, str]:
    """Each line's value at bucket i (comparing: and the previous period's)."""
    out = {}
    for name, values in panel.columns.items():
        text = value_text(panel.name, values[i])
        if panel.previous is not None:
            text += f" (prev {value_text(panel.name, panel.previous[name][i])})"
        out[name] = text
    return out


def n_text(panel: SeriesPanel, i: int) -> str:
    if panel.name not in WITH_N:
        return ""
    return f"n={'?' if panel.n is None else panel.n[i]}"


def at_text(buckets: Sequence[datetime], i: int, increment: str, tz: tzinfo,
            partial: bool) -> str:
    return bucket_label(buckets[i], tz, increment, short=True) + (" partial" if partial else "")


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    panel: str
    series: str


TABLE_COLUMNS = (
    Column("n", "n\n(requests)", "status", ""),
    Column("2xx", "2xx", "status", "2xx"),
    Column("4xx", "4xx", "status", "4xx"),
    Column("5xx", "5xx", "status", "5xx"),
    Column("other", "other", "status", "other"),
    Column("rate", "error %\n(≠ 200)", "errors", "error rate"),
    Column("avg", "avg ms\n(no -batch)", "latency", "avg"),
    Column("p75", "p75 ms", "latency", "p75"),
    Column("p90", "p90 ms", "latency", "p90"),
    Column("p95", "p95 ms", "latency", "p95"),
    Column("p99", "p99 ms", "latency", "p99"),
    Column("cost", "cost $", "cost", "cost"),
    Column("ttft", "TTFT ms\n(incl. 0)", "ttft", "avg TTFT"),
)


def exact_text(panel: str, value: float | None) -> str:
    """A table cell's number: more digits than the legend's (the split table uses it too)."""
    if value is None:
        return "-"
    if panel == "errors":
        return f"{value:.2f}"
    if panel == "cost":
        return f"{value:.4f}"
    if panel == "status":
        return f"{value:.0f}"
    return f"{value:.1f}"


def table(panels: Mapping[str, SeriesPanel], tz: tzinfo,
          ) -> tuple[list[tuple[str, str]], list[tuple[str, list[Text]]]]:
    """Column (key, title) pairs and rows (key, cells): every chart's exact numbers per bucket,
    n beside them; comparing, the previous period's value in brackets."""
    known = [panels[name] for name in CHARTS if name in panels and not panels[name].error]
    if not known:
        return [], []
    base = panels.get("status") or known[0]
    if base.error:
        base = known[0]
    compared = any(p.previous is not None for p in known)
    columns = [("time", "time (local)")]
    for c in TABLE_COLUMNS:
        if c.panel in panels and not panels[c.panel].error:
            columns.append((c.key, c.title + (" (prev)" if compared and c.key != "n" else "")))
    rows = []
    for i, bucket in enumerate(base.buckets):
        time = Text(at_text(base.buckets, i, base.increment, tz, base.partial[i]))
        cells = [time]
        for c in TABLE_COLUMNS:
            panel = panels.get(c.panel)
            if panel is None or panel.error:
                continue
            j = i if panel.buckets == base.buckets else (
                panel.buckets.index(bucket) if bucket in panel.buckets else None)
            if c.key == "n":
                text = "?" if panel.n is None or j is None else str(panel.n[j])
            else:
                text = "-" if j is None else exact_text(panel.name, panel.columns[c.series][j])
                if panel.previous is not None and j is not None:
                    text += f" ({exact_text(panel.name, panel.previous[c.series][j])})"
            cells.append(Text(text, justify="right"))
        rows.append((bucket.isoformat(), cells))
    return columns, rows


# --------------------------------------------------------------------------- the strip


def total_text(total: Total) -> str:
    value = total.value
    if value is None:
        return "-"
    if total.unit == "%":
        return f"{value:.1f}%"
    if total.unit == "ms":
        return f"{value:,.0f}ms"
    if total.unit == "$":
        return f"${value:,.2f}"
    return f"{value:,.0f}"


def change_text(total: Total) -> str:
    if total.previous_pending:
        return "…"
    change = total.change
    if total.unit == "%":
        return "n/a" if change is None else f"{change:+.1f}pp"
    return format_percent(change)


#: The cells a total's value and change take (`10,773ms +3.2%`), before they are known.
RESERVED = 14


#: The cells of a total's trend over the window (a spark of its chart's buckets).
SPARK = 8


def strip_text(totals: Sequence[Total], length_seconds: float, width: int = 80,
               trends: Mapping[str, Sequence[float | None]] | None = None) -> Text:
    """The totals, each with its change against the previous period and its trend over the
    window (peaks kept: a burst of an hour shows in a week's spark), packed into lines of
    `width` cells (a total is never split across two), then what each number is."""
    from datetime import timedelta

    from tui.format.spark import spark
    from tui.query.overview_shaping import TREND_SOURCES

    items = []
    for total in totals:
        item = Text(total.label + " ", "dim")
        if total.error:
            item.append("failed", "bold red")
        elif total.pending:
            item.append("…", "dim")
        else:
            item.append(total_text(total), "bold")
            item.append(" " + change_text(total), _change_style(total))
        trend = (trends or {}).get(total.name)
        if trend and any(v is not None for v in trend):
            item.append(" ")
            item.append(spark(trend, SPARK, peak=True), "cyan")
        items.append(item)
    text = Text()
    used = 0
    for total, item in zip(totals, items, strict=True):
        # Packed by the room a total takes once known, so the lines do not change while the
        # answers arrive (each change of the strip's height lays the screen out again).
        room = max(item.cell_len, len(total.label) + 1 + RESERVED
                   + (1 + SPARK if total.name in TREND_SOURCES else 0))
        if used and used + 2 + room > width:
            text.append("\n")
            used = 0
        elif used:
            text.append("  ")
            used += 2
        text.append_text(item)
        used += room
    length = spell_length(timedelta(seconds=length_seconds))
    # What each number is (DESIGN.md "Honest numbers"), in one line at 80 columns.
    text.append(f"\nvs prev {length} · error: status ≠ 200 · avg lat: missing = 0 · "
                "avg TTFT: > 0 only", "dim")
    return text


def _change_style(total: Total) -> str:
    change = total.change
    if change is None or change == 0:
        return "dim"
    # More errors, latency or cost reads as worse; more requests or users as neither.
    worse = total.name in ("error_rate", "latency_avg", "latency_p95", "cost", "ttft_avg")
    if not worse:
        return ""
    return "red" if change > 0 else "green"

