"""The filter text language (DESIGN.md, "Filter text language"): parse with errors that name
the column, and format canonically.

    filter     := "all" | or_expr
    or_expr    := and_expr { "or" and_expr }
    and_expr   := term { "and" term }
    term       := "(" or_expr ")" | condition
    condition  := field operator value
    field      := name | map "." key
    operator   := = != > >= < <= like ilike contains "not contains"
    value      := quoted string | number | true | false

Every field question (names, maps, types, operators) goes to the field catalogue.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import Enum

from tui.api.fields import FIELDS, MAP_FIELDS, OP_TEXT, FieldInfo, Op, get_field
from tui.filters.spelling import format_condition, format_field, format_value, quote
from tui.filters.tree import (
    ALL,
    MAX_CONDITIONS,
    MAX_DEPTH,
    NUMBER_PATTERN,
    SESSION_FIELDS_MESSAGE,
    SURROGATE_MESSAGE,
    SURROGATE_RE,
    Condition,
    FilterError,
    Group,
    Node,
    normal,
    number_from_text,
    op_problem,
    uses_session_fields,
    value_problem,
)

__all__ = [
    "FilterSyntaxError",
    "check_for_endpoint",
    "format",
    "format_condition",
    "format_field",
    "format_value",
    "parse",
    "quote",
]


class FilterSyntaxError(FilterError):
    """Filter text that does not parse; `column` is 1-based."""

    def __init__(self, column: int, message: str) -> None:
        super().__init__(f"col {column}: {message}")
        self.column = column
        self.message = message


# --------------------------------------------------------------------------- lexer


class _Kind(Enum):
    NAME = "name"
    STRING = "string"
    NUMBER = "number"
    OP = "operator"
    LPAREN = "("
    RPAREN = ")"
    DOT = "."
    END = "end"


@dataclass(frozen=True, slots=True)
class _Token:
    kind: _Kind
    text: str  # the source text
    col: int  # 1-based
    value: str | int | float | None = None  # strings unescaped, numbers converted

    def is_word(self, word: str) -> bool:
        return self.kind is _Kind.NAME and self.text.lower() == word

    def describe(self) -> str:
        if self.kind is _Kind.END:
            return "the end"
        text = self.text if len(self.text) <= 30 else self.text[:27] + "..."
        if self.kind is _Kind.STRING:
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


def _lex_string(text: str, start: int) -> _Token:
    quote_char = text[start]
    chars: list[str] = []
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == quote_char:
            return _Token(_Kind.STRING, text[start : i + 1], start + 1, "".join(chars))
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


def _lex_number(text: str, i: int) -> _Token:
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
    return _Token(_Kind.NUMBER, spelled, i + 1, value)


def _lex(text: str) -> list[_Token]:
    lone = SURROGATE_RE.search(text)
    if lone:  # e.g. argv bytes that were not UTF-8: nothing could encode them to send
        raise FilterSyntaxError(lone.start() + 1, SURROGATE_MESSAGE)
    tokens: list[_Token] = []
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
            token = _Token(_Kind.NAME, match.group(), col)
        elif ch == "(":
            token = _Token(_Kind.LPAREN, ch, col)
        elif ch == ")":
            token = _Token(_Kind.RPAREN, ch, col)
        elif ch == ".":
            token = _Token(_Kind.DOT, ch, col)
        else:
            for wrong, advice in _MISSPELT.items():
                if text.startswith(wrong, i):
                    raise FilterSyntaxError(col, advice)
            symbol = next((s for s in _SYMBOLS if text.startswith(s, i)), None)
            if symbol is None:
                hint = "; did you mean '!='?" if ch == "!" else ""
                raise FilterSyntaxError(col, f"unexpected {ch!r}{hint}")
            token = _Token(_Kind.OP, symbol, col)
        tokens.append(token)
        i = col - 1 + len(token.text)
    tokens.append(_Token(_Kind.END, "", len(text) + 1))
    return tokens


# --------------------------------------------------------------------------- parser

_WORD_OPS = {"like": Op.LIKE, "ilike": Op.ILIKE, "contains": Op.CONTAINS}


def _suggest(name: str, candidates: tuple[str, ...]) -> str:
    lowered = {c.lower(): c for c in candidates}
    close = [lowered[name.lower()]] if name.lower() in lowered else []
    close += difflib.get_close_matches(name, candidates, n=3, cutoff=0.6)
    close = list(dict.fromkeys(close))[:3]
    if not close:
        return ""
    return "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _lex(text)
        self.pos = 0
        self.depth = 0
        self.count = 0  # conditions so far

    def peek(self, ahead: int = 0) -> _Token:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def advance(self) -> _Token:
        token = self.peek()
        self.pos += 1
        return token

    def fail(self, token: _Token, message: str) -> FilterSyntaxError:
        return FilterSyntaxError(token.col, message)

    def parse(self) -> Node:
        first = self.peek()
        if first.kind is _Kind.END:
            return ALL
        if first.is_word("all"):
            after = self.peek(1)
            if after.kind is not _Kind.END:
                raise self.fail(after, f"'all' stands alone; found {after.describe()} after it")
            return ALL
        node = self.or_expr()
        token = self.peek()
        if token.kind is _Kind.RPAREN:
            raise self.fail(token, "')' without a matching '('")
        if token.kind is not _Kind.END:
            raise self.fail(token, f"expected 'and', 'or' or the end, found {token.describe()}")
        return node

    def or_expr(self) -> Node:
        children = [self.and_expr()]
        while self.peek().is_word("or"):
            self.advance()
            children.append(self.and_expr())
        return children[0] if len(children) == 1 else Group("or", tuple(children))

    def and_expr(self) -> Node:
        children = [self.term()]
        while self.peek().is_word("and"):
            self.advance()
            children.append(self.term())
        return children[0] if len(children) == 1 else Group("and", tuple(children))

    def term(self) -> Node:
        token = self.peek()
        if token.kind is _Kind.LPAREN:
            self.advance()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.fail(token, f"more than {MAX_DEPTH} nested parentheses")
            node = self.or_expr()
            self.depth -= 1
            close = self.peek()
            if close.kind is not _Kind.RPAREN:
                raise self.fail(
                    close,
                    f"expected ')' to close the '(' at col {token.col}, "
                    f"found {close.describe()}",
                )
            self.advance()
            return node
        if token.kind is _Kind.NAME:
            word = token.text.lower()
            if word == "all":
                raise self.fail(token, "'all' can only be the whole filter")
            if word in ("and", "or"):
                raise self.fail(token, f"expected a condition before '{word}'")
            return self.condition()
        raise self.fail(
            token, f"expected a condition (field operator value), found {token.describe()}"
        )

    def field(self) -> tuple[FieldInfo, str | None]:
        name_tok = self.advance()
        name = name_tok.text
        info = get_field(name)
        if self.peek().kind is _Kind.DOT:
            if info is None or not info.is_map:
                maps = ", ".join(MAP_FIELDS)
                if info is None:
                    raise self.fail(name_tok, f"unknown map '{name}'{_suggest(name, MAP_FIELDS)}")
                raise self.fail(name_tok, f"'{name}' is not a map; the maps are {maps}")
            self.advance()
            key_tok = self.advance()
            if key_tok.kind is _Kind.NAME:
                return info, key_tok.text
            if key_tok.kind is _Kind.STRING:
                assert isinstance(key_tok.value, str)
                return info, key_tok.value
            raise self.fail(
                key_tok,
                f"expected a key after '{name}.': a name or a quoted string, "
                f"found {key_tok.describe()}",
            )
        if info is None:
            names = tuple(f.name for f in FIELDS)
            raise self.fail(name_tok, f"unknown field '{name}'{_suggest(name, names)}")
        if info.is_map:
            raise self.fail(name_tok, f"'{name}' needs a key: {name}.<name>")
        return info, None

    def operator(self, info: FieldInfo, label: str) -> tuple[Op, _Token]:
        token = self.advance()
        if token.kind is _Kind.OP:
            return Op(_text_op(token.text)), token
        if token.kind is _Kind.NAME:
            word = token.text.lower()
            if word in _WORD_OPS:
                return _WORD_OPS[word], token
            if word == "not":
                nxt = self.advance()
                if nxt.is_word("contains"):
                    return Op.NOT_CONTAINS, token
                raise self.fail(nxt, f"expected 'contains' after 'not', found {nxt.describe()}")
        ops = " ".join(OP_TEXT[op] for op in info.operators)
        raise self.fail(
            token, f"expected an operator after '{label}' ({ops}), found {token.describe()}"
        )

    def value(self, after: str) -> tuple[str | int | float | bool, _Token]:
        token = self.advance()
        if token.kind in (_Kind.STRING, _Kind.NUMBER):
            assert token.value is not None
            return token.value, token
        if token.kind is _Kind.NAME:
            word = token.text.lower()
            if word in ("true", "false"):
                return word == "true", token
            raise self.fail(
                token,
                f"expected a value after '{after}' (a quoted string, a number, true or false); "
                f"text goes in quotes: {quote(token.text)}",
            )
        raise self.fail(
            token,
            f"expected a value after '{after}' (a quoted string, a number, true or false), "
            f"found {token.describe()}",
        )

    def condition(self) -> Condition:
        self.count += 1
        if self.count > MAX_CONDITIONS:
            # Not a syntax error: the text is fine, only too long (no caret under a column).
            raise FilterError(f"more than {MAX_CONDITIONS} conditions: a filter holds at most "
                              f"{MAX_CONDITIONS}")
        info, key = self.field()
        label = format_field(info.name, key)
        op, op_tok = self.operator(info, label)
        problem = op_problem(info, op, label)
        if problem:
            raise self.fail(op_tok, problem)
        value, value_tok = self.value(OP_TEXT[op])
        problem = value_problem(info, value, label)
        if problem:
            raise self.fail(value_tok, problem)
        return Condition(info.name, op, value, key)


def _text_op(text: str) -> Op:
    return next(op for op, spelled in OP_TEXT.items() if spelled == text)


def parse(text: str) -> Node:
    """The tree (normal form) that `text` spells; "" and "all" are ALL.

    Raises FilterSyntaxError naming the column and what was expected.
    """
    return normal(_Parser(text).parse())


# --------------------------------------------------------------------------- format


def _format(node: Node, parent_op: str | None) -> str:
    if isinstance(node, Condition):
        return format_condition(node)
    inner = f" {node.op} ".join(_format(child, node.op) for child in node.children)
    # "and" binds tighter than "or": only an "or" inside an "and" needs parentheses.
    return f"({inner})" if node.op == "or" and parent_op == "and" else inner


def format(node: Node) -> str:
    """The canonical text of the tree's normal form: lower-case keywords, single quotes,
    parentheses only where needed; ALL is "all"."""
    node = normal(node)
    if isinstance(node, Group) and not node.children:
        return "all"
    return _format(node, None)


# --------------------------------------------------------------------------- endpoints


def check_for_endpoint(node: Node, *, sessions: bool) -> None:
    """Refuse a filter the endpoint cannot take: session fields outside the Sessions tab."""
    if not sessions and uses_session_fields(node):
        raise FilterError(SESSION_FIELDS_MESSAGE)
