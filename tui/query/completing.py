"""Where the cursor is in filter text, for completion (no Textual): a field, a map key or a value.

A small lexer over the text before the cursor and the grammar's order (field, operator, value,
`and`/`or`) say what the token under the cursor is; the completer offers that kind of thing and
replaces the token from `start` to the cursor. Text the parser would refuse just offers nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["field", "key", "value", "none"]

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_NUMBER = re.compile(r"-?[0-9][0-9.eE+\-]*")
_OPERATORS = ("!=", ">=", "<=", "=", ">", "<")
_WORD_OPS = ("like", "ilike", "contains")


@dataclass(frozen=True)
class Spot:
    """What the cursor is on. `typed`: the token's text so far (a string's content, unquoted);
    `field`/`key`: the condition's field (the map name for a key) and map key."""

    kind: Kind
    start: int = 0
    typed: str = ""
    field: str | None = None
    key: str | None = None
    quoted: bool = False  # the token is a string opened with a quote


@dataclass(frozen=True)
class _Token:
    type: str  # word, field, string, number, op, open, close, other
    start: int
    end: int
    text: str  # a word's text; a string's content; a field's name
    key: str | None = None  # a field's map key ("" after a bare dot)
    closed: bool = True  # a string's closing quote was seen


def _string(text: str, i: int) -> tuple[str, int, bool]:
    """The content of the string opening at `i`, where it ends, and whether it was closed."""
    quote, j, out = text[i], i + 1, []
    while j < len(text):
        ch = text[j]
        if ch == "\\" and j + 1 < len(text):
            out.append(text[j + 1])
            j += 2
            continue
        if ch == quote:
            return "".join(out), j + 1, True
        out.append(ch)
        j += 1
    return "".join(out), j, False


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch in "'\"":
            content, end, closed = _string(text, i)
            out.append(_Token("string", i, end, content, closed=closed))
            i = end
            continue
        if ch in "()":
            out.append(_Token("open" if ch == "(" else "close", i, i + 1, ch))
            i += 1
            continue
        op = next((o for o in _OPERATORS if text.startswith(o, i)), None)
        if op is not None:
            out.append(_Token("op", i, i + len(op), op))
            i += len(op)
            continue
        if match := _WORD.match(text, i):
            name, end = match.group(), match.end()
            if end < len(text) and text[end] == ".":  # a map field: map.key
                rest = end + 1
                if rest < len(text) and text[rest] in "'\"":
                    key, end, _ = _string(text, rest)
                elif key_match := _WORD.match(text, rest):
                    key, end = key_match.group(), key_match.end()
                else:
                    key, end = "", rest
                out.append(_Token("field", i, end, name, key))
            else:
                out.append(_Token("word", i, end, name))
            i = end
            continue
        if match := _NUMBER.match(text, i):
            out.append(_Token("number", i, match.end(), match.group()))
            i = match.end()
            continue
        out.append(_Token("other", i, i + 1, ch))
        i += 1
    return out


def spot(text: str, cursor: int) -> Spot:
    """What the token at `cursor` in filter text is (see `Spot`)."""
    before = text[:cursor]
    expect = "field"
    field: str | None = None
    key: str | None = None
    tokens = _tokens(before)
    for n, tok in enumerate(tokens):
        last = n == len(tokens) - 1 and tok.end == len(before)
        if last:  # the token being typed: what was expected says what it is
            return _at(tok, expect, field, key)
        word = tok.text.lower() if tok.type == "word" else ""
        if expect == "field":
            if tok.type == "open":
                continue
            if tok.type == "field":
                field, key, expect = tok.text, tok.key, "op"
            elif tok.type == "word" and word not in ("and", "or", "all"):
                field, key, expect = tok.text, None, "op"
            else:
                return Spot("none")
        elif expect == "op":
            if tok.type == "op" or word in _WORD_OPS:
                expect = "value"
            elif word != "not":
                return Spot("none")
        elif expect == "value":
            if tok.type in ("string", "number", "word"):
                expect = "conn"
            else:
                return Spot("none")
        elif tok.type == "close":
            continue
        elif word in ("and", "or"):
            expect = "field"
        else:
            return Spot("none")
    if expect == "field":
        return Spot("field", cursor)
    if expect == "value":
        return Spot("value", cursor, "", field, key)
    return Spot("none")


def _at(tok: _Token, expect: str, field: str | None, key: str | None) -> Spot:
    if expect == "field":
        if tok.type == "field":
            return Spot("key", tok.start, tok.key or "", tok.text, tok.key)
        if tok.type == "word":
            return Spot("field", tok.start, tok.text)
    if expect == "value":
        if tok.type == "string" and not tok.closed:
            return Spot("value", tok.start, tok.text, field, key, quoted=True)
        if tok.type == "word" and tok.text.lower() not in ("true", "false"):
            return Spot("value", tok.start, tok.text, field, key)
    return Spot("none")
