"""Text that changes often without moving anything: a repaint, never a layout of the screen.

A `Static.update` lays the whole screen out again (its size may have changed); the Overview's
strip and info line change with every answer that arrives, and each layout at 120x40 cost more
than the answer's own drawing. Here the height is set only when the number of lines changes.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class TextLine(Widget):
    DEFAULT_CSS = """
    TextLine {
        height: 1;
    }
    """

    text: reactive[Text] = reactive(Text, layout=False)

    def show(self, text: Text) -> None:
        """Show `text` (nothing happens when it is what is shown)."""
        if text == self.text:
            return
        lines = text.plain.count("\n") + 1
        if self.styles.height is None or self.styles.height.value != lines:
            self.styles.height = lines  # the one case that needs a layout
        self.text = text

    def render(self) -> Text:
        return self.text
