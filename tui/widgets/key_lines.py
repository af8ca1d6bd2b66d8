"""The keys footer of every screen: one widget drawing the screen's shown bindings as text.

Textual's `Footer` mounts a widget per key and recomposes them all whenever the bindings change,
which they do on every focus move: on the main screen that was about a third of a tab switch, and
a quarter of the shell's first frame. This widget reads the same active bindings (so a remapped
key shows remapped), keeps a binding group on one item (`J/K Move`), dims what cannot apply now,
and either wraps onto as many lines as it takes or, with `one_line`, keeps the pinned keys (help,
quit) and drops what does not fit, so `?` is always there to list the rest. A click on an item
presses its key.
"""

from __future__ import annotations

from typing import Any, ClassVar, NamedTuple

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget


class KeyItem(NamedTuple):
    keys: str  # as shown, e.g. "J/K"
    what: str
    enabled: bool
    press: str  # the key a click presses
    action: str


class KeyLines(Widget):
    """The screen's keys, wrapped (or cut to `one_line`, keeping the `pinned` actions)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-lines--key",
        "key-lines--description",
        "key-lines--disabled",
    }

    def __init__(
        self,
        *,
        one_line: bool = False,
        pinned: tuple[str, ...] = ("help", "quit"),
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.one_line = one_line
        self.pinned = pinned
        self._hits: list[tuple[int, int, int, str]] = []  # (line, x from, x to, key)
        # The lines drawn for a width, until the bindings or the styles change: they are asked
        # for by each layout and each paint (on the detail screen's first frame, ~10 ms each).
        self._drawn: tuple[int, list[Text], list[tuple[int, int, int, str]]] | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        self._drawn = None
        # A fixed height needs no new layout, only a repaint.
        self.refresh(layout=not self.one_line)

    def notify_style_update(self) -> None:
        self._drawn = None  # a theme: the keys' colours
        super().notify_style_update()

    def items(self) -> list[KeyItem]:
        """The screen's shown bindings, the focused widget's first, each in declared order."""
        screen = self.screen
        first: dict[str, tuple[Binding, bool, tuple[bool, int]]] = {}
        for active in screen.active_bindings.values():
            binding = active.binding
            if active.node is self.app or not binding.show or binding.action in first:
                continue
            declared = [b.action for b in getattr(type(active.node), "BINDINGS", ())
                        if isinstance(b, Binding)]
            where = declared.index(binding.action) if binding.action in declared else 99
            first[binding.action] = (binding, active.enabled, (active.node is screen, where))
        out: list[KeyItem] = []
        last_group: Binding.Group | None = None
        for binding, enabled, _ in sorted(first.values(), key=lambda item: item[2]):
            key = self.app.get_key_display(binding)
            group = binding.group
            what = group.description if group else binding.description
            if out and ((group is not None and group is last_group) or what == out[-1].what):
                prev = out[-1]  # one item for keys that do the same: "↑/↓ Score"
                out[-1] = prev._replace(keys=f"{prev.keys}/{key}", enabled=prev.enabled or enabled)
            else:
                out.append(KeyItem(key, what, enabled, binding.key.split(",")[0], binding.action))
            last_group = group
        return out

    def _fitted(self, width: int) -> list[KeyItem]:
        """The items to draw: all of them, or with `one_line` those that fit, pinned ones kept."""
        items = self.items()
        if not self.one_line:
            return items
        pinned = [item for item in items if item.action in self.pinned]
        room = width - sum(_width(item) + 2 for item in pinned)  # +2: the gap before each
        kept: list[KeyItem] = []
        for item in items:
            if item in pinned:
                continue
            if _width(item) + 2 <= room:
                kept.append(item)
                room -= _width(item) + 2
        return kept + pinned

    def _lines(self, width: int) -> list[Text]:
        """The lines for `width`: what Textual's own Footer shows, they change when the screen
        says its bindings did (a focus move, a `refresh_bindings`) or the styles do."""
        if self._drawn is not None and self._drawn[0] == width:
            self._hits = self._drawn[2]
            return self._drawn[1]
        key_style = self.get_component_rich_style("key-lines--key", partial=True)
        what_style = self.get_component_rich_style("key-lines--description", partial=True)
        off_style = self.get_component_rich_style("key-lines--disabled", partial=True)
        lines: list[Text] = [Text()]
        hits: list[tuple[int, int, int, str]] = []
        for found in self._fitted(width):
            item = Text.assemble((found.keys, key_style), " ", (found.what, what_style))
            if not found.enabled:
                item.stylize(off_style)
            line = lines[-1]
            gap = 2 if line.cell_len else 0
            # Wrap (never with one_line: `_fitted` kept only what fits one line).
            if line.cell_len and line.cell_len + gap + item.cell_len > width:
                lines.append(item)
                hits.append((len(lines) - 1, 0, item.cell_len, found.press))
            else:
                line.append(" " * gap)
                start = line.cell_len
                line.append_text(item)
                hits.append((len(lines) - 1, start, line.cell_len, found.press))
        self._hits = hits
        self._drawn = (width, lines, hits)  # (render joins them into a new Text)
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Text:
        return Text("\n").join(self._lines(self.content_size.width))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        for line, start, end, key in self._hits:
            if offset.y == line and start <= offset.x < end:
                event.stop()
                self.app.simulate_key(key)
                return


def _width(item: KeyItem) -> int:
    return Text(f"{item.keys} {item.what}").cell_len
