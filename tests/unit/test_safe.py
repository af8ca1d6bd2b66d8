"""The one terminal-safety helper: nothing a server sends reaches the terminal as a control code."""

from __future__ import annotations

from tui.safe import is_safe, json_text, one_line, visible


def test_escape_sequences_become_visible_text() -> None:
    hostile = "ok\x1b]0;pwned\x07\x1b[2J\x9b31m\x7f"
    shown = visible(hostile)
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown
    assert shown == "ok\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\x7f"
    assert is_safe(shown)


def test_blocks_keep_newlines_and_tabs_but_values_do_not() -> None:
    assert visible("a\n\tb", block=True) == "a\n\tb"
    assert visible("a\n\tb") == "a\\x0a\\x09b"


def test_surrogates_and_bidi_overrides_are_escaped() -> None:
    assert visible("x\ud800y\u202ez") == "x\\ud800y\\u202ez"
    visible("\ud800").encode("utf-8")  # encodable: a lone surrogate would raise here


def test_one_line_folds_cuts_then_escapes() -> None:
    assert one_line("a\n  b   c") == "a b c"
    assert one_line("abcdef\x1b", 4) == "abc…"
    assert one_line("ab\x1bcd", 4) == "ab\\x1b…"


def test_json_text_is_the_same_json_value_with_nothing_raw() -> None:
    import json

    value = {"k": ["\x1b[2J \x9b \x7f \u202e \ud800 \u2028", 1]}
    dumped = json.dumps(value, indent=2, ensure_ascii=False)
    assert "\x9b" in dumped  # json.dumps leaves C1, DEL, bidi and surrogates raw ...
    text = json_text(dumped)
    assert is_safe(text, block=True)  # ... json_text does not; the indentation stays
    assert "\\u009b" in text and "\\u001b" in text and text.count("\n") == dumped.count("\n")
    assert json.loads(text) == value
