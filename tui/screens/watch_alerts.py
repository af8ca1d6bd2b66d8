"""Watch mode's alerts (DESIGN.md "Triage"): after a watch refresh, a finding not seen before
rings the terminal bell once and shows a notification, and `alert_command` (config.toml, see
tui/config_alert.py) gets it as one JSON object on its standard input.

Where the findings come from: the Overview's "what changed" list, which triages after each of
the Overview's answers (`FindingsReady`). When another tab is shown, the watch refresh does not
ask the Overview anything, so the tick runs the same triage alone, in the background, and only
its detection (the five series requests) unless a finding is new: only a new finding is
attributed (the culprit its alert carries), the 15-50 requests more that takes. And at most
every `BACKGROUND_EVERY` seconds (a watch every 5 s on the Scores tab took 2.5 % of a core with
a triage at each tick, 0.9 % without): there, a new finding alerts within 30 s. The cheapest way
that still sees every new finding.

"New" is per question (filter and range): a finding is its metric, direction and start bucket.
The first triage of a question only learns what is there (nothing is new yet: no alert at start,
nor after a change of filter or range); every triage, watching or not, adds what it saw, so
turning the watch on does not alert on what was already on screen. A failing alert command, or a
failing background triage, is said once (a warning notification) until it works again.
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from time import monotonic
from typing import TYPE_CHECKING, Any

from tui import clock
from tui.safe import one_line
from tui.screens.base import user_message
from tui.screens.overview_findings import finding_line, triage_of
from tui.screens.services import services

if TYPE_CHECKING:
    from textual.screen import Screen

    from tui.context import Investigation
    from tui.query.triage import Finding, TriageResult

FindingKey = tuple[str, str, datetime]
#: The background triage (another tab shown) runs at most this often, in seconds.
BACKGROUND_EVERY = 30.0


def watch_note(seconds: float) -> str:
    """What `w` says when it turns the watch on."""
    return (f"Watching every {seconds:g} s: a triage finding that was not there before rings the "
            "bell (what is there now does not).")


def finding_key(finding: Finding) -> FindingKey:
    return (finding.metric, finding.shift.direction, finding.start)


class WatchAlerts:
    """The main screen's alerts (a plain helper: it owns no widget)."""

    def __init__(self, screen: Screen[Any], secret: str = "") -> None:
        self._screen = screen
        self._secret = secret  # masked in an alert command's output
        self._seen: dict[Any, set[FindingKey]] = {}
        self._said: set[str] = set()  # the failures already reported
        self._running = False  # a background triage is on its way
        self._last_background = -math.inf
        self.background_every = BACKGROUND_EVERY
        #: What was alerted and which failures were said, in order (for tests, and a future
        #: history view: a notification goes away).
        self.alerted: list[Finding] = []
        self.said: list[str] = []

    def found(self, question: Any, result: TriageResult, watching: bool) -> list[Finding]:
        """A triage of `question` finished: alert on what is new (when watching)."""
        self._said.discard("triage")
        before = self._seen.get(question)
        self._seen[question] = (before or set()) | {finding_key(f) for f in result.findings}
        if before is None or not watching:
            return []
        new = [f for f in result.findings if finding_key(f) not in before]
        if new:
            self._alert(new)
        return new

    def is_new(self, question: Any, result: TriageResult) -> bool:
        """Would `result` alert (something in it not seen before, after a first triage)?"""
        before = self._seen.get(question)
        return before is not None and any(finding_key(f) not in before
                                          for f in result.findings)

    def tick(self, context: Investigation, overview_shown: bool) -> None:
        """A watch refresh: the Overview triages with its answer; otherwise triage here."""
        if overview_shown or self._running:  # (a slow triage is not cut short by the next tick)
            return
        # (A tick may come a little early: timers are not exact.)
        if monotonic() - self._last_background < self.background_every - 0.5:
            return
        self._last_background = monotonic()
        self._running = True
        self._screen.run_worker(self._background(context), group="watch-triage",
                                name="watch triage", exit_on_error=False)

    async def _background(self, context: Investigation) -> None:
        try:
            window = context.time_range.resolve(clock.now())
            question = (context.filter_text, context.time_range)
            result = await triage_of(await services(self._screen).get_client(),
                                     context.filter, window,
                                     attribute_if=lambda early: self.is_new(question, early))
        except Exception as exc:  # a notice, never a traceback
            self._say_once("triage", f"Watch: triage failed: {user_message(exc)}")
            return
        finally:
            self._running = False
        watching = bool(getattr(self._screen, "watching", True))
        self.found(question, result, watching)

    def _alert(self, new: list[Finding]) -> None:
        app = self._screen.app
        app.bell()  # once, however many are new
        tz = clock.local_zone()
        for finding in new:
            self.alerted.append(finding)
            app.notify(finding_line(finding, tz).plain, title="New finding", markup=False,
                       severity="warning", timeout=10)
        self._screen.run_worker(self._run_command([f.as_json() for f in new]),
                                group="alert-command", name="alert command",
                                exit_on_error=False)

    async def _run_command(self, findings: list[dict[str, Any]]) -> None:
        import asyncio

        from tui.config import ConfigError
        from tui.config_alert import alert_command, run_alert_command

        try:
            command = await asyncio.to_thread(alert_command)
        except ConfigError as exc:
            self._say_once("command", exc.message)
            return
        if command is None:
            return
        secrets = (self._secret,) if self._secret else ()
        for finding in findings:
            failure = await asyncio.to_thread(run_alert_command, command, json.dumps(finding),
                                              secrets)
            if failure is not None:
                self._say_once("command", failure)
                return
            self._said.discard("command")

    def _say_once(self, what: str, message: str) -> None:
        if what not in self._said:
            self._said.add(what)
            self.said.append(one_line(message, 300))
            self._screen.app.notify(one_line(message, 300), severity="warning", markup=False,
                                    timeout=8)
