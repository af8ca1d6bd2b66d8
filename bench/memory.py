"""Peak memory of the app (printed, not asserted): visit the four data tabs on the default demo
data (Scores, Evals, Distributions, Sessions; bench/overview.py covers the Overview).

    .venv/bin/python bench/memory.py [--size 120x40] [--runs 3]

Runs the real command line, `helicone-tui --demo --now …`, in a pseudo-terminal of the given size
(Textual draws to it, as in real use). Once the tab it opens on is shown, a hook on the main screen
runs the actions of 3 4 5 6 in turn and waits for the first frame written to the terminal with each
tab's answer drawn; then it records the app process's peak resident set size (VmHWM in
/proc/self/status; the demo server is a child process with its own memory, not counted) and quits.
Target: <= 120 MB.
"""

from __future__ import annotations

import argparse
import json
import statistics
from typing import Any

from ptyrun import run_in_pty

NOW = "2026-11-20T12:00:00Z"
TABS = (("3", "scores"), ("4", "evals"), ("5", "distributions"), ("6", "sessions"))

#: The child: the real command line, with a driver started from the main screen's on_mount; it
#: ends by writing its figures to argv[1] (JSON) and quitting.
CHILD = f"""
import asyncio, json, sys, time
out, mode = sys.argv[1], sys.argv[2]
from tui.screens.main import MainScreen

TABS = {TABS!r}

def drawn(tab):
    if tab.status != "ready" or not tab.shown:
        return False
    charts = [c for c in tab.query("TimeChart, BarChart") if c.display and c.parent.display]
    return all(c.drawn for c in charts)

async def until(condition, what, limit=60.0):
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError("timed out waiting for " + what)
        await asyncio.sleep(0.001)

# A frame handed to the terminal: when it shows the tab drawn, the switch is done.
from textual.app import App
from child_hooks import watch_frames
WATCHERS = watch_frames(App)

async def painted(tab):
    # the time the first frame showing `tab` drawn was handed to the terminal
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
                # Drawn after the last frame went out (nothing else to paint): ask for a frame,
                # so the time counts until the terminal has it.
                if drawn(tab):
                    tab.screen.refresh()
    finally:
        WATCHERS.remove(watcher)

def status_kb(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0

async def show(screen, key, tab_id):
    tab = screen.query_one("#" + tab_id + "-tab")
    started = time.perf_counter()
    frame = asyncio.ensure_future(painted(tab))
    await screen.run_action("show_tab('" + tab_id + "')")  # what the key's binding runs
    done = await asyncio.wait_for(frame, 60)
    return done - started

async def drive(screen):
    result = {{}}
    try:
        await until(lambda: screen.ready and screen.active_tab.shown, "the first tab")
        first = {{}}
        for key, tab_id in TABS:
            first[tab_id] = await show(screen, key, tab_id)
        result["first_visit_s"] = first
        result["vmhwm_kb"] = status_kb("VmHWM")
        result["vmrss_kb"] = status_kb("VmRSS")
        if mode == "switch":
            rounds = int(sys.argv[3])
            times = {{tab_id: [] for _, tab_id in TABS}}
            order = [TABS[i] for i in (2, 3, 0, 1)]  # from Sessions: 5 6 3 4, again and again
            for _ in range(rounds):
                for key, tab_id in order:
                    times[tab_id].append(await show(screen, key, tab_id))
            result["switch_s"] = times
    except Exception as exc:
        result["error"] = repr(exc)
    from child_hooks import finish
    finish(out, result, screen)

from child_hooks import start_drive
start_drive(MainScreen, drive)

from tui.cli import main
sys.exit(main(["--demo", "--now", "{NOW}"]))
"""


def run_child(mode: str, size: tuple[int, int], extra: list[str] | None = None,
              timeout: float = 180.0) -> dict[str, Any]:
    """Run CHILD in a `size` pseudo-terminal; the figures it recorded."""
    text, _ = run_in_pty(CHILD, [mode, *(extra or [])], size, timeout=timeout)
    result: dict[str, Any] = json.loads(text)
    if "error" in result:
        raise RuntimeError(f"the driver failed: {result['error']}")
    return result


def parse_size(text: str) -> tuple[int, int]:
    width, height = (int(n) for n in text.lower().split("x"))
    return width, height


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="120x40", type=parse_size)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    peaks, rss = [], []
    for _ in range(args.runs):
        result = run_child("memory", args.size)
        peaks.append(result["vmhwm_kb"] / 1024)
        rss.append(result["vmrss_kb"] / 1024)
    width, height = args.size
    print(f"helicone-tui --demo at {width}x{height}, after visiting the four data tabs "
          f"(app process only; the demo server is a separate process):")
    print(f"  peak RSS (VmHWM): median {statistics.median(peaks):.1f} MB, max {max(peaks):.1f} MB "
          f"(runs: {', '.join(f'{p:.1f}' for p in peaks)})  (target <= 120 MB)")
    print(f"  RSS at that moment: median {statistics.median(rss):.1f} MB")


if __name__ == "__main__":
    main()
