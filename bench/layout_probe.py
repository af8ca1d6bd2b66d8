"""A bench-only probe of the screen's layouts: how many, how long, and who asked for them.

Installed in a bench's child (`install()`), it wraps Textual's `Screen._refresh_layout` (the
layout of the whole screen, the UI thread's longest single piece of work on the Overview) and
`Widget.refresh` (where a layout is asked for: `refresh(layout=True)`, a style such as
`display` or `height` set, a mount). `start()` / `stop()` bound what is counted; `report()`
is a JSON-able summary: the layouts' count and durations, and the app's code lines that asked
(the deepest frame under tui/), most frequent first; the event loop's slow turns and callbacks
with the UI thread's own CPU time in them (the rest of a stall: waiting for the GIL or a core);
with BENCH_TIMELINE=1, when each layout, frame, plot build, panel and answer came.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import sys
import traceback
from collections import Counter
from time import perf_counter, sleep, thread_time
from typing import Any

#: BENCH_PROFILE=path: the longest layout's profile is written there.
PROFILE = os.environ.get("BENCH_PROFILE")
#: BENCH_SAMPLE=1: sample the UI thread's stack every ~5 ms (what its busy time is made of).
SAMPLE = os.environ.get("BENCH_SAMPLE") == "1"
#: BENCH_SLOW=ms (default 25): the event loop's turns and callbacks longer than this are listed,
#: with the UI thread's own CPU time in them (the rest: waiting for the GIL) and, sampling, where
#: the UI thread was meanwhile.
SLOW = float(os.environ.get("BENCH_SLOW", "25")) / 1000
#: BENCH_ASKERS=0: who asks for each layout is not recorded (the stack reads cost the layouts).
ASKERS = os.environ.get("BENCH_ASKERS") != "0"
#: BENCH_PROFILE_ALL=path: the UI thread's profile from start() to stop() is written there.
PROFILE_ALL = os.environ.get("BENCH_PROFILE_ALL")
#: BENCH_TIMELINE=1: what happened when (layouts, frames, plot builds, answers handled).
TIMELINE = os.environ.get("BENCH_TIMELINE") == "1"
STATE: dict[str, Any] = {"on": False, "layouts": [], "askers": Counter(), "since": Counter(),
                         "each": [], "slow": [], "stamped": [], "events": [], "t0": 0.0}


def mark(what: str, at: float | None = None) -> None:
    """A moment of the timeline (BENCH_TIMELINE=1)."""
    if STATE["on"] and TIMELINE:
        STATE["events"].append((round(((at or perf_counter()) - STATE["t0"]) * 1000, 1), what))


def _asker() -> str:
    """The innermost frame of the app's own code (tui/) that led to this call."""
    frames = traceback.extract_stack(sys._getframe(2), limit=40)
    # (Not the app's start, tui/app.py and tui/cli/, under every frame of the event loop.)
    ours = [f for f in frames if "/tui/" in f.filename and "/textual/" not in f.filename
            and not f.filename.endswith("/tui/app.py") and "/tui/cli/" not in f.filename]
    if ours:
        f = ours[-1]
        return f"{f.filename.rsplit('/tui/', 1)[1]}:{f.lineno} {f.name}"
    # Textual's own (a style set by CSS, a mount, a resize): its last three frames.
    inner = [f for f in frames if "/textual/" in f.filename][-3:]
    return "textual " + " < ".join(f"{f.filename.rsplit('/', 1)[1]}:{f.name}"
                                   for f in reversed(inner))


def install() -> None:
    from textual.screen import Screen
    from textual.widget import Widget

    refresh_layout = Screen._refresh_layout

    def timed(self: Any, size: Any = None, scroll: bool = False) -> None:
        if not STATE["on"]:
            return refresh_layout(self, size, scroll)
        started, cpu = perf_counter(), thread_time()
        mark("layout starts", started)
        profile = cProfile.Profile() if PROFILE else None
        try:
            if profile is not None:
                profile.enable()
            return refresh_layout(self, size, scroll)
        finally:
            ms = (perf_counter() - started) * 1000
            if profile is not None:
                profile.disable()
                if ms > STATE.get("profiled_ms", 0.0):  # keep the longest layout's profile
                    STATE["profiled_ms"] = ms
                    out = io.StringIO()
                    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(90)
                    with open(PROFILE, "w") as handle:
                        handle.write(f"{ms:.1f} ms\n{out.getvalue()}")
            STATE["layouts"].append(ms)
            mark(f"layout ends ({ms:.0f} ms, {(thread_time() - cpu) * 1000:.0f} ms CPU)")
            STATE["each"].append((round(ms, 1), sorted(STATE["since"])))
            STATE["since"] = Counter()

    Screen._refresh_layout = timed  # type: ignore[method-assign]

    refresh = Widget.refresh

    def asked(self: Any, *regions: Any, layout: bool = False, **kwargs: Any) -> Any:
        if STATE["on"] and layout and not self._layout_required:
            asker = f"{type(self).__name__} <- {_asker()}"
            STATE["askers"][asker] += 1
            STATE["since"][asker] += 1
        return refresh(self, *regions, layout=layout, **kwargs)

    if ASKERS:  # (each ask's stack read: about 2 ms, inside the layouts it counts)
        Widget.refresh = asked  # type: ignore[method-assign]
    _install_slow()
    if TIMELINE:
        _install_timeline()


def _install_timeline() -> None:
    from textual.app import App

    from tui.screens.overview import OverviewTab
    from tui.widgets import chart

    display = App._display

    def shown(self: Any, screen: Any, renderable: Any) -> None:
        display(self, screen, renderable)
        mark("frame out")

    App._display = shown  # type: ignore[method-assign]
    ready = OverviewTab.on_panel_ready

    def on_panel_ready(self: Any, message: Any) -> None:
        started = perf_counter()
        ready(self, message)
        mark(f"{message.panel} handled ({(perf_counter() - started) * 1000:.0f} ms)", started)

    OverviewTab.on_panel_ready = on_panel_ready  # type: ignore[method-assign]
    build = chart._build_text

    def built(key: Any, *args: Any) -> Any:
        asked = perf_counter()
        out = build(key, *args)
        mark(f"plot {key[2]}x{key[3]} built in {out[2] * 1000:.0f} ms "
             f"(asked {(asked - STATE['t0']) * 1000:.0f})")
        return out

    chart._build_text = built
    from tui.api.client import HeliconeClient

    interpret = HeliconeClient._interpret

    async def timed_interpret(self: Any, spec: Any, response: Any, *args: Any,
                              **kwargs: Any) -> Any:
        started = perf_counter()
        try:
            return await interpret(self, spec, response, *args, **kwargs)
        finally:
            mark(f"answer {spec.name} {len(response.content) >> 10} kB read in "
                 f"{(perf_counter() - started) * 1000:.0f} ms", started)

    HeliconeClient._interpret = timed_interpret  # type: ignore[method-assign]


def _name(handle: Any) -> str:
    callback = getattr(handle, "_callback", None)
    owner = getattr(callback, "__self__", None)
    coro = getattr(owner, "get_coro", None)
    if coro is not None:  # a task's step: its coroutine's name and where it waits
        c = coro()
        frame = getattr(c, "cr_frame", None)
        where = "" if frame is None else f" @{frame.f_code.co_filename.rsplit('/', 1)[-1]}"
        return f"task {getattr(c, '__qualname__', c)}{where}"
    return getattr(callback, "__qualname__", repr(callback))


def _install_slow() -> None:
    """Time each turn of the event loop and each callback in it (the stalls the bench meters)."""
    import asyncio.base_events
    import asyncio.events

    run = asyncio.events.Handle._run

    def timed_run(self: Any) -> None:
        if not STATE["on"]:
            return run(self)
        name = _name(self)  # before: a finished task's coroutine says less
        wall, cpu = perf_counter(), thread_time()
        try:
            return run(self)
        finally:
            took = perf_counter() - wall
            STATE["turn"].append((took, name))
            if took > SLOW:
                STATE["slow"].append(("callback", wall, took, thread_time() - cpu, name))
                mark(f"slow callback {took * 1000:.0f} ms ({name})", wall)

    asyncio.events.Handle._run = timed_run  # type: ignore[method-assign]
    run_once = asyncio.base_events.BaseEventLoop._run_once

    def timed_once(self: Any) -> None:
        if not STATE["on"]:
            return run_once(self)
        selector = type(self._selector)
        if not getattr(selector, "_probed", False):  # a turn counts from select's return
            select = selector.select

            def timed_select(sel: Any, timeout: Any = None) -> Any:
                try:
                    return select(sel, timeout)
                finally:
                    STATE["selected"] = (perf_counter(), thread_time())

            selector.select = timed_select
            selector._probed = True
        STATE["turn"] = []
        STATE["selected"] = (perf_counter(), thread_time())
        try:
            return run_once(self)
        finally:
            wall, cpu = STATE["selected"]
            took = perf_counter() - wall
            if took > SLOW:
                # (A slow turn with little CPU and no slow callback waited for the GIL.)
                parts = sorted(STATE["turn"], reverse=True)[:4]
                STATE["slow"].append(("turn", wall, took, thread_time() - cpu,
                                      f"{len(STATE['turn'])} callbacks, longest: "
                                      + "; ".join(f"{t * 1000:.0f} {n}" for t, n in parts)))

    asyncio.base_events.BaseEventLoop._run_once = timed_once  # type: ignore[method-assign]


def _sampler(main_id: int) -> None:
    """Every ~5 ms, where the UI thread is when it is not waiting for events: what a stall is
    made of (the app's frames, and Textual's innermost)."""
    import threading

    me = threading.get_ident()
    while STATE["on"]:
        try:
            _sample(me, main_id)
        except Exception as exc:  # a frame gone while read: the next sample
            STATE["samples"][f"(sampler: {type(exc).__name__})"] += 1


def _sample(me: int, main_id: int) -> None:
    asleep = perf_counter()
    sleep(0.005)
    late = perf_counter() - asleep - 0.005
    frames = sys._current_frames()
    if late > 0.02:  # the GIL was held that long: by whom (the other threads, where they are)
        for ident, other in frames.items():
            if ident in (me, main_id):
                continue
            stack = traceback.extract_stack(other, limit=60)
            ours = [f"{f.filename.rsplit('/', 1)[1]}:{f.name}" for f in stack][-4:]
            STATE["late"][" > ".join(ours)] += round(late * 1000)
    frame = frames.get(main_id)
    if frame is not None and frame.f_code.co_name not in ("select", "poll", "_run_once"):
        stack = traceback.extract_stack(frame, limit=60)
        ours = [f"{f.filename.rsplit('/tui/', 1)[1]}:{f.name}" for f in stack
                if "/tui/" in f.filename and not f.filename.endswith("/tui/app.py")
                and "/tui/cli/" not in f.filename]
        inner = stack[-1]
        where = "/".join(inner.filename.rsplit("/", 2)[-2:])  # (<frozen ...>: no folder)
        at = " > ".join(ours[-3:]) + f" | {where}:{inner.name}"
        STATE["samples"][at] += 1
        STATE["stamped"].append((perf_counter(), at))


def start() -> None:
    STATE["layouts"] = []
    STATE["askers"] = Counter()
    STATE["since"] = Counter()
    STATE["each"] = []
    STATE["samples"] = Counter()
    STATE["late"] = Counter()
    STATE["slow"] = []
    STATE["stamped"] = []
    STATE["turn"] = []
    STATE["events"] = []
    STATE["t0"] = perf_counter()
    STATE["on"] = True
    if PROFILE_ALL:
        STATE["profile"] = cProfile.Profile()
        STATE["profile"].enable()
    if SAMPLE:
        import threading

        threading.Thread(target=_sampler, args=(threading.get_ident(),), daemon=True).start()


def stop() -> None:
    STATE["on"] = False
    profile = STATE.pop("profile", None)
    if profile is not None and PROFILE_ALL:
        profile.disable()
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats("tottime").print_stats(40)
        stats.sort_stats("cumulative").print_stats(80)
        stats.print_callers("_find_and_load")
        with open(PROFILE_ALL, "w") as handle:
            handle.write(out.getvalue())


def report(top: int = 12) -> dict[str, Any]:
    layouts = STATE["layouts"]
    return {
        "count": len(layouts),
        "total_ms": round(sum(layouts), 1),
        "longest_ms": round(max(layouts, default=0.0), 1),
        "askers": STATE["askers"].most_common(top),
        "each": STATE["each"],
        "samples": STATE["samples"].most_common(25) if SAMPLE else [],
        "late": STATE["late"].most_common(15) if SAMPLE else [],
        "events": STATE["events"],
        "slow": [_slow(kind, at, took, cpu, name) for kind, at, took, cpu, name in STATE["slow"]],
    }


def _slow(kind: str, at: float, took: float, cpu: float, name: str) -> list[Any]:
    inside = Counter(where for t, where in STATE["stamped"] if at <= t <= at + took)
    return [kind, round(took * 1000, 1), round(cpu * 1000, 1), name,
            [f"{n} {w}" for w, n in inside.most_common(6)]]
