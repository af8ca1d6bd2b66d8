"""The Sessions tab's compare table as Rich text; the answer's shaping lives in
`tui.query.sessions_shape`."""

from __future__ import annotations

from rich.text import Text

from tui.query.sessions_shape import (
    SessionsAnswer,
    bound_texts,  # re-export (moved to tui.query.sessions_shape)
    change_text,  # re-export (moved to tui.query.sessions_shape)
    compared_rows,
)

__all__ = ["bound_texts", "change_text", "compared_averages"]


def compared_averages(answer: SessionsAnswer) -> Text:
    """Compare (v), table view: the averages now and in the previous period, in columns, the
    header bold (see `compared_rows`)."""
    rows = compared_rows(answer)
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    text = Text()
    for n, row in enumerate(rows):
        if n:
            text.append("\n")
        line = "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        text.append(line, "bold" if n == 0 else "")
    return text
