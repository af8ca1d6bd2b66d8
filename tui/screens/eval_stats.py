"""Kept for importers: the Evals answer's shaping lives in `tui.query.evals_shape`."""

from tui.format.numbers import value as number  # re-export (moved to tui.format.numbers)
from tui.query.evals_shape import (
    SORTS,  # re-export (moved to tui.query.evals_shape)
    EvalRow,  # re-export (moved to tui.query.evals_shape)
    EvalsAnswer,  # re-export (moved to tui.query.evals_shape)
    eval_row,  # re-export (moved to tui.query.evals_shape)
    search,  # re-export (moved to tui.query.evals_shape)
    shape_evals,  # re-export (moved to tui.query.evals_shape)
    sort_rows,  # re-export (moved to tui.query.evals_shape)
)

__all__ = [
    "SORTS", "EvalRow", "EvalsAnswer", "eval_row", "number", "search", "shape_evals", "sort_rows",
]
