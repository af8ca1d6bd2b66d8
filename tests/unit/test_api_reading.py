"""Reading answers: the nesting scan, finite numbers, the size-capped inflater, the wait clamp."""

from __future__ import annotations

import asyncio
import gzip
import json
import math
import zlib
from collections.abc import AsyncIterator

import pytest

from tui.api import reading
from tui.api.reading import (
    MAX_NESTING,
    TooLarge,
    Undecodable,
    asked_wait,
    loads,
    nests_deeper_than,
    read_capped,
    retry_hint,
)

# --------------------------------------------------------------------------- nesting


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ('{"a": [1, {"b": "[[[[{{{{"}]}', 3),
        ('["\\\\", [[[]]]]', 4),  # an escaped backslash ends the string
        ('["\\"[[[[", []]', 2),  # an escaped quote does not
        ('["", "[[[[", [[]]]', 3),
        ('[[[""], "]]]]]]", [[[1]]]]]', 5),
        ("[]", 1),
        ('"just [ a string"', 0),
    ],
)
def test_the_scan_counts_only_brackets_outside_strings(text: str, depth: int) -> None:
    json.loads(text)  # the cases are real JSON
    assert not nests_deeper_than(text.encode(), depth)
    if depth:
        assert nests_deeper_than(text.encode(), depth - 1)


def test_a_100000_level_answer_is_refused_without_recursing() -> None:
    body = b'{"data": [], "unused": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(Undecodable, match=f"nests deeper than {MAX_NESTING} levels"):
        loads(body)
    assert loads(b"[" * MAX_NESTING + b"]" * MAX_NESTING)  # exactly the cap is fine


# --------------------------------------------------------------------------- finite numbers


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400", "-1e999", "9" * 400])
def test_non_finite_numbers_are_refused(number: str) -> None:
    with pytest.raises(Undecodable):
        loads(f'{{"data": [{number}]}}'.encode())


def test_finite_numbers_are_kept_as_json_gives_them() -> None:
    data = loads(b'{"a": 81, "b": 0.5, "c": -1e300, "d": 12345678901234567890}')
    assert data == {"a": 81, "b": 0.5, "c": -1e300, "d": 12345678901234567890}
    assert isinstance(data["a"], int)


# --------------------------------------------------------------------------- size cap


async def _chunks(data: bytes, size: int = 65536) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def _read(data: bytes, encoding: str, cap: int) -> bytes:
    return asyncio.run(read_capped(_chunks(data), encoding=encoding, cap=cap))


def test_each_encoding_decodes_under_the_cap() -> None:
    text = b'{"data": []}' * 100
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    assert _read(text, "", 10_000) == text
    assert _read(gzip.compress(text), "gzip", 10_000) == text
    assert _read(zlib.compress(text), "deflate", 10_000) == text
    assert _read(raw.compress(text) + raw.flush(), "deflate", 10_000) == text  # raw deflate


def test_a_bomb_stops_at_the_cap_one_step_at_a_time() -> None:
    bomb = gzip.compress(b"0" * (64 << 20))  # 64 MB in about 64 KB: one network chunk
    with pytest.raises(TooLarge) as info:
        _read(bomb, "gzip", 1 << 20)
    assert info.value.cap == 1 << 20
    inflater = reading._Inflater("gzip")
    pieces = inflater.feed(bomb)
    assert len(next(pieces)) <= reading._INFLATE_STEP  # never the 64 MB at once


def test_an_encoding_not_asked_for_or_corrupt_is_undecodable() -> None:
    with pytest.raises(Undecodable, match="Content-Encoding 'br'"):
        _read(b"x", "br", 100)
    with pytest.raises(Undecodable, match="corrupt"):
        _read(b"not gzip at all", "gzip", 100)


# --------------------------------------------------------------------------- waits


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({"retry-after": "2"}, 2.0),
        ({"retry-after": "0"}, 0.0),
        ({"retry-after": "nan"}, None),  # no usable hint: the caller backs off
        ({"retry-after": "-3"}, None),
        ({"retry-after": "1e999"}, 86_400.0),  # clamped, finite
        ({"retry-after": "inf"}, 86_400.0),
        ({"retry-after": "9" * 400}, 86_400.0),
        ({"ratelimit-reset": "inf"}, 86_400.0),
        ({"ratelimit-reset": "NaN"}, None),
        ({"ratelimit-reset": "7"}, 7.0),
        ({"ratelimit": "limit=10, remaining=0, reset=1e999"}, 86_400.0),
        ({"ratelimit": "limit=10, remaining=0, reset=7"}, 7.0),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),  # in the past
        ({"retry-after": "Fri, 31 Dec 9999 23:59:59 GMT"}, 86_400.0),
        ({"retry-after": "garbage"}, None),
        ({}, None),
    ],
)
def test_retry_hints_are_finite_and_clamped(headers: dict[str, str], wait: float | None) -> None:
    got = retry_hint(headers)
    assert got == wait
    assert got is None or math.isfinite(got)


def test_a_huge_wait_is_written_without_overflow() -> None:
    assert asked_wait(86_400.0) == "a day or more"
    assert asked_wait(3600.0) == "3600 s" and asked_wait(0.2) == "1 s"
