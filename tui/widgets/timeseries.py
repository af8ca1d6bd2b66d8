"""Kept for importers: the plot text lives in `tui.format.plot`, its ticks in `tui.format.ticks`
and its y labels in `tui.format.numbers.tick`."""


from tui.format.numbers import tick as number_label  # re-export (moved to tui.format.numbers)
from tui.format.plot import (
    PALETTE,  # re-export (moved to tui.format.plot)
    SCALE_RATIO,  # re-export (moved to tui.format.plot)
    ChartData,  # re-export (moved to tui.format.plot)
    Color,  # re-export (moved to tui.format.plot)
    Segment,  # re-export (moved to tui.format.plot)
    Series,  # re-export (moved to tui.format.plot)
    build_plot,  # re-export (moved to tui.format.plot)
    group_by_scale,  # re-export (moved to tui.format.plot)
    plot_columns,  # re-export (moved to tui.format.plot)
    reduce_segment,  # re-export (moved to tui.format.plot)
    reduce_series,  # re-export (moved to tui.format.plot)
    segments,  # re-export (moved to tui.format.plot)
)
from tui.format.ticks import (
    nice_ticks,  # re-export (moved to tui.format.ticks)
    time_format,  # re-export (moved to tui.format.ticks)
    time_ticks,  # re-export (moved to tui.format.ticks)
)

__all__ = [
    "PALETTE",
    "SCALE_RATIO",
    "ChartData",
    "Color",
    "Segment",
    "Series",
    "build_plot",
    "group_by_scale",
    "nice_ticks",
    "number_label",
    "plot_columns",
    "reduce_segment",
    "reduce_series",
    "segments",
    "time_format",
    "time_ticks",
]
