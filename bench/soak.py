"""An on-call session left watching (printed, not asserted): memory growth and CPU over time.

    .venv/bin/python bench/soak.py [--minutes 20] [--watch 5] [--size 120x40] [--baseline 100]

Runs the real command line, `helicone-tui --demo --watch W --now … --tab scores`, in a
pseudo-terminal of the given size (bench/ptyrun.py) for the given minutes, on the Scores tab. A
hook counts the answers the watch brings in (refreshes) and records the app process's RSS after the
first `--baseline` refreshes (or at half time, if fewer come in) and at the end, and the CPU it
used from the first refresh to the end (the demo server is a child process of its own, not
counted).
Targets: RSS growth <= 5 MB after the first 100 refreshes; <= 1.5 % of a core on average.
"""

from __future__ import annotations

import argparse
import json

from ptyrun import run_in_pty

NOW = "2026-11-20T12:00:00Z"

CHILD = f"""
import asyncio, json, os, sys, time
out, minutes, baseline = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
from tui.screens.main import MainScreen

def rss_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0

def cpu_s():
    t = os.times()
    return t.user + t.system

state = {{"refreshes": 0}}
succeeded = MainScreen.on_fetch_succeeded
def on_fetch_succeeded(self, message):
    succeeded(self, message)
    state["refreshes"] += 1
MainScreen.on_fetch_succeeded = on_fetch_succeeded

async def drive(screen):
    result = {{}}
    try:
        started = time.monotonic()
        end = started + minutes * 60
        while state["refreshes"] < 1 and time.monotonic() < end:
            await asyncio.sleep(0.1)
        first_wall, first_cpu = time.monotonic(), cpu_s()
        result["rss_first_kb"] = rss_kb()
        half = first_wall + (end - first_wall) / 2
        while time.monotonic() < end:
            if "rss_base_kb" not in result and (
                state["refreshes"] >= baseline or time.monotonic() >= half
            ):
                result["rss_base_kb"] = rss_kb()
                result["base_refreshes"] = state["refreshes"]
            await asyncio.sleep(0.5)
        result["rss_end_kb"] = rss_kb()
        result["refreshes"] = state["refreshes"]
        result["cpu_s"] = cpu_s() - first_cpu
        result["wall_s"] = time.monotonic() - first_wall
    except Exception as exc:
        result["error"] = repr(exc)
    from child_hooks import finish
    finish(out, result, screen)

from child_hooks import start_drive
start_drive(MainScreen, drive)

from tui.cli import main
sys.exit(main(["--demo", "--now", "{NOW}", "--watch", sys.argv[4], "--tab", "scores"]))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--watch", type=float, default=5.0)
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--baseline", type=int, default=100,
                        help="refreshes before the baseline RSS (default 100)")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.lower().split("x"))
    text, _ = run_in_pty(
        CHILD, [str(args.minutes), str(args.baseline), f"{args.watch:g}"], (width, height),
        timeout=args.minutes * 60 + 120,
    )
    result = json.loads(text)
    if "error" in result:
        raise SystemExit(f"the driver failed: {result['error']}")
    mb = 1024
    growth = (result["rss_end_kb"] - result["rss_base_kb"]) / mb
    cpu = 100 * result["cpu_s"] / result["wall_s"]
    print(f"helicone-tui --demo --watch {args.watch:g} at {width}x{height} for "
          f"{args.minutes:g} min: {result['refreshes']} refreshes")
    print(f"  RSS at the first answer {result['rss_first_kb'] / mb:.1f} MB, after "
          f"{result['base_refreshes']} refreshes {result['rss_base_kb'] / mb:.1f} MB, at the end "
          f"{result['rss_end_kb'] / mb:.1f} MB: growth {growth:+.1f} MB  (target <= 5 MB)")
    print(f"  CPU from the first answer to the end: {cpu:.2f} % of a core  (target <= 1.5 %)")


if __name__ == "__main__":
    main()
