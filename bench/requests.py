"""The Requests tab and the request detail: times printed, not asserted.

    python bench/requests.py [--rounds 5] [--body-mb 1] [--requests 50000] [--size 120x40]
                             [--only pty|headless] [--demo-url URL] [--default-gc]

In a terminal (what a user sees; the targets): the real program (`helicone-tui --base-url URL
--tab …`) in a pseudo-terminal (bench/requests_pty.py), keys typed into the terminal, each timed
from the key written to the first frame handed to the terminal with its answer drawn.

1. Against a demo server on 127.0.0.1 (seed 1, fixed now; `--requests` rows, 1M for issue 17's
   target): opened on Scores, `2` (Requests shown) to its first page drawn, then `o` (a new
   sort) and a new filter (a condition added, as `=` in the detail does) to the list drawn;
   and opened on the Overview, `m` (the cursor to the top chart's peak) then `enter` (the
   drill-down) to that bucket's first page drawn; target <= 300 ms, and the longest stall of
   the event loop over each. Also printed:
   query-clickhouse over HTTP alone (the server's share; the rest is the app's).
2. A request with a body of `--body-mb` MB (realistic chat JSON) from a small real server on
   127.0.0.1: `enter` on the list to the frame with the bodies drawn, and to the GET's answer
   drawn, target <= 300 ms; the longest stall of the UI meanwhile, target <= 50 ms.

Headless (Textual's test driver, the same steps): the UI thread's own CPU time over each span
(time.thread_time: what the app did, less the waits for a core on a loaded machine), a bare
DataTable given 50 rows and the Evals tab shown (baselines of that harness). Keys go to the app
as its driver hands them (Pilot.press waits for the process to go idle: timed across it, the
detail measured that wait, 1.0-1.4 s, where the terminal showed the bodies in 200 ms).

Before / after a change, in one run: start one demo server for both (`python -m tui.demo --port 0
--requests 1000000 --now 2026-11-20T12:00:00Z` prints its URL), put the old tree aside (`git
archive HEAD~1 | tar -x -C /tmp/before`), and run each tree's bench/requests.py with `--demo-url
URL --rounds 3`, PYTHONPATH set to that tree, in turns (before, after, before, after): on a shared
machine only figures taken side by side compare.

Each app runs with the garbage collector set as `helicone-tui` sets it (tui.app.tune_gc: the
objects of the start-up frozen, higher thresholds); `--default-gc` leaves Python's defaults (full
collections then land inside detail opens now and then: stalls of 100s of ms).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "app"))
sys.path.insert(0, str(ROOT / "tests" / "integration"))
sys.path.insert(0, str(ROOT / "bench"))

import requests_pty  # noqa: E402

NOW = "2026-11-20T12:00:00Z"
ID = "1f2b96a6-2a6e-4e13-999a-91bc0ec91c35"


def big_row(megabytes: float) -> dict:
    """A list row whose GET answer carries a chat of about `megabytes` MB."""
    turn = {"role": "user", "content": "Where is my order? " * 20}
    count = max(1, int(megabytes * (1 << 20) / len(json.dumps(turn))))
    messages = [dict(turn, role="user" if i % 2 else "assistant") for i in range(count)]
    return {
        "request_id": ID, "request_created_at": "2026-11-20T11:59:59.999Z",
        "request_body": {"model": "gpt-4o", "messages": messages},
        "response_body": {"choices": [{"message": {"role": "assistant", "content": "ok"}}]},
        "request_user_id": "user-1", "request_properties": {}, "request_model": "gpt-4o",
        "response_status": 200, "provider": "OPENAI", "model": "gpt-4o", "delay_ms": 900,
        "properties": {}, "scores": {}, "storage_location": "clickhouse",
    }


TUNE_GC = True


def app_gc() -> None:
    """The collector as the real app runs with it (run_app calls this before app.run())."""
    if TUNE_GC:
        from tui.app import tune_gc

        tune_gc()


async def until(condition, timeout: float = 60.0) -> None:
    """Poll `condition` every 5 ms (Pilot's pause waits for the app to go idle: too coarse)."""
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"timed out waiting for {condition}")
        await asyncio.sleep(0.005)


async def press(app, key: str) -> None:
    """The key handed to the app as its driver would, without waiting: Pilot.press waits for
    the process to go idle (up to a second, twice), and a figure timed across it measured that
    wait (the detail's 1.0-1.4 s: the real program drew it in 200 ms)."""
    from textual import events

    char = {"enter": "\r", "escape": "\x1b"}.get(key, key if len(key) == 1 else None)
    event = events.Key(key, char)
    event.set_sender(app)
    app._driver.send_message(event)


async def next_frame(app) -> float:
    """When the screen has been refreshed (the frame holding what was just set)."""
    frame: asyncio.Future[float] = asyncio.get_running_loop().create_future()
    app.screen.call_after_refresh(lambda: frame.done() or frame.set_result(time.perf_counter()))
    return await frame


class Stalls:
    """The largest gap between ticks of a fast timer on the app: the longest the UI was busy.
    Also the UI thread's own CPU time over that gap (time.thread_time: what the app did, less
    the waits for a core on a loaded machine, which stretch the wall-clock gap)."""

    def __init__(self, app, every: float = 0.005) -> None:
        self.every = every
        self.reset()
        app.set_interval(every, self.tick)

    def reset(self) -> None:
        self.last = time.perf_counter()
        self.last_cpu = time.thread_time()
        self.worst = 0.0
        self.worst_cpu = 0.0

    def tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self.worst = max(self.worst, now - self.last)
        self.worst_cpu = max(self.worst_cpu, cpu - self.last_cpu)
        self.last, self.last_cpu = now, cpu


async def first_page(url: str, size: tuple[int, int], rounds: int) -> dict[str, list]:
    times: dict[str, list] = {}
    for _ in range(rounds):
        for name, value in (await _first_page_once(url, size)).items():
            times.setdefault(name, []).append(value)
    return times


def _key(tab_id: str) -> str:
    from tui.screens import TABS

    return next(spec.key for spec in TABS if spec.id == tab_id)


async def _first_page_once(url: str, size: tuple[int, int]) -> dict[str, float]:
    """One app: Evals shown (the baseline: a tab of the same harness, same machine, same run),
    then Requests shown, a new sort, a new filter, each timed to the frame that draws it."""
    from apptools import make_app, wait_for

    out: dict[str, float] = {}
    app = make_app(url)
    app_gc()
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#scores-tab")))
        scores = app.screen.query_one("#scores-tab")
        await wait_for(pilot, lambda: scores.status in ("ready", "empty", "error"))
        await pilot.pause(0.2)
        evals = app.screen.query_one("#evals-tab")
        started, cpu = time.perf_counter(), time.thread_time()
        await press(app, _key("evals"))
        await until(lambda: evals.status in ("ready", "empty") and evals.body is not None)
        out["evals"] = await next_frame(app) - started
        out["evals cpu"] = time.thread_time() - cpu
        await pilot.pause(0.2)
        tab = app.screen.query_one("#requests-tab")
        started, cpu = time.perf_counter(), time.thread_time()
        await press(app, _key("requests"))
        await until(lambda: tab.status == "ready" and tab.body is not None
                    and tab.query_one("RequestsTable").row_count > 0)
        out["shown"] = await next_frame(app) - started
        out["shown cpu"] = time.thread_time() - cpu
        await pilot.pause(0.2)
        started, cpu = time.perf_counter(), time.thread_time()
        await press(app, "o")
        await until(lambda: tab.status == "ready" and tab.answer is not None
                    and tab.answer.sort == "latency:desc")
        out["sorted"] = await next_frame(app) - started
        out["sorted cpu"] = time.thread_time() - cpu
        await pilot.pause(0.2)
        before = tab.answer
        started, cpu = time.perf_counter(), time.thread_time()
        app.screen.add_condition(("=", "model", "gpt-4o-mini"))
        await until(lambda: tab.status == "ready" and tab.answer is not before
                    and tab.answer is not None)
        out["filtered"] = await next_frame(app) - started
        out["filtered cpu"] = time.thread_time() - cpu
    return out


async def bare_table(size: tuple[int, int], rounds: int) -> list[float]:
    """The floor: a bare DataTable given 50 rows of 10 short cells, to the frame drawn."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

    times = []
    app = Bare()
    async with app.run_test(size=size) as pilot:
        table = app.query_one(DataTable)
        table.add_columns(*(f"c{i}" for i in range(10)))
        for _ in range(rounds):
            await pilot.pause(0.1)
            started = time.perf_counter()
            table.clear()
            for r in range(50):
                table.add_row(*(f"{r}-{c} cell" for c in range(10)))
            times.append(await next_frame(app) - started)
    return times


async def server_share(url: str, rounds: int) -> tuple[list[float], list[float]]:
    """query-clickhouse for the first page over HTTP (what the tab asks, no UI): the server's
    share of the figures above; and the engine time it reports (Server-Timing)."""
    import httpx
    from apptools import KEY

    from tui import clock
    from tui.api.timerange import TimeRange
    from tui.context import Investigation
    from tui.filters.text import parse
    from tui.screens.requests import RequestsTab
    from tui.screens.requests_rows import TabOptions

    ctx = Investigation(parse("all"), TimeRange.since("24h"))
    request, _ = RequestsTab.prepare(ctx, TabOptions(), clock.now())
    body = request.to_wire()
    http, engine = [], []
    async with httpx.AsyncClient(base_url=url, headers={"authorization": f"Bearer {KEY}"}) as c:
        for _ in range(rounds):
            started = time.perf_counter()
            got = await c.post("/v1/request/query-clickhouse", json=body)
            http.append(time.perf_counter() - started)
            timing = got.headers.get("server-timing", "")
            if "dur=" in timing:
                engine.append(float(timing.split("dur=")[1].split(",")[0].split(";")[0]) / 1000)
    return http, engine


async def open_detail(url: str, size: tuple[int, int],
                      rounds: int) -> tuple[list, list, list, list, list]:
    from apptools import wait_for
    from requests_apptools import requests_app, requests_ready

    opened, settled, stalls, cpu, stalls_cpu = [], [], [], [], []
    app = requests_app(url)
    app_gc()
    async with app.run_test(size=size) as pilot:
        await requests_ready(pilot, app)
        meter = Stalls(app)
        for _ in range(rounds):
            await pilot.pause(0.1)
            meter.reset()
            started, started_cpu = time.perf_counter(), time.thread_time()
            await press(app, "enter")
            await until(lambda: type(app.screen).__name__ == "RequestDetail"
                        and app.screen.drawn)
            opened.append(await next_frame(app) - started)  # the frame with the bodies
            await until(lambda: app.screen.settled)
            settled.append(await next_frame(app) - started)
            cpu.append(time.thread_time() - started_cpu)
            stalls.append(meter.worst)
            stalls_cpu.append(meter.worst_cpu)
            await pilot.press("escape")
            await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
    return opened, settled, stalls, cpu, stalls_cpu


def serve(megabytes: float) -> None:
    """`--serve MB`: the test server, in a process of its own (so its work does not share the
    app's interpreter lock); prints its URL, serves until its standard input closes."""
    from faultserver import FaultServer, Reply

    row = big_row(megabytes)
    with FaultServer() as server:
        server.reply("/v1/request/query-clickhouse", Reply(200, {"data": [row], "error": None}))
        server.reply(f"/v1/request/{ID}", Reply(200, {"data": row, "error": None}))
        print(server.url, flush=True)
        sys.stdin.read()


def line(name: str, values: list, target: str) -> str:
    ms = sorted(v * 1000 for v in values)
    return (f"  {name:<34} median {statistics.median(ms):6.1f} ms  max {ms[-1]:6.1f} ms  "
            f"(target {target})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--body-mb", type=float, default=1.0)
    parser.add_argument("--requests", type=int, default=50_000)
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--demo-url", help="a demo server already running (seed 1, --now "
                        f"{NOW}) instead of starting one")
    parser.add_argument("--default-gc", action="store_true",
                        help="Python's collector settings, not the app's (tui.app.tune_gc)")
    parser.add_argument("--only", choices=("pty", "headless"),
                        help="only the real program in a terminal, or only the headless app")
    parser.add_argument("--serve", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    global TUNE_GC
    TUNE_GC = not args.default_gc
    if args.serve is not None:
        serve(args.serve)
        return
    width, height = (int(n) for n in args.size.split("x"))
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    import subprocess

    from tui import clock
    from tui.demo.process import start_demo_server

    clock.fix(NOW)
    size = (width, height)
    gc_name = "Python default" if args.default_gc else "the app"
    body = len(json.dumps(big_row(args.body_mb)["request_body"])) / (1 << 20)
    pty, headless = args.only in (None, "pty"), args.only in (None, "headless")

    def pages(url: str) -> None:
        if pty:
            print(f"In a terminal: the real program in a pty at {width}x{height}, "
                  f"{args.rounds} runs, {gc_name}'s garbage collector settings")
            got = requests_pty.pages(url, args.rounds, size, NOW, args.default_gc)
            print(line("Requests tab shown (2) -> page drawn", got["shown"], "<= 300 ms"))
            print(line("o -> next sort's page drawn", got["sorted"], "<= 300 ms"))
            print(line("a new filter -> page drawn", got["filtered"], "<= 300 ms"))
            for name, what in (("shown", "2"), ("sorted", "o"), ("filtered", "a new filter")):
                print(line(f"  longest UI stall, {what}", got[f"{name} stall"], "-"))
            drilled, stalls = requests_pty.drill(url, args.rounds, size, NOW, args.default_gc)
            print(line("Overview bucket: enter -> page drawn", drilled, "<= 300 ms"))
            print(line("  longest UI stall, enter", stalls, "-"))
        http, engine = asyncio.run(server_share(url, max(5, args.rounds)))
        print(line("query-clickhouse page over HTTP", http, "the server's share"))
        if engine:
            print(line("  of which the engine", engine, "-"))
        if headless:
            headless_pages(url, size, args.rounds, gc_name)

    if args.demo_url:
        pages(args.demo_url)
    else:
        with start_demo_server(seed=1, now=NOW, requests=args.requests, timeout=120) as demo:
            pages(demo.url)
    child = subprocess.Popen([sys.executable, __file__, "--serve", str(args.body_mb)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        url = child.stdout.readline().strip()  # type: ignore[union-attr]
        if pty:
            print(f"In a terminal, a {body:.2f} MB body ({args.rounds} opens):")
            drawn, settled, stalls = requests_pty.detail(url, args.rounds, size, NOW,
                                                         args.default_gc)
            print(line("enter -> bodies drawn", drawn, "<= 300 ms"))
            print(line("enter -> GET answered and drawn", settled, "<= 300 ms"))
            print(line("longest UI stall meanwhile", stalls, "<= 50 ms"))
        if headless:
            headless_detail(url, size, args.rounds, body)
    finally:
        child.stdin.close()  # type: ignore[union-attr]
        child.wait(timeout=10)


def headless_pages(url: str, size: tuple[int, int], rounds: int, gc_name: str) -> None:
    print(f"Headless (Textual's test driver) at {size[0]}x{size[1]}, {rounds} rounds, "
          f"{gc_name}'s garbage collector settings")
    times = asyncio.run(first_page(url, size, rounds))
    print(line("baseline: a bare DataTable, 50 rows", asyncio.run(bare_table(size, rounds)),
               "-"))
    print(line("baseline: Evals tab shown -> drawn", times["evals"], "-"))
    print(line("Requests tab shown -> page drawn", times["shown"], "<= 300 ms"))
    print(line("o -> next sort's page drawn", times["sorted"], "<= 300 ms"))
    print(line("a new filter -> page drawn", times["filtered"], "<= 300 ms"))
    # The UI thread's own CPU time over the same spans: the app's share, less the waits for a
    # core (on a loaded machine the wall-clock figures above are mostly those waits).
    for name, what in (("evals", "Evals shown"), ("shown", "Requests shown"),
                       ("sorted", "o"), ("filtered", "a new filter")):
        print(line(f"  UI-thread CPU, {what}", times[f"{name} cpu"], "-"))


def headless_detail(url: str, size: tuple[int, int], rounds: int, body: float) -> None:
    print(f"Headless, a {body:.2f} MB body:")
    opened, settled, stalls, cpu, stalls_cpu = asyncio.run(open_detail(url, size, rounds))
    print(line("enter -> bodies drawn", opened, "<= 300 ms"))
    print(line("enter -> GET answered and drawn", settled, "<= 300 ms"))
    print(line("longest UI stall meanwhile", stalls, "<= 50 ms"))
    print(line("  its UI-thread CPU time", stalls_cpu, "-"))
    print(line("UI-thread CPU, enter -> settled", cpu, "-"))

if __name__ == "__main__":
    main()
