"""Terminal-safe text: what a server, a file or a path says, shown as text and nothing else.

Anything that reaches stderr, a table on stdout, or a Textual/Rich string passes through here first
(DESIGN.md "Terminal safety"). Control characters (C0 but tab and newline where a block is shown,
ESC, DEL, C1), lone surrogates and the bidi overrides that can reorder a line are made visible as
`\\xNN` / `\\uNNNN`, so a hostile answer cannot set a title, clear the screen or hide text, and the
user can still see that something odd was sent. Standard library only: every layer may use it.
"""

from __future__ import annotations

import re

# C0 (less tab/newline, handled per call), DEL, C1, lone surrogates, bidi embeddings/overrides/
# isolates, and the line/paragraph separators some terminals treat as newlines.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
_UNSAFE_WITH_BREAKS = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, block: bool = False) -> str:
    """`text` with every unsafe character written as an escape.

    `block=True` keeps tab and newline (a body or a multi-line message shown as a block);
    otherwise they are escaped too, so one value stays on one line.
    """
    pattern = _UNSAFE if block else _UNSAFE_WITH_BREAKS
    return pattern.sub(_escape, text)


def one_line(text: str, limit: int | None = None) -> str:
    """Whitespace folded, cut to `limit` (with `…`), then unsafe characters made visible."""
    flat = " ".join(text.split())
    if limit is not None and len(flat) > limit:
        flat = flat[: max(0, limit - 1)] + "…"
    return visible(flat)  # after the cut, so an escape is never cut in half


def json_text(text: str) -> str:
    """JSON text (as `json.dumps` writes it) with every unsafe character as a `\\uNNNN` escape.

    The same JSON value (a reader gets the very string back), but safe to print: `json.dumps`
    escapes C0 itself, yet with `ensure_ascii=False` writes DEL, C1 (a CSI), bidi overrides and
    lone surrogates as they are. Tab and newline stay: outside strings they are the indentation.
    """
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def is_safe(text: str, *, block: bool = False) -> bool:
    """True when `visible(text)` would change nothing."""
    pattern = _UNSAFE if block else _UNSAFE_WITH_BREAKS
    return pattern.search(text) is None
