"""What every bench child does around its driver (imported in the child: bench/ is on its path).

`start_drive(MainScreen, drive)`: `drive(screen)` runs as a task once the main screen is
mounted. `finish(out, result, screen)`: the figures written to the file the parent reads, and
the app closed.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Coroutine
from typing import Any


def start_drive(screen_class: type, drive: Callable[[Any], Coroutine[Any, Any, None]]) -> None:
    original = screen_class.on_mount  # type: ignore[attr-defined]

    def on_mount(self: Any) -> None:
        original(self)
        self._bench_task = asyncio.get_running_loop().create_task(drive(self))

    screen_class.on_mount = on_mount  # type: ignore[attr-defined]


def finish(out: str, result: dict[str, Any], screen: Any) -> None:
    with open(out, "w") as handle:
        json.dump(result, handle)
    screen.app.exit()


def watch_frames(app_class: type) -> list[Callable[[], None]]:
    """A list of watchers, each called after every frame the app hands to the terminal."""
    watchers: list[Callable[[], None]] = []
    original = app_class._display  # type: ignore[attr-defined]

    def display(self: Any, screen: Any, renderable: Any) -> None:
        original(self, screen, renderable)
        for watcher in list(watchers):
            watcher()

    app_class._display = display  # type: ignore[attr-defined]
    return watchers
