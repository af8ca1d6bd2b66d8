"""Breakdown figures on the Overview (printed, not asserted).

    .venv/bin/python bench/breakdown.py [--runs 3] [--size 120x40] [--dimension model] [--url URL]

Runs the real command line (`helicone-tui --base-url URL --now … --since 7d`, opened on the
Overview) in a pseudo-terminal of the given size, against a demo server already running (started
here first unless --url names one). Once the unsplit Overview is drawn, the driver sets the
investigation's breakdown to DIM on the main screen (what `b` does) and records:

1. breakdown set -> the first frame handed to the terminal with the split Overview fully drawn:
   every chart split (one line per value), the strip and the models table in, every chart in
   view plotted (target <= 1.5 s);
2. the longest stall of the UI thread (event loop) meanwhile (target <= 50 ms), measured as in
   bench/chart.py by a task that sleeps 1 ms in a loop and records how late it wakes;
3. the most requests in flight to the server at once (the client's sends counted where they
   hold its connection slot) (target <= 6), and how many the split Overview sent.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from memory import parse_size
from ptyrun import run_in_pty

NOW = "2026-11-20T12:00:00Z"
BENCH = str(Path(__file__).resolve().parent)

CHILD = f"""
import asyncio, json, sys, time
sys.path.insert(0, {BENCH!r})
out, url, dimension = sys.argv[1], sys.argv[2], sys.argv[3]
from chart import StallMeter
import os
import layout_probe
PROBE = os.environ.get("BENCH_PROBE") == "1"
if PROBE:
    layout_probe.install()
from tui.screens.main import MainScreen
from tui.api.client import HeliconeClient
from tui.query import overview_shaping as shaping
from tui.query.overview_split import SplitPanel

_init = MainScreen.__init__
def __init__(self, **kwargs):
    kwargs["initial_tab"] = "overview"
    _init(self, **kwargs)
MainScreen.__init__ = __init__

FLIGHT = {{"now": 0, "most": 0, "sent": 0}}
_send = HeliconeClient._send
async def counted(self, *args, **kwargs):
    FLIGHT["now"] += 1
    FLIGHT["sent"] += 1
    FLIGHT["most"] = max(FLIGHT["most"], FLIGHT["now"])
    try:
        return await _send(self, *args, **kwargs)
    finally:
        FLIGHT["now"] -= 1
HeliconeClient._send = counted

def drawn(tab, split):
    if tab.status != "ready" or not tab.shown or not tab.drawn_in_view():
        return False
    return not split or all(isinstance(tab.panels[n][0], SplitPanel) for n in shaping.CHARTS)

from textual.app import App
WATCHERS = []
_display = App._display
def display(self, screen, renderable):
    _display(self, screen, renderable)
    for watcher in list(WATCHERS):
        watcher()
App._display = display

async def painted(tab, split):
    done = asyncio.get_running_loop().create_future()
    def watcher():
        if not done.done() and drawn(tab, split):
            done.set_result(time.perf_counter())
    WATCHERS.append(watcher)
    try:
        while True:
            try:
                return await asyncio.wait_for(asyncio.shield(done), 0.05)
            except asyncio.TimeoutError:
                if drawn(tab, split):
                    tab.screen.refresh()
    finally:
        WATCHERS.remove(watcher)

async def drive(screen):
    result = {{}}
    meter = StallMeter()
    try:
        tab = screen.query_one("#overview-tab")
        await asyncio.wait_for(painted(tab, False), 60)
        await asyncio.sleep(0.3)  # the unsplit Overview settled
        meter.start()
        FLIGHT["most"] = FLIGHT["sent"] = 0
        meter.arm()
        layout_probe.start()
        started = time.perf_counter()
        frame = asyncio.ensure_future(painted(tab, True))
        screen.context = screen.context.with_breakdown(dimension)
        result["drawn_s"] = await asyncio.wait_for(frame, 60) - started
        layout_probe.stop()
        if PROBE:
            result["probe"] = layout_probe.report()
        result["stall_s"] = await meter.disarm()
        result["most"] = FLIGHT["most"]
        result["sent"] = FLIGHT["sent"]
        result["values"] = len(tab.answer.split.top.values)
        result["bound"] = len(tab.answer.plan.parts) + tab.answer.split.requests_sent
    except Exception as exc:
        result["error"] = repr(exc)
    meter.stop()
    with open(out, "w") as handle:
        json.dump(result, handle)
    screen.app.exit()

original = MainScreen.on_mount
def on_mount(self):
    original(self)
    self._bench_task = asyncio.get_running_loop().create_task(drive(self))
MainScreen.on_mount = on_mount

from tui.cli import main
sys.exit(main(["--base-url", url, "--now", "{NOW}", "--since", "7d"]))
"""


def run_child(url: str, size: tuple[int, int], dimension: str, probe: bool = False) -> dict:
    text, _ = run_in_pty(CHILD, [url, dimension], size,
                         env={"HELICONE_API_KEY": "sk-bench-0000000000000000",
                              "BENCH_PROBE": "1" if probe else "0"}, timeout=120)
    result = json.loads(text)
    if "error" in result:
        raise RuntimeError(f"the driver failed: {result['error']}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", default="120x40", type=parse_size)
    parser.add_argument("--dimension", default="model")
    parser.add_argument("--url", help="a running demo server (default: start one)")
    parser.add_argument("--probe", action="store_true",
                        help="also count the screen's layouts meanwhile, and who asked for them "
                             "(bench/layout_probe.py; slows the stall figures)")
    args = parser.parse_args()

    server = None
    url = args.url
    if url is None:
        from tui.demo.process import start_demo_server

        server = start_demo_server(seed=1, now=NOW)
        server.__enter__()
        url = server.url
    try:
        run_child(url, args.size, args.dimension)  # warm the file cache and the server
        runs = [run_child(url, args.size, args.dimension, args.probe) for _ in range(args.runs)]
    finally:
        if server is not None:
            server.__exit__(None, None, None)
    width, height = args.size
    drawn = [r["drawn_s"] * 1000 for r in runs]
    stalls = [r["stall_s"] * 1000 for r in runs]
    print(f"helicone-tui Overview split by {args.dimension} at {width}x{height}, last 7d on the "
          f"demo data ({runs[0]['values']} values; {runs[0]['sent']} requests sent, "
          f"{runs[0]['bound']} expected; {args.runs} runs):")
    print(f"  breakdown set -> split Overview fully drawn: median "
          f"{statistics.median(drawn):.0f} ms (runs: {', '.join(f'{d:.0f}' for d in drawn)})"
          "  (target <= 1500 ms)")
    print(f"  longest UI-thread stall meanwhile: median {statistics.median(stalls):.1f} ms, "
          f"max {max(stalls):.1f} ms  (target <= 50 ms)")
    print(f"  most requests in flight at once: {max(r['most'] for r in runs)}  (target <= 6)")
    if args.probe:
        from overview import print_probe

        print_probe([r["probe"] for r in runs])


if __name__ == "__main__":
    main()
