"""Tab switch to drawn chart, when the tab already has its answer (printed, not asserted).

    .venv/bin/python bench/tab_switch.py [--size 120x40] [--rounds 20]

Runs the real `helicone-tui --demo --now …` in a pseudo-terminal of the given size (see
bench/memory.py, whose child driver this reuses): the driver first visits the four data tabs (3 4 5
6) so each has its answer, then switches 5 6 3 4 round after round, timing each from the key's
action to the first frame written to the terminal with that tab's charts drawn (Evals: its table).
These switches send no request (the answers are current), so this is the app's own cost. Target: <=
100 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from memory import parse_size, run_child


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="120x40", type=parse_size)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    result = run_child("switch", args.size, [str(args.rounds)])
    width, height = args.size
    print(f"helicone-tui --demo at {width}x{height}: tab switch -> frame with the tab drawn, "
          f"answer already there ({args.rounds} switches per tab)  (target <= 100 ms)")
    every = []
    for tab_id, times in result["switch_s"].items():
        ms = sorted(t * 1000 for t in times)
        every += ms
        p95 = ms[max(0, round(0.95 * len(ms)) - 1)]
        print(f"  {tab_id:<13} median {statistics.median(ms):5.1f} ms  p95 {p95:5.1f} ms  "
              f"max {ms[-1]:5.1f} ms")
    print(f"  all tabs      median {statistics.median(every):5.1f} ms  max {max(every):5.1f} ms")
    first = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in result["first_visit_s"].items())
    print(f"  (first visits, including the request to the demo server: {first})")


if __name__ == "__main__":
    main()
