"""What the screens need of the app (its client, its presets file), typed without importing
tui.app (which imports the screens)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from tui.api.client import HeliconeClient


@runtime_checkable
class AppServices(Protocol):
    presets_path: Path | None

    async def get_client(self) -> HeliconeClient: ...


def services(node: DOMNode) -> AppServices:
    """The app of `node` as the services it provides (HeliconeApp, or a test's app like it)."""
    app = node.app
    if not isinstance(app, AppServices):
        raise TypeError(f"{type(app).__name__} provides no client (not a HeliconeApp)")
    return app
