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
        return getattr(import_module(self.module), self.cls)  # type: ignore[no-any-return]


TABS: tuple[TabSpec, ...] = (
    TabSpec("overview", "Overview", "0", "tui.screens.overview", "OverviewTab"),
    TabSpec("scores", "Scores", "1", "tui.screens.scores", "ScoresTab"),
    TabSpec("evals", "Evals", "2", "tui.screens.evals", "EvalsTab"),
    TabSpec("distributions", "Distributions", "3", "tui.screens.distributions", "DistributionsTab"),
    TabSpec("sessions", "Sessions", "4", "tui.screens.sessions", "SessionsTab"),
)
