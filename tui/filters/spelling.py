"""How the filter text language spells a field, a value and a condition.

Its own module so that the tree (whose error messages quote values) and the parser (which
formats canonically) both use it without importing each other.
"""

from __future__ import annotations

import re
from typing import Protocol

from tui.api.fields import OP_TEXT, Op

__all__ = ["format_condition", "format_field", "format_value", "quote"]

_ESCAPE_OUT = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_BARE_KEY_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


class Spelled(Protocol):
    """What `format_condition` reads of a condition (`tui.filters.tree.Condition`)."""

    @property
    def field(self) -> str: ...
    @property
    def op(self) -> Op: ...
    @property
    def value(self) -> str | int | float | bool: ...
    @property
    def key(self) -> str | None: ...


def quote(text: str) -> str:
    """`text` as a single-quoted string of the language, on one line."""
    out: list[str] = []
    for ch in text:
        if ch in _ESCAPE_OUT:
            out.append(_ESCAPE_OUT[ch])
        elif ch.isprintable():
            out.append(ch)
        else:  # control and separator characters: escaped, so the text stays one line
            code = ord(ch)
            if code < 0x100:
                out.append(f"\\x{code:02x}")
            elif code < 0x10000:
                out.append(f"\\u{code:04x}")
            else:
                out.append(f"\\U{code:08x}")
    return "'" + "".join(out) + "'"


def format_field(field: str, key: str | None = None) -> str:
    """`field`, or `map.key` with the key quoted only when it is not a bare name."""
    if key is None:
        return field
    return f"{field}.{key if _BARE_KEY_RE.fullmatch(key) else quote(key)}"


def format_value(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, int):
        return str(value)
    return repr(float(value))  # shortest text that reads back as the same float


def format_condition(cond: Spelled) -> str:
    return f"{format_field(cond.field, cond.key)} {OP_TEXT[Op(cond.op)]} {format_value(cond.value)}"
