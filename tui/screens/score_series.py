"""Kept for importers: the Scores answer's shaping lives in `tui.query.scores_shape`."""

from tui.query.scores import bucket_counts, pivot  # re-export (moved to tui.query.scores)
from tui.query.scores_shape import (
    BOOL_SUFFIX,  # re-export (moved to tui.query.scores_shape)
    FEEDBACK_KEY,  # re-export (moved to tui.query.scores_shape)
    PANELS_PER_KIND,  # re-export (moved to tui.query.scores_shape)
    PREVIOUS_SUFFIX,  # re-export (moved to tui.query.scores_shape)
    Panel,  # re-export (moved to tui.query.scores_shape)
    ScoresAnswer,  # re-export (moved to tui.query.scores_shape)
    current_only,  # re-export (moved to tui.query.scores_shape)
    dimmed,  # re-export (moved to tui.query.scores_shape)
    is_boolean,  # re-export (moved to tui.query.scores_shape)
    label,  # re-export (moved to tui.query.scores_shape)
    shape_scores,  # re-export (moved to tui.query.scores_shape)
)

__all__ = [
    "BOOL_SUFFIX", "FEEDBACK_KEY", "PANELS_PER_KIND", "PREVIOUS_SUFFIX", "Panel", "ScoresAnswer",
    "bucket_counts", "current_only", "dimmed", "is_boolean", "label", "pivot", "shape_scores",
]
