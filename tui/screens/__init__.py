"""The app's screens: one module per tab, one per modal, and the main screen.

Adding a tab is one module with a `QueryTab` subclass and one line in `TABS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.screens.base import QueryTab


#: Every style rule lives here (styles/*.tcss at the project root).
def _styles() -> Path:
    # A checkout (or an editable install) reads styles/ at the top of the repository; a wheel
    # carries the same files as tui/styles.
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "styles", here / "styles"):
        if (candidate / "main.tcss").is_file():
            return candidate
    return here.parent / "styles"


STYLES = _styles()
#: The modals' rules, loaded with the first modal rather than before the first frame.
MODAL_CSS = STYLES / "modals.tcss"


@dataclass(frozen=True)
class TabSpec:
    id: str  # also the endpoint name
    title: str
    key: str  # the main screen's digit
    module: str
    cls: str

    def load(self) -> type[QueryTab]:
        return getattr(import_module(self.module), self.cls)


TABS: tuple[TabSpec, ...] = (
    TabSpec("overview", "Overview", "1", "tui.screens.overview", "OverviewTab"),
    TabSpec("requests", "Requests", "2", "tui.screens.requests", "RequestsTab"),
    TabSpec("scores", "Scores", "3", "tui.screens.scores", "ScoresTab"),
    TabSpec("evals", "Evals", "4", "tui.screens.evals", "EvalsTab"),
    TabSpec("distributions", "Distributions", "5", "tui.screens.distributions", "DistributionsTab"),
    TabSpec("sessions", "Sessions", "6", "tui.screens.sessions", "SessionsTab"),
)

#: The tab shown first when none is asked for (`--tab NAME` names another).
DEFAULT_TAB = TABS[0].id


def tab_named(name: str) -> TabSpec:
    """The tab `--tab NAME` names: its id, in any case, or a prefix of exactly one id (`dist`,
    `s` is not: Scores and Sessions). ValueError names the choices."""
    wanted = name.strip().lower()
    exact = [spec for spec in TABS if spec.id == wanted]
    found = exact or [spec for spec in TABS if wanted and spec.id.startswith(wanted)]
    if len(found) == 1:
        return found[0]
    choices = ", ".join(spec.id for spec in TABS)
    if found:
        which = " or ".join(spec.id for spec in found)
        raise ValueError(f"{name!r} could be {which}: choose one of {choices}")
    raise ValueError(f"unknown tab {name!r}: choose one of {choices}")
