"""The investigation context shared by every tab: where the questions go, the filter, the range.

Plain frozen data (no Textual): the main screen holds one `Investigation` in a reactive and binds it
to every tab; a change is a new object, so each tab can tell whether its last answer is stale by
comparing keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from tui.api.key import ApiKey
    from tui.api.timerange import TimeRange
    from tui.filters.tree import Node
    from tui.presets import Preset


@dataclass(frozen=True)
class Target:
    """Where requests go. The key never shows in a repr."""

    base_url: str
    api_key: ApiKey | str = field(repr=False)
    demo: bool = False
    timeout: float = 60.0
    allow_insecure_http: bool = False

    @property
    def region(self) -> str:
        """US, EU, DEMO, or "custom"."""
        if self.demo:
            return "DEMO"
        from tui.api.target import region_of

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
        """The key's value, for the client only."""
        key = self.api_key
        return key if isinstance(key, str) else key.reveal()


@dataclass(frozen=True)
class Investigation:
    """One filter and one time range, shared by all tabs.

    `generation` is bumped by a refresh (r, watch), so every tab's answer becomes stale at once
    while the filter and range stay the same.
    """

    filter: Node
    filter_text: str
    time_range: TimeRange
    generation: int = 0
    #: The preset loaded or saved last (the header names it); not part of any request.
    preset: Preset | None = None

    @property
    def key(self) -> tuple[object, ...]:
        return (self.filter_text, self.time_range, self.generation)

    def with_filter(self, node: Node, text: str) -> Investigation:
        return replace(self, filter=node, filter_text=text)

    def with_range(self, time_range: TimeRange) -> Investigation:
        return replace(self, time_range=time_range)

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
        if self.filter_text != preset.filter:
            return True
        wanted = preset.time_range()
        if wanted is not None and wanted != self.time_range:
            return True
        current = options or {}
        for name, value in preset.settings().items():
            if name in current and current[name] != value:
                return True
        return False
