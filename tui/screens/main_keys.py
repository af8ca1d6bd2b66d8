"""The main screen's keys: the bindings (with their ids, for `[keys]`) and how `?` groups them."""

from __future__ import annotations

from textual.binding import Binding

from tui.screens import TABS

_WINDOW = Binding.Group("Window", compact=True)

# Declared in the footer's order (the tab's own keys come first): the most used first.
# `description` is the footer's short label; `tooltip` is the help's (`?`) full one.
MAIN_BINDINGS: list[Binding] = [
    *(
        Binding(spec.key, f"show_tab('{spec.id}')", spec.title, id=f"main.tab.{spec.id}",
                show=False, tooltip=f"{spec.title} tab")
        for spec in TABS
    ),
    Binding("slash", "edit_filter", "Filter", id="main.filter",
            tooltip="Edit the filter text"),
    Binding("T", "pick_range", "Range", id="main.range", tooltip="Time range picker"),
    Binding("t", "toggle_view", "Table", id="main.view", tooltip="Chart / table"),
    Binding("r", "refresh", "Refresh", id="main.refresh", tooltip="Refresh now"),
    Binding("w", "toggle_watch", "Watch", id="main.watch",
            tooltip="Watch: auto-refresh"),
    Binding("left_square_bracket", "shift(-1)", "Window back", id="main.back",
            group=_WINDOW, tooltip="Window back by its length"),
    Binding("right_square_bracket", "shift(1)", "Window forward", id="main.forward",
            group=_WINDOW, tooltip="Window forward by its length"),
    Binding("b", "pick_breakdown", "Breakdown", id="main.breakdown",
            tooltip="Breakdown picker"),
    Binding("v", "compare", "Compare", id="main.compare",
            tooltip="Compare with previous period"),
    Binding("f", "edit_filter_tree", "Filter tree", id="main.filter_tree",
            tooltip="Filter tree editor"),
    Binding("p", "pick_preset", "Presets", id="main.presets", tooltip="Load a preset"),
    Binding("minus", "zoom(2)", "Widen", id="main.widen", show=False,
            tooltip="Widen the window x2"),
    Binding("plus,equals_sign", "zoom(0.5)", "Narrow", id="main.narrow", show=False,
            tooltip="Narrow the window x2"),
    Binding("backspace", "back", "Back", id="main.back_step", show=False,
            tooltip="Back: undo the last zoom or drill-down"),
    Binding("s", "save_preset", "Save preset", id="main.preset_save", show=False,
            tooltip="Save the context as a preset"),
    Binding("c", "copy_curl", "Copy as curl", id="main.curl", show=False,
            tooltip="Copy the request as curl"),
    Binding("x", "export", "Export", id="main.export", show=False,
            tooltip="Export the answer"),
    Binding("escape", "cancel", "Cancel request", id="main.cancel", show=False,
            tooltip="Cancel the running request"),
    Binding("question_mark", "help", "More", id="main.help",
            tooltip="All keys (this list)"),
    Binding("q", "quit", "Quit", id="main.quit",
            tooltip="Quit (asks when watching)"),
]

#: How `?` groups the screen's keys (binding ids); a tab's own keys come first.
MAIN_HELP_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Tabs and views", (*(f"main.tab.{spec.id}" for spec in TABS), "main.view",
                        "main.compare", "main.breakdown")),
    ("Filter and time", ("main.filter", "main.filter_tree", "main.range", "main.back",
                         "main.forward", "main.widen", "main.narrow", "main.back_step")),
    ("Data", ("main.refresh", "main.watch", "main.cancel")),
    ("Presets and export", ("main.preset_save", "main.presets", "main.curl",
                            "main.export")),
    ("App", ("main.help", "main.quit")),
)
