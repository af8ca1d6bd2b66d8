"""One formatter of each kind (DESIGN.md "How the code should feel"): the number, duration and time
formatters are defined in tui/format only (the --since speller and ISO Z in tui/api/timerange,
which tui.api, importing nothing above it, needs itself), and the plot and bars text use them."""

from __future__ import annotations

import ast
from pathlib import Path

TUI = Path(__file__).parents[2] / "tui"

FORMATTERS = {
    "bucket_label", "cell", "clock_label", "cost_text", "duration_text", "exact", "format_delta",
    "format_duration", "format_percent", "height_text", "iso_z", "local_time", "num", "number",
    "number_label", "readable", "readable_all", "significant", "spark", "spell_length",
    "window_label", "decimals_for", "range_label",
}
#: Where tui.api needs its own: the wire's time text and the --since grammar it parses.
API_OWN = {("api/timerange.py", "iso_z"), ("api/timerange.py", "format_duration")}


def test_number_duration_and_time_formatters_are_defined_once_in_tui_format() -> None:
    found: dict[str, list[str]] = {}
    for path in sorted(TUI.rglob("*.py")):
        rel = path.relative_to(TUI).as_posix()
        if rel.startswith("demo/"):
            continue  # the demo server spells numbers as JavaScript does: the wire, not display
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if (isinstance(node, ast.FunctionDef) and node.name in FORMATTERS
                    and (rel, node.name) not in API_OWN):
                found.setdefault(node.name, []).append(rel)
    outside = {
        name: paths for name, paths in found.items()
        if [p for p in paths if not p.startswith("format/")]
    }
    assert outside == {}
    assert all(len(paths) == 1 for paths in found.values()), found


def test_the_plot_labels_its_axis_with_the_shared_tick_formatter() -> None:
    from datetime import UTC

    from tui.format.plot import ChartData, Series, build_plot

    data = ChartData((Series("tokens", (0.0, 3600.0), (0.0, 12000.0)),), tz=UTC)
    text = build_plot(data, 60, 12)
    assert "12.5k┤" in text and "12500" not in text  # the top tick, short


def test_bars_label_costs_and_durations_with_the_shared_formatters() -> None:
    from tui.format.bars import bars_for, layout_bars

    cost = bars_for([(0.0, 0.5, 3.0), (0.5, 1.25, 12.5)], "cost")
    assert [(b.label, b.value_text) for b in cost] == [("$0-0.5", "3"), ("$0.5-1.2", "13")]
    duration = bars_for([(0.0, 90.0, 2.75), (90.0, 7500.0, 1.0)], "duration")
    assert [b.label for b in duration] == ["0s-1m30s", "1m30s-2h05m"]
    rows = layout_bars(duration, 30, 2)
    assert [r.value for r in rows] == ["2.8", "1"] and rows[0].bar.startswith("█")


#: The answer writers (DESIGN.md "Layers and layout": tui/format holds the CSV/JSON/table writers)
#: and the wordings they share with the query layer.
WRITERS = {
    "write_columns", "write_table", "write_csv", "write_json", "write_jsonl", "jsonable",
    "sessions_note", "short", "local_datetime", "true_mean",
}


def test_the_answer_writers_are_defined_once_in_tui_format_and_none_in_tui_api() -> None:
    found: dict[str, list[str]] = {}
    for path in sorted(TUI.rglob("*.py")):
        rel = path.relative_to(TUI).as_posix()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and node.name in WRITERS:
                found.setdefault(node.name, []).append(rel)
    assert {name: paths for name, paths in found.items()
            if len(paths) != 1 or not paths[0].startswith("format/")} == {}
    assert not list((TUI / "api").glob("export*.py"))  # no shim left behind


def test_the_true_mean_is_one_definition_on_the_eval_model() -> None:
    from tui.api.models import Eval
    from tui.query.evals_shape import eval_row

    hours = [f"2026-11-20T0{h}:00:00.000Z" for h in (1, 2, 3)]
    item = Eval.model_validate({
        "name": "accuracy", "averageScore": 0.35, "minScore": 0, "maxScore": 9, "count": 40,
        "overTime": [{"date": d, "count": c} for d, c in zip(hours, (10, 0, 30), strict=True)],
        "averageOverTime": [{"date": d, "value": v} for d, v in zip(hours, (5, 0, 9), strict=True)],
    })
    assert isinstance(vars(Eval)["true_mean"], property)
    assert item.true_mean == eval_row(item).true_mean == (5 * 10 + 9 * 30) / 40
