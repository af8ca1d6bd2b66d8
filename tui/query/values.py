"""Value discovery: the values the filter line and the condition editor offer (no Textual).

Models, countries and providers of the window, property keys and values, session names: fetched
through the one client, cached per target and range for the session, at most `LIMIT` values a
field. A failing fetch offers nothing (and is retried only after `RETRY_AFTER` seconds, so typing
does not hammer a broken endpoint); it never raises to the caller.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tui.api.timerange import TimeRange, Window, epoch_ms, tz_offset_minutes
from tui.safe import is_safe

#: At most this many values a field (the endpoints cap themselves at 25 or 50).
LIMIT = 50
#: How many requests the provider sample reads (there is no provider endpoint).
PROVIDER_SAMPLE = 200
#: A failed fetch is not repeated for this long (seconds).
RETRY_AFTER = 30.0
#: Property search answers at most this many values; a full answer is searched again by term.
PROPERTY_SEARCH_CAP = 25

MODEL, PROVIDER, COUNTRY = "model", "provider", "country_code"
PROPERTY_KEYS, PROPERTY_VALUES, SESSION_NAMES = "property_keys", "properties", "session_names"
#: The fields whose values can be fetched, by the field name the filter language uses.
VALUE_FIELDS = {
    "model": MODEL, "provider": PROVIDER, "country_code": COUNTRY,
    "properties": PROPERTY_VALUES, "search_properties": PROPERTY_VALUES,
    "session_session_name": SESSION_NAMES,
}


@dataclass(frozen=True)
class Ask:
    """One list of values: a kind, the property key (for property values), a search term."""

    kind: str
    key: str | None = None
    term: str = ""


CacheKey = tuple[str, TimeRange, Ask]


class ValueCache:
    """The session's cache of value lists; `fetch` runs in the caller's worker, never blocks."""

    def __init__(self, *, limit: int = LIMIT, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._answers: dict[CacheKey, tuple[str, ...]] = {}
        self._failed: dict[CacheKey, float] = {}
        self._running: dict[CacheKey, asyncio.Task[tuple[str, ...] | None]] = {}

    def peek(self, target: str, time_range: TimeRange, ask: Ask) -> tuple[str, ...] | None:
        """The cached values, or None when they have not been fetched (or the fetch failed)."""
        return self._answers.get((target, time_range, ask))

    def failed(self, target: str, time_range: TimeRange, ask: Ask) -> bool:
        when = self._failed.get((target, time_range, ask))
        return when is not None and self._clock() - when < RETRY_AFTER

    async def values(self, client: Any, target: str, time_range: TimeRange, ask: Ask,
                     now: Any = None) -> tuple[str, ...]:
        """The values of `ask` (cached; a second ask sends nothing). () when the fetch fails."""
        key = (target, time_range, ask)
        if key in self._answers:
            return self._answers[key]
        if self.failed(target, time_range, ask):
            return ()
        task = self._running.get(key)
        if task is None:  # one fetch per key, however many keystrokes ask meanwhile
            task = asyncio.ensure_future(self._fetch(client, time_range, ask, now))
            self._running[key] = task
        try:
            found = await asyncio.shield(task)
        finally:
            if task.done():
                self._running.pop(key, None)
        if found is None:
            self._failed[key] = self._clock()
            return ()
        self._answers[key] = found
        self._failed.pop(key, None)
        return found

    async def _fetch(self, client: Any, time_range: TimeRange, ask: Ask,
                     now: Any) -> tuple[str, ...] | None:
        try:
            window = time_range.resolve(now)
            raw = await _send(client, window, ask)
        except asyncio.CancelledError:
            raise
        except Exception:  # any failure (HTTP, wire shape, range): nothing to offer
            return None
        # A value is drawn raw in the dropdown: one with control characters is not offered
        # (it can still be typed, with the filter language's escapes).
        out = dict.fromkeys(v for v in raw if isinstance(v, str) and v and is_safe(v))
        return tuple(list(out)[: self.limit])


async def _send(client: Any, window: Window, ask: Ask) -> list[str]:
    from tui.query.base import time_filter

    if ask.kind == MODEL:
        from tui.api.wire_metrics import ModelMetricsBody

        rows = await client.models(ModelMetricsBody(
            filter="all", offset=0, limit=LIMIT, time_filter=time_filter(window)))
        return [r.model for r in sorted(rows, key=lambda r: -r.total_requests)]
    if ask.kind == COUNTRY:
        from tui.api.wire_metrics import CountryMetricsBody

        rows = await client.country(CountryMetricsBody(
            filter="all", offset=0, limit=LIMIT, time_filter=time_filter(window)))
        return [r.country for r in sorted(rows, key=lambda r: -r.total_requests)]
    if ask.kind == PROVIDER:
        from tui.api.wire_requests import RequestQueryParams, SortLeafRequest
        from tui.query.requests_view import with_time

        rows = await client.requests(RequestQueryParams(
            filter=with_time("all", window), offset=0, limit=PROVIDER_SAMPLE,
            sort=SortLeafRequest.model_validate({"created_at": "desc"})))
        counts: dict[str, int] = {}
        for row in rows:
            counts[row.provider] = counts.get(row.provider, 0) + 1
        return sorted(counts, key=lambda p: -counts[p])
    if ask.kind == PROPERTY_KEYS:
        return sorted((r.property for r in await client.properties()), key=str.lower)
    if ask.kind == PROPERTY_VALUES:
        from tui.api.wire_properties import PropertySearch

        assert ask.key is not None
        found = await client.property_search(ask.key, PropertySearch(search_term=ask.term))
        return sorted(found, key=str.lower)
    if ask.kind == SESSION_NAMES:
        from tui.api.models import SessionMetricsQuery, TimeFilterMs

        rows = await client.session_names(SessionMetricsQuery(
            name_contains=ask.term, timezone_difference=tz_offset_minutes(window.end),
            time_filter=TimeFilterMs(start_time_unix_ms=epoch_ms(window.start),
                                     end_time_unix_ms=epoch_ms(window.end)),
            filter="all"))
        return [r.name for r in sorted(rows, key=lambda r: (-r.session_count, r.name))]
    raise ValueError(f"no values for {ask.kind!r}")


def ask_for(field: str, key: str | None, typed: str) -> Ask | None:
    """The ask behind the values of `field` (`key` for a map), or None when none are known.
    Property values are searched by term only when the first answer was full (see `narrowed`)."""
    kind = VALUE_FIELDS.get(field)
    if kind is None:
        return None
    if kind == PROPERTY_VALUES:
        return Ask(kind, key, "") if key else None
    return Ask(kind)


def narrowed(ask: Ask, first: tuple[str, ...], typed: str) -> Ask | None:
    """When the first answer of a property search was full, the values beyond it are only
    reachable by searching for what the user typed: that ask (or None when not needed)."""
    if ask.kind == PROPERTY_VALUES and typed and len(first) >= PROPERTY_SEARCH_CAP:
        return Ask(ask.kind, ask.key, typed)
    return None


def matching(values: tuple[str, ...], typed: str) -> list[str]:
    """Values containing what was typed (case-insensitive): the value itself first, then those
    starting with it, then the rest."""
    low = typed.lower()
    hits = [v for v in values if low in v.lower()]
    return sorted(hits, key=lambda v: (v != typed, not v.lower().startswith(low)))
