"""What the Scores tab draws from its answer: the table's rows and the cursor's readout.

No Textual here: plain text and Rich `Text`, so the numbers are testable without a terminal.
"""

from __future__ import annotations

from datetime import tzinfo

from rich.text import Text

from tui.screens.score_series import ScoresAnswer, is_boolean, label
from tui.widgets.timefmt import bucket_label


def value_with_n(answer: ScoresAnswer, key: str, i: int) -> str:
    """`61.39 (12)`: the bucket's average (or % true) and its number of scores; `-` for no
    data; the n is left out where it is not known (minute buckets)."""
    value = answer.values[key][i]
    if value is None:
        return "-"
    n = answer.count(key, i)
    text = answer.display_value(key, value)
    return text if n is None else f"{text} ({n})"


def time_cell(answer: ScoresAnswer, i: int, tz: tzinfo) -> Text:
    text = Text(bucket_label(answer.buckets[i], tz, answer.increment, short=True))
    if answer.is_partial(i):
        text.append(" partial", "italic")
    return text


def column_title(answer: ScoresAnswer, key: str) -> str:
    """Two lines, so each column is as wide as its numbers, not as its name."""
    what = "% true" if is_boolean(key) else "avg"
    n = "" if answer.counts is None else " (n)"
    return f"{label(key)}\n{what}{n}"


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


def readout(answer: ScoresAnswer, i: int) -> dict[str, str]:
    """The legend's text per series label at bucket i: value and n (`n ?` when not known)."""
    out: dict[str, str] = {}
    for k in answer.keys:
        value = answer.values[k][i]
        n = answer.count(k, i)
        shown = "-" if value is None else answer.display_value(k, value)
        out[label(k)] = f"{shown} n={'?' if n is None else n}"
    return out
