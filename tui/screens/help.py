"""`?`: the keys of the screen below, grouped, in columns that fit the terminal (80x24 included).

Only the app's own bindings are listed (every one has an id, for `[keys]` in config.toml);
Textual's internal ones (focus next, copy selected text, page left...) are left out. A binding's
`tooltip` is its long label here ("Window back by its length"); the footer shows the short
`description`. The ids show beside the labels when there is room, and `i` switches to them.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.events import Resize
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from tui.screens import MODAL_CSS
from tui.widgets.key_lines import KeyLines

GAP = 3  # columns between the help's columns


class KeyRow(NamedTuple):
    keys: str
    what: str
    binding_id: str


class Group(NamedTuple):
    title: str
    rows: list[KeyRow]


def describe_keys(screen: Screen) -> list[Group]:
    """The bindings active on `screen` now, grouped: the focused part's own first (a tab's), then
    the screen's by its `HELP_GROUPS` (title, binding ids), then the rest of the screen's."""
    app = screen.app
    by_node: dict[object, dict[str, tuple[Binding, list[str]]]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if active.node is app or not binding.id:  # Textual's own: not this screen's keys
            continue
        rows = by_node.setdefault(active.node, {})
        if binding.id in rows:
            rows[binding.id][1].append(app.get_key_display(binding))
        else:
            rows[binding.id] = (binding, [app.get_key_display(binding)])

    def row(binding: Binding, keys: list[str]) -> KeyRow:
        what = binding.tooltip or binding.description or binding.action
        return KeyRow(" ".join(dict.fromkeys(keys)), what, binding.id or "")

    groups: list[Group] = []
    for node, rows in by_node.items():
        if node is screen:
            continue
        title = getattr(node, "HELP_TITLE", None) or _title(type(node).__name__)
        groups.append(Group(title, [row(b, k) for b, k in rows.values()]))
    own = dict(by_node.get(screen, {}))
    for title, ids in getattr(screen, "HELP_GROUPS", ()):
        found = [row(*own.pop(i)) for i in ids if i in own]
        if found:
            groups.append(Group(title, found))
    if own:
        groups.append(Group("Keys" if not groups else "More", [row(b, k) for b, k in own.values()]))
    palette = Binding(app.COMMAND_PALETTE_BINDING, "")
    groups.append(Group("Anywhere", [KeyRow(app.get_key_display(palette),
                                            "Commands (search actions)", "")]))
    return groups


def _title(name: str) -> str:
    """`ScoresTab` -> "Scores tab", `FilterLine` -> "Filter line"."""
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in name).split()
    return " ".join(words).capitalize() if words else name


def layout(groups: list[Group], width: int, height: int, show: str = "auto") -> list[Text]:
    """The groups as columns of text for `width` x `height` cells; a group is never split.

    `show`: "what" (labels), "id" (binding ids) or "auto" (both when they fit, else labels)."""
    if show == "auto":
        columns, fits = _arrange(_blocks(groups, "both"), width, height)
        if fits:
            return columns
        show = "what"
    return _arrange(_blocks(groups, show), width, height)[0]


def _blocks(groups: list[Group], show: str) -> list[list[Text]]:
    key_w = max((len(r.keys) for g in groups for r in g.rows), default=1)
    blocks: list[list[Text]] = []
    for group in groups:
        lines = [Text(group.title, style="bold underline")]
        for r in group.rows:
            line = Text(r.keys.ljust(key_w), style="bold")
            line.append("  ")
            if show in ("what", "both"):
                line.append(r.what)
            if show in ("id", "both") and r.binding_id:
                line.append("  " if show == "both" else "")
                line.append(r.binding_id, style="dim")
            lines.append(line)
        blocks.append(lines)
    return blocks


def _arrange(blocks: list[list[Text]], width: int, height: int) -> tuple[list[Text], bool]:
    """(the columns, whether everything fits uncut), in the fewest columns that fit the height."""
    widest = max((line.cell_len for block in blocks for line in block), default=1)
    for count in range(1, 5):
        columns = _split(blocks, count)
        col_width = _col_width(width, count)
        if max(len(c) for c in columns) <= height:
            break
    fits = max(len(c) for c in columns) <= height and widest <= col_width
    out: list[Text] = []
    for column in columns:
        for line in column:
            line.truncate(col_width, overflow="ellipsis")
        out.append(Text("\n").join(column))
    return out, fits


def _col_width(width: int, count: int) -> int:
    return max(10, (width - GAP * (count - 1)) // max(1, count))


def _split(blocks: list[list[Text]], count: int) -> list[list[Text]]:
    """Blocks in at most `count` columns, in order, the longest column as short as it can be
    (a blank line between blocks). There are a handful of blocks: every split is tried."""
    from itertools import combinations, pairwise

    def height(part: list[list[Text]]) -> int:
        return sum(len(b) for b in part) + len(part) - 1

    n = len(blocks)
    best: list[list[list[Text]]] = [blocks]
    for cuts in combinations(range(1, n), min(count, n) - 1):
        edges = (0, *cuts, n)
        parts = [blocks[a:b] for a, b in pairwise(edges)]
        if max(map(height, parts)) < max(map(height, best)):
            best = parts
    columns: list[list[Text]] = []
    for part in best:
        column: list[Text] = []
        for block in part:
            if column:
                column.append(Text(""))
            column.extend(block)
        columns.append(column)
    return columns


class HelpScreen(ModalScreen[None]):
    CSS_PATH = MODAL_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q,enter", "close", "Close", id="help.close"),
        Binding("i", "toggle_ids", "Binding ids", id="help.ids",
                tooltip="Binding ids (for [keys] in config.toml) / labels"),
    ]

    def __init__(self, below: Screen) -> None:
        super().__init__()
        self.groups = describe_keys(below)
        self.show = "auto"

    @property
    def rows(self) -> list[KeyRow]:
        """Every key listed, in order (keys, what it does, binding id)."""
        return [row for group in self.groups for row in group.rows]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog"):
            yield Label(Text("Keys on this screen  (i: binding ids, to remap in [keys] of "
                             "config.toml)", no_wrap=True, overflow="ellipsis"),
                        classes="dialog-title")
            with VerticalScroll(id="help-body"):
                yield Static(id="help-columns")
        yield KeyLines()

    def on_resize(self, event: Resize) -> None:
        self._draw()

    def on_mount(self) -> None:
        self._draw()

    def _draw(self) -> None:
        found = self.query("#help-columns")
        if not found:
            return
        width = max(20, self.app.size.width - 2)  # the padding
        height = max(4, self.app.size.height - 2)  # the title and the footer
        columns = layout(self.groups, width, height, self.show)
        col_width = _col_width(width, len(columns))
        from rich.table import Table

        grid = Table.grid(padding=(0, GAP, 0, 0))
        for _ in columns:
            grid.add_column(width=col_width, no_wrap=True, overflow="ellipsis")
        grid.add_row(*columns)
        found.first(Static).update(grid)

    def action_toggle_ids(self) -> None:
        self.show = "id" if self.show != "id" else "what"
        self._draw()

    def action_close(self) -> None:
        self.dismiss(None)
