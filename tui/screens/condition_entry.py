"""The condition editor's inputs read as a condition (no Textual: the screen is a view of it).

Field text (a catalogue field, `map.key` for the map fields) with suggestions, value text typed by
the field (timestamps take ISO 8601, `now`, or `-1h` / `-7d` / `-15m` / `-2w`, resolved against the
time given), and the three read together as a `Reading`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from tui import clock
from tui.api.fields import FieldInfo, FieldType, Op, fields_for, get_field
from tui.filters.tree import (
    Condition,
    FilterError,
    check_condition,
    integer_map,
    is_iso8601,
    number_from_text,
)

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
