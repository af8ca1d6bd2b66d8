"""Overview figures (printed, not asserted).

    .venv/bin/python bench/overview.py [--runs 3] [--rounds 10] [--size 120x40] [--url URL]

Runs the real command line (`helicone-tui --base-url URL --now … --since 7d`, opened on the
Overview) in a pseudo-terminal of the given size, against a demo server already running (started
here first unless --url names one), and records:

1. process start -> the first frame handed to the terminal with the Overview fully drawn: the
   strip and every panel answered, every chart in view plotted (target <= 1.0 s);
2. the longest stall of the UI thread (event loop) from the tab's first request to that frame,
   while the ~20 answers arrive and the panels draw (target <= 50 ms); measured as in
   bench/chart.py, by a task that sleeps 1 ms in a loop and records how late it wakes;
3. tab switch Scores -> Overview with its answers cached: from the switch's action to the first
   frame with the Overview drawn, as bench/tab_switch.py measures (target <= 100 ms).

Each run is followed by the baseline: the same harness opened on Scores (one request), and the
ratio of the two is printed: a figure that holds when the machine's speed drifts.
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
# As the command line does before it imports the app (tui.cli.app_launch).
from tui import startup_gc
startup_gc.hold()
import asyncio, json, sys, time
sys.path.insert(0, {BENCH!r})
out, url, rounds, first_tab = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
from chart import StallMeter
import os
import layout_probe
PROBE = os.environ.get("BENCH_PROBE") == "1"
if PROBE:
    layout_probe.install()
from tui.screens.main import MainScreen

# Opened on the Overview (the command line's default tab is another branch's to change), or on
# Scores for the baseline.
_init = MainScreen.__init__
def __init__(self, **kwargs):
    kwargs["initial_tab"] = first_tab
    _init(self, **kwargs)
MainScreen.__init__ = __init__

def drawn(tab):
    if tab.status != "ready" or not tab.shown:
        return False
    if tab.ENDPOINT == "overview":
        return tab.drawn_in_view()
    charts = [c for c in tab.query("TimeChart") if c.display and c.parent.display]
    return all(c.drawn for c in charts)

from textual.app import App
from child_hooks import watch_frames
WATCHERS = watch_frames(App)

async def painted(tab):
    done = asyncio.get_running_loop().create_future()
    def watcher():
        if not done.done() and drawn(tab):
            done.set_result(time.perf_counter())
    WATCHERS.append(watcher)
    try:
        while True:
            try:
                return await asyncio.wait_for(asyncio.shield(done), 0.05)
            except asyncio.TimeoutError:
                if drawn(tab):
                    tab.screen.refresh()
    finally:
        WATCHERS.remove(watcher)

meter = StallMeter()
first_answer = StallMeter()  # armed when the first panel's answer reaches the tab

from tui.screens.overview import OverviewTab
_ready = OverviewTab.on_panel_ready
def on_panel_ready(self, message):
    if not first_answer.active and "stall_s" not in RESULT:
        first_answer.arm()
    _ready(self, message)
OverviewTab.on_panel_ready = on_panel_ready
RESULT = {{}}

async def drive(screen):
    result = RESULT
    try:
        # The tabs are mounted right after the first frame (the shell draws first).
        while not screen.query("#" + first_tab + "-tab"):
            await asyncio.sleep(0.002)
        if first_tab == "scores":  # the baseline: start -> the Scores tab drawn
            await asyncio.wait_for(painted(screen.query_one("#scores-tab")), 60)
            result["drawn_at"] = time.time()
            raise SystemExit
        tab = screen.query_one("#overview-tab")
        meter.start()
        first_answer.start()
        meter.arm()  # from the first frame's work on: the body mounts, the requests go out
        layout_probe.start()
        first = asyncio.ensure_future(painted(tab))
        await asyncio.wait_for(first, 60)
        result["drawn_at"] = time.time()
        layout_probe.stop()
        if PROBE:
            result["probe"] = layout_probe.report()
        result["stall_s"] = await first_answer.disarm()
        result["stall_all_s"] = await meter.disarm()
        result["requests"] = len(tab.answer.plan.parts)
        while not screen.ready:  # every tab mounted
            await asyncio.sleep(0.01)
        scores = screen.query_one("#scores-tab")
        times = []
        for _ in range(rounds):
            frame = asyncio.ensure_future(painted(scores))
            await screen.run_action("show_tab('scores')")
            await asyncio.wait_for(frame, 60)
            started = time.perf_counter()
            frame = asyncio.ensure_future(painted(tab))
            await screen.run_action("show_tab('overview')")
            times.append(await asyncio.wait_for(frame, 60) - started)
        result["switch_s"] = times
    except SystemExit:
        pass
    except Exception as exc:
        result["error"] = repr(exc)
    meter.stop()
    first_answer.stop()
    from child_hooks import finish
    finish(out, result, screen)

from child_hooks import start_drive
start_drive(MainScreen, drive)

from tui.cli import main
sys.exit(main(["--base-url", url, "--now", "{NOW}", "--since", "7d"]))
"""


def run_child(url: str, size: tuple[int, int], rounds: int, first: str = "overview",
              probe: bool = False) -> dict:
    text, started = run_in_pty(CHILD, [url, str(rounds), first], size,
                               env={"HELICONE_API_KEY": "sk-bench-0000000000000000",
                                    "BENCH_PROBE": "1" if probe else "0"},
                               timeout=120)
    result = json.loads(text)
    if "error" in result:
        raise RuntimeError(f"the driver failed: {result['error']}")
    result["start_to_drawn_s"] = result["drawn_at"] - started
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--size", default="120x40", type=parse_size)
    parser.add_argument("--url", help="a running demo server (default: start one)")
    parser.add_argument("--probe", action="store_true",
                        help="also count the screen's layouts while the panels arrive, and who "
                             "asked for them (bench/layout_probe.py; slows the stall figures)")
    args = parser.parse_args()

    server = None
    url = args.url
    if url is None:
        from tui.demo.process import start_demo_server

        server = start_demo_server(seed=1, now=NOW)
        server.__enter__()
        url = server.url
    try:
        run_child(url, args.size, 1)  # warm the file cache and the server
        # Each Overview run next to a run of the same harness opened on Scores (one request,
        # its charts): this machine's baseline, taken in the same minute. The speed of a shared
        # machine drifts by a third from one minute to the next; their ratio much less.
        runs, scores = [], []
        for _ in range(args.runs):
            runs.append(run_child(url, args.size, args.rounds, probe=args.probe))
            scores.append(run_child(url, args.size, 0, "scores")["start_to_drawn_s"] * 1000)
    finally:
        if server is not None:
            server.__exit__(None, None, None)
    width, height = args.size
    drawn = [r["start_to_drawn_s"] * 1000 for r in runs]
    stalls = [r["stall_s"] * 1000 for r in runs]
    stalls_all = [r["stall_all_s"] * 1000 for r in runs]
    switches = sorted(t * 1000 for r in runs for t in r["switch_s"])
    print(f"helicone-tui Overview at {width}x{height}, last 7d on the demo data "
          f"({runs[0]['requests']} requests per Overview, {args.runs} runs):")
    print(f"  start -> Overview fully drawn: median {statistics.median(drawn):.0f} ms "
          f"(runs: {', '.join(f'{d:.0f}' for d in drawn)})  (target <= 1000 ms)")
    print(f"  baseline, same run: start -> Scores drawn: median {statistics.median(scores):.0f} ms "
          f"(runs: {', '.join(f'{d:.0f}' for d in scores)})")
    ratios = [d / s for d, s in zip(drawn, scores, strict=True)]
    print(f"  Overview / Scores, each run with the baseline run after it: median "
          f"{statistics.median(ratios):.2f} (runs: {', '.join(f'{r:.2f}' for r in ratios)})")
    print(f"  longest UI-thread stall while the panels arrive: median "
          f"{statistics.median(stalls):.1f} ms, max {max(stalls):.1f} ms  (target <= 50 ms)")
    print(f"  (from the first frame on, the body's mount included: median "
          f"{statistics.median(stalls_all):.1f} ms, max {max(stalls_all):.1f} ms)")
    p95 = switches[max(0, round(0.95 * len(switches)) - 1)]
    print(f"  tab switch Scores -> drawn Overview, answers cached: median "
          f"{statistics.median(switches):.1f} ms, p95 {p95:.1f} ms, max {switches[-1]:.1f} ms "
          f"({len(switches)} switches)  (target <= 100 ms)")
    if args.probe:
        print_probe([r["probe"] for r in runs])


def print_probe(probes: list[dict]) -> None:
    if probes[0].get("samples"):
        print("  the UI thread's busy samples (~5 ms each, first run):")
        for where, count in probes[0]["samples"]:
            print(f"    {count:3d}  {where}")
        print("  the sampler woken > 20 ms late (the GIL held): the other threads then, ms:")
        for where, ms in probes[0]["late"]:
            print(f"    {ms:5d}  {where}")
    print("  layouts of the screen meanwhile (per run): "
          + ", ".join(f"{p['count']} ({p['total_ms']:.0f} ms, longest {p['longest_ms']:.0f})"
                      for p in probes))
    print("  asked for by (first run):")
    for asker, count in probes[0]["askers"]:
        print(f"    {count:3d}  {asker}")
    print("  each layout (first run): its ms, and what asked since the one before:")
    for ms, askers in probes[0]["each"]:
        print(f"    {ms:6.1f}  " + "; ".join(a.replace("textual reactive.py:_set < reactive.py:"
                                                     "__set__ < ", "") for a in askers))


if __name__ == "__main__":
    main()
