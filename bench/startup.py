"""Start-up figures (printed, not asserted): process start to first frame, and to first chart.

    .venv/bin/python bench/startup.py [--runs 5] [--url URL]

1. process start -> first frame showing the shell (the real command line, a target that answers
   nothing useful), beside a bare one-widget Textual app measured the same way; ratio.
2. process start -> first Scores chart drawn against an already running demo server (started
   here first, unless --url names one), with `--tab scores` (the app opens on the Overview
   otherwise; bench/overview.py times that).

Each child runs in a pseudo-terminal of 80x24 (Textual draws to it, as in real use) and writes the
wall-clock time of the event to a file; the parent subtracts the time it spawned the child.
"""

from __future__ import annotations

import argparse
import statistics

from ptyrun import run_in_pty

NOW = "2026-11-20T12:00:00Z"

# ----------------------------------------------------------------------------- children

BARE_CHILD = """
import sys, time
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("hello")

    def on_mount(self):
        self.call_after_refresh(self.done)

    def done(self):
        open(sys.argv[1], "w").write(repr(time.time()))
        self.exit()

Bare().run()
"""

# The real command line; a hook on the main screen records the first frame (or the first chart)
# and quits.
APP_CHILD = """
import sys, time
out, event, url = sys.argv[1], sys.argv[2], sys.argv[3]
from tui.screens.main import MainScreen

def record(screen):
    open(out, "w").write(repr(time.time()))
    screen.app.exit()

if event == "frame":
    original = MainScreen.on_mount
    def on_mount(self):
        self.call_after_refresh(record, self)  # before the screen queues its own after-refresh work
        original(self)
    MainScreen.on_mount = on_mount
else:
    def on_time_chart_drawn(self, message):
        if not getattr(self, "_recorded", False):
            self._recorded = True
            record(self)
    MainScreen.on_time_chart_drawn = on_time_chart_drawn

from tui.cli import main
tab = ["--tab", "scores"] if event == "chart" else []  # the shell: the tab it opens on
sys.exit(main(["--base-url", url, "--now", "NOW", "--since", "24h", *tab]))
""".replace("NOW", NOW)


def run_child(code: str, args: list[str], timeout: float = 30.0) -> float:
    """Seconds from spawning `python -c code args` in an 80x24 pty to the time it records."""
    text, started = run_in_pty(code, args, env={"HELICONE_API_KEY": "sk-bench-0000000000000000"},
                               timeout=timeout)
    return float(text) - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--url", help="a running demo server (default: start one)")
    args = parser.parse_args()

    # A port where nothing listens is enough for the shell: it draws before any answer.
    nowhere = "http://127.0.0.1:9"
    bare, shell = [], []
    run_child(BARE_CHILD, [])  # warm the file cache for both
    run_child(APP_CHILD, ["frame", nowhere])
    for _ in range(args.runs):
        bare.append(run_child(BARE_CHILD, []))
        shell.append(run_child(APP_CHILD, ["frame", nowhere]))
    b, s = statistics.median(bare), statistics.median(shell)
    print(f"bare one-widget Textual app, start -> first frame: median {b * 1000:.0f} ms "
          f"(runs: {', '.join(f'{x * 1000:.0f}' for x in bare)})")
    print(f"helicone-tui shell,           start -> first frame: median {s * 1000:.0f} ms "
          f"(runs: {', '.join(f'{x * 1000:.0f}' for x in shell)})")
    print(f"ratio shell / bare: {s / b:.2f}  (target <= 1.5)")

    server = None
    url = args.url
    if url is None:
        from tui.demo.process import start_demo_server

        server = start_demo_server(seed=1, now=NOW)
        server.__enter__()
        url = server.url
    try:
        run_child(APP_CHILD, ["chart", url])
        charts = [run_child(APP_CHILD, ["chart", url]) for _ in range(args.runs)]
    finally:
        if server is not None:
            server.__exit__(None, None, None)
    c = statistics.median(charts)
    print(f"helicone-tui, start -> first Scores chart drawn (demo server already running): "
          f"median {c * 1000:.0f} ms (runs: {', '.join(f'{x * 1000:.0f}' for x in charts)}) "
          "(target <= 1000 ms)")


if __name__ == "__main__":
    main()
