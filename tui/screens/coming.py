"""Placeholder tabs: a tab of the numbering whose view is not built yet says what it will show.

It never sends a request and never fails: `t`, `v`, `x` and `c` say in a notification that there
is nothing to show, compare, export or copy yet (the main screen asks `nothing_yet`), and the
filter, range, presets and watch keep working around it for the other tabs.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from tui.screens.base import QueryTab

#: What each key would act on, for the notification ("nothing to <what> yet").
_WHAT = {
    "toggle_view": "show as a table",
    "compare": "compare with the previous period",
    "export": "export",
    "copy_curl": "copy as curl",
}


class ComingTab(QueryTab):
    """A tab that is not built yet: its title, what it will show, and no request."""

    TITLE: ClassVar[str] = ""
    #: One paragraph: what the tab will show and how it is used.
    WILL_SHOW: ClassVar[str] = ""
    # Its keys run (and say there is nothing yet) rather than vanish from the footer: the real
    # tab will have them.
    HAS_TABLE_VIEW: ClassVar[bool] = True
    CAN_COMPARE: ClassVar[bool] = True

    def compose_body(self) -> ComposeResult:
        text = Text()
        text.append(f"{self.TITLE}: coming in the next release\n\n", style="bold")
        text.append(self.WILL_SHOW)
        from tui.screens import TABS

        built = [f"{spec.key} {spec.title}" for spec in TABS if spec.module != __name__]
        if built:
            text.append(f"\n\nMeanwhile: {', '.join(built)}.", style="dim")
        yield Static(text, id=f"{self.ENDPOINT}-coming", classes="coming")

    def on_mount(self) -> None:
        super().on_mount()
        self.status = "ready"  # nothing to load: the body (the description) is the tab

    # Never a request: shown, refreshed or watched, the tab stays as it is.
    def fetch(self) -> None:
        return

    def ensure_fresh(self) -> None:
        return

    @property
    def stale(self) -> bool:
        return False

    def nothing_yet(self, action: str) -> str:
        """The notification for a main-screen key (`toggle_view`, `compare`, `export`,
        `copy_curl`) on this tab."""
        what = _WHAT.get(action, "do")
        return f"{self.TITLE}: nothing to {what} yet (the tab comes in the next release)."

    def toggle_view(self) -> None:
        self.app.notify(self.nothing_yet("toggle_view"), timeout=3)

    def toggle_compare(self) -> None:
        self.app.notify(self.nothing_yet("compare"), timeout=3)


class OverviewComing(ComingTab):
    ENDPOINT: ClassVar[str] = "overview"
    WHAT: ClassVar[str] = "the overview"
    TITLE: ClassVar[str] = "Overview"
    WILL_SHOW: ClassVar[str] = (
        "What broke, at a glance, under the filter and range: the totals for the window "
        "(requests, error rate, average and p95 latency, cost, active users, average TTFT), "
        "each with its change against the previous period; charts of requests by status class, "
        "error rate, latency quantiles (p50 to p99), cost and TTFT; the top models."
    )


class RequestsComing(ComingTab):
    ENDPOINT: ClassVar[str] = "requests"
    WHAT: ClassVar[str] = "requests"
    TITLE: ClassVar[str] = "Requests"
    WILL_SHOW: ClassVar[str] = (
        "The requests behind the filter and range, newest first, 50 a page: time, status, "
        "model, provider, latency, TTFT, tokens, cost, user, scores; sortable; enter opens one "
        "(its details, and = / != on a field adds it to the filter)."
    )
