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
   bench/chart.py by a task that sleeps 1 ms in a loop and records how late it wakes; and the
   UI thread's own CPU time in its longest turn (a stall's part that a busy machine does not
   inflate);
3. the most requests in flight to the server at once (the client's sends counted where they
   hold its connection slot) (target <= 6), and how many the split Overview sent.

`--settle` presses b only once the unsplit Overview's what-changed list is done (its triage's
requests and shaping otherwise run beside the breakdown). `--probe` (bench/layout_probe.py)
adds the layouts and their askers and, with BENCH_TIMELINE=1, a timeline of the layouts,
answers, plot builds and stalls, and the loop's turns over BENCH_SLOW ms (default 25) with their
UI-thread CPU; BENCH_ASKERS=0 leaves out the askers' stack reads (they cost the layouts).
BENCH_NOSNIFF=1 is an experiment: httpcore's `import sniffio` (not installed: it searches
sys.path again for every request, a stat per entry, each a GIL release) fails at once.
"""

from __future__ import annotations

import argparse
import json
import os
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
SETTLE = os.environ.get("BENCH_SETTLE") == "1"
if os.environ.get("BENCH_NOSNIFF") == "1":
    sys.modules["sniffio"] = None
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

# The UI thread's own CPU time in each turn of the event loop (a stall less what it waited for:
# the GIL, or a core on a busy machine): no stall is shorter than its turn's CPU time.
import asyncio.base_events
TURNS = {{"on": False, "most": 0.0}}
_run_once = asyncio.base_events.BaseEventLoop._run_once
def run_once(self):
    if not TURNS["on"]:
        return _run_once(self)
    cpu = time.thread_time()
    try:
        return _run_once(self)
    finally:
        TURNS["most"] = max(TURNS["most"], time.thread_time() - cpu)
asyncio.base_events.BaseEventLoop._run_once = run_once

from textual.app import App
from child_hooks import watch_frames
WATCHERS = watch_frames(App)

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

async def late_marks():
    # The timeline's stalls (BENCH_TIMELINE=1): when the event loop woke a 1 ms sleep late.
    while True:
        before = time.perf_counter()
        await asyncio.sleep(0.001)
        late = time.perf_counter() - before - 0.001
        if late > 0.03:
            layout_probe.mark(f"STALL of {{late * 1000:.0f}} ms starts", before)

async def drive(screen):
    result = {{}}
    meter = StallMeter()
    if PROBE and layout_probe.TIMELINE:
        marks = asyncio.get_running_loop().create_task(late_marks())
    try:
        while not screen.query("#overview-tab"):  # mounted right after the first frame
            await asyncio.sleep(0.002)
        tab = screen.query_one("#overview-tab")
        await asyncio.wait_for(painted(tab, False), 60)
        while not screen.ready:  # the other tabs (a key waits for them too)
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.3)  # the unsplit Overview settled
        if SETTLE:  # and its what-changed list's triage done (its requests and shaping)
            findings = screen.query_one("#overview-findings")
            while findings.state not in ("ready", "error"):
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.3)
        meter.start()
        FLIGHT["most"] = FLIGHT["sent"] = 0
        meter.arm()
        TURNS["on"] = True
        layout_probe.start()
        started = time.perf_counter()
        before = {{part.asks for part in tab.answer.plan.parts}}
        frame = asyncio.ensure_future(painted(tab, True))
        screen.context = screen.context.with_breakdown(dimension)
        result["drawn_s"] = await asyncio.wait_for(frame, 60) - started
        layout_probe.stop()
        if PROBE:
            result["probe"] = layout_probe.report()
        result["stall_s"] = await meter.disarm()
        TURNS["on"] = False
        result["turn_cpu_s"] = TURNS["most"]
        result["most"] = FLIGHT["most"]
        result["sent"] = FLIGHT["sent"]
        result["values"] = len(tab.answer.split.top.values)
        result["bound"] = len(tab.answer.plan.parts) + tab.answer.split.requests_sent
        # Of them, what the unsplit Overview on screen had answered already (not sent again).
        result["reused"] = sum(1 for part in tab.answer.plan.parts if part.asks in before)
    except Exception as exc:
        result["error"] = repr(exc)
    meter.stop()
    if PROBE and layout_probe.TIMELINE:
        marks.cancel()
    from child_hooks import finish
    finish(out, result, screen)

from child_hooks import start_drive
start_drive(MainScreen, drive)

from tui.cli import main
sys.exit(main(["--base-url", url, "--now", "{NOW}", "--since", "7d"]))
"""


def run_child(url: str, size: tuple[int, int], dimension: str, probe: bool = False,
              settle: bool = False) -> dict:
    text, _ = run_in_pty(CHILD, [url, dimension], size,
                         env={"HELICONE_API_KEY": "sk-bench-0000000000000000",
                              "BENCH_PROBE": "1" if probe else "0",
                              "BENCH_SETTLE": "1" if settle else "0",
                              "BENCH_NOSNIFF": os.environ.get("BENCH_NOSNIFF", "0")},
                         timeout=120)
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
    parser.add_argument("--settle", action="store_true",
                        help="press b only once the unsplit Overview's what-changed list has "
                             "its findings (its triage's requests and shaping not meanwhile)")
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
        runs = [run_child(url, args.size, args.dimension, args.probe, args.settle)
                for _ in range(args.runs)]
    finally:
        if server is not None:
            server.__exit__(None, None, None)
    width, height = args.size
    drawn = [r["drawn_s"] * 1000 for r in runs]
    stalls = [r["stall_s"] * 1000 for r in runs]
    print(f"helicone-tui Overview split by {args.dimension} at {width}x{height}, last 7d on the "
          f"demo data ({runs[0]['values']} values; {runs[0]['sent']} requests sent, "
          f"{runs[0]['bound'] - runs[0]['reused']} expected, {runs[0]['reused']} more answered "
          f"on screen already; {args.runs} runs):")
    print(f"  breakdown set -> split Overview fully drawn: median "
          f"{statistics.median(drawn):.0f} ms (runs: {', '.join(f'{d:.0f}' for d in drawn)})"
          "  (target <= 1500 ms)")
    print(f"  longest UI-thread stall meanwhile: median {statistics.median(stalls):.1f} ms, "
          f"max {max(stalls):.1f} ms  (target <= 50 ms)")
    cpu = [r["turn_cpu_s"] * 1000 for r in runs]
    print(f"  (of it the UI thread's own work: the longest loop turn's CPU time, median "
          f"{statistics.median(cpu):.1f} ms, max {max(cpu):.1f} ms; the rest of a stall is "
          "waiting for the GIL or, on a busy machine, for a core)")
    print(f"  most requests in flight at once: {max(r['most'] for r in runs)}  (target <= 6)")
    if args.probe:
        from overview import print_probe

        print_probe([r["probe"] for r in runs])
        print_slow([r["probe"] for r in runs])


def print_slow(probes: list[dict]) -> None:
    """The event loop's turns and callbacks over BENCH_SLOW ms (bench/layout_probe.py)."""
    for k, probe in enumerate(probes):
        print(f"  run {k + 1}: the loop's slow turns and callbacks "
              "(ms, of it the UI thread's CPU):")
        events = sorted(probe.get("events", []))
        if events:
            print("  timeline (ms after the breakdown was set):")
            for at, what in events:
                print(f"    {at:7.1f}  {what}")
        for kind, took, cpu, name, inside in probe.get("slow", []):
            print(f"    {kind:8s} {took:6.1f} {cpu:6.1f}  {name}")
            for where in inside:
                print(f"                     {where}")


if __name__ == "__main__":
    main()
