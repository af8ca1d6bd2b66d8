"""The Distributions tab (coming): score histograms as Helicone returns them."""

from __future__ import annotations

from typing import ClassVar

from tui.screens.coming import ComingTab


class DistributionsTab(ComingTab):
    ENDPOINT: ClassVar[str] = "distributions"
    TITLE: ClassVar[str] = "Score distributions"
