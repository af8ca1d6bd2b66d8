"""Breakdown dimensions (DESIGN.md, "The views": Breakdown): what a dimension is, and the filter
condition that selects one of its values, or everything but the values shown ("other").

`""` is a real group, shown "(none)" (no user, no country, no property value, no prompt): its
condition selects exactly it. Pure: no Textual, no network.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.api.fields import Op
from tui.filters.tree import Condition, Group, Node

#: The dimensions that are columns, in the order the picker lists them.
COLUMNS: tuple[str, ...] = (
    "model", "provider", "user_id", "country_code", "status_class", "prompt_id", "prompt_version",
)
#: What a user may type for a column dimension besides its name.
ALIASES: dict[str, str] = {"status": "status_class", "user": "user_id", "country": "country_code"}
PROPERTY_PREFIX = "properties."
#: How the legend and the table call the `""` group and the rest.
NONE_LABEL = "(none)"
OTHER_LABEL = "(other)"


class DimensionError(ValueError):
    """A dimension name that is not one; the message names the ones there are."""


@dataclass(frozen=True)
class Dimension:
    """A column (`model`, ...) or a custom property (`properties.<key>`, with `key`)."""

    name: str  # "model", ..., or "properties"
    key: str | None = None

    @property
    def text(self) -> str:
        """As the user types it and the csv/presets write it."""
        return self.name if self.key is None else PROPERTY_PREFIX + self.key

    @property
    def is_property(self) -> bool:
        return self.key is not None

    def __str__(self) -> str:
        return self.text


def parse_dimension(text: str | Dimension) -> Dimension:
    """`model`, `status` (= status_class), `properties.customer` ... -> a Dimension."""
    if isinstance(text, Dimension):
        return text
    raw = str(text).strip()
    if raw.startswith(PROPERTY_PREFIX) and raw[len(PROPERTY_PREFIX):]:
        key = raw[len(PROPERTY_PREFIX):]
        if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in key):
            raise DimensionError("a property key has no control characters")
        return Dimension("properties", key)
    name = ALIASES.get(raw.lower(), raw.lower())
    if name in COLUMNS:
        return Dimension(name)
    raise DimensionError(
        f"{raw!r} is not a breakdown dimension: one of {', '.join(COLUMNS)}, "
        f"or properties.<key>"
    )


def label(value: str) -> str:
    """The value as a legend shows it (`""` is the real "(none)" group)."""
    return NONE_LABEL if value == "" else value


# --------------------------------------------------------------------------- status classes


def status_class(status: int) -> str:
    """`503` -> `5xx`; statuses below 0 (Helicone's own codes for a cancelled or failed call)
    -> `<0`."""
    return "<0" if status < 0 else f"{status // 100}xx"


def _class_bounds(value: str) -> tuple[int, int] | None:
    if len(value) == 3 and value[0].isdigit() and value[1:] == "xx":
        low = int(value[0]) * 100
        return low, low + 100
    return None


def _status_condition(value: str) -> Node:
    if value == "<0":
        return Condition("status", Op.LT, 0)
    bounds = _class_bounds(value)
    if bounds is None:
        raise DimensionError(f"{value!r} is not a status class (2xx, 4xx, 5xx, ... or <0)")
    return Group("and", (Condition("status", Op.GTE, bounds[0]),
                         Condition("status", Op.LT, bounds[1])))


def _status_outside(value: str) -> Node:
    if value == "<0":
        return Condition("status", Op.GTE, 0)
    bounds = _class_bounds(value)
    if bounds is None:
        raise DimensionError(f"{value!r} is not a status class (2xx, 4xx, 5xx, ... or <0)")
    return Group("or", (Condition("status", Op.LT, bounds[0]),
                        Condition("status", Op.GTE, bounds[1])))


# --------------------------------------------------------------------------- conditions


def value_condition(dimension: str | Dimension, value: str) -> Node:
    """The condition that selects the requests whose `dimension` is `value`. `""` selects
    exactly the "(none)" group: an empty column, or (properties) a request without the key,
    which Helicone's map reads as `''`. The country `""` is the logger's "unknown" (a NULL
    country is in no group, as in Helicone's country ranking)."""
    dim = parse_dimension(dimension)
    if dim.name == "status_class":
        return _status_condition(value)
    return Condition(dim.name, Op.EQUALS, value, key=dim.key)


def other_condition(dimension: str | Dimension, values: tuple[str, ...] | list[str]) -> Node:
    """Everything but `values`: each value's condition negated, all of them at once. Only
    meaningful where the metric adds up (requests, errors, cost); the caller decides that."""
    dim = parse_dimension(dimension)
    if not values:
        raise DimensionError("'other' needs at least one value shown")
    parts: list[Node] = []
    for value in dict.fromkeys(values):
        if dim.name == "status_class":
            parts.append(_status_outside(value))
        else:
            parts.append(Condition(dim.name, Op.NOT_EQUALS, value, key=dim.key))
    return parts[0] if len(parts) == 1 else Group("and", tuple(parts))


def narrowed(base: Node, condition: Node) -> Node:
    """The investigation's filter AND a value's condition."""
    return Group("and", (base, condition))
