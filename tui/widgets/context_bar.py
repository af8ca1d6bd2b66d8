"""The header: target (a clear DEMO mark), time range in local time, watch, last fetch, filter."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tui.safe import visible


class ContextBar(Widget):
    """Two lines; every value is set by the main screen, this widget only draws.

    line 1: target  range (local time)  watch  fetched
    line 2: [drill: BUCKET - backspace returns]  [preset NAME (changed)]  [by DIM]  filter text
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "context-bar--demo",
        "context-bar--target",
        "context-bar--label",
        "context-bar--watch-on",
        "context-bar--preset",
        "context-bar--changed",
        "context-bar--drill",
        "context-bar--breakdown",
    }

    target = reactive("")
    demo = reactive(False)
    range_text = reactive("")
    filter_text = reactive("all")
    watch_text = reactive("off")
    watching = reactive(False)
    fetched_text = reactive("never")
    preset_text = reactive("")  # the active preset's name ("": none)
    preset_changed = reactive(False)  # the context differs from that preset
    drill_text = reactive("")  # the bucket of the drill-down the user is in ("": none)
    breakdown_text = reactive("")  # the breakdown dimension (`b`; "": no split)

    def render(self) -> Group:
        label = self.get_component_rich_style("context-bar--label", partial=True)
        rest = Text(no_wrap=True, overflow="ellipsis")
        rest.append(" ")
        rest.append(self.range_text)
        rest.append("  watch ", label)
        if self.watching:
            style = self.get_component_rich_style("context-bar--watch-on", partial=True)
            rest.append(self.watch_text, style)
        else:
            rest.append(self.watch_text)
        rest.append("  fetched ", label)
        rest.append(self.fetched_text)
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.demo:
            text.append(" DEMO ", self.get_component_rich_style("context-bar--demo", partial=True))
        else:
            # A long host gives way (ellipsis) before the range, watch and fetched fields do.
            style = self.get_component_rich_style("context-bar--target", partial=True)
            width = self.content_size.width
            room = max(4, width - rest.cell_len - 2) if width else 0
            target = visible(self.target)
            if room and len(target) > room:
                target = target[: room - 1] + "…"
            text.append(f" {target} ", style)
        text.append_text(rest)
        second = Text(no_wrap=True, overflow="ellipsis", end="")
        if self.drill_text:
            style = self.get_component_rich_style("context-bar--drill", partial=True)
            second.append(f"drill: {visible(self.drill_text)}", style)
            second.append(" - backspace returns  ", label)
        if self.preset_text:
            second.append("preset ", label)
            second.append(
                visible(self.preset_text),
                self.get_component_rich_style("context-bar--preset", partial=True),
            )
            if self.preset_changed:
                style = self.get_component_rich_style("context-bar--changed", partial=True)
                second.append(" (changed)", style)
            second.append("  ")
        if self.breakdown_text:
            second.append("by ", label)
            second.append(visible(self.breakdown_text),
                          self.get_component_rich_style("context-bar--breakdown", partial=True))
            second.append("  ")
        second.append("filter ", label)
        second.append(self.filter_text)
        return Group(text, second)
