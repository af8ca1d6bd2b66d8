"""Make the README's screenshots from the real app on demo data.

    .venv/bin/python screenshots/make.py [--seed 1] [--now 2026-11-20T12:00:00Z] [--tz UTC]
                                         [--size 120x40] [--out screenshots]

Starts a demo server (`tui.demo.process`, the same child `helicone-tui --demo` starts) with the
given seed and fixed instant, runs the app's own classes headless (`App.run_test`) at the given
size, visits each tab as a user would (the Overview it opens on, then 2 and a request's detail,
3 4 5 6, then ? for the keys), waits until each answer is drawn and saves an SVG per view. The
range is the last 7 days. Same seed + same --now = the same pictures.

The key is a made-up one the demo server accepts; the script checks that it appears in no picture.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# A made-up canary (not shaped like a real key): it must not show in any screenshot.
SECRET = "canary-screenshots-0000-0000-c0de"
SHOTS = (
    # (file, key to press, tab id or None for a modal, what it shows)
    ("overview.svg", "1", "overview"),  # the tab the app opens on: 1 changes nothing
    # The Overview split by model (what `b` sets): the error burst on gpt-4o-mini's line.
    ("breakdown.svg", "breakdown:model", "overview"),
    ("requests.svg", "2", "requests"),
    ("request.svg", "enter", "detail"),  # the newest request's detail (escape closes it after)
    ("scores.svg", "3", "scores"),
    ("evals.svg", "4", "evals"),
    ("distributions.svg", "5", "distributions"),
    ("sessions.svg", "6", "sessions"),
    ("help.svg", "question_mark", None),
)


async def _wait(pilot, condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"screenshots: timed out waiting for {what}")
        await pilot.pause(0.05)


def _drawn(tab) -> bool:
    """The tab's answer is shown and every chart in view has its text."""
    if tab.status != "ready":
        return False
    charts = [c for c in tab.query("TimeChart, BarChart") if c.display and c.parent.display]
    return all(c.drawn for c in charts)


def _split_drawn(tab) -> bool:
    """The Overview split by value: every chart's lines in, those in view plotted."""
    from tui.query import overview_shaping as shaping
    from tui.query.overview_split import SplitPanel

    return (tab.status == "ready" and tab.drawn_in_view()
            and all(isinstance(tab.panels[n][0], SplitPanel) for n in shaping.CHARTS))


async def _shoot(url: str, out: Path, size: tuple[int, int]) -> list[Path]:
    from tui.api.timerange import TimeRange
    from tui.app import HeliconeApp
    from tui.context import Investigation, Target
    from tui.filters.tree import ALL

    app = HeliconeApp(
        target=Target(url, SECRET, demo=True),
        # A week: the error burst (Nov 15) and the latency spike (Nov 18) are in it.
        context=Investigation(ALL, TimeRange.since("7d")),
    )
    saved: list[Path] = []
    async with app.run_test(size=size) as pilot:
        await _wait(pilot, lambda: bool(getattr(app.screen, "ready", False)), "the main screen")
        for filename, key, tab_id in SHOTS:
            split = key.startswith("breakdown:")
            if split:  # the investigation's breakdown, set on the main screen as `b` sets it
                screen = app.screen
                screen.context = screen.context.with_breakdown(key.split(":", 1)[1])
                tab = screen.query_one("#overview-tab")
                await _wait(pilot, lambda tab=tab: _split_drawn(tab), "the split Overview")
                await pilot.press("down")  # the error rate on top
                await _wait(pilot, lambda tab=tab: _split_drawn(tab), "the split Overview")
                await pilot.press("m")  # its peak, and whose it is
            else:
                await pilot.press(key)
            if split:
                pass  # drawn: waited for above
            elif tab_id is None:
                await _wait(pilot, lambda: app.screen.__class__.__name__ == "HelpScreen",
                            "the keys help")
            elif tab_id == "detail":
                await _wait(pilot, lambda: getattr(app.screen, "loaded", False),
                            "the request's detail")
            else:
                tab = app.screen.query_one(f"#{tab_id}-tab")
                await _wait(pilot, lambda tab=tab: _drawn(tab), f"the {tab_id} tab")
            await pilot.pause(0.2)  # let the last frame settle
            saved.append(Path(app.save_screenshot(filename, str(out))))
            if tab_id == "detail":
                await pilot.press("escape")
            if split:  # the other shots unsplit, the Overview's first chart on top again
                await pilot.press("up")
                app.screen.context = app.screen.context.with_breakdown(None)
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--now", default="2026-11-20T12:00:00Z")
    parser.add_argument("--tz", default="UTC", help="the zone the app shows times in")
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.split("x"))

    os.environ["TZ"] = args.tz
    time.tzset()
    # No user config (keymap, presets) in the pictures.
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="helicone-tui-shots-")
    os.environ.pop("HELICONE_TUI_PRESETS", None)

    from tui import clock
    from tui.demo.process import start_demo_server

    clock.fix(args.now)
    args.out.mkdir(parents=True, exist_ok=True)
    with start_demo_server(seed=args.seed, now=args.now) as server:
        saved = asyncio.run(_shoot(server.url, args.out, (width, height)))
    for path in saved:
        text = path.read_text(encoding="utf-8")
        if SECRET in text or SECRET[-8:] in text:
            path.unlink()
            raise SystemExit(f"screenshots: the API key shows in {path.name}; removed it")
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
