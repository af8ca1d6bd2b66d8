"""Kept for importers: the spark line lives in `tui.format.spark`."""

from tui.format.spark import BARS, spark  # re-export (moved to tui.format.spark)

__all__ = ["BARS", "spark"]
