"""The Textual app, kept thin: the target, the client, the keymap, the command palette.

Everything a user sees lives in `tui.screens` (the main screen, one module per tab, the modals) and
`tui.widgets`; every style rule in `styles/*.tcss`.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
from collections.abc import Iterable
from datetime import datetime
from functools import partial
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.screen import Screen

from tui import startup_gc
from tui.context import Investigation, Target
from tui.keygate import KeyGate
from tui.screens import STYLES

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from tui.api.client import HeliconeClient
    from tui.api.timerange import TimeRange
    from tui.config import ApiKey
    from tui.filters.tree import Node
    from tui.presets import Preset

class HeliconeApp(App[int]):
    TITLE = "helicone-tui"
    CSS_PATH: ClassVar[list[str | PurePath]] = [
        STYLES / "main.tcss",
        STYLES / "tabs.tcss",
        STYLES / "charts.tcss",
        STYLES / "overview.tcss",
        STYLES / "requests.tcss",  # with the app's: a first detail restyled the whole app
    ]
    BINDINGS: ClassVar[list[BindingType]] = []

    def __init__(
        self,
        *,
        target: Target,
        context: Investigation,
        watch_seconds: float = 30.0,
        watching: bool = False,
        keymap: dict[str, str] | None = None,
        keymap_warnings: Iterable[str] = (),
        presets_path: Path | None = None,
        initial_tab: str | None = None,
    ) -> None:
        super().__init__()
        self.target = target
        self.initial_context = context
        self.watch_seconds = watch_seconds
        self.start_watching = watching
        #: --presets-file (None: $HELICONE_TUI_PRESETS, else the config folder's presets.toml)
        self.presets_path = presets_path
        #: --tab NAME's tab id (None: the first tab)
        self.initial_tab = initial_tab
        self._client: HeliconeClient | None = None
        self._warm_up: asyncio.Task[None] | None = None
        self._client_lock = asyncio.Lock()
        self._keymap_warnings = list(keymap_warnings)
        self.crash_message: str | None = None
        self.crash_log: str | None = None
        self._keys = KeyGate(self)
        if keymap:
            self.set_keymap(keymap)

    def get_default_screen(self) -> Screen[Any]:
        from tui.screens.main import MainScreen

        return MainScreen(
            target=self.target,
            context=self.initial_context,
            watch_seconds=self.watch_seconds,
            watching=self.start_watching,
            initial_tab=self.initial_tab,
        )

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification (the app's, a screen's, a widget's: they all end here) is plain
        text: paths, preset names and server messages may hold `[/]` or control characters, so
        `markup` is ignored and unsafe characters are made visible (DESIGN.md "Terminal safety")."""
        from tui.safe import visible

        super().notify(
            visible(message, block=True),
            title=visible(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def on_mount(self) -> None:
        # The main screen ends the start's collector hold once its tabs are in; this, should
        # they never come (a start that failed, another first screen).
        self.set_timer(GC_HELD_AT_MOST, startup_gc.release)
        for warning in self._keymap_warnings:
            self.notify(warning, severity="warning", timeout=8)

    async def on_event(self, event: events.Event) -> None:
        # A key read from the terminal waits its turn (tui.keygate): one burst, one key at a time.
        if not isinstance(event, events.Key | events.Paste):
            await super().on_event(event)
        elif not event.is_forwarded:
            if self._keys.admit(event):
                await super().on_event(event)
                self._keys.routed(event)
        elif isinstance(event, events.Paste):
            await super().on_event(event)
        else:  # a key back from the widgets: the bindings run now
            self._keys.arrived(event)
            try:
                await super().on_event(event)
            finally:
                self._keys.handled(event)

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        if self._exit:  # a key behind `q`: the dialog would be built on a closing app
            future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            future.set_result(None)
            return future
        return super().push_screen(screen, *args, **kwargs)

    async def get_client(self) -> HeliconeClient:
        """The one client, made on first use (httpx and pydantic load off the UI thread)."""
        async with self._client_lock:
            if self._client is None:
                from importlib import import_module

                from tui import USER_AGENT
                from tui.config import max_answer_mb

                module = await asyncio.to_thread(import_module, "tui.api.client")
                client = module.HeliconeClient(
                    self.target.base_url,
                    self.target.api_key,
                    timeout=self.target.timeout,
                    allow_insecure_http=self.target.allow_insecure_http,
                    max_answer_mb=await asyncio.to_thread(max_answer_mb),  # it reads no file
                    user_agent=USER_AGENT,  # nor knows the version
                )
                await asyncio.to_thread(client.warm)  # httpx, its pool and TLS context
                self._client = client
                # The charts' plotting library, while the first answers are on their way.
                self._warm_up = asyncio.create_task(asyncio.to_thread(_warm_imports))
            return self._client

    # ----------------------------------------------------------------- bugs

    def _handle_exception(self, error: Exception) -> None:
        """A bug (Helicone's errors are shown in their tab): one line after exit and a log file,
        never a traceback on the screen (Textual's shows locals, which could hold the key).

        Textual's private hook (no public one reports an unhandled error another way): textual
        is pinned exactly in pyproject.toml for it; the three lines about `_exception` are what
        Textual's own version does so that `run_test` re-raises the error for the tests."""
        from tui.safe import one_line  # it is printed on stderr: it may quote a server or a path

        self.crash_message = one_line(self.scrub(f"{type(error).__name__}: {error}"))
        self.crash_log = self._write_crash_log(error)
        self._return_code = 1
        if self._exception is None:  # run_test re-raises it for the tests
            self._exception = error
            self._exception_event.set()
        self._close_messages_no_wait()

    def scrub(self, text: str) -> str:
        secret = self.target.secret()
        return text.replace(secret, "…") if secret and secret in text else text

    def _write_crash_log(self, error: BaseException) -> str | None:
        import traceback

        from tui import locations

        try:
            folder = locations.state_dir()
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / "crash.log"
            text = "".join(traceback.format_exception(error))  # no locals
            path.write_text(self.scrub(text), encoding="utf-8")
            return str(path)
        except OSError:
            return None

    async def on_unmount(self) -> None:
        self._keys.close()
        if self._client is not None:
            await self._client.aclose()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """ctrl+p: every action of the current screen and of its focused tab, then Textual's."""
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if (
                active.node is self
                or binding.system
                or not binding.description
                or binding.action in seen
            ):
                continue
            seen.add(binding.action)
            yield SystemCommand(
                binding.description,
                f"key {self.get_key_display(binding)}  (id {binding.id or '-'})",
                partial(self.run_action, binding.action, active.node),
            )
        yield from super().get_system_commands(screen)


def _warm_imports() -> None:
    """Modules the first answers will need (plotting: ~50 ms), imported in a thread while the
    server answers rather than when the first chart is drawn."""
    from importlib import import_module

    for name in ("plotext._figure",):
        if name not in sys.modules:
            import_module(name)


#: Seconds after the app's mount at most that the start's collector hold lasts (tui.startup_gc).
GC_HELD_AT_MOST = 10.0

#: sys.setswitchinterval for the app (Python's default: 0.005 s).
SWITCH_INTERVAL = 0.001


def tune_gc() -> None:
    """The garbage collector and the threads' switch interval as the app runs with (the benches
    measure the app so too)."""
    # What exists now lives as long as the app: keep it out of the garbage collector's scans
    # (fewer, shorter pauses while the first frame is built; at the defaults, full collections
    # landed inside request detail opens now and then, stalls of 100s of ms: bench/requests.py
    # --default-gc). Held by the command line (tui.startup_gc): frozen once the tabs are in.
    if not startup_gc.held():
        gc.freeze()
    # Textual allocates many short-lived objects per frame; at the default thresholds the cycle
    # collector ran inside one tab switch in ten, doubling it (bench/tab_switch.py: p95 80-99 ms
    # at the defaults, 53-58 ms with higher ones). Garbage is still collected, in fewer passes:
    # the older generations as seldom as at (20 000, 50, 50), but the youngest in passes of
    # 2-4 ms, not 6-15 ms (each a part of the stall of a frame it lands in: a request detail's
    # open 58 -> 44 ms at most over 8, the Overview's panels 52 -> 39 ms median).
    gc.set_threshold(5_000, 200, 50)
    # The event loop waits its turn for the interpreter lock behind the worker threads (plots,
    # shaping, parsing): at the default 5 ms a turn, one wait behind a few of them was a stall
    # of 50-90 ms while the answers were drawn. Shorter turns: the loop gets it back sooner.
    sys.setswitchinterval(SWITCH_INTERVAL)


def run_app(**options: Any) -> int:
    """Run the app until the user quits; the exit status. `options`: those of `create_app`."""
    app = create_app(**options)
    tune_gc()
    result = app.run()
    if app.crash_message:
        where = f"; details in {app.crash_log}" if app.crash_log else ""
        print(f"helicone-tui stopped on an unexpected error: {app.crash_message}{where}",
              file=sys.stderr)
        return 1
    return result if isinstance(result, int) else 0


def create_app(
    *,
    base_url: str,
    api_key: ApiKey | str,
    demo: bool = False,
    filter: Node | None = None,
    time_range: TimeRange | None = None,
    watch: float | None = None,
    now: datetime | str | None = None,
    timeout: float = 60.0,
    allow_insecure_http: bool = False,
    preset: Preset | None = None,
    presets_file: Path | None = None,
    tab: str | None = None,
    breakdown: str | None = None,
) -> HeliconeApp:
    """The app, ready to run.

    `watch`: None = watch off (w turns it on with a 30 s period); a number = watch on, every
    `watch` seconds. `now` fixes the clock (as --now does). `preset`: the preset named by
    --preset (the header names it; its tab options apply; `filter` and `time_range` are already
    resolved, explicit options over the preset's). `presets_file`: --presets-file. `tab`: the
    id of the tab shown first (--tab; None: the first tab). `breakdown`: the dimension that
    splits the over-time views (--breakdown, or the preset's; None: no split).
    """
    from tui import clock
    from tui.filters.tree import ALL
    from tui.keys import load_keymap

    if now is not None:
        clock.fix(now)
    if time_range is None:
        from tui.api.timerange import TimeRange

        time_range = TimeRange.since("24h")
    node = filter if filter is not None else ALL
    context = Investigation(filter=node, time_range=time_range, preset=preset,
                            breakdown=breakdown)
    target = Target(
        base_url=base_url,
        api_key=api_key,
        demo=demo,
        timeout=timeout,
        allow_insecure_http=allow_insecure_http,
    )
    keymap, warnings = load_keymap()
    app = HeliconeApp(
        target=target,
        context=context,
        watch_seconds=watch if watch is not None else 30.0,
        watching=watch is not None,
        keymap=keymap,
        keymap_warnings=warnings,
        presets_path=presets_file,
        initial_tab=tab,
    )
    return app


def run(args: argparse.Namespace) -> int:
    """The CLI's entry: `args` carries base_url, api_key, demo, filter (a Node), time_range,
    watch, now, timeout, allow_insecure_http, preset (a Preset), presets_file, tab and breakdown
    (missing attributes take their defaults)."""
    return run_app(**app_options(args))


def app_options(args: argparse.Namespace) -> dict[str, Any]:
    """`create_app`'s options from the CLI's hand-off (tests build the app the CLI would run)."""
    return dict(
        base_url=args.base_url,
        api_key=args.api_key,
        demo=getattr(args, "demo", False),
        filter=getattr(args, "filter", None),
        time_range=getattr(args, "time_range", None),
        watch=getattr(args, "watch", None),
        now=getattr(args, "now", None),
        timeout=getattr(args, "timeout", 60.0),
        allow_insecure_http=getattr(args, "allow_insecure_http", False),
        preset=getattr(args, "preset", None),
        presets_file=getattr(args, "presets_file", None),
        tab=getattr(args, "tab", None),
        breakdown=getattr(args, "breakdown", None),
    )
