"""Keys in a burst reach the screen and input that is current when each is processed, in order.

Textual routes a key the moment the app reads it: to the focused widget, from which it bubbles back
to the app, where the bindings run. When keys arrive at once (a paste, a laggy SSH link), every key
of the burst is routed before the first one's binding has run: `/req` sent `req` to the tab behind
the filter line (and `q` quit); `sabc` typed `a` into a dialog that had no focus yet. Bindings, and
a push or focus change they make, only take effect after the key has been through the widgets.

The gate holds a key back until the app is settled (the key before has been through the widgets it
was routed to and the app, the current screen is mounted, focus changes have been applied), then
replays it to whatever is focused then. A key that arrives while the app is settled goes straight
through, so typing at human speed sees no delay. Nothing is dropped, except after `exit()`.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterable
from time import monotonic
from typing import TYPE_CHECKING, Any

from textual import events, messages

if TYPE_CHECKING:
    from textual.app import App
    from textual.message import Message
    from textual.message_pump import MessagePump

#: Textual's own messages about drawing (a cursor's blink is a timer): they move no focus.
_DRAWING: tuple[type, ...] = (
    messages.Update, messages.Layout, messages.UpdateScroll, messages.Prompt, events.Idle,
    events.Timer, type(None),
)

#: A bound on holding one key (seconds): past it the key is routed anyway, as Textual would.
LIMIT = 2.0
#: A bound on waiting for a screen that says it is not ready yet (its widgets being built).
READY_LIMIT = 10.0
#: Looks at the app, one per turn of the event loop, before waiting in 1 ms steps.
QUICK_LOOKS = 16


def _waiting(pump: MessagePump) -> Iterable[Message | None]:
    """The messages queued on `pump`, not counting the one in hand (None: the queue's close)."""
    values: Iterable[Message | None] = pump._message_queue.values
    return values


def _queued(pump: MessagePump) -> bool:
    """Messages that may move focus or open a screen wait on `pump` (drawing does not count: a
    burst would wait for a frame per key). Textual's queue has no count of the one in hand."""
    pending = pump._pending_message
    if pending is not None and not isinstance(pending, _DRAWING):
        return True
    return any(not isinstance(m, _DRAWING) for m in _waiting(pump))


def _holds(pump: MessagePump, event: events.Key) -> bool:
    return pump._pending_message is event or any(m is event for m in _waiting(pump))


class KeyGate:
    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.held: deque[events.Key | events.Paste] = deque()
        self._released: events.Key | events.Paste | None = None
        #: The key routed last, the widget it went to, and whether it is through.
        self._last: events.Key | None = None
        self._routed_to: MessagePump | None = None
        self._at_app = False
        self._through = True
        self._drain: asyncio.Task[None] | None = None

    # ----------------------------------------------------------------- the app's hooks

    def admit(self, event: events.Key | events.Paste) -> bool:
        """True: route `event` now. False: it is held and will come back, in order. A paste
        (bracketed, one event) keeps its place among the keys; its end is not followed."""
        app = self.app
        if app._exit:  # quitting: nothing may open or act any more
            self.held.clear()
            return False
        if event is self._released:
            self._released = None
            self.held.popleft()
        elif self.held or not self._settled(app_busy=True):
            self.held.append(event)
            if self._drain is None or self._drain.done():
                self._drain = asyncio.create_task(self._replay())
            return False
        self._routed_to = app.focused or app.screen
        if isinstance(event, events.Key):
            self._last, self._at_app, self._through = event, False, False
        return True

    def routed(self, event: events.Key | events.Paste) -> None:
        """The app routed `event`: if no widget was given it, a priority binding took it."""
        if event is self._last and not event.is_forwarded:
            self._through = True

    def arrived(self, event: events.Key) -> None:
        """`event` bubbled back to the app (its bindings run now)."""
        if event is self._last:
            self._at_app = True

    def handled(self, event: events.Key) -> None:
        if event is self._last:
            self._through = True

    def close(self) -> None:
        self.held.clear()
        if self._drain is not None:
            self._drain.cancel()

    # ----------------------------------------------------------------- settling

    def _chain(self) -> list[MessagePump]:
        """The widgets a key goes through: the last key's route and the current focus's."""
        app = self.app
        pumps: list[MessagePump] = []
        for start in (self._routed_to, app.focused or app.screen):
            node = start
            while node is not None and node is not app:
                if node not in pumps and not node._closed:
                    pumps.append(node)
                node = node._parent
        return pumps

    def _last_through(self, chain: list[MessagePump]) -> bool:
        """The last key is done: its bindings ran, or a widget stopped it (typing in an input)."""
        event = self._last
        if self._through or event is None:
            return True
        if self._at_app:  # the app is running its binding (which may await a mount)
            return False
        return event._stop_propagation and not any(_holds(pump, event) for pump in chain)

    def _screen_ready(self) -> bool:
        """The current screen is mounted and does not say it is still being built (the main
        screen mounts its tabs after the first frame)."""
        try:
            screen = self.app.screen
        except Exception:  # no screen yet
            return False
        return screen.is_mounted and bool(getattr(screen, "ready", True))

    def _settled(self, app_busy: bool = False) -> bool:
        """Nothing in flight. `app_busy`: the app is processing the caller's own message."""
        if not self._screen_ready() or _queued(self.app):
            return False
        chain = self._chain()
        return self._last_through(chain) and not any(_queued(pump) for pump in chain)

    async def _replay(self) -> None:
        app = self.app
        while self.held and not app._exit:
            deadline = monotonic() + LIMIT
            ready_by = monotonic() + READY_LIMIT
            looks = 0
            # The key released last must have been routed first (the app pops it from `held`).
            while monotonic() < deadline and (self._released is not None or not self._settled()):
                if app._exit:
                    break
                if not self._screen_ready():  # a screen still being built: wait it out
                    deadline = max(deadline, min(monotonic() + 0.05, ready_by))
                # A key takes a few turns of the event loop through its widgets: look after each
                # turn for a while (typing into an input), then every 1 ms (a screen mounting).
                looks += 1
                await asyncio.sleep(0 if looks < QUICK_LOOKS else 0.001)
            if app._exit or not self.held:
                break
            if self._released is not None:  # never reached the app (it is closing): let it go
                if self.held and self.held[0] is self._released:
                    self.held.popleft()
                self._released = None
                continue
            self._released = self.held[0]
            app.post_message(self._released)
        if app._exit:
            self.held.clear()
