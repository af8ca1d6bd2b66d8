"""`helicone-tui triage --since 7d` against a demo server on 127.0.0.1: wall time and requests
sent, printed, not asserted (targets: <= 3 s, <= 60 requests).

    python bench/triage.py [--rounds 3] [--increment day|hour]

The demo server (seed 1, fixed now) is started once, outside the timing; each round is the real
command in its own process (`python -m tui triage --base-url ...`), Python's start-up included,
as a user runs it.
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
    args = parser.parse_args()

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


if __name__ == "__main__":
    main()
