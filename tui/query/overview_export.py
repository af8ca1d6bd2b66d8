"""The Overview tab's export (`x`): every answer of the tab, as JSON (each part's data as
received, a failed part as its message) or CSV (long form, one value per line). Pure: no Textual.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, TextIO

from tui.api.safe_text import json_text
from tui.api.timerange import iso_z
from tui.query import overview_plan as plan_
from tui.query import overview_shaping as shaping
from tui.query import writers_more as w

CSV_HEADER = ("section", "period", "time", "name", "value")


def export_json(plan: plan_.OverviewPlan, outcomes: Mapping[str, Any],
               raw: Mapping[str, Any], out: TextIO) -> None:
    """`{"window", "previousWindow", "increment", "answers": {part: data | {"error": ...}}}`."""
    answers: dict[str, Any] = {}
    for name in plan.names():
        value = outcomes.get(name)
        if isinstance(value, shaping.Failed):
            answers[name] = {"error": value.message}
        elif name in raw and raw[name] is not None:
            answers[name] = raw[name]
        else:
            answers[name] = w.jsonable(value)
    doc = {
        "window": {"start": iso_z(plan.window.start), "end": iso_z(plan.window.end)},
        "previousWindow": {"start": iso_z(plan.previous_window.start),
                           "end": iso_z(plan.previous_window.end)},
        "increment": plan.increment,
        "answers": answers,
    }
    text = json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False)
    out.write(json_text(text) + "\n")


def csv_rows(plan: plan_.OverviewPlan, outcomes: Mapping[str, Any],
             tz: Any) -> Iterator[tuple[Any, ...]]:
    for total in shaping.shape_strip(outcomes):
        yield ("total", "current", "", total.name, total.value)
        yield ("total", "previous", "", total.name, total.previous)
    for name in shaping.CHARTS:
        if not all(p in outcomes for p in shaping.panel_parts(name, plan.compare)):
            continue
        panel = shaping.shape_series(name, outcomes, plan, tz)
        if panel.error:
            continue
        for column, values in panel.columns.items():
            for at, value in zip(panel.buckets, values, strict=True):
                yield ("series", "current", iso_z(at), column, value)
        if panel.n is not None and name == "status":
            for at, n in zip(panel.buckets, panel.n, strict=True):
                yield ("series", "current", iso_z(at), "n", n)
        for column, (times, values) in (panel.previous_points or {}).items():
            for at, value in zip(times, values, strict=True):
                yield ("series", "previous", iso_z(at), column, value)
    for row in shaping.shape_models(outcomes.get(plan_.MODELS)):
        for what in ("requests", "prompt_tokens", "completion_tokens", "tokens", "cost"):
            yield ("model", "current", "", f"{row.model}.{what}", getattr(row, what))
    yield from _user_rows(outcomes)


def _user_rows(outcomes: Mapping[str, Any]) -> Iterator[tuple[Any, ...]]:
    """The users panel's rows: requests, errors (empty when only bounded: the JSON has the
    rankings), error rate (%) and cost, named `<user>.<what>` as the models' are."""
    from tui.query.overview_users import shape_users

    for row in shape_users(outcomes.get(plan_.USERS), outcomes.get(plan_.USER_ERRORS)):
        values = (row.requests.value, row.errors.value, row.error_rate, row.cost)
        for what, value in zip(("requests", "errors", "error_rate", "cost"), values, strict=True):
            yield ("user", "current", "", f"{row.label}.{what}", value)


def export_csv(plan: plan_.OverviewPlan, outcomes: Mapping[str, Any], tz: Any,
              out: TextIO) -> None:
    w.write_csv(CSV_HEADER, csv_rows(plan, outcomes, tz), out)
