"""bench/requests.py's figures from the real program in a pseudo-terminal (what a user sees).

The child is `helicone-tui --base-url URL --now … --tab TAB` (tui.cli.main, the app's own GC
settings) with a driver hooked in: it says when the screen is quiet (a file `OUT.ready.N`), this
process then types the key into the terminal and notes the time, and the child records when the
first frame with the answer drawn was handed to the terminal (App._display) and the longest
stall of its event loop meanwhile (a task sleeping 1 ms in a loop, as bench/chart.py's).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from ptyrun import run_in_pty

BENCH = str(Path(__file__).resolve().parent)

CHILD = """
import asyncio, json, sys, time
sys.path.insert(0, {bench!r})
out, url, mode, rounds, default_gc = (sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]),
                                      sys.argv[5] == "1")
from chart import StallMeter
from textual.app import App
from tui.screens.main import MainScreen
import tui.app
if default_gc:
    tui.app.tune_gc = lambda: None

from child_hooks import watch_frames
WATCHERS = watch_frames(App)

async def frame_when(condition, limit=60.0):
    # The time of the first frame handed to the terminal while condition() holds.
    done = asyncio.get_running_loop().create_future()
    def watcher():
        if not done.done() and condition():
            done.set_result(time.time())
    WATCHERS.append(watcher)
    try:
        return await asyncio.wait_for(done, limit)
    finally:
        WATCHERS.remove(watcher)

async def until(condition, limit=60.0):
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("timed out")
        await asyncio.sleep(0.005)

STEP = [0]
def ready():
    STEP[0] += 1
    open(out + ".ready." + str(STEP[0]), "w").write("1")

meter = StallMeter()

async def quiet():
    await asyncio.sleep(0.4)
    meter.arm()

def list_ready(tab, sort=None, answer=None):
    def check():
        table = tab.query("RequestsTable")
        return (tab.status == "ready" and tab.body is not None and tab.answer is not None
                and tab.answer is not answer and (sort is None or tab.answer.sort == sort)
                and bool(table) and table.first().row_count > 0)
    return check

async def pages(screen, result):
    scores = screen.query_one("#scores-tab")
    await until(lambda: scores.status in ("ready", "empty") and scores.shown)
    tab = screen.query_one("#requests-tab")
    for name, key_sort in (("shown", None), ("sorted", "latency:desc")):
        await quiet()
        frame = asyncio.ensure_future(frame_when(list_ready(tab, key_sort)))
        ready()
        result[name] = await frame
        result[name + " stall"] = await meter.disarm()
    await quiet()
    before = tab.answer
    frame = asyncio.ensure_future(frame_when(list_ready(tab, answer=before)))
    result["filtered sent"] = time.time()
    screen.add_condition(("=", "model", "gpt-4o-mini"))
    result["filtered"] = await frame
    result["filtered stall"] = await meter.disarm()

async def drill(screen, result):
    overview = screen.query_one("#overview-tab")
    await until(lambda: overview.status == "ready" and overview.drawn_in_view(), 120)
    await asyncio.sleep(1.0)  # the what-changed list's triage after the panels
    ready()  # m: the cursor to the peak
    await until(lambda: overview.cursor is not None)
    tab = screen.query_one("#requests-tab")
    await quiet()
    frame = asyncio.ensure_future(frame_when(
        lambda: tab.shown and list_ready(tab)()))
    ready()  # enter: that bucket's requests
    result["drilled"] = await frame
    result["drilled stall"] = await meter.disarm()

async def detail(screen, result):
    app = screen.app
    tab = screen.query_one("#requests-tab")
    await until(list_ready(tab))
    for i in range(rounds):
        await quiet()
        drawn = asyncio.ensure_future(frame_when(
            lambda: type(app.screen).__name__ == "RequestDetail" and app.screen.drawn))
        ready()
        result.setdefault("drawn", []).append(await drawn)
        settled = await frame_when(lambda: type(app.screen).__name__ == "RequestDetail"
                                   and app.screen.settled)
        result.setdefault("settled", []).append(settled)
        result.setdefault("stall", []).append(await meter.disarm())
        app.screen.dismiss(None)
        await until(lambda: type(app.screen).__name__ == "MainScreen")

async def drive(screen):
    result = {{}}
    meter.start()
    try:
        await until(lambda: screen.ready, 120)  # the tabs: mounted after the first frame
        await {{"pages": pages, "drill": drill, "detail": detail}}[mode](screen, result)
    except Exception as exc:
        result["error"] = repr(exc)
    meter.stop()
    from child_hooks import finish
    finish(out, result, screen)

from child_hooks import start_drive
start_drive(MainScreen, drive)

from tui.cli import main
tab = {{"pages": "scores", "drill": "overview", "detail": "requests"}}[mode]
sys.exit(main(["--base-url", url, "--now", {now!r}, "--since", "24h", "--tab", tab]))
"""


def run(url: str, mode: str, keys: list[str], rounds: int, size: tuple[int, int], now: str,
        default_gc: bool = False) -> tuple[dict, list[float]]:
    """The child's record, and the times the keys were typed (`keys[i]` at its ready.i+1)."""
    sent: list[float] = []

    def feed(master: int, out: Path) -> None:
        for step, key in enumerate(keys, 1):
            ready = Path(f"{out}.ready.{step}")
            deadline = time.monotonic() + 120
            while not ready.exists():
                if time.monotonic() > deadline:
                    return
                time.sleep(0.002)
            os.write(master, key.encode())
            sent.append(time.time())

    code = CHILD.format(bench=BENCH, now=now)
    text, _ = run_in_pty(code, [url, mode, str(rounds), "1" if default_gc else "0"], size,
                         env={"HELICONE_API_KEY": "sk-bench-0000000000000000"}, timeout=180,
                         feed=feed)
    result = json.loads(text)
    if "error" in result:
        raise RuntimeError(f"the driver failed: {result['error']}")
    return result, sent


def pages(url: str, rounds: int, size: tuple[int, int], now: str,
          default_gc: bool = False) -> dict[str, list[float]]:
    """Requests shown (key 2), `o`, a new filter: seconds to the frame drawn, and the stalls."""
    times: dict[str, list[float]] = {}
    for _ in range(rounds):
        result, sent = run(url, "pages", ["2", "o"], 1, size, now, default_gc)
        got = {"shown": result["shown"] - sent[0], "sorted": result["sorted"] - sent[1],
               "filtered": result["filtered"] - result["filtered sent"]}
        for name in ("shown", "sorted", "filtered"):
            got[name + " stall"] = result[name + " stall"]
        for name, value in got.items():
            times.setdefault(name, []).append(value)
    return times


def drill(url: str, rounds: int, size: tuple[int, int], now: str,
          default_gc: bool = False) -> tuple[list[float], list[float]]:
    """From the Overview, `m` (the cursor to the peak) then `enter`: seconds from enter to the
    bucket's first page drawn, and the stalls."""
    times, stalls = [], []
    for _ in range(rounds):
        result, sent = run(url, "drill", ["m", "\r"], 1, size, now, default_gc)
        times.append(result["drilled"] - sent[1])
        stalls.append(result["drilled stall"])
    return times, stalls


def detail(url: str, rounds: int, size: tuple[int, int], now: str,
           default_gc: bool = False) -> tuple[list[float], list[float], list[float]]:
    """`enter` on the list -> the bodies drawn, -> the GET's answer drawn; the stalls."""
    result, sent = run(url, "detail", ["\r"] * rounds, rounds, size, now, default_gc)
    drawn = [d - s for d, s in zip(result["drawn"], sent, strict=True)]
    settled = [d - s for d, s in zip(result["settled"], sent, strict=True)]
    return drawn, settled, result["stall"]
