"""`helicone-tui triage --since 7d` against a demo server on 127.0.0.1: wall time and requests
sent, printed, not asserted (targets: <= 3 s, <= 60 requests).

    python bench/triage.py [--rounds 3] [--increment day|hour] [--since 7d] [--app]

The demo server (seed 1, fixed now) is started once, outside the timing; each round is the real
command in its own process (`python -m tui triage --base-url ...`), Python's start-up included,
as a user runs it.

`--app`: the Overview's "what changed" list instead (target: <= 1.5 s after the panels). Each
round is a new app (headless, 120x40, opened on the Overview with `--since`): from the moment
every panel in view is drawn to the moment the list shows its findings (what changed and since
when; the culprits follow, timed too), polled every 10 ms.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOW = "2026-11-20T12:00:00Z"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--increment", choices=("day", "hour"), default=None)
    parser.add_argument("--since", default="7d")
    parser.add_argument("--app", action="store_true", help="time the Overview's list instead")
    args = parser.parse_args()
    if args.app:
        app_rounds(args.rounds, args.since)
        return

    from tui.clock import parse_instant
    from tui.demo.process import DemoServer

    env = {k: v for k, v in os.environ.items() if not k.startswith("HELICONE_")}
    env.update({"TZ": "UTC", "HELICONE_API_KEY": "bench-placeholder-key",
                "XDG_CONFIG_HOME": str(ROOT / "no-such-config"), "PYTHONPATH": str(ROOT)})
    with DemoServer(seed=1, now=parse_instant(NOW), timeout=120) as server:
        argv = [sys.executable, "-m", "tui", "triage", "--base-url", server.url.rstrip("/"),
                "--now", NOW, "--since", args.since, "--format", "json"]
        if args.increment:
            argv += ["--increment", args.increment]
        walls, sent, found = [], [], []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            done = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=ROOT)
            walls.append(time.perf_counter() - t0)
            if done.returncode != 0:
                sys.exit(f"triage failed ({done.returncode}): {done.stderr.strip()}")
            m = re.search(r"(\d+) findings?; (\d+) requests sent", done.stderr)
            assert m, done.stderr
            found.append(int(m.group(1)))
            sent.append(int(m.group(2)))
    what = f"triage --since {args.since}" + (f" --increment {args.increment}"
                                             if args.increment else "")
    print(f"{what}: wall median {statistics.median(walls):.2f} s "
          f"(min {min(walls):.2f}, max {max(walls):.2f}, {args.rounds} rounds; target <= 3 s)")
    print(f"  requests sent: {max(sent)} (target <= 60); findings: {found[-1]}")


def app_rounds(rounds: int, since: str) -> None:
    import asyncio

    os.environ.update({"TZ": "America/New_York", "XDG_CONFIG_HOME": str(ROOT / "no-such-config")})
    time.tzset()
    from tui import clock
    from tui.api.timerange import TimeRange
    from tui.app import HeliconeApp
    from tui.context import Investigation, Target
    from tui.demo.process import DemoServer
    from tui.filters.text import parse
    from tui.screens.main import MainScreen

    clock.fix(NOW)

    class OverviewFirst(HeliconeApp):
        def get_default_screen(self) -> MainScreen:
            return MainScreen(target=self.target, context=self.initial_context,
                              initial_tab="overview")

    async def one(url: str) -> tuple[float, float, int, float]:
        app = OverviewFirst(target=Target(url, "bench-placeholder-key", demo=True),
                            context=Investigation(parse("all"), TimeRange.since(since)))
        async with app.run_test(size=(120, 40)) as pilot:
            while not app.screen.query("#overview-tab"):
                await pilot.pause(0.01)
            tab = app.screen.query_one("#overview-tab")
            t0 = time.perf_counter()
            while not tab.drawn_in_view():
                await asyncio.sleep(0.01)
            panels = time.perf_counter()
            found = app.screen.query_one("#overview-findings")
            while found.state not in ("detected", "ready", "error"):
                await asyncio.sleep(0.01)
            listed = time.perf_counter()
            while found.state not in ("ready", "error"):
                await asyncio.sleep(0.01)
            blamed = time.perf_counter()
            assert found.state == "ready", found.get_option_at_index(0).prompt
            return panels - t0, listed - panels, len(found.result.findings), blamed - panels

    with DemoServer(seed=1, now=clock.parse_instant(NOW), timeout=120) as server:
        asyncio.run(one(server.url))  # warm the server's caches and this process's imports
        runs = [asyncio.run(one(server.url)) for _ in range(rounds)]
    after = [r[1] for r in runs]
    print(f"Overview --since {since}: the list {statistics.median(after):.2f} s after the panels "
          f"(median; min {min(after):.2f}, max {max(after):.2f}, {rounds} rounds; target <= 1.5 s)")
    blamed = [r[3] for r in runs]
    print(f"  with every culprit {statistics.median(blamed):.2f} s after the panels (min "
          f"{min(blamed):.2f}, max {max(blamed):.2f}); panels drawn "
          f"{statistics.median(r[0] for r in runs):.2f} s after the tab mounted; findings: "
          f"{runs[-1][2]}")


if __name__ == "__main__":
    main()
