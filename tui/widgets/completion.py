"""The completion dropdown of the filter line, the condition editor and Sessions' `N` input.

Built on textual-autocomplete (a well-kept dropdown that follows the cursor and leaves focus in the
input). What to offer comes from `tui.query.completing` (where the cursor is) and
`tui.query.values` (the values, fetched in a worker and cached per target and range for the
session): typing never waits for a fetch, and a failed fetch just offers nothing.

Keys: `down` opens it (or moves in it), `up` moves, `tab` or `enter` picks, `escape` closes it
first (the line or the dialog closes on the next escape). On the filter line, `enter` on text that
is a whole filter applies it, even with the dropdown open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal
from weakref import WeakKeyDictionary

from textual import events
from textual.widgets import Input
from textual_autocomplete import AutoComplete, DropdownItem, TargetState

from tui.api.fields import fields_for, get_field
from tui.filters.spelling import format_field, quote
from tui.query import values as v
from tui.query.completing import Spot, spot

Mode = Literal["filter", "field", "value"]

#: One value cache per app: the session's.
_CACHES: WeakKeyDictionary[Any, v.ValueCache] = WeakKeyDictionary()


def value_cache(app: Any) -> v.ValueCache:
    cache = _CACHES.get(app)
    if cache is None:
        cache = _CACHES[app] = v.ValueCache()
    return cache


def main_screen(app: Any) -> Any:
    """The screen holding the investigation (the bottom of the stack, under any dialog)."""
    return next((s for s in app.screen_stack if hasattr(s, "context")), None)


class Completer(AutoComplete):
    """Completion for one input. `mode`: "filter" (filter text), "field" (a field name, as the
    condition editor's field input takes it), "value" (a plain value of `field_of()`)."""

    def __init__(
        self,
        target: Input,
        *,
        mode: Mode = "filter",
        field_of: Callable[[], tuple[str, str | None] | None] | None = None,
        sessions: Callable[[], bool] | None = None,
        score_keys: Callable[[], list[str]] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(target, id=id)
        self.mode = mode
        self._field_of = field_of
        self._sessions = sessions
        self._score_keys = score_keys
        self._spot = Spot("none")
        self._fetching: set[v.Ask] = set()
        self._everything = False  # show every candidate (the editor's field list key)

    # ----------------------------------------------------------------- where, and what

    def _where(self, state: TargetState) -> Spot:
        if self.mode == "value":
            found = self._field_of() if self._field_of else None
            if found is None:
                return Spot("none")
            return Spot("value", 0, state.text[: state.cursor_position], found[0], found[1])
        where = spot(state.text, state.cursor_position)
        if self.mode == "field" and where.kind not in ("field", "key"):
            return Spot("none")
        return where

    def get_search_string(self, target_state: TargetState) -> str:
        self._spot = self._where(target_state)
        return self._spot.typed

    def get_candidates(self, target_state: TargetState) -> list[DropdownItem]:
        where = self._spot
        if where.kind == "field":
            return self._fields()
        if where.kind == "key":
            return self._keys(where)
        if where.kind == "value" and where.field is not None:
            return [DropdownItem(quote(x) if self.mode == "filter" else x)
                    for x in self._values(where)]
        return []

    def get_matches(self, target_state: TargetState, candidates: list[DropdownItem],
                    search_string: str) -> list[DropdownItem]:
        if self._everything:
            return candidates
        if self._spot.kind == "value":  # the values were searched by what was typed already
            return candidates
        low = search_string.lower()
        hits = [c for c in candidates if c.value.lower().startswith(low)]
        hits += [c for c in candidates if low in c.value.lower() and c not in hits]
        return hits

    def should_show_dropdown(self, search_string: str) -> bool:
        if self.option_list.option_count == 0:
            return False
        if self.option_list.option_count == 1 and self._only_is_typed():
            return False
        return bool(search_string) or self._spot.quoted or self._spot.kind == "key"

    def _only_is_typed(self) -> bool:
        value = self.option_list.get_option_at_index(0).prompt
        text = getattr(value, "plain", value)
        where = self._spot
        typed = self.target.value[where.start:self.target.cursor_position]
        return text in (where.typed, typed)

    def _fields(self) -> list[DropdownItem]:
        sessions = self._sessions() if self._sessions else False
        return [DropdownItem(f"{f.name}." if f.is_map else f.name) for f in fields_for(sessions)]

    def _keys(self, where: Spot) -> list[DropdownItem]:
        if where.field == "scores":
            keys = self._score_keys() if self._score_keys else []
        elif where.field in ("properties", "search_properties"):
            keys = list(self._values(Spot("key", field="property_keys")))
        else:
            return []
        assert where.field is not None
        return [DropdownItem(format_field(where.field, k)) for k in keys]

    def _values(self, where: Spot) -> list[str]:
        """Cached values of the spot's field; a fetch starts in a worker when there are none."""
        scope = self._scope()
        if scope is None:
            return []
        if where.field == "property_keys":
            ask: v.Ask | None = v.Ask(v.PROPERTY_KEYS)
        else:
            assert where.field is not None
            ask = v.ask_for(where.field, where.key, where.typed)
        if ask is None:
            return []
        found = self._cached(scope, ask)
        if found is None:
            return []
        more = v.narrowed(ask, found, where.typed)
        if more is not None:
            found = self._cached(scope, more) or found
        return v.matching(found, where.typed) if where.field != "property_keys" else list(found)

    def _cached(self, scope: tuple[str, Any], ask: v.Ask) -> tuple[str, ...] | None:
        cache = value_cache(self.app)
        found = cache.peek(scope[0], scope[1], ask)
        if found is None and ask not in self._fetching and not cache.failed(*scope, ask):
            self._fetching.add(ask)
            self.run_worker(self._fetch(scope, ask), group="completion", exit_on_error=False)
        return found

    def _scope(self) -> tuple[str, Any] | None:
        """The target and range the values belong to."""
        target = getattr(self.app, "target", None)
        screen = main_screen(self.app)
        if target is None or screen is None:
            return None
        return target.base_url, screen.context.time_range

    async def _fetch(self, scope: tuple[str, Any], ask: v.Ask) -> None:
        from tui.screens.services import services

        try:
            client = await services(self).get_client()
            await value_cache(self.app).values(client, scope[0], scope[1], ask)
        except Exception:
            pass  # nothing to offer: completion never interrupts typing with an error
        finally:
            self._fetching.discard(ask)
        if self.is_attached and self.target.has_focus:
            self._handle_target_update()  # the answer is in: offer it where the cursor is now

    # ----------------------------------------------------------------- picking

    def apply_completion(self, value: str, state: TargetState) -> None:
        where = self._spot
        text, cursor = state.text, state.cursor_position
        end = cursor
        # a closing quote right after the cursor belongs to the token being replaced
        if (where.kind == "value" and where.quoted and self.mode == "filter"
                and end < len(text) and text[end] in "'\""):
            end += 1
        tail = "" if value.endswith(".") or self.mode != "filter" else " "
        if tail and text[end:end + 1] == " ":
            tail = ""
        start = 0 if self.mode == "value" else where.start
        new = text[:start] + value + tail + text[end:]
        self.target.value = new
        self.target.cursor_position = start + len(value) + len(tail)
        self._everything = False
        self._rebuild_options(self._get_target_state(),
                              self.get_search_string(self._get_target_state()))

    def show_everything(self) -> None:
        """Open the dropdown with every candidate, whatever was typed (the field list key)."""
        self._everything = True
        self._handle_target_update()
        if self.option_list.option_count:
            self.action_show()

    def _listen_to_messages(self, event: events.Event) -> None:
        if isinstance(event, Input.Changed):
            self._everything = False
        if isinstance(event, events.Key) and event.key == "enter" and (
                (self.mode == "filter" and _whole_filter(self.target.value))
                or (self.mode == "value" and self.highlights_typed())):
            self.action_hide()  # a whole filter, or the value as typed: enter applies it
            return
        super()._listen_to_messages(event)

    @property
    def showing(self) -> bool:
        return bool(self.display) and self.option_list.option_count > 0

    def highlights_typed(self) -> bool:
        """The highlighted option is what was typed already (enter then means "this")."""
        options = self.option_list
        if not self.showing or options.highlighted is None:
            return False
        prompt = options.get_option_at_index(options.highlighted).prompt
        return getattr(prompt, "plain", prompt) == self._spot.typed

    def pick(self) -> None:
        """Take the highlighted option (the condition editor's enter, a priority binding)."""
        self._complete(self.option_list.highlighted or 0)


def _whole_filter(text: str) -> bool:
    from tui.filters.text import FilterSyntaxError, parse
    from tui.filters.tree import FilterError

    if not text.strip():
        return False
    try:
        parse(text)
    except (FilterSyntaxError, FilterError):
        return False
    return True


def field_known(text: str) -> bool:
    """The field input holds a whole field name (a map's with its key)."""
    name, dot, key = text.strip().partition(".")
    info = get_field(name)
    return info is not None and (bool(key) if info.is_map else not dot)
