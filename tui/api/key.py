"""The API key: only `reveal()` gives the value; its repr, str and scrubbed texts show `sk-…abcd`.

It lives in the wire layer because the client is what sends it and what scrubs it from answers;
`tui.config` finds it (environment, key command) and builds one.
"""

from __future__ import annotations

import base64
import re
from typing import Any

__all__ = ["ApiKey", "mask"]


class ApiKey:
    """The API key. Only `reveal()` gives the value; everything else shows `sk-…abcd`."""

    __slots__ = ("_pattern", "_value")

    def __init__(self, value: str) -> None:
        value = value.strip()
        if not value:
            raise ValueError("an API key cannot be empty")
        if not value.isascii() or any(c.isspace() or not c.isprintable() for c in value):
            # Never echo it: say what is wrong with it instead.
            raise ValueError(
                "the API key holds spaces, control or non-ASCII characters: check how it was copied"
            )
        self._value = value
        self._pattern: re.Pattern[str] | None = None

    def reveal(self) -> str:
        return self._value

    @property
    def masked(self) -> str:
        return mask(self._value)

    def scrub(self, text: str) -> str:
        """`text` with the key masked in whatever form it hides in: as is or in another case,
        URL-encoded (once or twice), JSON/HTML-escaped (even char by char, mixed), hex, base64 of
        it or of any text holding it ("Bearer …"), or a run of 16+ of its characters (a key cut
        short)."""
        if self._pattern is None:
            self._pattern = _key_pattern(self._value)
        return self._pattern.sub(self.masked, text)

    def __repr__(self) -> str:
        return f"ApiKey({self.masked!r})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ApiKey) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("ApiKey", self._value))

    def __reduce__(self) -> Any:
        raise TypeError("an ApiKey is not serialisable")


_WINDOW = 16  # this many characters of the key in a row are masked wherever they appear


def _char_forms(char: str) -> str:
    """A regex for one character of the key in any of the escapes a server might write."""
    code = ord(char)
    forms = [
        re.escape(char),
        f"%{code:02x}",  # URL-encoded
        f"%25{code:02x}",  # URL-encoded twice
        f"\\\\u00{code:02x}",  # JSON \u0073
        f"\\\\x{code:02x}",  # \x73 in a repr or a log
        f"&#0*{code};",  # HTML decimal
        f"&#x0*{code:x};",  # HTML hex
    ]
    if not char.isalnum():
        forms.append("\\\\" + re.escape(char))  # JSON's \/ and friends
    return "(?:" + "|".join(forms) + ")"


def _base64_cores(value: str) -> list[str]:
    """The base64 text that any base64 of a string holding the key must contain, for each of the
    three alignments (the groups that mix in neighbouring bytes are left out)."""
    raw = value.encode()
    cores: list[str] = []
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + raw).decode()
        whole = (offset + len(raw)) // 3 * 4  # groups made of the key's bytes to the end
        core = encoded[4 if offset else 0 : whole]
        if len(core) >= _WINDOW:
            cores += [core, core.replace("+", "-").replace("/", "_")]  # standard and URL-safe
    return cores


def _key_pattern(value: str) -> re.Pattern[str]:
    encoded = "".join(_char_forms(c) for c in value)
    literal = [re.escape(value.encode().hex()), *(re.escape(c) for c in _base64_cores(value))]
    runs = []
    if len(value) > _WINDOW:
        for start in range(len(value) - _WINDOW + 1):
            rest = value[start + _WINDOW :]
            # A 16-character window, then as much of the rest as follows (optional, in order).
            tail = "".join(f"(?:{re.escape(c)}" for c in rest) + ")?" * len(rest)
            runs.append(re.escape(value[start : start + _WINDOW]) + tail)
    return re.compile("|".join([encoded, *literal, *runs]), re.IGNORECASE)


def mask(value: str) -> str:
    """`sk-…abcd`: the key's type prefix and its last four characters, never more."""
    if len(value) < 12:
        return "…"  # too short to show any of it safely
    prefix = value.split("-", 1)[0] + "-" if "-" in value[:4] else ""
    return f"{prefix}…{value[-4:]}"
