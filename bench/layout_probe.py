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
from time import perf_counter
from typing import Any

#: BENCH_PROFILE=path: the longest layout's profile is written there.
PROFILE = os.environ.get("BENCH_PROFILE")
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


def start() -> None:
    STATE["layouts"] = []
    STATE["askers"] = Counter()
    STATE["since"] = Counter()
    STATE["each"] = []
    STATE["on"] = True


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
    }
