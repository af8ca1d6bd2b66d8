"""The split Overview's pick of a value (DESIGN.md "Drill-down": the series' breakdown value as a
condition): `l` cycles it (every value, then each in the legends' order), `m` (the drill's peak)
sets it to the peak's value; the legends mark it and the info line names it and says what the
split is. `l` is in the footer only while the Overview is split."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from tui.query import overview_shaping as shaping
from tui.screens.overview_drill import OverviewDrill


class OverviewPick(OverviewDrill):
    if TYPE_CHECKING:  # the Overview tab's (tui/screens/overview.py)
        view: str
        compare: bool
        _split_keys: bool

        def _update_info(self) -> None: ...

    @property
    def breakdown(self) -> str | None:
        return None if self.context is None else self.context.breakdown

    def watch_selected(self) -> None:
        if self.body is None:
            return
        from tui.screens.overview_panels import PanelBox

        for box in self.query(PanelBox):
            box.select(self.selected)
        self._update_info()

    def split_info(self, text: Text) -> Text:
        """The info line of the split Overview, after `text` (which charts are in view): two
        lines, so that at 80 columns neither the pick nor what the numbers are is cut."""
        split = self._split_panel()
        if self.view == "table":
            text.append("each value's numbers per bucket", "bold")
            text.append("  left/right scroll  t charts")
            text.append(f"\n{split.about} (a value's n: its requests)")
            return text
        # The value enter drills into (the legends mark it too).
        text.append("  enter: ")
        text.append(self.selected or "every value", "bold underline")
        text.append("  l value")
        text.append(f"\n{split.about}; the strip: unsplit totals")
        if self.compare:
            text.append("  (no compare while split)", "dim")
        return text

    def _split_panel(self) -> Any:
        """A split chart's panel (None: the Overview is not split, or no chart came yet)."""
        from tui.query.overview_split import SplitPanel

        return next((v[0] for n in shaping.CHARTS if (v := self.panels.get(n)) is not None
                     and isinstance(v[0], SplitPanel)), None)

    def _labels(self) -> list[str]:
        """The split's values, as the legends label them, in their order."""
        from tui.query.overview_split import SplitPanel

        out: list[str] = []
        for name in shaping.CHARTS:
            value = self.panels.get(name)
            if value is not None and isinstance(value[0], SplitPanel):
                out += [line.label for line in value[0].lines if line.label not in out]
        return out

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_series":  # in the footer only while split
            return self._split_panel() is not None
        return True

    def _split_changed(self) -> None:
        split = self._split_panel() is not None
        if split != self._split_keys:  # the footer's keys change with it (l)
            self._split_keys = split
            self.refresh_bindings()

    def action_next_series(self) -> None:
        labels = self._labels()
        if not labels:
            self.notify("l picks a value when the Overview is split by a breakdown (b).",
                        timeout=2)
            return
        order: list[str | None] = [None, *labels]
        at = order.index(self.selected) if self.selected in order else 0
        self.selected = order[(at + 1) % len(order)]
