"""Reading an answer without trusting it: a size cap, a nesting cap, finite numbers, sane waits.

DESIGN.md "Terminal safety and limits". Standard library only, so it is tested on its own and the
client stays about transport and meaning. The size cap counts *decoded* bytes as they arrive (a
gzip bomb stops at the cap, not after inflating), the nesting cap is checked by a linear scan
before `json.loads` ever recurses, and a server's `Retry-After` can never make us wait long or
crash on `1e999`.
"""

from __future__ import annotations

import email.utils
import json
import math
import re
import zlib
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from itertools import accumulate
from typing import Any

# Helicone's answers nest at most about 6 levels (envelope, list, row, map of properties); 128
# leaves room for anything a future endpoint might return, and stays far below Python's recursion
# limit (1000) for json.loads, pydantic and our own walks over the result.
MAX_NESTING = 128
# Longest single wait we honour; a longer Retry-After is reported instead of waited for.
MAX_RETRY_WAIT = 60.0
MAX_RETRIES = 3  # so at most 4 tries
# A wait asked for beyond a day is shown as "a day or more"; also keeps every value finite.
_LONGEST_ASKED = 86_400.0
_INFLATE_STEP = 1 << 20  # decoded bytes per zlib call, so one compressed chunk cannot balloon


class TooLarge(Exception):
    """The decoded answer passed the cap (`cap` bytes)."""

    def __init__(self, cap: int) -> None:
        super().__init__(f"over {cap} bytes")
        self.cap = cap


class Undecodable(Exception):
    """The answer's bytes cannot be decoded: one line saying why (no server text in it)."""


# --------------------------------------------------------------------------- size cap


class _Inflater:
    """Content-Encoding decoding that never produces more than a step's output at a time."""

    def __init__(self, encoding: str) -> None:
        encoding = encoding.strip().lower()
        self._raw_fallback = False
        if encoding in ("", "identity"):
            self._z: Any = None
        elif encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            # HTTP's "deflate" is meant to be zlib-wrapped; some servers send it raw.
            self._z = zlib.decompressobj()
            self._raw_fallback = True
        else:
            raise Undecodable(
                f"it is sent with Content-Encoding {encoding[:40]!r}, which was not asked for"
            )

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._z is None:
            if data:
                yield data
            return
        pending = data
        while pending and not self._z.eof:
            try:
                piece = self._z.decompress(pending, _INFLATE_STEP)
            except zlib.error:
                if not self._raw_fallback:
                    raise Undecodable("its compressed body is corrupt") from None
                self._raw_fallback = False
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            self._raw_fallback = False
            if piece:
                yield piece
            pending = self._z.unconsumed_tail

    def finish(self) -> bytes:
        # Once all input is consumed, what zlib still holds is at most its window (32 KB).
        return self._z.flush() if self._z is not None else b""


async def read_capped(chunks: AsyncIterator[bytes], *, encoding: str, cap: int) -> bytes:
    """The decoded body, read chunk by chunk; TooLarge as soon as it passes `cap` bytes."""
    inflater = _Inflater(encoding)
    body = bytearray()
    async for chunk in chunks:
        for piece in inflater.feed(chunk):
            body += piece
            if len(body) > cap:
                raise TooLarge(cap)
    body += inflater.finish()
    if len(body) > cap:
        raise TooLarge(cap)
    return bytes(body)


# --------------------------------------------------------------------------- JSON

_ALL_BUT_QUOTES_AND_BRACKETS = bytes(sorted(set(range(256)) - set(b'"[]{}')))
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def nests_deeper_than(data: bytes, cap: int = MAX_NESTING) -> bool:
    """True when the JSON in `data` nests more than `cap` levels (brackets in strings do not count).

    Linear, at C speed and without recursion, so a 100,000-level answer costs a scan, not a
    RecursionError: escaped backslashes and quotes are dropped, then everything but quotes and
    brackets, then what lies between quotes; the rest is a running sum.
    """
    if data.count(b"[") + data.count(b"{") <= cap:
        return False  # cannot nest deeper than it has brackets
    kept = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    # Two adjacent quotes close one string or open the next: dropping them keeps the parity.
    kept = kept.translate(None, _ALL_BUT_QUOTES_AND_BRACKETS).replace(b'""', b"")
    brackets = b"".join(kept.split(b'"')[::2])  # the even parts lie outside strings
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0) > cap


def _refuse_constant(name: str) -> Any:
    raise Undecodable(f"it holds {name}, which is not a number JSON allows")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise Undecodable(f"it holds {text[:40]}, a number too large to be finite")
    return value


def _bounded_int(text: str) -> int:
    # Past 308 digits no float can hold it (and it is no count or id Helicone sends).
    if len(text.lstrip("-")) > 308:
        raise Undecodable("it holds an integer too large to be finite as a number")
    return int(text)


def loads(data: bytes, *, max_nesting: int = MAX_NESTING) -> Any:
    """JSON from `data`, refusing deep nesting and non-finite numbers (Undecodable, one line).

    Plain bad JSON raises ValueError as json.loads does.
    """
    if nests_deeper_than(data, max_nesting):
        raise Undecodable(f"it nests deeper than {max_nesting} levels")
    return json.loads(
        data,
        parse_constant=_refuse_constant,
        parse_float=_finite_float,
        parse_int=_bounded_int,
    )


# --------------------------------------------------------------------------- waits


def _seconds(text: str) -> float | None:
    """A server's number of seconds: None unless a finite, non-negative number; capped."""
    try:
        value = float(text)
    except (ValueError, OverflowError):
        return None
    if math.isnan(value) or value < 0:
        return None
    return min(value, _LONGEST_ASKED)  # inf and 1e999 become "a day or more"


def retry_hint(headers: Any) -> float | None:
    """Seconds to wait from Retry-After (seconds or HTTP date) or RateLimit-Reset / RateLimit.

    Always finite, 0 to a day; None when there is no usable hint (the caller backs off).
    """
    value = (headers.get("retry-after") or "").strip()
    if value:
        seconds = _seconds(value)
        if seconds is not None:
            return seconds
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, OverflowError, IndexError):
            when = None
        if when is not None:
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            # The server's clock, so the real clock here, not a --now fixed one.
            wait = (when - datetime.now(UTC)).total_seconds()
            return min(max(0.0, wait), _LONGEST_ASKED)
    reset = headers.get("ratelimit-reset")
    if reset is None:
        combined = headers.get("ratelimit") or ""
        match = re.search(r"(?:^|[;,\s])reset=([^;,\s]+)", combined)
        reset = match.group(1) if match else None
    return _seconds(reset) if reset is not None else None


def asked_wait(seconds: float) -> str:
    """How a requested wait is written in a message."""
    return "a day or more" if seconds >= _LONGEST_ASKED else f"{math.ceil(seconds)} s"
