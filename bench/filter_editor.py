"""Time one filter-editor edit on a 200-condition tree: the operation + rows() + text.

This is the pure part of what the editor does after each key (the budget for the whole edit,
Textual's Tree rebuild included, is 50 ms); the widget's rendering is measured separately.

    .venv/bin/python bench/filter_editor.py [--runs N] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.filters.editing import EditorModel
from tui.filters.editing import Path as TreePath
from tui.filters.text import parse
from tui.filters.tree import Condition, Group, Node

CONDITION_TEXTS = (
    "model ilike '%gpt-{i}%'",
    "status >= {i}",
    "latency > {i}000",
    "properties.env{i} = 'prod'",
    "scores.accuracy = {i}",
    "user_id contains 'u{i}'",
    "cost > 0.{i}",
    "cached = true",
    "request_created_at >= '2026-11-01T00:00:00Z'",
    "total_tokens > {i}",
)


def build_tree(conditions: int = 200) -> Node:
    """An "and" of "or" groups of 10 conditions (each holding an "and" pair), 200 leaves."""
    conds = [
        parse(CONDITION_TEXTS[i % len(CONDITION_TEXTS)].format(i=i)) for i in range(conditions)
    ]
    groups: list[Node] = []
    for start in range(0, conditions, 10):
        chunk = conds[start : start + 10]
        pair = Group("and", tuple(chunk[:2]))
        groups.append(Group("or", (pair, *chunk[2:])))
    return Group("and", tuple(groups))


def timed(model: EditorModel, op: Callable[[EditorModel], object]) -> float:
    start = time.perf_counter()
    op(model)
    model.rows()
    _ = model.text
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=200, help="edits timed per operation")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    tree = build_tree()
    base = EditorModel(tree)
    paths: list[TreePath] = base.paths()
    cond_paths = [p for p in paths if isinstance(base.node_at(p), Condition)]
    assert len(cond_paths) == 200, len(cond_paths)
    text = base.text
    new = parse("latency > 12345")
    other = parse("model = 'edited'")

    def with_edit(m: EditorModel) -> None:
        m.flip()

    ops: dict[str, tuple[list[TreePath], Callable[[EditorModel], object]]] = {
        "a add condition": (paths, lambda m: m.add_condition(new)),  # type: ignore[arg-type]
        "g add group": (paths, lambda m: m.add_group()),
        "o flip": (paths, lambda m: m.flip()),
        "w wrap": (paths, lambda m: m.wrap()),
        "e replace": (cond_paths, lambda m: m.replace(other)),  # type: ignore[arg-type]
        "d delete": (paths, lambda m: m.delete()),
        "J move down": (paths, lambda m: m.move(+1)),
        "K move up": (paths, lambda m: m.move(-1)),
        "j cursor": (paths, lambda m: m.cursor_next()),
        "u undo": (paths, lambda m: m.undo()),
        "U redo": (paths, lambda m: (m.undo(), m.redo())),
        "set text": (paths, lambda m: m.set_text(text + " and status = 1")),
    }

    print(f"filter editor model, 200 conditions, {len(paths)} nodes, {len(text)} chars of text")
    print("time per edit = operation + rows() + text (ms); budget with rendering: 50 ms")
    print(f"{'operation':<16}{'median':>9}{'max':>9}")
    worst = 0.0
    for name, (where, op) in ops.items():
        samples = []
        for _ in range(args.runs):
            m = EditorModel(tree)
            m.set_cursor(rng.choice(where))
            if name.startswith(("u ", "U ")):
                with_edit(m)
            samples.append(timed(m, op))
        worst = max(worst, max(samples))
        print(f"{name:<16}{statistics.median(samples):>9.2f}{max(samples):>9.2f}")
    idle = timed(EditorModel(tree), lambda m: None)
    print(f"{'rows + text':<16}{idle:>9.2f}  (no operation)")
    print(f"worst edit: {worst:.2f} ms")


if __name__ == "__main__":
    main()
