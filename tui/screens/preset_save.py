"""`s`: save the investigation context as a preset: a name and a description; asks before
replacing a preset of the same name. What is saved: the filter text, the range (a sliding range as
`since`, a fixed one as `start`/`end`) and the tab options chosen (e.g. the scores increment).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.safe import visible
from tui.screens import MODAL_CSS
from tui.screens.confirm import Confirm
from tui.widgets.key_lines import KeyLines

if TYPE_CHECKING:
    from tui.context import Investigation
    from tui.presets import Preset

#: Characters a preset name may hold (tui.presets.NAME_PATTERN): any but control ones.
NAME_CHARS = "[^\x00-\x1f\x7f-\x9f\ud800-\udfff]*"

Save = Callable[[str, str, bool], "Preset"]


def range_settings(ctx: Investigation) -> tuple[dict[str, str], list[str]]:
    """The range as preset settings, and a note when it had to be rounded to be written."""
    from tui.api.timerange import iso_z
    from tui.format.durations import spell_length as format_duration  # as the header spells it

    time_range = ctx.time_range
    if time_range.length is not None:
        length = time_range.length
        minutes = max(1, round(length.total_seconds() / 60))
        rounded = timedelta(minutes=minutes)
        notes = []
        if rounded != length:  # `since` takes whole minutes (zooming can make 22m30s)
            notes.append(f"the range's length is saved rounded to {format_duration(rounded)}")
        return {"since": format_duration(rounded)}, notes
    assert time_range.start is not None
    settings = {"start": iso_z(time_range.start)}
    if time_range.end is not None:
        settings["end"] = iso_z(time_range.end)
    return settings, []


def preset_settings(
    ctx: Investigation, options: Mapping[str, Any], defaults: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], list[str]]:
    """What a preset saved now holds (without name and description), and notes for the user.

    `options`: the tabs' settings now; those unset (None) or at their tab's default are left out,
    so a preset holds what was chosen and a team file stays short."""
    settings: dict[str, Any] = {"filter": ctx.filter_text}
    ranges, notes = range_settings(ctx)
    settings.update(ranges)
    defaults = defaults or {}
    for name, value in options.items():
        if value is not None and not (name in defaults and defaults[name] == value):
            settings[name] = value
    return settings, notes


class PresetSave(ModalScreen["Preset | None"]):
    """Dismisses with the saved preset, or None (escape)."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [MODAL_CSS]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="preset_save.save"),
        Binding("escape", "cancel", "Cancel", id="preset_save.cancel"),
    ]

    def __init__(
        self,
        settings: Mapping[str, Any],
        save: Save,
        *,
        name: str = "",
        description: str = "",
        path: Path | None = None,
        notes: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.settings = dict(settings)
        self._save = save
        self.initial_name = name
        self.initial_description = description
        self.path = path
        self.notes = notes or []

    def compose(self) -> ComposeResult:
        with Vertical(id="preset-save-dialog", classes="dialog"):
            yield Label("Save the context as a preset", classes="dialog-title")
            yield Static(self._summary(), id="preset-save-summary")
            with Horizontal(classes="form-row"):
                yield Label("name        ", classes="form-label")
                yield Input(
                    self.initial_name,
                    placeholder="e.g. gpt4-errors or checkout sessions",
                    restrict=NAME_CHARS,
                    max_length=100,
                    id="preset-name",
                    compact=True,
                )
            with Horizontal(classes="form-row"):
                yield Label("description ", classes="form-label")
                yield Input(
                    self.initial_description,
                    placeholder="what it is for (optional)",
                    id="preset-description",
                    compact=True,
                )
            yield Static("", id="preset-save-error", classes="form-error")
            yield Label("enter: next field, then save    escape: cancel", classes="hint")
        yield KeyLines()

    def _summary(self) -> Text:
        text = Text()
        rows = [("filter", str(self.settings.get("filter", "all")))]
        if "since" in self.settings:
            rows.append(("range", f"since {self.settings['since']}"))
        elif "start" in self.settings:
            rows.append(("range", f"{self.settings['start']} .. {self.settings.get('end', 'now')}"))
        ranges = ("filter", "since", "start", "end")
        options = [f"{k} {v}" for k, v in self.settings.items() if k not in ranges]
        if options:
            rows.append(("options", ", ".join(options)))
        if self.path is not None:
            rows.append(("file", str(self.path)))
        for i, (name, value) in enumerate(rows):
            if i:
                text.append("\n")
            text.append(f"{name:<8}", "dim")
            text.append(visible(value))  # a path, a preset's text: shown as text
        for note in self.notes:
            text.append(f"\nnote: {note}", "italic")
        return text

    def on_mount(self) -> None:
        for field in self.query("#preset-name"):  # none if the app is closing meanwhile
            field.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "preset-name":
            self.query_one("#preset-description", Input).focus()
        else:
            self.action_save()

    def _error(self, message: str) -> None:
        self.query_one("#preset-save-error", Static).update(Text(visible(message, block=True)))

    def action_save(self, replace: bool = False) -> None:
        from tui.presets import PresetError, PresetExists

        name = self.query_one("#preset-name", Input).value.strip()
        description = self.query_one("#preset-description", Input).value.strip()
        if not name:
            self._error("a preset needs a name")
            self.query_one("#preset-name", Input).focus()
            return
        try:
            preset = self._save(name, description, replace)
        except PresetExists:

            def answered(yes: bool | None) -> None:
                if yes:
                    self.action_save(replace=True)

            self.app.push_screen(
                Confirm(f"Replace the preset {name!r}?",
                        "Its filter, range and options become the current ones.",
                        yes="Replace"),
                answered,
            )
            return
        except PresetError as exc:
            self._error(str(exc))
            return
        self.dismiss(preset)

    def action_cancel(self) -> None:
        self.dismiss(None)
