"""Time the filter editor's keys on a 200-condition tree, in the real widget (Textual headless).

For each key: from the moment the key is sent to the moment the screen has been painted with the
rebuilt Tree and text line (`call_after_refresh` after the rebuild): median, p90 and max wall
time and the median CPU time over runs; also the rebuild alone (model edit + Tree rebuild + text
line, inside the handler). Budget: 50 ms.
`a` and `e` are timed from the condition editor's enter (the last key of the edit).

    .venv/bin/python bench/filter_editor_ui.py [--runs N] [--size 80x24] [--seed S]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from filter_editor import build_tree  # noqa: E402  (the pure bench's 200-condition tree)
from textual.app import App  # noqa: E402

from tui import clock  # noqa: E402
from tui.app import HeliconeApp  # noqa: E402
from tui.filters.tree import Condition  # noqa: E402
from tui.screens.filter_editor import FilterEditor  # noqa: E402

BUDGET_MS = 50.0


class TimedEditor(FilterEditor):
    """The editor, noting when each rebuild ends and when the screen shows it."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.rebuilt_at = 0.0
        self.painted_at = 0.0
        self.painted_cpu = 0.0
        self.painted = asyncio.Event()
        self.rebuild_ms = 0.0

    def refresh_view(self) -> None:
        start = time.perf_counter()
        super().refresh_view()
        self.rebuilt_at = time.perf_counter()
        self.rebuild_ms = (self.rebuilt_at - start) * 1000
        self.call_after_refresh(self._painted, self.rebuilt_at)

    def action_cursor(self, delta: int) -> None:
        # j/k rebuild nothing: the cursor moves on the Tree that is there.
        start = time.perf_counter()
        super().action_cursor(delta)
        self.rebuilt_at = time.perf_counter()
        self.rebuild_ms = (self.rebuilt_at - start) * 1000
        self.call_after_refresh(self._painted, self.rebuilt_at)

    def _painted(self, rebuilt_at: float) -> None:
        if rebuilt_at == self.rebuilt_at:  # the paint of the latest rebuild, not an older one
            self.painted_at = time.perf_counter()
            self.painted_cpu = time.process_time()
            self.painted.set()


class Host(App[None]):
    CSS_PATH = HeliconeApp.CSS_PATH  # the app\'s own rules (the keys footer\'s among them)

    def __init__(self, editor: TimedEditor) -> None:
        super().__init__()
        self.editor = editor

    def on_mount(self) -> None:
        self.push_screen(self.editor)


async def measure(runs: int, size: tuple[int, int], seed: int) -> None:
    rng = random.Random(seed)
    editor = TimedEditor(build_tree(), tab_title="Scores")
    app = Host(editor)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        model = editor.model
        all_paths = model.paths()
        cond_paths = [p for p in all_paths if isinstance(model.node_at(p), Condition)]
        print(f"filter editor UI, {len(cond_paths)} conditions, {len(all_paths)} nodes, "
              f"{len(model.text)} chars of text, terminal {size[0]}x{size[1]}")
        print("ms from the key sent to the screen painted (wall: median, p90, max; cpu: median);\n"
              "rebuild = the handler alone: model edit, Tree rebuilt, text line set (median)")

        async def timed(key: str, before=None) -> tuple[float, float, float]:
            if before is not None:
                await before()
            await pilot.pause()  # whatever `before` changed is on screen: start from rest
            editor.painted.clear()
            start, start_cpu = time.perf_counter(), time.process_time()
            await pilot.press(key)
            try:
                await asyncio.wait_for(editor.painted.wait(), 10)
            except TimeoutError:
                raise SystemExit(f"{key!r} at {model.cursor} was never painted") from None
            return (
                (editor.painted_at - start) * 1000,
                (editor.painted_cpu - start_cpu) * 1000,
                editor.rebuild_ms,
            )

        def restore() -> None:
            while model.can_undo:
                model.undo()
            model.set_cursor(rng.choice(all_paths))
            editor.refresh_view()

        async def at(paths: list) -> None:
            model.set_cursor(rng.choice(paths))
            editor.tree.move_to(model.cursor)

        async def flipped() -> None:
            await at(all_paths)
            model.flip()
            editor.refresh_view()

        async def flipped_undone() -> None:
            await flipped()
            model.undo()
            editor.refresh_view()

        async def condition_ready(edit: bool) -> None:
            await at(cond_paths if edit else all_paths)
            await pilot.press("e" if edit else "a")
            screen = app.screen
            screen.query_one("#condition-field").value = "latency"  # type: ignore[attr-defined]
            value = screen.query_one("#condition-value")
            value.value = str(rng.randint(1, 99999))  # type: ignore[attr-defined]
            value.focus()

        async def add_ready() -> None:
            await condition_ready(False)

        async def edit_ready() -> None:
            await condition_ready(True)

        async def text_ready() -> None:
            field = editor.text_input
            field.value = model.text + f" and status = {rng.randint(100, 599)}"
            field.focus()

        def siblings(path: tuple[int, ...]) -> int:
            parent = model.node_at(path[:-1])
            return len(parent.children)  # type: ignore[union-attr]

        # Where each key changes something (a key that changes nothing rebuilds nothing).
        below = [p for p in all_paths if p and p[-1] + 1 < siblings(p)]
        above = [p for p in all_paths if p and p[-1] > 0]

        cases = {
            "a add condition": ("enter", add_ready),
            "e edit": ("enter", edit_ready),
            "g add group": ("g", lambda: at(all_paths)),
            "o and/or": ("o", lambda: at(all_paths)),
            "w wrap": ("w", lambda: at(all_paths)),
            "d delete": ("d", lambda: at(all_paths[1:])),
            "J move down": ("J", lambda: at(below)),
            "K move up": ("K", lambda: at(above)),
            "u undo": ("u", flipped),
            "U redo": ("U", flipped_undone),
            "text line enter": ("enter", text_ready),
            "j cursor": ("j", lambda: at(all_paths[:-1])),
            "k cursor": ("k", lambda: at(all_paths[1:])),
        }
        worst_median = worst_p90 = 0.0
        print(f"{'key':<18}{'median':>8}{'p90':>8}{'max':>8}{'cpu':>8}{'rebuild':>9}")
        for name, (key, before) in cases.items():
            painted, cpu, rebuilt = [], [], []
            for _ in range(runs):
                p, c, r = await timed(key, before)
                painted.append(p)
                cpu.append(c)
                rebuilt.append(r)
                editor.tree.focus()
                restore()
            p90 = statistics.quantiles(painted, n=10)[-1]
            worst_median = max(worst_median, statistics.median(painted))
            worst_p90 = max(worst_p90, p90)
            print(f"{name:<18}{statistics.median(painted):>8.1f}{p90:>8.1f}{max(painted):>8.1f}"
                  f"{statistics.median(cpu):>8.1f}{statistics.median(rebuilt):>9.1f}")
        verdict = "within" if worst_median <= BUDGET_MS else "OVER"
        print(f"slowest key, median: {worst_median:.1f} ms ({verdict} the {BUDGET_MS:.0f} ms "
              f"budget); slowest p90: {worst_p90:.1f} ms (the tail is other processes and the "
              "garbage collector when the machine is busy)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=30, help="timed presses per key")
    parser.add_argument("--size", default="80x24", help="terminal size, e.g. 120x40")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.lower().split("x"))
    clock.fix("2026-11-20T12:00:00Z")
    asyncio.run(measure(args.runs, (width, height), args.seed))


if __name__ == "__main__":
    main()
