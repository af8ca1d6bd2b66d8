"""The condition editor (the filter editor's `a` and `e`): field, operator, value, checked as typed.

The field input suggests the catalogue's fields the active tab can send (and score / property keys
the caller knows), the operator list holds only the operators of that field, and the value input
says as you type whether the value fits the field. `enter` moves on (field -> operator -> value)
and, on the value, confirms; a condition that cannot be sent cannot be confirmed and says why.
Timestamps take ISO 8601, `now`, or `-1h` / `-7d` / `-15m` / `-2w`, resolved on entry against
`tui.clock.now()`.

Both inputs complete (tui.widgets.completion): the field input the catalogue's fields and the known
property and score keys, the value input the field's values (models, providers, countries,
property values, session names) fetched for the investigation's target and range. `ctrl+l`
lists every field; in the list, `enter` or `tab` picks and `escape` closes it (a second `escape`
cancels the dialog).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui import clock
from tui.api.fields import OP_TEXT, FieldInfo, Op
from tui.filters.caveats import condition_caveats
from tui.filters.text import format_condition
from tui.filters.tree import Condition
from tui.screens import MODAL_CSS, STYLES
from tui.screens.condition_entry import (
    EntryError,
    Reading,
    field_text,
    read,
    read_field,
    suggestions,
    value_hint,
    value_text,
)
from tui.widgets.completion import Completer, main_screen
from tui.widgets.key_lines import KeyLines

#: The filter editor's and the condition editor's rules.
FILTER_EDITOR_CSS = STYLES / "filter_editor.tcss"

#: What each operator means, beside its symbol in the list.
OP_WORDS: dict[Op, str] = {
    Op.EQUALS: "equals",
    Op.NOT_EQUALS: "does not equal",
    Op.GT: "greater than",
    Op.GTE: "greater than or equal",
    Op.LT: "less than",
    Op.LTE: "less than or equal",
    Op.LIKE: "SQL LIKE (% and _ are wildcards)",
    Op.ILIKE: "LIKE, ignoring case",
    Op.CONTAINS: "contains",
    Op.NOT_CONTAINS: "does not contain",
}

# --------------------------------------------------------------------------- the screen


class ConditionEditor(ModalScreen[Condition | None]):
    """Dismisses with the condition (checked against the catalogue), or None (escape)."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [MODAL_CSS, FILTER_EDITOR_CSS]

    BINDINGS: ClassVar[list[BindingType]] = [
        # priority: enter steps through the form (the inputs and the list would take it).
        Binding("enter", "next", "Next / confirm", id="condition.next", priority=True),
        Binding("escape", "cancel", "Cancel", id="condition.cancel"),
        Binding("ctrl+l", "field_list", "Field list", id="condition.fields"),
    ]

    def __init__(
        self,
        condition: Condition | None = None,
        *,
        sessions: bool = False,
        score_keys: Iterable[str] = (),
        property_keys: Iterable[str] = (),
    ) -> None:
        super().__init__()
        self.condition = condition
        self.sessions = sessions
        self._given_score_keys = list(score_keys)
        self._suggestions = suggestions(
            sessions=sessions, score_keys=score_keys, property_keys=property_keys
        )
        self._ops_for: str | None = None  # the field whose operators the list holds
        self._tried = False  # after a refused enter, errors show even for empty inputs
        self.reading = Reading()

    def compose(self) -> ComposeResult:
        title = "Edit condition" if self.condition else "Add condition"
        with Vertical(id="condition-dialog", classes="dialog"):
            where = " (Sessions tab: session fields too)" if self.sessions else ""
            yield Label(title + where, classes="dialog-title")
            with Horizontal(classes="condition-row", id="condition-field-row"):
                yield Label("field    ", classes="condition-label")
                field = Input(
                    field_text(self.condition) if self.condition else "",
                    placeholder="e.g. model, status, properties.environment",
                    suggester=SuggestFromList(self._suggestions, case_sensitive=False),
                    id="condition-field",
                    compact=True,
                    select_on_focus=False,
                )
                yield field
            yield Static("", id="condition-field-info", classes="condition-info")
            with Horizontal(classes="condition-row", id="condition-op-row"):
                yield Label("operator ", classes="condition-label")
                yield OptionList(id="condition-ops", compact=True)
            with Horizontal(classes="condition-row"):
                yield Label("value    ", classes="condition-label")
                value = Input(
                    value_text(self.condition) if self.condition else "",
                    id="condition-value",
                    compact=True,
                    select_on_focus=False,
                )
                yield value
            yield Static("", id="condition-value-info", classes="condition-info")
            yield Static("", id="condition-preview")
            yield Static("", id="condition-caveats")
            yield Static("", id="condition-error")
            # In the dialog, not in a row: a dropdown inside a one-row container is cut to one
            # row, and one on the screen would move the centred dialog while it is open.
            yield Completer(field, mode="field", sessions=lambda: self.sessions,
                            score_keys=self._score_keys, id="condition-field-completion")
            yield Completer(value, mode="value", field_of=self._value_field,
                            id="condition-value-completion")
        yield KeyLines()

    def _score_keys(self) -> list[str]:
        from tui.screens.base import QueryTab
        from tui.screens.score_keys import known_score_keys

        screen = main_screen(self.app)
        seen = known_score_keys(screen.query(QueryTab)) if screen is not None else []
        return list(dict.fromkeys([*self._given_score_keys, *seen]))

    def _value_field(self) -> tuple[str, str | None] | None:
        """The field (and key) whose values the value input offers: the field input's."""
        try:
            info, key = read_field(self.field_input.value, sessions=self.sessions)
        except EntryError:
            return None
        return info.name, key

    def on_mount(self) -> None:
        self._update()
        if self.condition is not None:
            self.query_one("#condition-value", Input).focus()
        else:
            self.query_one("#condition-field", Input).focus()

    # ----------------------------------------------------------------- reading the form

    @property
    def field_input(self) -> Input:
        return self.query_one("#condition-field", Input)

    @property
    def value_input(self) -> Input:
        return self.query_one("#condition-value", Input)

    @property
    def ops(self) -> OptionList:
        return self.query_one("#condition-ops", OptionList)

    def _chosen_op(self) -> Op | None:
        ops = self.ops
        if ops.highlighted is None or not ops.option_count:
            return None
        option_id = ops.get_option_at_index(ops.highlighted).id
        return Op(option_id) if option_id else None

    def _fill_ops(self, info: FieldInfo | None) -> None:
        name = info.name if info else None
        if name == self._ops_for:
            return
        keep = self._chosen_op() or (self.condition.op if self.condition else None)
        self._ops_for = name
        ops = self.ops
        ops.clear_options()
        if info is None:
            return
        ops.add_options(
            Option(Text.assemble((f"{OP_TEXT[op]:<13}", "bold"), OP_WORDS[op]), id=op.value)
            for op in info.operators
        )
        ops.highlighted = info.operators.index(keep) if keep in info.operators else 0

    def _update(self) -> None:
        """Read the form and show what it says: the field, the preview, caveats, errors."""
        field = self.field_input.value
        try:
            info, _ = read_field(field, sessions=self.sessions)
        except EntryError:
            info = None
        self._fill_ops(info)
        reading = read(field, self._chosen_op(), self.value_input.value,
                       sessions=self.sessions, now=clock.now())
        self.reading = reading
        field_info = self.query_one("#condition-field-info", Static)
        value_info = self.query_one("#condition-value-info", Static)
        preview = self.query_one("#condition-preview", Static)
        caveats = self.query_one("#condition-caveats", Static)
        error = self.query_one("#condition-error", Static)
        if reading.info is not None:
            info = reading.info
            field_info.update(Text(f"{info.description} ({info.type.value})", style="dim"))
            value_info.update(Text(value_hint(info), style="dim"))
        else:
            field_info.update(Text("type a field; right accepts the suggestion", style="dim"))
            value_info.update("")
        if reading.condition is not None:
            preview.update(Text.assemble(("= ", "dim"), (format_condition(reading.condition),
                                                          "bold")))
            notes = condition_caveats(reading.condition, sessions=self.sessions)
            caveats.update(Text("\n".join(f"! {note}" for note in notes)))
            caveats.display = bool(notes)
            error.update("")
            return
        preview.update("")
        caveats.display = False
        message = reading.field_error or reading.value_error or ""
        show = self._tried or (
            bool(field.strip()) if reading.field_error else bool(self.value_input.value.strip())
        )
        error.update(Text(message) if show else "")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._update()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._update()

    # ----------------------------------------------------------------- keys

    def _dropdown(self) -> Completer | None:
        """The completion list open under the focused input, if any."""
        for completer in self.query(Completer):
            if completer.showing and completer.target is self.focused:
                return completer
        return None

    def action_field_list(self) -> None:
        """Every field the tab can send, one key away."""
        self.field_input.focus()
        self.query_one("#condition-field-completion", Completer).show_everything()

    async def action_next(self) -> None:
        focused = self.focused
        dropdown = self._dropdown()
        if dropdown is not None and not dropdown.highlights_typed():
            # enter picks from the open list (this binding comes before the list sees the key)
            dropdown.pick()
            self._update()
            # a whole field picked moves on, as enter always did; a value waits for its enter
            if focused is not self.field_input or self.reading.field_error:
                return
        if focused is self.field_input:
            await self._accept_suggestion()
            if self.reading.field_error:
                self._refuse()
                return
            self._tried = False
            self.ops.focus()
        elif focused is self.ops:
            self.value_input.focus()
        else:
            self.action_confirm()

    async def _accept_suggestion(self) -> None:
        """enter on a field that is not one takes the suggestion shown (as right would)."""
        field = self.field_input
        if not self.reading.field_error or not field.value:
            return
        suggester = field.suggester
        suggestion = await suggester.get_suggestion(field.value) if suggester else None
        if suggestion:
            field.value = suggestion
            field.cursor_position = len(suggestion)
            self._update()

    def action_confirm(self) -> None:
        self._update()
        if self.reading.condition is None:
            self._refuse()
            if self.reading.field_error:
                self.field_input.focus()
            return
        self.dismiss(self.reading.condition)

    def _refuse(self) -> None:
        self._tried = True
        self._update()
        self.app.bell()
        error = self.query_one("#condition-error", Static)
        self.call_after_refresh(error.scroll_visible, animate=False)  # a small terminal scrolls

    def action_cancel(self) -> None:
        self.dismiss(None)
