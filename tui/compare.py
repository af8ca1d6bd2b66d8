"""Kept for importers: the previous-period maths lives in `tui.query.compare`."""

from tui.query.compare import (
    INCLUSIVE_STEP,
    Paired,
    aligned,
    delta,
    format_delta,
    format_percent,
    offset,
    percent_change,
    previous_request,
    previous_window,
)

__all__ = [
    "INCLUSIVE_STEP", "Paired", "aligned", "delta", "format_delta", "format_percent", "offset",
    "percent_change", "previous_request", "previous_window",
]
