"""The investigation and its target, shared by the command line and every tab.

Plain frozen data (no Textual): the main screen holds one `Investigation` in a reactive and binds it
to every tab; a change is a new object, so each tab can tell whether its last answer is stale by
comparing keys. The CLI builds the same two objects from its arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tui.api.target import EU_HOST, US_HOST, region_of

if TYPE_CHECKING:
    from tui.api.key import ApiKey
    from tui.api.timerange import TimeRange
    from tui.filters.tree import Node
    from tui.presets import Preset

__all__ = ["EU_HOST", "US_HOST", "Investigation", "Target"]


@dataclass(frozen=True)
class Target:
    """Where requests go and with which key (the key never shows in a repr).

    `base_url_source` and `key_source` say where each came from (doctor prints them)."""

    base_url: str
    api_key: ApiKey | str | None = field(default=None, repr=False)
    demo: bool = False
    timeout: float = 60.0
    allow_insecure_http: bool = False
    base_url_source: str = ""
    key_source: str | None = None

    @property
    def key(self) -> ApiKey | None:
        """The key as an `ApiKey` (masked in any text), or None when none is set."""
        key = self.api_key
        if key is None or not isinstance(key, str):
            return key
        from tui.api.key import ApiKey

        return ApiKey(key)

    def client(self, **kwargs: Any) -> Any:
        """A client for this target (httpx is imported only here)."""
        from tui import USER_AGENT
        from tui.api.client import HeliconeClient
        from tui.config import max_answer_mb

        kwargs.setdefault("max_answer_mb", max_answer_mb())  # the client reads no file
        kwargs.setdefault("user_agent", USER_AGENT)  # nor knows the version
        return HeliconeClient(
            self.base_url, self.key, timeout=self.timeout,
            allow_insecure_http=self.allow_insecure_http, **kwargs,
        )

    @property
    def region(self) -> str:
        """US, EU, DEMO, or "custom"."""
        if self.demo:
            return "DEMO"
        return region_of(self.base_url) or "custom"

    @property
    def label(self) -> str:
        """What the header shows: the region, or the custom URL without its scheme."""
        region = self.region
        if region != "custom":
            return region
        parts = urlsplit(self.base_url)
        return (parts.netloc + parts.path).rstrip("/") or self.base_url

    def secret(self) -> str:
        """The key's value, for the client only ("" when none is set)."""
        key = self.api_key
        if key is None:
            return ""
        return key if isinstance(key, str) else key.reveal()


@dataclass(frozen=True)
class Investigation:
    """One filter and one time range, shared by all tabs.

    `generation` is bumped by a refresh (r, watch), so every tab's answer becomes stale at once
    while the filter and range stay the same. The filter text is not stored: it is the tree as
    the canonical formatter writes it, so the two can never disagree.
    """

    filter: Node
    time_range: TimeRange
    generation: int = 0
    #: The preset loaded or saved last (the header names it); not part of any request.
    preset: Preset | None = None
    #: The breakdown dimension (`b`, `--breakdown DIM`; "model", "properties.<key>", ...) that
    #: splits the over-time views (Overview, Scores) into one series per top value; None: no
    #: split. Not in `key`: only the tabs that split read it, in their `options()`.
    breakdown: str | None = None

    @cached_property
    def filter_text(self) -> str:
        """The filter as text: derived from the tree by the canonical formatter (once per
        investigation: the staleness key asks for it on every check)."""
        return _canonical(self.filter)

    @property
    def key(self) -> tuple[object, ...]:
        return (self.filter_text, self.time_range, self.generation)

    def with_filter(self, node: Node, text: str | None = None) -> Investigation:
        """A new filter. `text` (what was typed) is accepted for callers that have it, but the
        text shown and saved is always the tree's canonical form."""
        return replace(self, filter=node)

    def with_range(self, time_range: TimeRange) -> Investigation:
        return replace(self, time_range=time_range)

    def narrowed(self, start: datetime, end: datetime, condition: Node | None = None
                 ) -> Investigation:
        """A drill-down's investigation: the absolute range [start, end] and the filter AND
        `condition` (None: the filter as it is)."""
        from tui.api.timerange import TimeRange

        node = self.filter if condition is None else and_condition(self.filter, condition)
        return replace(self, filter=node, time_range=TimeRange.absolute(start, end))

    def with_breakdown(self, dimension: str | None) -> Investigation:
        return replace(self, breakdown=dimension)

    def refreshed(self) -> Investigation:
        return replace(self, generation=self.generation + 1)

    def with_preset(self, preset: Preset | None) -> Investigation:
        return replace(self, preset=preset)

    def differs_from_preset(self, options: Mapping[str, Any] | None = None) -> bool:
        """True when the filter, the range, or one of the tabs' current `options` (increment,
        p_size...) is not what the active preset set. A setting the preset leaves unset never
        counts: loading such a preset keeps the current one."""
        preset = self.preset
        if preset is None:
            return False
        if self.filter_text != _preset_filter_text(preset):
            return True
        wanted = preset.time_range()
        if wanted is not None and wanted != self.time_range:
            return True
        current = options or {}
        for name, value in preset.settings().items():
            if name in current and current[name] != value:
                return True
        return False


def and_condition(current: Node, condition: Node) -> Node:
    """`current AND condition` in normal form (just `condition` when the filter is `all`)."""
    from tui.filters.tree import Group, is_all, normal

    return condition if is_all(current) else normal(Group("and", (current, condition)))


def _canonical(node: Node) -> str:
    from tui.filters.text import format as format_filter

    return format_filter(node)


def _preset_filter_text(preset: Preset) -> str:
    """The preset's filter in canonical form (a hand-written `status=429` equals `status = 429`);
    a filter that does not parse is compared as written, so it differs."""
    from tui.filters.text import parse
    from tui.filters.tree import FilterError

    try:
        return _canonical(parse(preset.filter))
    except FilterError:
        return preset.filter
