"""A legend line over a chart: its title, then a coloured mark and a label per series."""

from __future__ import annotations

from typing import ClassVar

from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tui.widgets.timeseries import ChartData


class Legend(Widget):
    DEFAULT_CSS = """
    Legend {
        height: auto;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"legend--title"}

    data: reactive[ChartData | None] = reactive(None, layout=True)
    hidden: reactive[frozenset[str]] = reactive(frozenset())

    def __init__(self, title: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title

    def render(self) -> Text:
        text = Text(no_wrap=False, overflow="fold")
        if self.title:
            text.append(self.title, self.get_component_rich_style("legend--title", partial=True))
            text.append("  ")
        if self.data is None:
            return text
        for i, series in enumerate(self.data.series):
            if i:
                text.append("  ")
            if series.label in self.hidden:
                text.append("- " + series.label, style=Style(dim=True, strike=True))
            else:
                text.append("■ ", style=Style(color=Color.from_rgb(*series.color)))
                text.append(series.label)
        return text
