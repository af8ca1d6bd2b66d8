"""JSON in and out as Helicone's Node server handles it, at any nesting depth, without recursion.

Python's json module recurses (RecursionError near 1,000 levels); a filter chain of 1,000
conditions is about that deep. So: a linear depth scan before parsing, the C parser for shallow
bodies, an explicit-stack parser for deep ones, and an explicit-stack writer that writes what
JSON.stringify writes (lone surrogates escaped, NaN/Infinity as null, numbers as JavaScript
spells them, integer-like keys first) and can stop early at a length cap.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from tui.demo.jsvalues import js_keys, js_number_str

#: Bodies nested deeper than this are refused before parsing (documented in the README/DESIGN).
MAX_DEPTH = 5_000
#: Below this the C parser is safe from its recursion limit.
_C_PARSER_DEPTH = 800

_STRINGS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


class BodyTooDeep(ValueError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"the body is nested more than {limit} levels deep")
        self.limit = limit


def nesting_depth(body: bytes, limit: int = MAX_DEPTH) -> int:
    """The deepest [ / { nesting outside strings; stops counting once past `limit`."""
    rest = _STRINGS.sub(b"", body)
    if rest.count(b"[") + rest.count(b"{") <= _C_PARSER_DEPTH:
        return rest.count(b"[") + rest.count(b"{")  # an upper bound, and a small one
    depth = deepest = 0
    for match in _BRACKETS.finditer(rest):
        if match.group() in (b"[", b"{"):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        else:
            depth -= 1
    return deepest


def _reject_constant(name: str) -> Any:
    raise ValueError(f"Unexpected token {name} in JSON")  # JSON.parse has no NaN/Infinity


_FIRST = re.compile(rb"[ \t\n\r]*([^ \t\n\r])")


def parse(body: bytes, limit: int = MAX_DEPTH) -> Any:
    """A request body as express.json() reads it (strict: an object or an array; bytes that
    are not UTF-8 become U+FFFD, as Node decodes them). Raises BodyTooDeep, or ValueError for
    malformed JSON."""
    first = _FIRST.match(body)
    if first is None or first.group(1) not in (b"{", b"["):
        raise ValueError("body-parser (strict) takes an object or an array only")
    depth = nesting_depth(body, limit)
    if depth > limit:
        raise BodyTooDeep(limit)
    text = body.decode("utf-8", errors="replace")
    if depth <= _C_PARSER_DEPTH:
        return json.loads(text, parse_constant=_reject_constant)
    return _parse_deep(text)


_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
_LITERALS = {"true": True, "false": False, "null": None}
# The standard library's own string reader, through its public door: a string nests nothing, so
# reading one does not recurse.
_DECODER = json.JSONDecoder()


def _skip(text: str, pos: int) -> int:
    """The index of the first non-blank at or after `pos`."""
    match = _WS.match(text, pos)
    return match.end() if match else pos


def _string(text: str, pos: int) -> tuple[str, int]:
    """The JSON string whose opening quote is at `pos`, and the index after it."""
    value, end = _DECODER.raw_decode(text, pos)
    return value, end


def _parse_deep(text: str) -> Any:
    """The same answers as json.loads (strict), with an explicit stack instead of recursion."""
    pos = _skip(text, 0)
    stack: list[tuple[Any, str | None]] = []  # (container, pending key of a dict)
    key: str | None
    result: Any = None
    done = False

    def fail(what: str) -> ValueError:
        return ValueError(f"{what} at char {pos}")

    while True:
        if pos >= len(text):
            raise fail("unexpected end of JSON")
        ch = text[pos]
        # one value starts at pos
        if ch == "{":
            pos = _skip(text, pos + 1)
            if text.startswith("}", pos):
                value: Any = {}
                pos += 1
            else:
                if not text.startswith('"', pos):
                    raise fail("expected a property name")
                key, pos = _string(text, pos)
                pos = _skip(text, pos)
                if not text.startswith(":", pos):
                    raise fail("expected ':'")
                pos = _skip(text, pos + 1)
                stack.append(({}, key))
                continue
        elif ch == "[":
            pos = _skip(text, pos + 1)
            if text.startswith("]", pos):
                value = []
                pos += 1
            else:
                stack.append(([], None))
                continue
        elif ch == '"':
            value, pos = _string(text, pos)
        else:
            for word, literal in _LITERALS.items():
                if text.startswith(word, pos):
                    value, pos = literal, pos + len(word)
                    break
            else:
                m = _NUMBER.match(text, pos)
                if not m:
                    raise fail("unexpected token")
                number = m.group()
                value = float(number) if (m.group(1) or m.group(2)) else int(number)
                pos = m.end()
        # a value is complete: hand it to its container, closing containers as they end
        while True:
            pos = _skip(text, pos)
            if not stack:
                result, done = value, True
                break
            container, key = stack[-1]
            if key is not None:
                container[key] = value
            else:
                container.append(value)
            closer = "}" if key is not None else "]"
            if text.startswith(",", pos):
                pos = _skip(text, pos + 1)
                if key is not None:
                    if not text.startswith('"', pos):
                        raise fail("expected a property name")
                    key, pos = _string(text, pos)
                    pos = _skip(text, pos)
                    if not text.startswith(":", pos):
                        raise fail("expected ':'")
                    pos = _skip(text, pos + 1)
                    stack[-1] = (container, key)
                break  # the next value starts
            if text.startswith(closer, pos):
                stack.pop()
                value = container
                pos += 1
                continue
            raise fail(f"expected ',' or '{closer}'")
        if done:
            if pos != len(text):
                raise fail("unexpected data after JSON")
            return result


# --------------------------------------------------------------------------- writing

_ESCAPE = re.compile(r'["\\\x00-\x1f\ud800-\udfff]')
_NAMED = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
          "\t": "\\t"}


def _quote(text: str) -> str:
    # Any surrogate left in a Python str is a lone one: JSON.stringify writes it as \udXXX.
    return '"' + _ESCAPE.sub(lambda m: _NAMED.get(m.group(), f"\\u{ord(m.group()):04x}"),
                             text) + '"'


def js_number_json(value: int | float) -> str:
    if isinstance(value, int) and abs(value) < 2**53:
        return str(value)
    try:
        v = float(value)
    except OverflowError:
        return "null"  # JSON.parse read it as Infinity
    return js_number_str(v) if math.isfinite(v) else "null"


def _members(obj: dict[str, Any], keys: list[str]) -> Any:
    return ((("," if i else "") + _quote(str(k)) + ":", obj[k]) for i, k in enumerate(keys))


def dumps(value: Any, limit: int | None = None) -> str:
    """JSON.stringify(value), iteratively; with `limit`, stops once the text passes it."""
    out: list[str] = []
    size = 0
    # Each stack entry is an iterator of (prefix text, value or a sentinel) pairs.
    stack: list[Any] = [iter([("", value)])]
    closers: list[str] = [""]
    while stack:
        if limit is not None and size > limit:
            break
        try:
            prefix, item = next(stack[-1])
        except StopIteration:
            stack.pop()
            piece = closers.pop()
            out.append(piece)
            size += len(piece)
            continue
        if isinstance(item, dict):
            keys = js_keys(item)
            out.append(prefix + "{")
            size += len(prefix) + 1
            stack.append(_members(item, keys))
            closers.append("}")
            continue
        if isinstance(item, list | tuple):
            out.append(prefix + "[")
            size += len(prefix) + 1
            stack.append((("," if i else ""), v) for i, v in enumerate(item))
            closers.append("]")
            continue
        if item is None:
            piece = "null"
        elif item is True:
            piece = "true"
        elif item is False:
            piece = "false"
        elif isinstance(item, int | float):
            piece = js_number_json(item)
        else:
            piece = _quote(str(item))
        out.append(prefix + piece)
        size += len(prefix) + len(piece)
    text = "".join(out)
    return text if limit is None or len(text) <= limit else text[:limit]


def js_string(value: Any) -> str:
    """JavaScript's String(value) for a JSON value (arrays joined by ',', objects
    '[object Object]'), iteratively."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        text = js_number_json(value)
        if text == "null":
            return "NaN" if isinstance(value, float) and math.isnan(value) else "Infinity"
        return text
    if isinstance(value, dict):
        return "[object Object]"
    # An array: its elements' strings joined with ','; null inside an array is ''.
    parts: list[str] = []
    stack: list[Any] = [iter(value)]
    first: list[bool] = [True]
    while stack:
        try:
            item = next(stack[-1])
        except StopIteration:
            stack.pop()
            first.pop()
            continue
        if not first[-1]:
            parts.append(",")
        first[-1] = False
        if isinstance(item, list):
            stack.append(iter(item))
            first.append(True)
        elif item is not None:
            parts.append(js_string(item))
    return "".join(parts)
