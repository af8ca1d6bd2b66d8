"""Kept for importers: the investigation and target live in `tui.query.context`."""

from tui.query.context import EU_HOST, US_HOST, Investigation, Target

__all__ = ["EU_HOST", "US_HOST", "Investigation", "Target"]
