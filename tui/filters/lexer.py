"""The filter text language's lexer: tokens with their 1-based columns, strings unescaped,
numbers converted, and errors that name the column (the parser is in text.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from tui.filters.tree import (
    NUMBER_PATTERN,
    SURROGATE_MESSAGE,
    SURROGATE_RE,
    FilterError,
    number_from_text,
)


class FilterSyntaxError(FilterError):
    """Filter text that does not parse; `column` is 1-based."""

    def __init__(self, column: int, message: str) -> None:
        super().__init__(f"col {column}: {message}")
        self.column = column
        self.message = message


class Kind(Enum):
    NAME = "name"
    STRING = "string"
    NUMBER = "number"
    OP = "operator"
    LPAREN = "("
    RPAREN = ")"
    DOT = "."
    END = "end"


@dataclass(frozen=True, slots=True)
class Token:
    kind: Kind
    text: str  # the source text
    col: int  # 1-based
    value: str | int | float | None = None  # strings unescaped, numbers converted

    def is_word(self, word: str) -> bool:
        return self.kind is Kind.NAME and self.text.lower() == word

    def describe(self) -> str:
        if self.kind is Kind.END:
            return "the end"
        text = self.text if len(self.text) <= 30 else self.text[:27] + "..."
        if self.kind is Kind.STRING:
            return f"the string {text}"
        return f"'{text}'"


_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_NUMBER_RE = re.compile(NUMBER_PATTERN)
_NUMBER_TAIL_RE = re.compile(r"[A-Za-z0-9_.]*")
_SYMBOLS = ("!=", ">=", "<=", "=", ">", "<")
_MISSPELT = {"==": "'==' is written '='", "<>": "'<>' is written '!='"}
_SIMPLE_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "t": "\t", "r": "\r"}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
_HEX_RE = re.compile(r"[0-9A-Fa-f]+")


def _lex_string(text: str, start: int) -> Token:
    quote_char = text[start]
    chars: list[str] = []
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == quote_char:
            return Token(Kind.STRING, text[start : i + 1], start + 1, "".join(chars))
        if ch != "\\":
            chars.append(ch)
            i += 1
            continue
        if i + 1 >= len(text):
            break
        esc = text[i + 1]
        if esc in _SIMPLE_ESCAPES:
            chars.append(_SIMPLE_ESCAPES[esc])
            i += 2
            continue
        width = _HEX_ESCAPES.get(esc)
        if width is None:
            raise FilterSyntaxError(
                i + 1, f"unknown escape '\\{esc}' (write a backslash as '\\\\')"
            )
        digits = text[i + 2 : i + 2 + width]
        if len(digits) != width or not _HEX_RE.fullmatch(digits) or int(digits, 16) > 0x10FFFF:
            raise FilterSyntaxError(
                i + 1, f"'\\{esc}' needs {width} hex digits of a character code"
            )
        if 0xD800 <= int(digits, 16) <= 0xDFFF:
            raise FilterSyntaxError(
                i + 1, f"'\\{esc}{digits}' is half of a surrogate pair, not a character: "
                "write the character itself, or \\U and its 8 hex digits"
            )
        chars.append(chr(int(digits, 16)))
        i += 2 + width
    raise FilterSyntaxError(start + 1, f"unterminated string: close it with {quote_char}")


def _lex_number(text: str, i: int) -> Token:
    match = _NUMBER_RE.match(text, i)
    if match is None:
        raise FilterSyntaxError(i + 1, f"unexpected '{text[i]}'")
    end = match.end()
    tail = _NUMBER_TAIL_RE.match(text, end)
    if tail is not None and tail.end() > end:
        raise FilterSyntaxError(i + 1, f"malformed number '{text[i : tail.end()]}'")
    spelled = match.group()
    value = number_from_text(spelled)
    if value is None:
        raise FilterSyntaxError(i + 1, f"the number {spelled[:20]} is too large")
    return Token(Kind.NUMBER, spelled, i + 1, value)


def lex(text: str) -> list[Token]:
    lone = SURROGATE_RE.search(text)
    if lone:  # e.g. argv bytes that were not UTF-8: nothing could encode them to send
        raise FilterSyntaxError(lone.start() + 1, SURROGATE_MESSAGE)
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        col = i + 1
        if ch in "'\"":
            token = _lex_string(text, i)
        elif ch == "-" or "0" <= ch <= "9":
            token = _lex_number(text, i)
        elif match := _NAME_RE.match(text, i):
            token = Token(Kind.NAME, match.group(), col)
        elif ch == "(":
            token = Token(Kind.LPAREN, ch, col)
        elif ch == ")":
            token = Token(Kind.RPAREN, ch, col)
        elif ch == ".":
            token = Token(Kind.DOT, ch, col)
        else:
            for wrong, advice in _MISSPELT.items():
                if text.startswith(wrong, i):
                    raise FilterSyntaxError(col, advice)
            symbol = next((s for s in _SYMBOLS if text.startswith(s, i)), None)
            if symbol is None:
                hint = "; did you mean '!='?" if ch == "!" else ""
                raise FilterSyntaxError(col, f"unexpected {ch!r}{hint}")
            token = Token(Kind.OP, symbol, col)
        tokens.append(token)
        i = col - 1 + len(token.text)
    tokens.append(Token(Kind.END, "", len(text) + 1))
    return tokens
