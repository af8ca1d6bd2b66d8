"""What the Overview draws when it is split by a breakdown dimension: a line per value on each
chart (distinct colours from the 256-colour palette, "(other)" grey), the legend's readout of
every value at the cursor, the table's column group per value, and the fetch of the fan-out.
No widgets here (Rich text only); the fetch runs in the tab's worker and posts `PanelReady`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from rich.text import Text

from tui.query import overview_shaping as shaping
from tui.query.overview_split import WITH_N, SplitPanel, shape_split
from tui.screens.overview_charts import at_text, exact_text, value_text
from tui.widgets.timeseries import PALETTE, ChartData, Color, Series

#: The values' colours: six that tell apart on dark and light backgrounds in 256 colours (red
#: is left out: it reads as "failed"), and grey for "(other)".
VALUE_COLOURS: tuple[Color, ...] = PALETTE[:6]
OTHER_COLOUR: Color = (175, 175, 175)

#: Each split chart's title (which number it is: DESIGN.md "Honest numbers").
TITLES = {
    "status": "Requests per bucket by {dim}",
    "errors": "Error rate % by {dim} (error: any status but 200)",
    "latency": "Latency p95 ms by {dim} (quantiles)",
    "cost": "Cost USD per bucket by {dim}",
    "ttft": "Avg TTFT ms by {dim} (zeros included)",
}
#: The table's metric under each value (header line two), by chart.
METRIC_HEADS = {"status": "requests", "errors": "error %", "latency": "p95 ms",
                "cost": "cost $", "ttft": "TTFT ms"}


def colour(i: int, other: bool) -> Color:
    return OTHER_COLOUR if other else VALUE_COLOURS[i % len(VALUE_COLOURS)]


def title(panel: SplitPanel) -> str:
    return TITLES[panel.name].format(dim=panel.dimension)


def chart_data(panel: SplitPanel, tz: tzinfo) -> ChartData:
    """A line per value (a failed value: an entry without points, its legend says why)."""
    xs = tuple(b.timestamp() for b in panel.buckets)
    series = []
    for i, line in enumerate(panel.lines):
        ys = line.values if line.error is None else ()
        series.append(Series(line.label, xs if ys else (), ys, colour(i, line.is_other)))
    lo = min([panel.window.start.timestamp(), *xs[:1]])
    hi = max([panel.window.end.timestamp(), *xs[-1:]])
    return ChartData(tuple(series), tz=tz, y_unit="%" if panel.name == "errors" else "",
                     x_range=(lo, hi), y_min=0.0)


def readout(panel: SplitPanel, i: int) -> dict[str, str]:
    """Every value's number at bucket i (with n, its requests there, beside a rate or an
    average: 100 % of 2 requests is not read as everything)."""
    out = {}
    for line in panel.lines:
        if line.error is not None:
            continue
        text = value_text(panel.name, line.values[i])
        if panel.metric in WITH_N:
            text += f" n={'?' if line.n is None else line.n[i]}"
        out[line.label] = text
    return out


@dataclass(frozen=True, eq=False)
class SplitPreview:
    """A split chart's legend before its lines: the values the ranking found (their labels
    and colours, as the lines will have them), posted while the fan-out is on its way. The
    legends take their final size then, so the lines' arrival lays nothing out again (each
    layout of 120x40 costs 15-30 ms of the UI thread, and more while the plots are built)."""

    title: str
    data: ChartData  # the series, without points


def preview(panel: str, fanout: Any, dimension: str, tz: tzinfo) -> SplitPreview:
    """What `panel`'s legend lists once its lines come (`shape_split`'s labels, in its order:
    "(other)" only where the metric adds up)."""
    from tui.api.safe_text import one_line
    from tui.query.breakdown_fanout import OVERVIEW_NEEDS, answer_keys
    from tui.query.overview_split import SPLIT_METRICS, unique_labels

    metric = SPLIT_METRICS[panel]
    others = answer_keys("overview", fanout.metrics, other=True)
    parts = [p for p in fanout.slices
             if p.value is not None or all(k in others for k in OVERVIEW_NEEDS[metric])]
    labels = unique_labels([one_line(p.label) for p in parts])
    series = tuple(Series(shown, (), (), colour(i, p.value is None))
                   for i, (p, shown) in enumerate(zip(parts, labels, strict=True)))
    return SplitPreview(TITLES[panel].format(dim=dimension),
                        ChartData(series, tz=tz, y_unit="%" if panel == "errors" else ""))


def notes(panel: SplitPanel) -> dict[str, str]:
    return {line.label: "failed" for line in panel.lines if line.error is not None}


def peak(panel: SplitPanel) -> tuple[int, int] | None:
    """(bucket, line) of the highest whole bucket of any value (not "(other)", nor a bucket cut
    by the window's edges), so `m` finds the burst and whose it is."""
    best: tuple[float, int, int] | None = None
    for j, line in enumerate(panel.lines):
        if line.is_other or line.error is not None:
            continue
        for i, v in enumerate(line.values):
            if v is not None and not panel.partial[i] and (best is None or v > best[0]):
                best = (v, i, j)
    return None if best is None else (best[1], best[2])


# --------------------------------------------------------------------------- the table


def table(panels: Mapping[str, SplitPanel], tz: tzinfo,
          ) -> tuple[list[tuple[str, str]], list[tuple[str, list[Text]]]]:
    """A column group per value (header: the value, then the metric), a row per bucket; a
    failed value's columns say "failed". Wider than the terminal: the table scrolls."""
    known = [panels[n] for n in shaping.CHARTS if n in panels]
    base = next((p for p in known if p.buckets), None)
    if base is None:
        return [], []
    order: list[tuple[str, str | None]] = []  # (label, value) in the fan-out's order
    for p in known:
        for line in p.lines:
            if (line.label, line.value) not in order:
                order.append((line.label, line.value))
    columns = [("time", "time (local)")]
    cells: list[tuple[SplitPanel, Any]] = []
    for k, (label, value) in enumerate(order):
        for p in known:
            found = next((x for x in p.lines if (x.label, x.value) == (label, value)), None)
            if found is None:
                continue  # "(other)" of a metric that does not add up
            columns.append((f"v{k}-{p.name}", f"{label}\n{METRIC_HEADS[p.name]}"))
            cells.append((p, found))
    rows = []
    for i, bucket in enumerate(base.buckets):
        row = [Text(at_text(base.buckets, i, base.increment, tz, base.partial[i]))]
        for p, line in cells:
            if line.error is not None:
                row.append(Text("failed", "bold red", justify="right"))
                continue
            j = i if p.buckets == base.buckets else (
                p.buckets.index(bucket) if bucket in p.buckets else None)
            row.append(Text("-" if j is None else exact_text(p.name, line.values[j]),
                            justify="right"))
        rows.append((bucket.isoformat(), row))
    return columns, rows


# --------------------------------------------------------------------------- the fetch


def _typed(recorder: Any) -> Any:
    """The fetch's recording client with the typed methods the breakdown calls (each goes
    through its `fetch_more`: the client's in-flight limit and 429 waits). Built here, not at
    import: the wire models stay out of the app's first frame."""
    from tui.api.endpoints_client import MoreEndpoints

    class Typed(MoreEndpoints):
        async def fetch_more(self, endpoint: Any, request: Any = None, **kwargs: Any) -> Any:
            return await recorder.fetch_more(endpoint, request, **kwargs)

    return Typed()


def ready_split(panel: str, answer: Any, plan: Any, tz: tzinfo) -> Any:
    """What a split chart draws (runs in a thread: pure)."""
    series = shape_split(panel, answer, plan.window, plan.increment, tz)
    return (series, None if series.error else chart_data(series, tz))


def failed_split(panel: str, message: str, plan: Any, dimension: str) -> Any:
    from tui.query.overview_split import SPLIT_METRICS

    return (SplitPanel(panel, SPLIT_METRICS[panel], dimension, (), (), (), plan.increment,
                       plan.window, error=message), None)


async def send_breakdown(post: Any, client: Any, split: Any) -> Any:
    """The top values, then the fan-out; every chart posted (`post(panel, value)`) when the
    whole fan-out is in, their lines drawn together. Returns the BreakdownAnswer, or Failed when
    the ranking could not be made (every chart then says why)."""
    from tui import clock
    from tui.query import breakdown as bd
    from tui.screens.base import user_message

    typed = _typed(client)
    ask = split.ask
    plan = split.plan
    try:
        top = await bd.top_values(typed, ask.dimension, ask.wire_filter, ask.window)
        fanout = bd.plan(ask.view, ask.base, top, ask.window, ask.options,
                         metrics=ask.metrics, tz=ask.tz)
        here = clock.local_zone()
        for name in shaping.CHARTS:  # the legends list the values while their lines come
            await post(name, preview(name, fanout, top.dimension.text, here))
        outcomes = await bd.send(typed, fanout)
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        message = user_message(exc)
        await asyncio.gather(*(post(name, failed_split(name, message, plan, split.dimension))
                               for name in shaping.CHARTS))
        return shaping.Failed(message)
    answer = bd.shape(fanout, outcomes, bd.requests_for_top(ask.dimension) + len(fanout.jobs))
    tz = clock.local_zone()

    def every_chart() -> list[tuple[str, Any]]:
        return [(name, ready_split(name, answer, plan, tz)) for name in shaping.CHARTS]

    # Shaped together and posted one after the other: the tab handles them in one go, and the
    # screen is laid out once for the five new legends, not once per chart.
    for name, value in await asyncio.to_thread(every_chart):
        await post(name, value)
    return answer
