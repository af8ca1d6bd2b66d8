"""Demo server figures for the SEMANTICS-MORE endpoints: latency over HTTP against engine time.

    .venv/bin/python bench/demo_metrics.py [--sizes 300000,1000000] [--rounds 20]

For each data size, starts a demo server and prints, per endpoint, p50/p95 over HTTP (client
side), p50/p95 of the engine time from `Server-Timing: engine;dur=` of the same answers, and the
overhead ratio p95(HTTP) / p95(engine). The metrics endpoints run over 30 days, hourly where
they have buckets; query-clickhouse with a 4-condition filter and 50 rows. Guides: metrics
p95 <= 150 ms, query-clickhouse p95 <= 100 ms, ratio <= 1.3 (printed, not asserted). The other
endpoints are printed for information. All traffic goes to 127.0.0.1; loops are bounded.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from demo_server import FOUR, MONTH, MONTH_MS, NOW, percentile

from tui.api.wire_endpoints import MORE_ENDPOINTS, More
from tui.demo.process import DemoServer

RMT = "request_response_rmt"
TOTALS = (More.TOTAL_REQUESTS, More.TOTAL_COST, More.AVERAGE_LATENCY, More.AVERAGE_TTFT,
          More.ACTIVE_USERS)
SERIES = (More.REQUEST_OVER_TIME, More.REQUEST_STATUS_OVER_TIME, More.ERROR_OVER_TIME,
          More.LATENCY_OVER_TIME, More.TTFT_OVER_TIME, More.COST_OVER_TIME,
          More.TOKENS_OVER_TIME, More.USERS_OVER_TIME)
REQUESTS_FOUR = {"left": {RMT: {"model": {"equals": "gpt-4o-mini"}}}, "operator": "and",
                 "right": FOUR["right"]}


def cases() -> list[tuple[More, str, str, dict[str, Any] | None, int]]:
    """(name, method, path, body, guide ms; 0 = no guide)."""
    out: list[tuple[More, str, str, dict[str, Any] | None, int]] = []

    def add(name: More, body: dict[str, Any] | None, guide: int, **params: str) -> None:
        endpoint = MORE_ENDPOINTS[name]
        out.append((name, endpoint.method, endpoint.path.format(**params), body, guide))

    for name in TOTALS:
        add(name, {"filter": "all", "timeFilter": MONTH}, 150)
    hourly = {"filter": "all", "timeFilter": MONTH, "timeZoneDifference": 0,
              "dbIncrement": "hour"}
    for name in SERIES:
        add(name, hourly, 150)
    add(More.QUANTILES, {**hourly, "metric": "latency"}, 150)
    add(More.MODELS, {"filter": "all", "timeFilter": MONTH, "offset": 0, "limit": 100}, 150)
    add(More.COUNTRY, {"filter": "all", "timeFilter": MONTH, "offset": 0, "limit": 100}, 150)
    add(More.REQUEST_COUNT, {"filter": "all"}, 150)
    add(More.REQUESTS, {"filter": REQUESTS_FOUR, "limit": 50}, 100)
    add(More.PROPERTIES, {}, 0)
    add(More.PROPERTY_SEARCH, {"searchTerm": "a"}, 0, propertyKey="customer")
    add(More.TOP_REQUESTS, {"timeFilter": MONTH}, 0, propertyKey="customer")
    add(More.TOP_COSTS, {"timeFilter": MONTH}, 0, propertyKey="customer")
    add(More.USERS, {"filter": "all", "offset": 0, "limit": 50,
                     "timeFilter": {"startTimeUnixSeconds": MONTH_MS["startTimeUnixMs"] // 1000,
                                    "endTimeUnixSeconds": MONTH_MS["endTimeUnixMs"] // 1000}}, 0)
    add(More.SESSION_NAMES, {"nameContains": "", "timezoneDifference": 0,
                             "timeFilter": MONTH_MS}, 0)
    return out


def measure(requests: int, rounds: int) -> None:
    import httpx

    t0 = time.perf_counter()
    with DemoServer(seed=1, now=NOW, requests=requests, timeout=300) as server:
        print(f"\nserver with {requests:,} requests ready in {time.perf_counter() - t0:.2f} s")
        with httpx.Client(base_url=server.url, timeout=120,
                          headers={"Authorization": "Bearer bench"}) as client:
            one = client.post("/v1/request/query-clickhouse",
                              json={"filter": "all", "limit": 1}).json()["data"][0]
            todo = cases()
            todo.append((More.REQUEST, "GET", f"/v1/request/{one['request_id']}", None, 0))
            print(f"{'endpoint':24} {'http p50':>9} {'http p95':>9} {'engine p50':>11} "
                  f"{'engine p95':>11} {'ratio':>6} {'guide':>6}")
            for name, method, path, body, guide in todo:
                def call(method: str = method, path: str = path, body: Any = body) -> Any:
                    if method == "GET":
                        return client.get(path)
                    return client.post(path, json=body)

                for _ in range(3):  # warm up
                    call().raise_for_status()
                http_ms, engine_ms = [], []
                for _ in range(rounds):
                    t = time.perf_counter()
                    response = call()
                    http_ms.append((time.perf_counter() - t) * 1000)
                    response.raise_for_status()
                    engine_ms.append(float(response.headers["server-timing"].split("=")[1]))
                hp95, ep95 = percentile(http_ms, 0.95), percentile(engine_ms, 0.95)
                ratio = hp95 / ep95 if ep95 else float("inf")
                verdict = "-" if not guide else ("ok" if hp95 <= guide and ratio <= 1.3
                                                 else "over")
                print(f"{name.value:24} {statistics.median(http_ms):8.1f}ms {hp95:8.1f}ms "
                      f"{statistics.median(engine_ms):10.1f}ms {ep95:10.1f}ms {ratio:6.2f} "
                      f"{verdict:>6}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300000,1000000")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    for size in args.sizes.split(","):
        measure(int(size), args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
