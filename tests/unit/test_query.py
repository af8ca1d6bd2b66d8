"""The headless query core: each view's options declared once reach the CLI, presets and the
tabs alike; the filter text is derived from the tree; the core loads without Textual or rich."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import tui.query
from tui.api.timerange import TimeRange, Window
from tui.cli import main
from tui.filters.text import parse
from tui.query.base import declared
from tui.query.compare import Paired, previous_request
from tui.query.context import Investigation
from tui.query.registry import VIEWS, flags

ROOT = Path(__file__).parents[2]
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
WINDOW = Window(NOW - timedelta(hours=6), NOW)


def test_every_query_module_loads_without_textual_or_rich() -> None:
    names = [m.name for m in pkgutil.iter_modules(tui.query.__path__, "tui.query.")]
    assert {"tui.query.scores", "tui.query.sessions", "tui.query.registry"} <= set(names)
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich'}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"


def test_the_filter_text_is_the_trees_canonical_text_whatever_was_typed() -> None:
    typed = "model='gpt-4'   and status>=500"
    ctx = Investigation(parse("all"), TimeRange.since("24h")).with_filter(parse(typed), typed)
    assert ctx.filter_text == "model = 'gpt-4' and status >= 500"
    assert ctx.with_filter(parse("all")).filter_text == "all"


@pytest.mark.parametrize("name", list(VIEWS))
def test_every_declared_flag_is_a_query_option_of_its_view(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`query VIEW --help` lists exactly the flags the views declare, and a flag of another
    view is refused with exit 2, named, and nothing sent (--curl never sends anyway)."""
    with pytest.raises(SystemExit):
        main(["query", name, "--help"])
    shown = capsys.readouterr().out
    for flag in flags():
        assert flag in shown
    own = {spec.flag for _, spec in declared(VIEWS[name].options_type) if spec.flag}
    for flag, (_, spec, owners) in flags().items():
        if name in owners:
            continue
        assert flag not in own
        value = [] if spec.kind == "switch" else [spec.choices[0] if spec.choices else "1"]
        code = main(["query", name, "--base-url", "http://127.0.0.1:9", "--curl",
                     flag, *value])
        assert code == 2
        assert f"{flag} applies to" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["scores", "evals", "sessions"])
def test_compare_builds_the_previous_period_pair_from_the_same_view(name: str) -> None:
    view = VIEWS[name]
    ctx = Investigation(parse("all"), TimeRange.since("6h"))
    paired = view.build(ctx, WINDOW, compare=True, tz=UTC)
    assert isinstance(paired, Paired)
    single = view.build(ctx, WINDOW, tz=UTC)
    assert paired.current == single
    assert paired.previous == previous_request(name, single, WINDOW).previous


def test_a_presets_p_size_reaches_the_request_and_the_note_alike() -> None:
    class Preset:  # what the view reads of a preset: its declared keys
        p_size = "p95"
        interquartile = True
        session_name = None
        increment = "day"  # a scores key: the sessions view ignores it

    view = VIEWS["sessions"]
    options = view.options({}, Preset())
    request = view.build(Investigation(parse("all"), TimeRange.since("6h")), WINDOW, options)
    assert request.to_wire()["pSize"] == "p95"
    assert "trimmed at p95 (interquartile: p5..p95)" in view.notes(request)[0]
    explicit = view.options({"p_size": "p99"}, Preset())
    assert view.build_for(parse("all"), WINDOW, explicit).to_wire()["pSize"] == "p99"
