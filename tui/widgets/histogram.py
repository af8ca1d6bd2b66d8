"""Kept for importers: the bars' text lives in `tui.format.bars`, its numbers in
`tui.format.numbers` and `tui.format.durations`."""

from tui.format.bars import (
    Bar,  # re-export (moved to tui.format.bars)
    BarRow,  # re-export (moved to tui.format.bars)
    Kind,  # re-export (moved to tui.format.bars)
    bar_text,  # re-export (moved to tui.format.bars)
    bars_for,  # re-export (moved to tui.format.bars)
    label_decimals,  # re-export (moved to tui.format.bars)
    layout_bars,  # re-export (moved to tui.format.bars)
    range_label,  # re-export (moved to tui.format.bars)
    rows_per_bar,  # re-export (moved to tui.format.bars)
)
from tui.format.durations import duration_text  # re-export (moved to tui.format.durations)
from tui.format.numbers import cost as cost_text  # re-export (moved to tui.format.numbers)
from tui.format.numbers import (
    decimals_for,  # re-export (moved to tui.format.numbers)
    exact,  # re-export (moved to tui.format.numbers)
    readable,  # re-export (moved to tui.format.numbers)
    readable_all,  # re-export (moved to tui.format.numbers)
    significant,  # re-export (moved to tui.format.numbers)
)
from tui.format.numbers import height as height_text  # re-export (moved to tui.format.numbers)

__all__ = [
    "Bar", "BarRow", "Kind", "bar_text", "bars_for", "cost_text", "decimals_for", "duration_text",
    "exact", "height_text", "label_decimals", "layout_bars", "range_label", "readable",
    "readable_all", "rows_per_bar", "significant",
]
