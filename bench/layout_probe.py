"""A bench-only probe of the screen's layouts: how many, how long, and who asked for them.

Installed in a bench's child (`install()`), it wraps Textual's `Screen._refresh_layout` (the
layout of the whole screen, the UI thread's longest single piece of work on the Overview) and
`Widget.refresh` (where a layout is asked for: `refresh(layout=True)`, a style such as
`display` or `height` set, a mount). `start()` / `stop()` bound what is counted; `report()`
is a JSON-able summary: the layouts' count and durations, and the app's code lines that asked
(the deepest frame under tui/), most frequent first.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import sys
import traceback
from collections import Counter
from time import perf_counter, sleep
from typing import Any

#: BENCH_PROFILE=path: the longest layout's profile is written there.
PROFILE = os.environ.get("BENCH_PROFILE")
#: BENCH_SAMPLE=1: sample the UI thread's stack every ~5 ms (what its busy time is made of).
SAMPLE = os.environ.get("BENCH_SAMPLE") == "1"
STATE: dict[str, Any] = {"on": False, "layouts": [], "askers": Counter(), "since": Counter(),
                         "each": []}


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
        started = perf_counter()
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
                    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(30)
                    with open(PROFILE, "w") as handle:
                        handle.write(f"{ms:.1f} ms\n{out.getvalue()}")
            STATE["layouts"].append(ms)
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

    Widget.refresh = asked  # type: ignore[method-assign]


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
        where = f"{inner.filename.rsplit('/', 2)[-2]}/{inner.filename.rsplit('/', 1)[1]}"
        STATE["samples"][" > ".join(ours[-3:]) + f" | {where}:{inner.name}"] += 1


def start() -> None:
    STATE["layouts"] = []
    STATE["askers"] = Counter()
    STATE["since"] = Counter()
    STATE["each"] = []
    STATE["samples"] = Counter()
    STATE["late"] = Counter()
    STATE["on"] = True
    if SAMPLE:
        import threading

        threading.Thread(target=_sampler, args=(threading.get_ident(),), daemon=True).start()


def stop() -> None:
    STATE["on"] = False


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
    }
