"""The detail's body size (tui.widgets.json_fold.size_of) is counted in pieces, so that a 1 MB
body does not hold the interpreter lock in one json.dumps: the count must stay exactly the bytes
of the body's compact JSON, whatever its shape."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.widgets import json_fold
from tui.widgets.json_fold import size_of


def compact_bytes(value: Any) -> int:
    if isinstance(value, str):  # a body that is text: its own bytes
        return len(value.encode("utf-8", "replace"))
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":"))
               .encode("utf-8", "replace"))


scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=40) | st.dictionaries(st.text(), inner, max_size=40),
    max_leaves=200,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_the_size_is_the_compact_json_bytes(value: Any) -> None:
    assert size_of(value) == compact_bytes(value)


@settings(max_examples=200, deadline=None)
@given(values)
def test_the_size_is_the_same_in_the_smallest_pieces(value: Any) -> None:
    slice_was = json_fold._SLICE
    json_fold._SLICE = 1  # every container split: every join of the pieces is exercised
    try:
        assert size_of(value) == compact_bytes(value)
    finally:
        json_fold._SLICE = slice_was


def test_a_chat_of_a_megabyte_a_string_and_odd_values() -> None:
    turn = {"role": "user", "content": "Where is my order? é \x1b[31m " * 20}
    chat = {"model": "gpt-4o", "messages": [dict(turn) for _ in range(2_600)]}
    assert size_of(chat) == compact_bytes(chat) > 1_000_000
    assert size_of("é\ud800") == len("é\ud800".encode("utf-8", "replace"))
    keyed = {1: list(range(40)), "a": [{"b": None}] * 40}  # a key json.dumps turns into text
    assert size_of(keyed) == compact_bytes(keyed)


def test_too_deep_or_not_json_is_zero_as_before() -> None:
    deep: list[Any] = []
    inner = deep
    for _ in range(20_000):
        inner.append([])
        inner = inner[0]
    assert size_of([list(range(40)), deep]) == 0
    assert size_of({"a": [object()] * 40}) == 0
