"""The Overview's "what changed" list (DESIGN.md "The views"): triage's findings for the
investigation's filter and range, most severe first, one line each, below the totals strip.

The Overview asks for them when its own answer is in (`FindingsList.ask`): the panels' requests
go first and are never queued behind triage's; the triage is `tui.query.triage.run_triage`, the
command line's, through the app's one client, in a worker of this list (its detection in a
thread). A failure shows its message here only. `!` (the Overview's) focuses the list; `enter`
on a finding posts `FindingChosen` (the main screen narrows the investigation to its filter and
span, `backspace` undoes it); `escape` gives the focus back to the tab. Every triage posts
`FindingsReady`, which watch mode's alerts read (tui/screens/watch_alerts.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui import clock
from tui.messages import DrillDown, span_label
from tui.safe import one_line, visible
from tui.screens.base import user_message
from tui.screens.services import services

if TYPE_CHECKING:
    from tui.api.timerange import Window
    from tui.context import Investigation
    from tui.filters.tree import Node
    from tui.query.triage import Finding, TriageResult

NOTHING = "Nothing changed: no level shift in this range."
ARROWS = {"up": "↑", "down": "↓"}


class FindingsReady(Message):
    """A triage of `question` (filter text, time range) finished: for watch mode's alerts."""

    def __init__(self, question: Any, result: TriageResult) -> None:
        super().__init__()
        self.question = question
        self.result = result


class FindingsDetected(Message):
    """The findings are known, their culprits not yet (the list shows them meanwhile)."""

    def __init__(self, ticket: int, result: TriageResult) -> None:
        super().__init__()
        self.ticket = ticket
        self.result = result


class FindingChosen(DrillDown):
    """`enter` on a finding: the investigation narrowed to its span and ANDed with its filter,
    on the tab it was chosen from (the main screen's back stack keeps where the user was)."""

    tab = "overview"


async def triage_of(client: Any, node: Node, window: Window, increment: str | None = None,
                    detected: Callable[[TriageResult], None] | None = None,
                    attribute_if: Callable[[TriageResult], bool] | None = None
                    ) -> TriageResult:
    """The findings for `node` over `window` as `helicone-tui triage` finds them (thresholds
    from config.toml's `[triage]`; the increment by Helicone's rule unless given)."""
    import asyncio

    from tui.api.enums import TimeIncrement
    from tui.api.timerange import default_increment, tz_offset_minutes
    from tui.config import triage_settings
    from tui.query.triage import run_triage
    from tui.query.triage_detect import Thresholds

    names = Thresholds.names()
    thresholds = Thresholds().updated(await asyncio.to_thread(triage_settings, names))
    step = TimeIncrement(increment) if increment else default_increment(window)
    return await run_triage(client, node, window, step, tz_offset_minutes(window.end),
                            thresholds, detected=detected, attribute_if=attribute_if)


def _value(metric: str, value: float) -> str:
    from tui.format import numbers

    if metric == "error_rate":
        return f"{numbers.significant(value * 100, 3)}%"
    if metric in ("latency_p95", "ttft"):
        return f"{numbers.count(value)}ms"
    if metric == "cost":
        return f"${numbers.significant(value, 3)}"
    return numbers.significant(value, 3)


def finding_line(finding: Finding, tz: Any, attributed: bool = True) -> Text:
    """`error_rate ↑ Nov 15 05:00 EST  7.53x 1.78%→13.4%  model = gpt-4o-mini 100%  until …`:
    one line (cut at the width, the span's end last: it matters least)."""
    s = finding.shift
    start = finding.start.astimezone(tz)
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(f"{visible(one_line(finding.metric, 28))} {ARROWS[s.direction]} ", "bold")
    line.append(f"{start.strftime('%b %d %H:%M')} {start.tzname() or ''}".rstrip())
    ratio = "" if s.ratio is None else f"{s.ratio:.3g}x "
    line.append(f"  {ratio}{_value(finding.metric, s.baseline)}→"
                f"{_value(finding.metric, s.value)}")
    culprit = finding.attribution.culprit
    if culprit is not None:
        who = f"{culprit.dimension} = {visible(one_line(culprit.value, 40))}"
        line.append(f"  {who} {culprit.share:.0%}", "bold")
    else:
        line.append("  no single culprit" if attributed else "  for whom: asking…", "dim")
    if finding.end is not None:
        end = finding.end.astimezone(tz)
        until = end.strftime("%H:%M" if end.date() == start.date() else "%b %d %H:%M")
        line.append(f"  until {until}", "dim")
    return line


def chosen(finding: Finding, window: Window) -> FindingChosen:
    """The finding's filter (its culprit's condition; none: the filter as it is) over its span:
    start .. end (exclusive: up to 1 ms before), or the window's end while it lasts."""
    from tui.filters.text import parse

    culprit = finding.attribution.culprit
    condition = None if culprit is None else parse(culprit.filter)
    start = max(finding.start, window.start)
    if finding.end is None:
        end, last = window.end, window.end
    else:
        end = min(finding.end, window.end)
        last = end - timedelta(milliseconds=1) if end == finding.end else end
    span = span_label(start, end, clock.local_zone())
    label = f"{finding.metric} {finding.shift.direction} {span}"
    return FindingChosen(start, last, condition, one_line(label))


class FindingsList(OptionList):
    """The findings, or why there are none; `state`: idle | loading | detected (the findings
    shown, their culprits on their way) | ready | error."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Leave the list", id="overview.findings_leave", show=False),
    ]

    #: False: the list never triages (for tests that count the Overview's own requests).
    ASKS: ClassVar[bool] = True

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = "idle"
        self.result: TriageResult | None = None
        self._question: Any = None
        self._asked: Any = None
        self._looking = False  # the list says "looking…" (nothing of this question shown yet)
        self._ticket = 0

    def on_mount(self) -> None:
        self._say("what changed: waiting for the overview…", "dim")

    def _say(self, text: str, style: str = "") -> None:
        self.set_options([Option(Text(text, style), disabled=True)])

    def ask(self, context: Investigation, window: Window, increment: str | None) -> None:
        """Triage the investigation over `window` (the Overview's answer to it is in). The same
        question again (a refresh, the watch) keeps the findings on screen until the new ones
        land; the same answer again (e.g. `v` asked the Overview again) asks nothing."""
        if not self.ASKS:
            return
        asked = (context.key, window, increment)
        question = (context.filter_text, context.time_range)
        if asked == self._asked and self.state in ("loading", "ready"):
            return
        if self.state in ("loading", "detected") and question == self._question:
            return  # a watch faster than triage: the one on its way is not cut short
        self._asked = asked
        self._ticket += 1
        if question != self._question or self.state != "ready":
            self._say("what changed: looking…", "dim")
            self._looking = True
        self._question = question
        self.state = "loading"
        self.run_worker(self._triage(self._ticket, context.filter, window, increment, question),
                        group="findings", exclusive=True, exit_on_error=False)

    async def _triage(self, ticket: int, node: Node, window: Window, increment: str | None,
                      question: Any) -> None:
        def detected(result: TriageResult) -> None:
            self.post_message(FindingsDetected(ticket, result))

        try:
            result = await triage_of(await services(self).get_client(), node, window, increment,
                                     detected)
        except Exception as exc:  # shown in the list, never a traceback
            if ticket == self._ticket:
                self._failed(user_message(exc))
            return
        if ticket == self._ticket:  # (workers of a widget run on the app's loop)
            self._show(result)
            self.post_message(FindingsReady(question, result))

    def on_findings_detected(self, message: FindingsDetected) -> None:
        message.stop()
        # Over "looking…" only: a watch refresh keeps the last culprits on screen instead.
        if message.ticket == self._ticket and self.state == "loading" and self._looking:
            self._show(message.result, "detected")

    def _failed(self, message: str) -> None:
        self.state = "error"
        self._looking = False
        self.result = None
        self.set_options([Option(Text(f"what changed: {message}", "bold red"), disabled=True)])

    def _show(self, result: TriageResult, state: str = "ready") -> None:
        self.state = state
        self._looking = False
        self.result = result
        if not result.findings:
            self._say(NOTHING)
            return
        tz = clock.local_zone()
        highlighted = self.highlighted
        self.set_options([Option(finding_line(f, tz, result.attributed), id=str(i))
                          for i, f in enumerate(result.findings)])
        if highlighted is not None and highlighted < self.option_count:
            self.highlighted = highlighted

    def focus_list(self) -> bool:
        """`!`: the keyboard to the list (False: nothing to choose in it)."""
        result = self.result  # (a watch refresh keeps the last one on screen meanwhile)
        if result is None or not result.attributed or not result.findings:
            self.notify(NOTHING if result is not None and result.attributed
                        else "Still asking for whom: a moment." if self.state == "detected"
                        else "No findings to choose from yet.", timeout=2)
            return False
        self.focus()
        if self.highlighted is None:
            self.highlighted = 0
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        result = self.result
        if result is None or event.option.id is None:
            return
        if not result.attributed:  # its filter is its culprit's: not known yet
            self.notify("Still asking for whom: a moment.", timeout=2)
            return
        self.post_message(chosen(result.findings[int(event.option.id)], result.window))
        self.action_leave()

    def action_leave(self) -> None:
        tab = next((a for a in self.ancestors if hasattr(a, "focus_main")), None)
        if tab is not None:
            tab.focus_main()
        else:
            self.screen.set_focus(None)
