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

Every field question (names, maps, types, operators) goes to the field catalogue. The tokens come
from lexer.py; `FilterSyntaxError` is defined there and exported from here, as before.
"""

from __future__ import annotations

import difflib

from tui.api.fields import FIELDS, MAP_FIELDS, OP_TEXT, FieldInfo, Op, get_field
from tui.filters.lexer import FilterSyntaxError, Kind, Token, lex
from tui.filters.spelling import format_condition, format_field, format_value, quote
from tui.filters.tree import (
    ALL,
    MAX_CONDITIONS,
    MAX_DEPTH,
    SESSION_FIELDS_MESSAGE,
    Condition,
    FilterError,
    Group,
    Node,
    normal,
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
        self.tokens = lex(text)
        self.pos = 0
        self.depth = 0
        self.count = 0  # conditions so far

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.peek()
        self.pos += 1
        return token

    def fail(self, token: Token, message: str) -> FilterSyntaxError:
        return FilterSyntaxError(token.col, message)

    def parse(self) -> Node:
        first = self.peek()
        if first.kind is Kind.END:
            return ALL
        if first.is_word("all"):
            after = self.peek(1)
            if after.kind is not Kind.END:
                raise self.fail(after, f"'all' stands alone; found {after.describe()} after it")
            return ALL
        node = self.or_expr()
        token = self.peek()
        if token.kind is Kind.RPAREN:
            raise self.fail(token, "')' without a matching '('")
        if token.kind is not Kind.END:
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
        if token.kind is Kind.LPAREN:
            self.advance()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.fail(token, f"more than {MAX_DEPTH} nested parentheses")
            node = self.or_expr()
            self.depth -= 1
            close = self.peek()
            if close.kind is not Kind.RPAREN:
                raise self.fail(
                    close,
                    f"expected ')' to close the '(' at col {token.col}, "
                    f"found {close.describe()}",
                )
            self.advance()
            return node
        if token.kind is Kind.NAME:
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
        if self.peek().kind is Kind.DOT:
            if info is None or not info.is_map:
                maps = ", ".join(MAP_FIELDS)
                if info is None:
                    raise self.fail(name_tok, f"unknown map '{name}'{_suggest(name, MAP_FIELDS)}")
                raise self.fail(name_tok, f"'{name}' is not a map; the maps are {maps}")
            self.advance()
            key_tok = self.advance()
            if key_tok.kind is Kind.NAME:
                return info, key_tok.text
            if key_tok.kind is Kind.STRING:
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

    def operator(self, info: FieldInfo, label: str) -> tuple[Op, Token]:
        token = self.advance()
        if token.kind is Kind.OP:
            return Op(_text_op(token.text)), token
        if token.kind is Kind.NAME:
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

    def value(self, after: str) -> tuple[str | int | float | bool, Token]:
        token = self.advance()
        if token.kind in (Kind.STRING, Kind.NUMBER):
            assert token.value is not None
            return token.value, token
        if token.kind is Kind.NAME:
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
