"""`b`: the breakdown picker. An input to type in (it narrows the list) above the list of
dimensions: the columns (model, provider, user_id, ...), then `properties.<key>` for every key
`/v1/property/query` lists (fetched when the picker opens, through the app's client, and cached
per target and range for the session), then "none" (no split).

`enter` picks the highlighted line (in the input: the first match, or the text typed when it is a
dimension, e.g. a property key the list does not hold yet); `down` moves into the list, `/` back to
the input; `escape` cancels. Dismisses with the dimension's text, `NONE` to clear, None when
cancelled.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.query.breakdown_dims import COLUMNS, PROPERTY_PREFIX, DimensionError, parse_dimension
from tui.safe import visible
from tui.screens import MODAL_CSS, STYLES
from tui.widgets.key_lines import KeyLines

if TYPE_CHECKING:
    from tui.api.timerange import TimeRange

#: The line that clears the breakdown (no dimension is called that: `properties.none` is one).
NONE = "none"

#: What each column dimension splits by, shown beside its name.
ABOUT: dict[str, str] = {
    "model": "the model asked",
    "provider": "OPENAI, ANTHROPIC, ...",
    "user_id": "the Helicone user id",
    "country_code": "the caller's country",
    "status_class": "2xx, 4xx, 5xx, ...",
    "prompt_id": "the prompt",
    "prompt_version": "the prompt's version",
}


def dimension_lines(property_keys: tuple[str, ...] | list[str]) -> list[str]:
    """Every line of the picker, in order: the columns, each property key, then "none"."""
    return [*COLUMNS, *(PROPERTY_PREFIX + k for k in property_keys), NONE]


def matching(lines: list[str], typed: str) -> list[str]:
    """The lines holding the typed text (any case); the ones starting with it first."""
    needle = typed.strip().lower()
    if not needle:
        return list(lines)
    found = [line for line in lines if needle in line.lower()]
    return sorted(found, key=lambda line: not line.lower().startswith(needle))


class BreakdownPicker(ModalScreen["str | None"]):
    """Dismisses with a dimension's text, `NONE` (no split), or None (escape)."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [MODAL_CSS, STYLES / "breakdown_picker.tcss"]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Cancel", id="breakdown.cancel"),
        Binding("down", "to_list", "To the list", id="breakdown.list"),
        Binding("slash", "to_input", "Search", id="breakdown.search"),
    ]

    def __init__(self, current: str | None, target: str, time_range: TimeRange) -> None:
        super().__init__()
        self.current = current
        self.target = target  # the base URL: the property keys are cached per target and range
        self.time_range = time_range
        self.property_keys: tuple[str, ...] = ()
        self.status_text = "fetching the property keys..."

    def compose(self) -> ComposeResult:
        shown = visible(self.current) if self.current else "none"
        with Vertical(id="breakdown-picker", classes="dialog"):
            yield Label(Text(f"Breakdown: split the charts by (now: {shown})", no_wrap=True,
                             overflow="ellipsis"), classes="dialog-title")
            yield Input(placeholder="type to narrow; enter picks; down: the list",
                        id="breakdown-search", compact=True)
            yield OptionList(id="breakdown-list")
            yield Static(self.status_text, id="breakdown-status")
        yield KeyLines()

    def on_mount(self) -> None:
        cached = self._cache().peek(self.target, self.time_range, self._ask())
        if cached is not None:
            self._got_keys(cached, failed=False)
        else:
            self._fill()
            self.run_worker(self._fetch_keys(), group="breakdown-keys", exit_on_error=False)
        self.query_one("#breakdown-search", Input).focus()

    # ----------------------------------------------------------------- the property keys

    def _cache(self) -> Any:
        from tui.widgets.completion import value_cache

        return value_cache(self.app)  # the filter line's: one fetch serves both

    @staticmethod
    def _ask() -> Any:
        from tui.query import values

        return values.Ask(values.PROPERTY_KEYS)

    async def _fetch_keys(self) -> None:
        from tui.screens.services import services

        cache = self._cache()
        try:
            client = await services(self).get_client()
            keys = await cache.values(client, self.target, self.time_range, self._ask())
        except Exception:  # the columns are still there to pick
            keys = ()
        failed = cache.failed(self.target, self.time_range, self._ask())
        if self.is_attached:
            self._got_keys(keys, failed=failed)

    def _got_keys(self, keys: tuple[str, ...], *, failed: bool) -> None:
        self.property_keys = tuple(keys)
        if failed:
            self.status_text = ("the property keys could not be fetched (/v1/property/query); "
                                "type properties.<key> to split by one")
        elif keys:
            self.status_text = f"{len(keys)} property keys from /v1/property/query"
        else:
            self.status_text = "no property keys in /v1/property/query"
        self.query_one("#breakdown-status", Static).update(Text(self.status_text))
        self._fill()

    # ----------------------------------------------------------------- the list

    def _fill(self) -> None:
        listing = self.query_one("#breakdown-list", OptionList)
        typed = self.query_one("#breakdown-search", Input).value
        shown = matching(dimension_lines(self.property_keys), typed)
        listing.clear_options()
        listing.add_options(Option(self._prompt(line), id=line) for line in shown)
        if not shown:
            listing.add_option(Option(Text("no dimension matches", style="dim"), disabled=True))
            return
        listing.highlighted = shown.index(self.current) if self.current in shown else 0

    def _prompt(self, line: str) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(visible(line), "bold" if line == self.current else "")  # a key: server text
        if line in ABOUT:
            text.append(f"  {ABOUT[line]}", "dim")
        elif line == NONE:
            text.append("  no split: one series per chart", "dim")
        if line == self.current or (line == NONE and self.current is None):
            text.append("  (now)", "italic")
        return text

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "breakdown-search":
            event.stop()
            self._fill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "breakdown-search":
            return
        event.stop()
        picked = self._highlighted()
        if picked is None:
            picked = self._typed_dimension(event.value)
        if picked is None:
            self.query_one("#breakdown-status", Static).update(
                Text(f"{visible(event.value.strip())!r} is no dimension: pick one of the list",
                     style="bold"))
            return
        self.dismiss(picked)

    def _typed_dimension(self, typed: str) -> str | None:
        try:
            return parse_dimension(typed).text
        except DimensionError:
            return None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(event.option.id)

    def _highlighted(self) -> str | None:
        listing = self.query_one("#breakdown-list", OptionList)
        if listing.highlighted is None or listing.option_count == 0:
            return None
        option = listing.get_option_at_index(listing.highlighted)
        return None if option.disabled else option.id

    # ----------------------------------------------------------------- keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_input":  # `/` is text in the input
            return isinstance(self.focused, OptionList)
        if action == "to_list":
            return isinstance(self.focused, Input)
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def action_to_list(self) -> None:
        self.query_one("#breakdown-list", OptionList).focus()

    def action_to_input(self) -> None:
        self.query_one("#breakdown-search", Input).focus()

    def action_close(self) -> None:
        self.dismiss(None)
