"""`p`: the presets picker. An input to type in (it narrows the list) above the list; `down` moves
into the list, where `enter` loads, `d` deletes (asks), `r` renames, and `/` returns to the input.

Problems with the file (it does not parse) or with single presets (a filter that no longer
parses) are listed under the list: the other presets still load.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.safe import visible
from tui.screens import MODAL_CSS
from tui.screens.confirm import Confirm
from tui.screens.preset_save import NAME_CHARS
from tui.widgets.key_lines import KeyLines

if TYPE_CHECKING:
    from tui.presets import Preset, PresetStore


@dataclass
class PickerOutcome:
    """What happened in the picker: the preset to load (or None), and renames and deletions
    (so the header can follow its active preset)."""

    loaded: Preset | None = None
    renamed: dict[str, str] = field(default_factory=dict)  # old name -> new name
    deleted: set[str] = field(default_factory=set)


def matches(preset: Preset, needle: str) -> bool:
    """Whether the typed text is in the preset's name, description or filter (any case)."""
    needle = needle.strip().lower()
    if not needle:
        return True
    return any(needle in part.lower() for part in (preset.name, preset.description, preset.filter))


class PresetPicker(ModalScreen[PickerOutcome]):
    """Dismisses with a PickerOutcome (escape: nothing loaded)."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [MODAL_CSS]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="presets.close"),
        Binding("down", "to_list", "To the list", id="presets.list"),
        Binding("d", "delete", "Delete", id="presets.delete"),
        Binding("r", "rename", "Rename", id="presets.rename"),
        Binding("slash", "to_input", "Search", id="presets.search"),
    ]

    def __init__(self, store: PresetStore) -> None:
        super().__init__()
        self.store = store
        self.presets: dict[str, Preset] = {}
        self.problems: list[str] = []
        self.error: str | None = None  # the whole file is unusable (does not parse...)
        self.outcome = PickerOutcome()

    def compose(self) -> ComposeResult:
        with Vertical(id="preset-picker", classes="dialog"):
            yield Label(Text(visible(f"Presets  ({self.store.path})"), overflow="ellipsis",
                             no_wrap=True),
                        classes="dialog-title")
            yield Input(placeholder="type to narrow; down: the list", id="preset-search",
                        compact=True)
            yield OptionList(id="preset-list")
            yield Static("", id="preset-problems", classes="error-text")
        yield KeyLines()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#preset-search", Input).focus()

    # ----------------------------------------------------------------- the list

    def reload(self, highlight: str | None = None) -> None:
        from tui.safe import visible

        result = self.store.load()  # reads only: a broken file is left byte for byte
        self.presets = dict(sorted(result.presets.items(), key=lambda kv: kv[0].lower()))
        self.problems = [visible(p) for p in result.problems]
        self.error = visible(result.error) if result.error else None
        problems = self.query_one("#preset-problems", Static)
        problems.update(Text(visible("\n".join(self.problems), block=True))
                        if self.problems else "")
        problems.display = bool(self.problems)
        self._fill(highlight)

    def _fill(self, highlight: str | None = None) -> None:
        listing = self.query_one("#preset-list", OptionList)
        needle = self.query_one("#preset-search", Input).value
        shown = [p for p in self.presets.values() if matches(p, needle)]
        listing.clear_options()
        listing.add_options(Option(self._prompt(p), id=p.name) for p in shown)
        if not shown:
            empty: Text | Content
            if self.error:  # a broken file is not an empty one: say so where presets would be
                # The theme's error colour, as the .error-text class gives the text below.
                empty = Content.styled(
                    "the presets file cannot be used (below); it is left as it is", "bold $error"
                )
            elif not self.presets:
                empty = Text("no presets yet: s on the main screen saves one", style="dim")
            else:
                empty = Text("no preset matches", style="dim")
            listing.add_option(Option(empty, disabled=True))
            return
        names = [p.name for p in shown]
        listing.highlighted = names.index(highlight) if highlight in names else 0

    @staticmethod
    def _prompt(preset: Preset) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(visible(preset.name), "bold")  # all of it read from a file: shown as text
        text.append(visible(f"  {preset.range_text()}"), "dim")
        if preset.description:
            text.append(visible(f"  {preset.description}"))
        text.append("\n  " + visible(preset.filter), "italic")
        return text

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "preset-search":
            self._fill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "preset-search":
            event.stop()
            self._load(self._highlighted())  # enter in the input loads the first match

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._load(event.option.id or None)

    def _highlighted(self) -> str | None:
        listing = self.query_one("#preset-list", OptionList)
        if listing.highlighted is None or listing.option_count == 0:
            return None
        return listing.get_option_at_index(listing.highlighted).id or None

    def _load(self, name: str | None) -> None:
        if name is None or name not in self.presets:
            return
        self.outcome.loaded = self.presets[name]
        self.dismiss(self.outcome)

    # ----------------------------------------------------------------- keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # d, r and / act on the list; in the input they are text.
        if action in ("delete", "rename", "to_input"):
            return isinstance(self.focused, OptionList)
        if action == "to_list":
            return isinstance(self.focused, Input)
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def action_to_list(self) -> None:
        self.query_one("#preset-list", OptionList).focus()

    def action_to_input(self) -> None:
        self.query_one("#preset-search", Input).focus()

    def action_close(self) -> None:
        self.dismiss(self.outcome)

    def action_delete(self) -> None:
        name = self._highlighted()
        if name is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            from tui.presets import PresetError

            try:
                self.store.delete(name)
            except PresetError as exc:
                self.notify(str(exc), severity="error", timeout=6)
                return
            original = next((o for o, n in self.outcome.renamed.items() if n == name), name)
            self.outcome.renamed.pop(original, None)
            self.outcome.deleted.add(original)
            self.notify(f"Deleted preset {name!r}", timeout=3)
            self.reload()

        self.app.push_screen(
            Confirm(f"Delete the preset {name!r}?", f"It is removed from {self.store.path}.",
                    yes="Delete"),
            answered,
        )

    def action_rename(self) -> None:
        old = self._highlighted()
        if old is None:
            return

        def rename(new: str) -> None:
            self.store.rename(old, new)

        def renamed(new: str | None) -> None:
            if new is None or new == old:
                return
            original = next((o for o, n in self.outcome.renamed.items() if n == old), old)
            self.outcome.renamed[original] = new
            self.notify(f"Renamed {old!r} to {new!r}", timeout=3)
            self.reload(highlight=new)

        self.app.push_screen(RenamePreset(old, rename), renamed)


class RenamePreset(ModalScreen[str | None]):
    """A new name for a preset; dismisses with it once renamed, or None (escape)."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [MODAL_CSS]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="presets.rename.cancel"),
    ]

    def __init__(self, old: str, rename: Callable[[str], None]) -> None:
        super().__init__()
        self.old = old
        self._rename = rename

    def compose(self) -> ComposeResult:
        with Vertical(id="preset-rename-dialog", classes="dialog"):
            yield Label(f"Rename the preset {self.old!r}", classes="dialog-title", markup=False)
            with Horizontal(classes="form-row"):
                yield Label("new name ", classes="form-label")
                yield Input(self.old, restrict=NAME_CHARS, max_length=100, id="preset-new-name",
                            compact=True)
            yield Static("", id="preset-rename-error", classes="form-error")
            yield Label("enter: rename    escape: cancel", classes="hint")
        yield KeyLines()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        from tui.presets import PresetError

        new = event.value.strip()
        if not new:
            self.query_one("#preset-rename-error", Static).update("a preset needs a name")
            return
        try:
            if new != self.old:
                self._rename(new)
        except PresetError as exc:
            self.query_one("#preset-rename-error", Static).update(Text(str(exc)))
            return
        self.dismiss(new)

    def action_cancel(self) -> None:
        self.dismiss(None)
