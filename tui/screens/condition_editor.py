"""The condition editor (the filter editor's `a` and `e`): field, operator, value, checked as typed.

The field input suggests the catalogue's fields the active tab can send (and score / property keys
the caller knows), the operator list holds only the operators of that field, and the value input
says as you type whether the value fits the field. `enter` moves on (field -> operator -> value)
and, on the value, confirms; a condition that cannot be sent cannot be confirmed and says why.
Timestamps take ISO 8601, `now`, or `-1h` / `-7d` / `-15m` / `-2w`, resolved on entry against
`tui.clock.now()`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePath
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui import clock
from tui.api.fields import OP_TEXT, FieldInfo, FieldType, Op, fields_for, get_field
from tui.filters.caveats import condition_caveats
from tui.filters.text import format_condition
from tui.filters.tree import (
    Condition,
    FilterError,
    check_condition,
    integer_map,
    is_iso8601,
    number_from_text,
)
from tui.screens import MODAL_CSS, STYLES
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

_RELATIVE = re.compile(r"^-\s*(\d+)\s*([mhdw])$")
_INTEGER = re.compile(r"^-?[0-9]+$")


class EntryError(ValueError):
    """What the user typed cannot be used; the message says why, for the user."""


# --------------------------------------------------------------------------- reading input


def read_field(text: str, *, sessions: bool) -> tuple[FieldInfo, str | None]:
    """The field (and map key) typed in the field input: `model`, `properties.env`,
    `scores.accuracy`. The key is everything after the first dot, as typed (no quotes)."""
    typed = text.strip()
    if not typed:
        raise EntryError("type a field, e.g. model, status, properties.environment")
    name, dot, key = typed.partition(".")
    info = get_field(name)
    allowed = fields_for(sessions)
    if info is None:
        names = [f.name for f in allowed]
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
        hint = "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?" if close else ""
        raise EntryError(f"unknown field '{name}'{hint}")
    if info not in allowed:
        raise EntryError(f"'{name}' is a session field: only the Sessions tab can send it")
    if info.is_map:
        key = key.strip()
        if not dot or not key:
            raise EntryError(f"'{name}' needs a key: {name}.<name>")
        return info, key
    if dot:
        raise EntryError(f"'{name}' is not a map and takes no key")
    return info, None


def resolve_time(text: str, now: datetime) -> str:
    """A timestamp as sent: ISO 8601 in UTC (`…Z`). `now` and `-<n>(m|h|d|w)` count back from
    `now`; an ISO time without a zone is local time, as everywhere else in the app."""
    from tui.api.timerange import UNITS

    typed = text.strip()
    now = now.replace(microsecond=0)  # whole seconds, as the time bar sends them
    if typed.lower() == "now":
        moment = now
    elif match := _RELATIVE.match(typed.lower()):
        try:
            moment = now - int(match.group(1)) * UNITS[match.group(2)]
        except OverflowError:
            raise EntryError(f"{typed!r} reaches too far back") from None
    else:
        if not is_iso8601(typed):
            raise EntryError(
                f"{typed!r} is not a time: ISO 8601 (2026-11-01T00:00:00Z), now, or -1h / -7d"
            )
        try:
            moment = clock.parse_instant(typed)
        except (clock.ClockError, OverflowError) as exc:
            raise EntryError(str(exc)) from None
    moment = moment.astimezone(UTC)
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        stamp += f".{moment.microsecond // 1000:03d}"
    return stamp + "Z"


def read_value(info: FieldInfo, text: str, now: datetime) -> str | int | float | bool:
    """The value typed in the value input, as the field's type wants it."""
    typed = text.strip()
    if integer_map(info):
        if not _INTEGER.match(typed):
            raise EntryError("score values are whole numbers, e.g. 80")
        return int(typed)
    if info.type is FieldType.TEXT:
        return text  # as typed: no quotes needed
    if info.type is FieldType.NUMBER:
        number = number_from_text(typed)
        if number is None:
            raise EntryError(f"'{info.name}' is a number field: expected e.g. 500 or 0.25")
        return number
    if info.type is FieldType.BOOLEAN:
        if typed.lower() not in ("true", "false"):
            raise EntryError(f"'{info.name}' takes true or false")
        return typed.lower() == "true"
    if not typed:
        raise EntryError("type a time: ISO 8601 (2026-11-01T00:00:00Z), now, or -1h / -7d")
    return resolve_time(typed, now)


def value_text(cond: Condition) -> str:
    """What the value input shows for an existing condition."""
    value = cond.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def field_text(cond: Condition) -> str:
    return cond.field if cond.key is None else f"{cond.field}.{cond.key}"


def value_hint(info: FieldInfo) -> str:
    if integer_map(info):
        return "a whole number, e.g. 80"
    return {
        FieldType.TEXT: "text, as typed (no quotes needed)",
        FieldType.NUMBER: "a number, e.g. 500 or 0.25",
        FieldType.BOOLEAN: "true or false",
        FieldType.TIMESTAMP: "ISO 8601 (no zone = local), now, -1h, -7d, -15m, -2w",
    }[info.type]


def suggestions(
    *, sessions: bool, score_keys: Iterable[str] = (), property_keys: Iterable[str] = ()
) -> list[str]:
    """The field input's type-ahead: the tab's fields, maps as `map.` then `map.<known key>`."""
    keys = {
        "scores": list(dict.fromkeys(score_keys)),
        "properties": list(dict.fromkeys(property_keys)),
        "search_properties": list(dict.fromkeys(property_keys)),
    }
    out: list[str] = []
    for info in fields_for(sessions):
        if info.is_map:
            out.append(f"{info.name}.")
            out += [f"{info.name}.{key}" for key in keys.get(info.name, ())]
        else:
            out.append(info.name)
    return out


@dataclass(frozen=True)
class Reading:
    """The editor's inputs read together: a condition, or why there is none yet."""

    info: FieldInfo | None = None
    key: str | None = None
    condition: Condition | None = None
    field_error: str | None = None
    value_error: str | None = None


def read(field: str, op: Op | None, value: str, *, sessions: bool, now: datetime) -> Reading:
    """Field, operator and value text as a condition the filter language accepts."""
    try:
        info, key = read_field(field, sessions=sessions)
    except EntryError as exc:
        return Reading(field_error=str(exc))
    if op is None or not info.allows(op):
        return Reading(info, key, value_error="pick an operator")
    try:
        typed = read_value(info, value, now)
        cond = Condition(info.name, op, typed, key)
        check_condition(cond)
    except (EntryError, FilterError) as exc:
        return Reading(info, key, value_error=str(exc))
    return Reading(info, key, cond)


# --------------------------------------------------------------------------- the screen


class ConditionEditor(ModalScreen[Condition | None]):
    """Dismisses with the condition (checked against the catalogue), or None (escape)."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [MODAL_CSS, FILTER_EDITOR_CSS]  # type: ignore[misc]

    BINDINGS: ClassVar[list[Binding]] = [
        # priority: enter steps through the form (the inputs and the list would take it).
        Binding("enter", "next", "Next / confirm", id="condition.next", priority=True),
        Binding("escape", "cancel", "Cancel", id="condition.cancel"),
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
                yield Input(
                    field_text(self.condition) if self.condition else "",
                    placeholder="e.g. model, status, properties.environment",
                    suggester=SuggestFromList(self._suggestions, case_sensitive=False),
                    id="condition-field",
                    compact=True,
                    select_on_focus=False,
                )
            yield Static("", id="condition-field-info", classes="condition-info")
            with Horizontal(classes="condition-row", id="condition-op-row"):
                yield Label("operator ", classes="condition-label")
                yield OptionList(id="condition-ops", compact=True)
            with Horizontal(classes="condition-row"):
                yield Label("value    ", classes="condition-label")
                yield Input(
                    value_text(self.condition) if self.condition else "",
                    id="condition-value",
                    compact=True,
                    select_on_focus=False,
                )
            yield Static("", id="condition-value-info", classes="condition-info")
            yield Static("", id="condition-preview")
            yield Static("", id="condition-caveats")
            yield Static("", id="condition-error")
        yield KeyLines()

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

    async def action_next(self) -> None:
        focused = self.focused
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
