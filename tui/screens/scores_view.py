"""What the Scores tab draws from its answer as Rich text: the table's rows; the numbers in them
come from `tui.query.scores_shape`."""

from __future__ import annotations

from datetime import tzinfo

from rich.text import Text

from tui.format.times import bucket_label
from tui.query.scores_shape import (
    ScoresAnswer,
    column_title,  # re-export (moved to tui.query.scores_shape)
    readout,  # re-export (moved to tui.query.scores_shape)
    value_with_n,  # re-export (moved to tui.query.scores_shape)
)

__all__ = ["column_title", "readout", "table_rows", "time_cell", "value_with_n"]


def time_cell(answer: ScoresAnswer, i: int, tz: tzinfo) -> Text:
    text = Text(bucket_label(answer.buckets[i], tz, answer.increment, short=True))
    if answer.is_partial(i):
        text.append(" partial", "italic")
    return text


def table_rows(answer: ScoresAnswer, keys: list[str], tz: tzinfo) -> list[list[object]]:
    rows: list[list[object]] = []
    for i in range(len(answer.buckets)):
        cells: list[object] = [time_cell(answer, i, tz)]
        for k in keys:
            cells.append(Text(value_with_n(answer, k, i), justify="right"))
            if answer.compared:
                cells.append(Text(answer.display_delta(k, i), justify="right"))
        rows.append(cells)
    return rows
