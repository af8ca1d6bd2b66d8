"""The main screen's dialogs: presets (p, s), the breakdown (b), copy as curl (c), export (x).

Each dialog gets what it needs as arguments and returns a value with `dismiss()`; what follows
(loading a preset, the notification saying what was written) happens here, on the main screen.
A part of `MainScreen` (a mixin) so that main.py stays about its layout and keys.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from tui.messages import AddCondition, ExportFetched
from tui.screens.services import services

if TYPE_CHECKING:
    from tui.context import Investigation, Target
    from tui.presets import Preset
    from tui.screens.base import QueryTab
    from tui.screens.preset_picker import PickerOutcome


class MainDialogs(Screen[None]):
    """What the main screen does around its dialogs (see MainScreen for the attributes)."""

    if TYPE_CHECKING:
        context: Investigation
        target: Target

        @property
        def tabs(self) -> list[QueryTab]: ...

        @property
        def active_tab(self) -> QueryTab: ...

        def _show_preset(self) -> None: ...

    # ----------------------------------------------------------------- presets

    def preset_options(self) -> dict[str, object]:
        """Every tab's per-tab preset settings (increment, p_size...) as they are now, and the
        breakdown (the investigation's: a preset saves it, and one that sets it differs when
        it is changed)."""
        options: dict[str, object] = {}
        for tab in self.tabs:
            options.update(tab.preset_options())
        options["breakdown"] = self.context.breakdown
        return options

    def preset_defaults(self) -> dict[str, Any]:
        """The tabs' default preset settings (not saved when a setting equals its default)."""
        defaults: dict[str, Any] = {}
        for tab in self.tabs:
            defaults.update(tab.PRESET_DEFAULTS)
        return defaults

    def _apply_preset_options(self, preset: Preset) -> None:
        for tab in self.tabs:
            tab.apply_preset(preset)

    def load_preset(self, preset: Preset) -> None:
        """Make `preset` the context: its filter, its range (if it has one), its tab options."""
        from tui.filters.text import parse

        self._apply_preset_options(preset)
        ctx = self.context
        time_range = preset.time_range() or ctx.time_range
        ctx = ctx.with_filter(parse(preset.filter), preset.filter).with_range(time_range)
        if preset.breakdown is not None:  # unset: the current breakdown stays
            ctx = ctx.with_breakdown(preset.breakdown)
        self.context = ctx.with_preset(preset)
        for tab in self.tabs:  # a preset that changed only a tab option asks again too
            tab.ensure_fresh()
        self._show_preset()

    def _preset_store(self) -> Any:
        from tui.presets import PresetStore

        return PresetStore(services(self).presets_path)

    def action_save_preset(self) -> None:
        """Open the save dialog for the context; the saved preset becomes active."""
        from tui.presets import make_preset
        from tui.screens.preset_save import PresetSave, preset_settings

        store = self._preset_store()
        settings, notes = preset_settings(
            self.context, self.preset_options(), self.preset_defaults()
        )
        active = self.context.preset

        def attempt(name: str, description: str, replace: bool) -> Preset:
            preset = make_preset(name, description=description, **settings)
            store.save(preset, replace=replace)
            return preset

        def saved(preset: Preset | None) -> None:
            if preset is not None:
                self.context = self.context.with_preset(preset)
                self.notify(f"Saved preset {preset.name!r} in {store.path}", timeout=4)
            self.active_tab.focus_main()

        dialog = PresetSave(
            settings,
            attempt,
            name=active.name if active is not None else "",
            description=active.description if active is not None else "",
            path=store.path,
            notes=notes,
        )
        self.app.push_screen(dialog, saved)

    def action_pick_preset(self) -> None:
        """Open the picker; load what is chosen, follow renames and deletions."""
        from tui.screens.preset_picker import PresetPicker

        self.app.push_screen(PresetPicker(self._preset_store()), self._preset_picked)

    def _preset_picked(self, outcome: PickerOutcome | None) -> None:
        active = self.context.preset
        if outcome is not None and active is not None:
            if active.name in outcome.deleted:
                self.context = self.context.with_preset(None)
            elif active.name in outcome.renamed:
                renamed = active.model_copy(update={"name": outcome.renamed[active.name]})
                self.context = self.context.with_preset(renamed)
        if outcome is not None and outcome.loaded is not None:
            self.load_preset(outcome.loaded)
            self.notify(f"Loaded preset {outcome.loaded.name!r}", timeout=3)
        self.active_tab.focus_main()

    # ----------------------------------------------------------------- the breakdown

    def action_pick_breakdown(self) -> None:
        """b: the breakdown picker; what is picked splits the over-time tabs (Overview, Scores),
        "none" clears it."""
        from tui.screens.breakdown_picker import NONE, BreakdownPicker

        def picked(dimension: str | None) -> None:
            if dimension is not None:
                self.set_breakdown(None if dimension == NONE else dimension)
            self.active_tab.focus_main()

        picker = BreakdownPicker(self.context.breakdown, self.target.base_url,
                                 self.context.time_range)
        self.app.push_screen(picker, picked)

    def set_breakdown(self, dimension: str | None) -> None:
        if dimension == self.context.breakdown:
            return
        self.context = self.context.with_breakdown(dimension)
        self.notify(f"breakdown: the Overview and Scores charts by {dimension}" if dimension
                    else "breakdown off", timeout=3)
        self._show_preset()

    # ----------------------------------------------------------------- a condition from a view

    def on_add_condition(self, message: AddCondition) -> None:
        message.stop()
        self.add_condition((message.op, message.field, message.value))

    def add_condition(self, condition: tuple[str, str, Any] | None) -> bool:
        """`("=" | "!=", field, value)` from a view (the request detail's `=` / `!`): AND it
        onto the filter. `field` is the text language's (`model`, `properties.env`); a condition
        the filter cannot take is a warning and the filter stays. True when it was added."""
        from tui.api.fields import MAP_FIELDS, Op
        from tui.filters.text import format as format_filter
        from tui.filters.tree import Condition, FilterError, check_condition
        from tui.query.context import and_condition
        from tui.safe import one_line

        if condition is None:
            return False
        op, name, value = condition
        base, dot, key = name.partition(".")
        cond = (Condition(base, Op.EQUALS if op == "=" else Op.NOT_EQUALS, value, key)
                if dot and base in MAP_FIELDS
                else Condition(name, Op.EQUALS if op == "=" else Op.NOT_EQUALS, value))
        try:
            check_condition(cond)
        except FilterError as exc:
            self.notify(f"Not added to the filter: {exc}", severity="warning", timeout=4)
            return False
        node = and_condition(self.context.filter, cond)
        self.context = self.context.with_filter(node)
        self.notify(f"filter: {one_line(format_filter(node), 200)}", timeout=3)
        return True

    # ----------------------------------------------------------------- curl, export

    def action_copy_curl(self) -> None:
        """Show the active tab's request as curl, and copy it to the clipboard."""
        from tui import clipboard
        from tui.api.curl import request_curl
        from tui.screens.answer_io import shown_request
        from tui.screens.curl_view import CurlView

        tab = self.active_tab
        try:
            command = tab.curl_text(self.target.base_url)  # a tab of many requests: all of them
            name = tab.ENDPOINT
            if command is None:
                endpoint, request = shown_request(tab)
                command = request_curl(self.target.base_url, endpoint, request)
                name = endpoint.value
        except ValueError as exc:
            self.notify(str(exc), severity="warning", timeout=4)
            return
        _, message = clipboard.copy(self.app, command)
        self.app.push_screen(CurlView(command, message, name, demo=self.target.demo))

    def action_export(self) -> None:
        """Open the export dialog for the answer on screen (fetched again only if the tab no
        longer holds it)."""
        from tui.screens.answer_io import shown_request

        tab = self.active_tab
        if tab.status not in ("ready", "empty") or tab.stale or tab.answer is None:
            self.notify("No answer on screen to export yet.", severity="warning", timeout=3)
            return
        own = tab.export_write()  # a tab of many answers writes them itself
        if own is not None:
            self._open_export_with(tab.ENDPOINT, own)
            return
        try:
            endpoint, request = shown_request(tab)
        except ValueError as exc:
            self.notify(str(exc), severity="warning", timeout=4)
            return
        if tab.raw_answer is not None:
            self._open_export(endpoint.value, tab.raw_answer)
            return
        self.notify("Fetching the answer again to export it...", timeout=2)
        self.run_worker(self._fetch_for_export(endpoint, request), group="export",
                        exclusive=True, exit_on_error=False)

    async def _fetch_for_export(self, endpoint: Any, request: Any) -> None:
        """The worker: asks again, posts the answer or the error (the handler tells the user)."""
        from tui.screens.base import user_message

        try:
            client = await services(self).get_client()
            answer = await client.fetch(endpoint, request)
        except Exception as exc:
            self.post_message(ExportFetched(endpoint.value, None, user_message(exc)))
            return
        self.post_message(ExportFetched(endpoint.value, answer))

    def on_export_fetched(self, message: ExportFetched) -> None:
        if message.answer is None:
            self.notify(f"Export: {message.error}", severity="error", timeout=6)
        else:
            self._open_export(message.endpoint, message.answer)

    def _open_export(self, endpoint: str, answer: Any) -> None:
        from tui.screens.answer_io import export_answer

        self._open_export_with(endpoint, partial(export_answer, endpoint, answer))

    def _open_export_with(self, endpoint: str, write: Any) -> None:
        from tui.screens.export_dialog import ExportDialog

        def done(message: str | None) -> None:
            if message:
                self.notify(message, timeout=5)
            self.active_tab.focus_main()

        self.app.push_screen(ExportDialog(endpoint, write), done)
