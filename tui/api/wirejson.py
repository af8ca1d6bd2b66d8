"""JSON text for request bodies, without recursion: `dumps` and a depth-capped `loads`.

A long `and`/`or` chain goes on the wire as right-nested binary branches (DESIGN.md, "To the
wire"), so a 1,000-condition filter is a JSON value over 1,000 levels deep. The standard library's
encoder and decoder recurse once per level and stop at Python's recursion limit (about 1,000), so
request bodies are written, and `--filter-json` read, here: with an explicit stack, in linear time.
The output is what `json.dumps` writes for the same arguments.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from json import JSONDecodeError, JSONDecoder
from json.encoder import encode_basestring, encode_basestring_ascii
from json.scanner import NUMBER_RE
from typing import Any

__all__ = ["JSONDecodeError", "NestingError", "dumps", "loads"]

_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_WS_RE = re.compile(r"[ \t\n\r]*")
_LITERALS = {"true": True, "false": False, "null": None}


class NestingError(ValueError):
    """JSON nested deeper than the reader takes."""


# --------------------------------------------------------------------------- writing


def _text(value: str) -> str:
    # Unescaped output could hold a lone surrogate, which no terminal or file encoding takes:
    # it is written as its \\u escape, which reads back as the same string.
    quoted = encode_basestring(value)
    return _SURROGATE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _scalar(value: Any, text: Any) -> str:
    if isinstance(value, str):
        return text(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a finite number: JSON has no spelling for it")
        return float.__repr__(value)
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list | tuple):
        return "[]"
    raise TypeError(f"a {type(value).__name__} is not JSON")


def _key(key: Any, text: Any) -> str:
    if isinstance(key, str):
        return text(key)
    if isinstance(key, bool) or key is None or isinstance(key, int | float):
        return text(_scalar(key, text))
    raise TypeError(f"a {type(key).__name__} is not a JSON object key")


def dumps(
    obj: Any,
    *,
    indent: int | None = None,
    separators: tuple[str, str] | None = None,
    ensure_ascii: bool = True,
    sort_keys: bool = False,
    indent_levels: int | None = None,
) -> str:
    """`obj` as JSON text, as `json.dumps` writes it with these arguments, at any depth.

    `indent_levels`: with `indent`, containers nested deeper than this are written on one line
    (compact), so a 1,000-deep filter chain is not megabytes of indentation.
    """
    text = encode_basestring_ascii if ensure_ascii else _text
    item_sep, key_sep = separators or ((", ", ": ") if indent is None else (",", ": "))
    indented = indent is not None
    pad = " " * (indent or 0)
    out: list[str] = []
    # One entry per open container: [its remaining items, is it an object, no item written yet,
    # is it indented].
    stack: list[list[Any]] = []

    def open_or_write(value: Any) -> None:
        pretty = indented and (indent_levels is None or len(stack) < indent_levels)
        if isinstance(value, dict) and value:
            out.append("{")
            items: Iterator[Any] = iter(sorted(value.items()) if sort_keys else value.items())
            stack.append([items, True, True, pretty])
        elif isinstance(value, list | tuple) and value:
            out.append("[")
            stack.append([iter(value), False, True, pretty])
        else:
            out.append(_scalar(value, text))

    open_or_write(obj)
    while stack:
        entry = stack[-1]
        pretty = entry[3]
        item: Any = next(entry[0], _END)
        if item is _END:
            stack.pop()
            if pretty:
                out.append("\n" + pad * len(stack))
            out.append("}" if entry[1] else "]")
            continue
        if not entry[2]:
            out.append(item_sep if pretty or not indented else ",")
        entry[2] = False
        if pretty:
            out.append("\n" + pad * len(stack))
        if entry[1]:
            key, item = item
            out.append(_key(key, text) + (key_sep if pretty or not indented else ":"))
        open_or_write(item)
    return "".join(out)


_END = object()


# --------------------------------------------------------------------------- reading


# The standard library's own string reader, through its public door: a string nests nothing, so
# reading one does not recurse.
_DECODER = JSONDecoder()


def _string(s: str, i: int) -> tuple[str, int]:
    """The JSON string whose opening quote is at `i`, and the index after it."""
    value, end = _DECODER.raw_decode(s, i)
    return value, end


def _skip(s: str, i: int) -> int:
    match = _WS_RE.match(s, i)
    return match.end() if match else i


def _name(s: str, i: int) -> tuple[str, int]:
    """An object's key and the index after its ':' (and the blanks after it)."""
    if i >= len(s) or s[i] != '"':
        raise JSONDecodeError("Expecting property name enclosed in double quotes", s, i)
    key, i = _string(s, i)
    i = _skip(s, i)
    if i >= len(s) or s[i] != ":":
        raise JSONDecodeError("Expecting ':' delimiter", s, i)
    return key, _skip(s, i + 1)


def _atom(s: str, i: int) -> tuple[Any, int]:
    """A string, number or literal at `i`, and the index after it."""
    if i < len(s) and s[i] == '"':
        return _string(s, i)
    for word, value in _LITERALS.items():
        if s.startswith(word, i):
            return value, i + len(word)
    match = NUMBER_RE.match(s, i)
    if match is None:  # NaN and Infinity too: they are not JSON
        raise JSONDecodeError("Expecting value", s, i)
    integer, frac, exp = match.groups()
    try:
        number: Any = float(integer + (frac or "") + (exp or "")) if frac or exp else int(integer)
    except ValueError:  # more digits than Python reads as an int
        raise JSONDecodeError("Number too long", s, i) from None
    return number, match.end()


def loads(s: str, *, max_depth: int) -> Any:
    """The value of the JSON text `s`, refusing nesting deeper than `max_depth` levels.

    Raises JSONDecodeError (not JSON, with its line and column) or NestingError, as soon as the
    text is found wanting: a 100,000-deep text stops at level `max_depth`.
    """
    stack: list[Any] = []  # the open containers
    keys: list[str | None] = []  # for each, the key its next value goes under
    i = _skip(s, 0)
    while True:
        if i >= len(s):
            raise JSONDecodeError("Expecting value", s, i)
        ch = s[i]
        if ch in "{[":
            if len(stack) >= max_depth:
                raise NestingError(f"nested more than {max_depth} levels deep")
            container: Any = {} if ch == "{" else []
            i = _skip(s, i + 1)
            if i < len(s) and s[i] == ("}" if ch == "{" else "]"):
                value, i = container, i + 1
            else:
                stack.append(container)
                key = None
                if ch == "{":
                    key, i = _name(s, i)
                keys.append(key)
                continue
        else:
            value, i = _atom(s, i)
        # Put the value in its container; close the containers that end after it.
        while True:
            if not stack:
                i = _skip(s, i)
                if i != len(s):
                    raise JSONDecodeError("Extra data", s, i)
                return value
            top = stack[-1]
            if isinstance(top, dict):
                top[keys[-1]] = value
            else:
                top.append(value)
            i = _skip(s, i)
            if i < len(s) and s[i] == ",":
                i = _skip(s, i + 1)
                if isinstance(top, dict):
                    keys[-1], i = _name(s, i)
                break
            if i < len(s) and s[i] == ("}" if isinstance(top, dict) else "]"):
                value = stack.pop()
                keys.pop()
                i += 1
                continue
            raise JSONDecodeError("Expecting ',' delimiter", s, i)
