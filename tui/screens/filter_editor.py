"""`f`: the filter tree editor: any and/or tree from the keyboard, as a tree and as a line of text.

The `EditorModel` is the truth. After every edit the `FilterTree` is rebuilt from it with the
cursor on the same node, and the text line below shows the model's normal form (the title and the
note under the tree are made in filter_editor_view.py). The text line can be edited too: enter
re-builds the tree when the text parses; when it does not, the error and its column show and the
tree stays as it was. ctrl+s applies the normal form and closes; escape closes (asking first when
something changed).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.filters.editing import EditError, EditorModel, Row
from tui.filters.text import format as format_filter
from tui.filters.text import parse
from tui.filters.tree import Condition, FilterError, Node
from tui.screens import MODAL_CSS
from tui.screens.condition_editor import FILTER_EDITOR_CSS, ConditionEditor
from tui.screens.confirm_discard import ConfirmDiscard
from tui.screens.filter_editor_view import detail_text, keys_used, title_text
from tui.screens.score_keys import known_score_keys
from tui.widgets.filter_tree import FilterTree
from tui.widgets.key_lines import KeyLines

_MOVE = Binding.Group("Move", compact=True)
_CURSOR = Binding.Group("Cursor", compact=True)
_HISTORY = Binding.Group("Undo/redo", compact=True)

#: Actions that act on the tree: off while the text line has the keyboard.
TREE_ACTIONS = frozenset(
    {"add_condition", "add_group", "flip", "wrap", "edit", "delete", "move", "cursor", "undo",
     "redo", "help", "focus_text"}
)


class FilterText(Input):
    """The filter's text line: enter re-builds the tree from it; tab goes back to the tree."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Re-build the tree", id="filter_editor.text.submit"),
        Binding("tab,shift+tab", "screen.focus_tree", "Back to the tree",
                id="filter_editor.text.tree"),
    ]


class FilterEditor(ModalScreen[Node | None]):
    """Dismisses with the filter to apply (its normal form), or None (closed without applying)."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [MODAL_CSS, FILTER_EDITOR_CSS]
    AUTO_FOCUS = ""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_condition", "Add", id="filter_editor.add"),
        Binding("g", "add_group", "Group", id="filter_editor.group"),
        Binding("o", "flip", "And/or", id="filter_editor.flip"),
        Binding("w", "wrap", "Wrap", id="filter_editor.wrap"),
        Binding("e,enter", "edit", "Edit", id="filter_editor.edit"),
        Binding("d", "delete", "Delete", id="filter_editor.delete"),
        Binding("J", "move(1)", "Move down", id="filter_editor.move_down", group=_MOVE),
        Binding("K", "move(-1)", "Move up", id="filter_editor.move_up", group=_MOVE),
        Binding("j,down", "cursor(1)", "Cursor down", id="filter_editor.next", group=_CURSOR),
        Binding("k,up", "cursor(-1)", "Cursor up", id="filter_editor.previous", group=_CURSOR),
        Binding("u", "undo", "Undo", id="filter_editor.undo", group=_HISTORY),
        Binding("U", "redo", "Redo", id="filter_editor.redo", group=_HISTORY),
        Binding("ctrl+s", "apply", "Apply", id="filter_editor.apply"),
        Binding("escape", "close", "Close", id="filter_editor.close"),
        Binding("question_mark", "help", "Keys", id="filter_editor.help"),
        Binding("tab", "focus_text", "Text line", id="filter_editor.text"),
    ]

    def __init__(
        self,
        node: Node,
        *,
        sessions: bool = False,
        tab_title: str = "",
        score_keys: Iterable[str] = (),
    ) -> None:
        super().__init__()
        self.model = EditorModel(node, sessions=sessions)
        self.sessions = sessions
        self.tab_title = tab_title
        self.score_keys = list(score_keys)
        self._rows: list[Row] = []  # the model's rows and text, as last shown
        self._text = ""
        self._history: tuple[bool, bool] | None = None

    @classmethod
    def for_tab(cls, node: Node, active: Any, tabs: Sequence[Any]) -> FilterEditor:
        """The editor for the main screen's `f`: the active tab decides which fields can be
        sent; the tabs' last answers give score keys to suggest."""
        from tui.screens import TABS

        endpoint = getattr(active, "ENDPOINT", "")
        title = next((spec.title for spec in TABS if spec.id == endpoint), endpoint)
        return cls(node, sessions=endpoint == "sessions", tab_title=title,
                   score_keys=known_score_keys(tabs))

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        with Vertical(id="filter-editor", classes="dialog"):
            yield Static("", id="filter-editor-title", classes="dialog-title")
            yield FilterTree(id="filter-tree")
            yield Static("", id="filter-detail")
            with Horizontal(id="filter-text-row"):
                yield Label("text ", id="filter-text-label")
                yield FilterText(
                    placeholder="the filter as text; enter re-builds the tree",
                    id="filter-text",
                    compact=True,
                    select_on_focus=False,
                )
            yield Static("", id="filter-text-error")
        yield KeyLines(id="filter-keys")

    def on_mount(self) -> None:
        self.refresh_view()
        self.filter_tree.focus()

    def on_screen_suspend(self) -> None:
        # A modal on top (the condition editor, ?) has its own footer: ours would show through.
        self.query_one(KeyLines).display = False

    def on_screen_resume(self) -> None:
        self.query_one(KeyLines).display = True

    @property
    def filter_tree(self) -> FilterTree:
        return self.query_one(FilterTree)

    @property
    def text_input(self) -> Input:
        return self.query_one("#filter-text", Input)

    # ----------------------------------------------------------------- model -> view

    def refresh_view(self) -> None:
        """Rebuild the tree and the text line from the model (after every edit)."""
        model = self.model
        self._rows = model.rows()
        self._text = model.text
        self.filter_tree.show(self._rows, model.cursor)
        text_input = self.text_input
        text_input.value = self._text
        text_input.cursor_position = 0
        self._show_text_error(None)
        self._show_title()
        self._show_detail()
        history = (model.can_undo, model.can_redo)
        if history != self._history:  # undo / redo became possible, or stopped being
            self._history = history
            self.refresh_bindings()

    def _show_title(self) -> None:
        self.query_one("#filter-editor-title", Static).update(
            title_text(self.model, self.tab_title), layout=False  # one line
        )

    def _show_detail(self) -> None:
        self.query_one("#filter-detail", Static).update(detail_text(self.model, self._rows))

    def _show_text_error(self, error: FilterError | None, *, point: bool = False) -> None:
        """Show (or clear) the text line's error; `point` also puts the line's cursor on its
        column (on enter, not while typing)."""
        box = self.query_one("#filter-text-error", Static)
        if error is None and not self.has_class("-text-error"):
            return  # nothing shown, nothing to clear
        self.set_class(error is not None, "-text-error")
        if error is None:
            box.update("")
            return
        column = getattr(error, "column", None)
        if column is None:
            box.update(Text(str(error)))
            return
        text_input = self.text_input
        if point:
            text_input.cursor_position = max(0, column - 1)

        def caret() -> None:
            # The caret sits under the column when it is in view (the line may scroll).
            x = column - 1 - int(text_input.scroll_offset.x)
            pointer = " " * x + "^\n" if 0 <= x < text_input.size.width else ""
            box.update(Text(pointer + str(error)))

        box.update(Text(str(error)))
        self.call_after_refresh(caret)

    # ----------------------------------------------------------------- keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in TREE_ACTIONS and self.focused is self.text_input:
            return False  # the text line has the keyboard: typing is text
        if action == "undo" and not self.model.can_undo:
            return None  # shown, dimmed
        if action == "redo" and not self.model.can_redo:
            return None
        return True

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        self.refresh_bindings()

    def _edited(self, changed: bool) -> None:
        if changed:
            self.refresh_view()
        else:
            self.app.bell()

    def _property_keys(self) -> list[str]:
        return keys_used(self.model.root, ("properties", "search_properties"))

    def _score_keys(self) -> list[str]:
        return list(dict.fromkeys([*self.score_keys, *keys_used(self.model.root, ("scores",))]))

    def _condition_editor(self, condition: Condition | None) -> ConditionEditor:
        return ConditionEditor(
            condition,
            sessions=self.sessions,
            score_keys=self._score_keys(),
            property_keys=self._property_keys(),
        )

    def action_add_condition(self) -> None:
        def added(cond: Condition | None) -> None:
            if cond is None:
                return
            try:
                self.model.add_condition(cond)
            except EditError as exc:
                self.notify(str(exc), severity="error")
                return
            self.refresh_view()

        self.app.push_screen(self._condition_editor(None), added)

    def action_add_group(self) -> None:
        self.model.add_group()
        self.refresh_view()

    def action_flip(self) -> None:
        self._edited(self.model.flip())

    def action_wrap(self) -> None:
        self._edited(self.model.wrap())

    def action_edit(self) -> None:
        focused = self.model.focused
        if not isinstance(focused, Condition):
            self.notify("A group: o flips it between AND and OR; a adds inside it.", timeout=3)
            return

        def edited(cond: Condition | None) -> None:
            if cond is None:
                return
            try:
                changed = self.model.replace(cond)
            except EditError as exc:
                self.notify(str(exc), severity="error")
                return
            if changed:
                self.refresh_view()

        self.app.push_screen(self._condition_editor(focused), edited)

    def action_delete(self) -> None:
        if not self.model.cursor:
            self.notify("The top group stays; delete what is inside it.", timeout=3)
            return
        self._edited(self.model.delete())

    def action_move(self, delta: int) -> None:
        self._edited(self.model.move(delta))

    def action_cursor(self, delta: int) -> None:
        moved = self.model.cursor_next() if delta > 0 else self.model.cursor_prev()
        if moved:
            self.filter_tree.move_to(self.model.cursor)
            self._show_detail()

    def on_filter_tree_cursor_moved(self, message: FilterTree.CursorMoved) -> None:
        if message.path != self.filter_tree.cursor_path or message.path == self.model.cursor:
            return  # stale (a key moved on since) or our own move
        self.model.set_cursor(message.path)
        self._show_detail()

    def action_undo(self) -> None:
        self._edited(self.model.undo())

    def action_redo(self) -> None:
        self._edited(self.model.redo())

    def action_focus_text(self) -> None:
        text_input = self.text_input
        text_input.focus()
        text_input.cursor_position = len(text_input.value)

    def action_focus_tree(self) -> None:
        self.filter_tree.focus()

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))

    # ----------------------------------------------------------------- the text line

    def _pending_text(self) -> str | None:
        """The text line when it differs from what the model shows (typed, not applied)."""
        value = self.text_input.value.strip()
        return None if value == self._text else value

    def _apply_text(self, text: str) -> bool:
        """Re-build the tree from the text; on an error, show it and keep the tree."""
        try:
            self.model.set_text(text)
        except FilterError as exc:
            self._show_text_error(exc, point=True)
            return False
        self.refresh_view()
        return True

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        pending = self._pending_text()
        if pending is None:
            self._show_text_error(None)
            return
        try:
            parse(pending)
        except FilterError as exc:
            self._show_text_error(exc)
            return
        self._show_text_error(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        pending = self._pending_text()
        if pending is None or self._apply_text(pending):
            self.filter_tree.focus()

    # ----------------------------------------------------------------- closing

    @property
    def has_changes(self) -> bool:
        """Whether closing would lose something: an edit, or text typed and not applied."""
        if self.model.changed:
            return True
        pending = self._pending_text()
        if pending is None:
            return False
        try:
            return format_filter(parse(pending)) != self._text
        except FilterError:
            return True

    def action_apply(self) -> None:
        pending = self._pending_text()
        if pending is not None and not self._apply_text(pending):
            self.text_input.focus()
            self.app.bell()
            return
        self.dismiss(self.model.result())

    def action_close(self) -> None:
        if not self.has_changes:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDiscard(), answered)


__all__ = ["ConfirmDiscard", "FilterEditor", "known_score_keys"]
