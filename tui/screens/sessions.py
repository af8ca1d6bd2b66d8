"""The Sessions tab (coming): session metrics histograms and averages."""

from __future__ import annotations

from typing import ClassVar

from tui.screens.coming import ComingTab


class SessionsTab(ComingTab):
    ENDPOINT: ClassVar[str] = "sessions"
    TITLE: ClassVar[str] = "Session metrics"
