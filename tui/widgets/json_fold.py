"""A request or response body as highlighted, folded text (the request detail's bodies).

A body can be megabytes of JSON, nested thousands of levels, and hold any character. Handing that
to Rich's JSON renderer would pretty-print and highlight all of it on the UI thread; here the
value is walked once, off the UI thread, and only a bounded view of it is written: containers
deeper than `depth` are one folded line (`{… 12 keys}`), at most `max_lines` lines, strings cut at
`max_string` characters. Every string is JSON-escaped and then made visible (tui.safe), so no
escape sequence survives. The styles are Rich's JSON highlighter's, applied as the text is
written rather than by regular expressions over the whole of it. Pure: Rich, no Textual.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from rich.text import Text

from tui.safe import visible

#: The first view of a body; `e` in the detail widens it (see `wider`).
DEPTH = 6
MAX_LINES = 200
MAX_STRING = 1_000
#: The most a view ever shows: more would make every redraw of the detail slow.
MOST_LINES = 6_000
MOST_DEPTH = 60

KEY = "bold #9cdcfe"
STRING = "#ce9178"
NUMBER = "#b5cea8"
LITERAL = "italic #569cd6"
PUNCT = "#808080"
FOLDED = "dim italic"


@dataclass(frozen=True)
class Folded:
    """A body's view: the text, and what it leaves out."""

    text: Text
    lines: int
    folded: int  # containers shown as one line
    cut: bool  # stopped at max_lines (or strings cut short)

    @property
    def complete(self) -> bool:
        return not self.folded and not self.cut


@dataclass(frozen=True)
class Limits:
    depth: int = DEPTH
    max_lines: int = MAX_LINES
    max_string: int = MAX_STRING

    def wider(self) -> Limits:
        """The next, larger view (`e`)."""
        return Limits(min(MOST_DEPTH, self.depth * 2), min(MOST_LINES, self.max_lines * 4),
                      self.max_string * 4)

    @property
    def widest(self) -> bool:
        return self.depth >= MOST_DEPTH and self.max_lines >= MOST_LINES


class _Stop(Exception):
    """The line budget is spent."""


def _quoted(text: str, limit: int) -> tuple[str, bool]:
    cut = len(text) > limit
    if cut:
        text = text[:limit]
    # JSON escapes C0 (ESC included); visible() then takes DEL, C1, bidi controls and the rest.
    return visible(json.dumps(text, ensure_ascii=False)), cut


class _Writer:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.text = Text(no_wrap=False, overflow="fold")
        self.lines = 0
        self.folded = 0
        self.cut = False

    def newline(self, indent: int) -> None:
        if self.lines >= self.limits.max_lines:
            self.cut = True
            raise _Stop
        if self.lines:
            self.text.append("\n")
        self.lines += 1
        self.text.append("  " * indent)

    def scalar(self, value: Any) -> None:
        if isinstance(value, str):
            shown, cut = _quoted(value, self.limits.max_string)
            self.text.append(shown, STRING)
            if cut:
                self.cut = True
                self.text.append(f" … {len(value) - self.limits.max_string:,} more characters",
                                 FOLDED)
        elif value is None or isinstance(value, bool):
            self.text.append(json.dumps(value), LITERAL)
        elif isinstance(value, int | float):
            self.text.append(visible(repr(value)), NUMBER)
        else:  # not a JSON value (never from a parser): its text, made safe
            self.text.append(visible(str(value)), STRING)

    def value(self, value: Any, indent: int) -> None:
        """`value` from the current position (its first line is already started)."""
        if isinstance(value, dict):
            if not value:
                self.text.append("{}", PUNCT)
                return
            if indent >= self.limits.depth:
                self.folded += 1
                self.text.append("{", PUNCT)
                self.text.append(f"… {len(value):,} keys", FOLDED)
                self.text.append("}", PUNCT)
                return
            self.text.append("{", PUNCT)
            for i, (key, item) in enumerate(value.items()):
                self.newline(indent + 1)
                shown, _ = _quoted(str(key), self.limits.max_string)
                self.text.append(shown, KEY)
                self.text.append(": ", PUNCT)
                self.value(item, indent + 1)
                if i < len(value) - 1:
                    self.text.append(",", PUNCT)
            self.newline(indent)
            self.text.append("}", PUNCT)
        elif isinstance(value, list):
            if not value:
                self.text.append("[]", PUNCT)
                return
            if indent >= self.limits.depth:
                self.folded += 1
                self.text.append("[", PUNCT)
                self.text.append(f"… {len(value):,} items", FOLDED)
                self.text.append("]", PUNCT)
                return
            self.text.append("[", PUNCT)
            for i, item in enumerate(value):
                self.newline(indent + 1)
                self.value(item, indent + 1)
                if i < len(value) - 1:
                    self.text.append(",", PUNCT)
            self.newline(indent)
            self.text.append("]", PUNCT)
        else:
            self.scalar(value)


def fold(value: Any, limits: Limits | None = None) -> Folded:
    """`value` (parsed JSON, or the text of a body that is not JSON) as a bounded view."""
    limits = limits or Limits()
    writer = _Writer(limits)
    if isinstance(value, str):
        return _fold_text(value, limits)
    try:
        writer.newline(0)
        writer.value(value, 0)
    except _Stop:
        writer.text.append("\n")
        writer.text.append("… more lines not shown", FOLDED)
    return Folded(writer.text, writer.lines, writer.folded, writer.cut)


def _fold_text(body: str, limits: Limits) -> Folded:
    """A body that is not JSON (a preview, a placeholder, plain text): as text, bounded."""
    budget = limits.max_string * 8
    cut = len(body) > budget
    lines = body[:budget].split("\n")
    if len(lines) > limits.max_lines:
        lines, cut = lines[: limits.max_lines], True
    text = Text(visible("\n".join(lines), block=True), overflow="fold")
    if cut:
        text.append("\n… the rest of the text is not shown", FOLDED)
    return Folded(text, len(lines), 0, cut)


def size_of(value: Any) -> int:
    """The body's size as compact JSON text, in bytes (what the detail says it is)."""
    if isinstance(value, str):
        return len(value.encode("utf-8", "replace"))
    try:
        return _json_size(value, 0)
    except (TypeError, ValueError, RecursionError):
        return 0


#: Containers nested deeper than this are encoded in one piece (json.dumps says if too deep).
_PIECES_DEPTH = 32
#: Entries encoded together: a container this long is sized piece by piece.
_SLICE = 32


def _dumped(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":"))
               .encode("utf-8", "replace"))


def _long(value: Any) -> bool:
    return isinstance(value, dict | list) and len(value) >= _SLICE


def _json_size(value: Any, depth: int) -> int:
    """len(compact JSON of `value`) in UTF-8, summed over pieces of about `_SLICE` entries: one
    json.dumps of a megabyte holds the interpreter lock for 10-30 ms (this runs in a thread
    beside the UI), pieces let the UI thread in between. The same count: compact JSON is its
    entries' texts with the brackets and a comma between each two."""
    if depth >= _PIECES_DEPTH or not isinstance(value, dict | list) or not value:
        return _dumped(value)
    keyed = isinstance(value, dict)
    if keyed and not all(type(key) is str for key in value):
        return _dumped(value)  # json.dumps turns other keys into text its own way
    entries: list[Any] = list(value.items()) if isinstance(value, dict) else value
    total = 2 + len(entries) - 1
    for start in range(0, len(entries), _SLICE):
        part = entries[start:start + _SLICE]
        items = [item for _, item in part] if keyed else part
        if any(_long(item) for item in items):  # a long one inside: its own pieces
            total += sum(_json_size(item, depth + 1) for item in items)
            total += sum(_dumped(key) + 1 for key, _ in part) if keyed else 0
        else:  # "[a,b]" less its brackets and commas: the entries' own texts
            total += _dumped(dict(part) if keyed else part) - 2 - (len(part) - 1)
    return total
