"""Chart responsiveness figures (printed, not asserted).

    .venv/bin/python bench/chart.py [--runs 5] [--url URL]

Scores at 120x40 on the largest default answer (30 days, hourly buckets, every key) from the demo
server (started here unless --url names one):

- helicone-tui: the app's Scores tab. From the moment the answer reaches the tab (its
  FetchSucceeded handler) to both charts drawn: the longest stall of the UI thread (event loop) and
  the total time until the charts are shown.
- baseline, in the same run: a plain textual-plotext PlotextPlot pair fed the raw series
  (every point of every key), drawn as textual-plotext draws: in `render()`, on the UI thread.

A stall is measured by a task that sleeps 1 ms in a loop and records how late it wakes up.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

NOW = "2026-11-20T12:00:00Z"
SIZE = (120, 40)


class StallMeter:
    """Measures the event loop's longest stall while `active`."""

    def __init__(self) -> None:
        self.active = False
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def arm(self) -> None:
        self.longest = 0.0
        self.active = True

    async def disarm(self) -> float:
        await asyncio.sleep(0.02)  # let the meter wake and record the last stall
        self.active = False
        return self.longest

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _run(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.001)
            late = time.perf_counter() - before - 0.001
            if self.active:
                self.longest = max(self.longest, late)


async def measure_app(url: str) -> tuple[float, float]:
    """(longest stall, data -> charts shown) in seconds, through the real Scores tab."""
    from tui.api.timerange import TimeRange
    from tui.app import HeliconeApp
    from tui.context import Investigation, Target
    from tui.filters.tree import ALL
    from tui.screens.main import MainScreen
    from tui.screens.scores import ScoresTab

    meter = StallMeter()
    marks: dict[str, float] = {}
    drawn: set[int] = set()

    original_options = ScoresTab.options
    original_succeeded = ScoresTab.on_fetch_succeeded
    from tui.api.enums import TimeIncrement
    from tui.query.scores import ScoresOptions

    hourly = ScoresOptions(increment=TimeIncrement.HOUR)
    ScoresTab.options = lambda self: hourly  # type: ignore[method-assign]

    def on_fetch_succeeded(self: ScoresTab, message: Any) -> None:
        marks["arrived"] = time.perf_counter()
        meter.arm()
        original_succeeded(self, message)

    def on_time_chart_drawn(self: MainScreen, message: Any) -> None:
        if "arrived" in marks and message.chart.drawn:
            drawn.add(id(message.chart))

    ScoresTab.on_fetch_succeeded = on_fetch_succeeded  # type: ignore[method-assign]
    MainScreen.on_time_chart_drawn = on_time_chart_drawn  # type: ignore[attr-defined]
    try:
        app = HeliconeApp(
            target=Target(url, "sk-bench-0000000000000000", demo=True),
            context=Investigation(ALL, TimeRange.since("30d")),
            initial_tab="scores",
        )
        async with app.run_test(size=SIZE):
            meter.start()
            deadline = time.monotonic() + 60
            def shown_charts() -> int:  # every panel the answer needs (one per scale)
                tab = app.screen.query_one(ScoresTab)
                return max(1, len(tab.answer.panels)) if tab.answer is not None else 2

            while len(drawn) < shown_charts() and time.monotonic() < deadline:
                await asyncio.sleep(0.001)
            stall = await meter.disarm()
            meter.stop()
            if "arrived" not in marks:  # say why instead of a KeyError
                tab = app.screen.query_one(ScoresTab)
                raise SystemExit(f"chart: no answer in 60 s ({tab.status}: {tab.notice.message})")
            shown = time.perf_counter() - marks["arrived"]
            tab = app.screen.query_one(ScoresTab)
            keys = len(tab.answer.keys)
            points = sum(len(v) for v in tab.answer.values.values())
    finally:
        ScoresTab.options = original_options  # type: ignore[method-assign]
        ScoresTab.on_fetch_succeeded = original_succeeded  # type: ignore[method-assign]
        del MainScreen.on_time_chart_drawn  # type: ignore[attr-defined]
    measure_app.last = (keys, points)  # type: ignore[attr-defined]
    return stall, shown


async def measure_baseline(rows: list[Any]) -> tuple[float, float]:
    """(longest stall, data -> plots shown) for two PlotextPlot widgets fed every raw point."""
    from textual.app import App, ComposeResult
    from textual_plotext import PlotextPlot

    from tui.query.scores_shape import is_boolean

    series: dict[str, tuple[list[float], list[float]]] = {}
    for row in rows:
        if not row.score_key:
            continue
        at = time.mktime(time.strptime(row.created_at_trunc[:19], "%Y-%m-%dT%H:%M:%S"))
        xs, ys = series.setdefault(row.score_key, ([], []))
        xs.append(at)
        ys.append(row.score_sum)

    class Baseline(App[None]):
        def compose(self) -> ComposeResult:
            yield PlotextPlot(id="numeric")
            yield PlotextPlot(id="boolean")

    meter = StallMeter()
    app = Baseline()
    async with app.run_test(size=SIZE) as pilot:
        meter.start()
        await pilot.pause(0.2)
        plots = {p.id: p for p in app.query(PlotextPlot)}
        meter.arm()
        started = time.perf_counter()
        for key, (xs, ys) in series.items():
            plot = plots["boolean" if is_boolean(key) else "numeric"]
            plot.plt.plot(xs, ys)  # no label: plotext's legend fails with textual-plotext themes
        # Until both plots have rendered once with their data.
        rendered: set[str] = set()
        for plot in plots.values():
            original = plot.render

            def render(plot: Any = plot, original: Any = original) -> Any:
                result = original()
                rendered.add(plot.id)
                return result

            plot.render = render  # type: ignore[method-assign]
            plot.refresh()
        while len(rendered) < len(plots):
            await asyncio.sleep(0.001)
            if app._exception is not None:
                raise RuntimeError("the baseline app failed") from app._exception
        shown = time.perf_counter() - started
        stall = await meter.disarm()
        meter.stop()
    return stall, shown


async def fetch_rows(url: str) -> list[Any]:
    from tui.api.client import HeliconeClient
    from tui.api.models import EndpointName, TimeIncrement
    from tui.api.timerange import TimeRange
    from tui.filters.tree import ALL
    from tui.query.requests import QueryOptions, build_request

    window = TimeRange.since("30d").resolve()
    request = build_request(
        EndpointName.SCORES, ALL, window, QueryOptions(increment=TimeIncrement.HOUR)
    )
    async with HeliconeClient(url, "sk-bench-0000000000000000") as client:
        return await client.scores(request)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--url", help="a running demo server (default: start one)")
    args = parser.parse_args()

    from tui import clock

    clock.fix(NOW)
    server = None
    url = args.url
    if url is None:
        from tui.demo.process import start_demo_server

        server = start_demo_server(seed=1, now=NOW)
        url = server.url
    try:
        rows = asyncio.run(fetch_rows(url))
        app_runs = [asyncio.run(measure_app(url)) for _ in range(args.runs)]
        base_runs = [asyncio.run(measure_baseline(rows)) for _ in range(args.runs)]
    finally:
        if server is not None:
            server.stop()
    keys, points = measure_app.last  # type: ignore[attr-defined]
    app_stall = statistics.median(s for s, _ in app_runs)
    app_shown = statistics.median(t for _, t in app_runs)
    base_stall = statistics.median(s for s, _ in base_runs)
    base_shown = statistics.median(t for _, t in base_runs)
    print(f"answer: 30 days hourly, {keys} keys, {points} buckets x keys, "
          f"{len(rows)} rows; terminal {SIZE[0]}x{SIZE[1]}; medians of {args.runs} runs")
    print(f"helicone-tui Scores: longest UI stall {app_stall * 1000:.1f} ms (target <= 50), "
          f"data -> charts shown {app_shown * 1000:.0f} ms (target <= 300)")
    print(f"PlotextPlot, raw series: longest UI stall {base_stall * 1000:.1f} ms, "
          f"data -> plots shown {base_shown * 1000:.0f} ms")
    print(f"stall ratio helicone-tui / PlotextPlot: {app_stall / base_stall:.2f}")


if __name__ == "__main__":
    main()
