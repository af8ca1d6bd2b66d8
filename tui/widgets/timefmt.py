"""Kept for importers: times and lengths as text live in `tui.format`."""

from tui.format.durations import spell_length  # re-export (moved to tui.format.durations)
from tui.format.times import (
    bucket_end,  # re-export (moved to tui.format.times)
    bucket_label,  # re-export (moved to tui.format.times)
    clock_label,  # re-export (moved to tui.format.times)
    local,  # re-export (moved to tui.format.times)
    window_label,  # re-export (moved to tui.format.times)
    zone_abbrev,  # re-export (moved to tui.format.times)
)

__all__ = [
    "bucket_end", "bucket_label", "clock_label", "local", "spell_length", "window_label",
    "zone_abbrev",
]
