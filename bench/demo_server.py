"""Demo server figures: start-up time, and per-endpoint latency over HTTP against engine time.

    .venv/bin/python bench/demo_server.py [--requests 1000000] [--rounds 30] [--starts 3]

Prints, for the default data set (300,000 requests), the time from process start to the first
200 from /healthcheck; then, on a server with --requests requests, each endpoint's p50/p95 over
HTTP (client side) and the engine's p50/p95 from the `Server-Timing: engine;dur=` header of the
same answers, and the overhead ratio p95(HTTP) / p95(engine). Guides: ready <= 2.0 s;
scores, evals, distributions p95 <= 100 ms and sessions <= 300 ms on 1,000,000 requests;
overhead ratio <= 1.3. All traffic goes to 127.0.0.1; loops are bounded.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.demo.process import DemoServer

NOW = "2026-11-20T12:00:00Z"
MONTH = {"start": "2026-10-21T12:00:00.000Z", "end": "2026-11-20T12:00:00.000Z"}
MONTH_MS = {"startTimeUnixMs": 1792584000000, "endTimeUnixMs": 1795176000000}
RMT = "request_response_rmt"


def _and(*nodes: Any) -> Any:
    return nodes[0] if len(nodes) == 1 else {"left": nodes[0], "operator": "and",
                                             "right": _and(*nodes[1:])}


FOUR = _and({RMT: {"model": {"ilike": "%gpt%"}}}, {RMT: {"status": {"equals": 200}}},
            {RMT: {"properties": {"environment": {"equals": "production"}}}},
            {RMT: {"latency": {"lt": 10000}}})

CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("scores", "/v1/dashboard/scores/query",
     {"userFilter": FOUR, "timeFilter": MONTH, "dbIncrement": "hour", "timeZoneDifference": 0}),
    ("evals", "/v1/evals/query", {"filter": "all", "timeFilter": MONTH}),
    ("distributions", "/v1/evals/score-distributions/query",
     {"filter": "all", "timeFilter": MONTH}),
    ("sessions", "/v1/session/metrics/query",
     {"nameContains": "", "timezoneDifference": 0, "timeFilter": MONTH_MS}),
]
GUIDE_MS = {"scores": 100, "evals": 100, "distributions": 100, "sessions": 300}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p * (len(ordered) - 1))))
    return ordered[index]


def measure_ready(starts: int) -> list[float]:
    times = []
    for _ in range(starts):
        t0 = time.perf_counter()
        server = DemoServer(seed=1, now=NOW, timeout=120).start()
        times.append(time.perf_counter() - t0)
        server.stop()
    return times


def measure_endpoints(requests: int, rounds: int) -> None:
    import httpx

    t0 = time.perf_counter()
    with DemoServer(seed=1, now=NOW, requests=requests, timeout=300) as server:
        print(f"server with {requests:,} requests ready in {time.perf_counter() - t0:.2f} s")
        with httpx.Client(base_url=server.url, timeout=120,
                          headers={"Authorization": "Bearer bench"}) as client:
            print(f"{'endpoint':14} {'http p50':>9} {'http p95':>9} {'engine p50':>11} "
                  f"{'engine p95':>11} {'ratio':>6} {'guide':>6}")
            for name, path, body in CASES:
                for _ in range(3):  # warm up
                    client.post(path, json=body).raise_for_status()
                http_ms, engine_ms = [], []
                for _ in range(rounds):
                    t = time.perf_counter()
                    response = client.post(path, json=body)
                    http_ms.append((time.perf_counter() - t) * 1000)
                    response.raise_for_status()
                    engine_ms.append(float(response.headers["server-timing"].split("=")[1]))
                hp95, ep95 = percentile(http_ms, 0.95), percentile(engine_ms, 0.95)
                ratio = hp95 / ep95 if ep95 else float("inf")
                verdict = "ok" if hp95 <= GUIDE_MS[name] else "over"
                print(f"{name:14} {statistics.median(http_ms):8.1f}ms {hp95:8.1f}ms "
                      f"{statistics.median(engine_ms):10.1f}ms {ep95:10.1f}ms {ratio:6.2f} "
                      f"{verdict:>6}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--starts", type=int, default=3)
    args = parser.parse_args()
    ready = measure_ready(args.starts)
    print("ready (process start to first 200 from /healthcheck, 300,000 requests): "
          + ", ".join(f"{t:.2f} s" for t in ready)
          + f"; median {statistics.median(ready):.2f} s (guide <= 2.0 s)")
    measure_endpoints(args.requests, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
