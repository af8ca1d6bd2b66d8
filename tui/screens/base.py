"""What every query tab shares: staleness, the fetch worker, loading / error / empty states.

A tab asks for data when it is shown and its last answer is stale (the investigation context or the
tab's own options changed). The fetch runs in an exclusive worker per tab, so a newer fetch cancels
the older one; the worker builds the request and shapes the answer off the UI thread, never touches
a widget, and posts `FetchSucceeded` / `FetchFailed`. The handlers set reactives; watchers redraw.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable
from datetime import datetime
from time import monotonic
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import DataTable

from tui import clock
from tui.context import Investigation
from tui.messages import FetchCancelled, FetchFailed, FetchStarted, FetchSucceeded
from tui.safe import one_line
from tui.screens.answer_io import AnswerRecorder
from tui.screens.services import services
from tui.widgets.notice import StateNotice

if TYPE_CHECKING:
    from tui.api.timerange import Window


def user_message(exc: BaseException) -> str:
    """One line the user can act on; never a traceback. The text may quote a server (an error
    field, an HTML page) or a path: its control characters are made visible here, where every
    tab's error notice and the export's notification get it."""
    message = getattr(exc, "message", None)
    if isinstance(message, str) and message:
        text = message
    elif isinstance(exc, ValueError):  # FilterError, RangeError, option errors: written for users
        text = str(exc)
    else:
        text = f"unexpected error ({type(exc).__name__}): {exc}. Press r to retry"
    return one_line(text)


FILTERED_EMPTY = "Nothing matches the filter in this range."


class RowTable(DataTable):
    """A tab's table: `home`/`end` go to the first/last row (not sideways), and a refill keeps
    the reader's place (see `refill`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "scroll_top", "First row", show=False),
        Binding("end", "scroll_bottom", "Last row", show=False),
    ]

    def refill(self, fill: Callable[[], None]) -> None:
        """Clear and `fill` the table again, keeping the cursor on the same row (by its key; by
        its index when that key is gone) and the scroll position, so a refresh does not move it."""
        had_rows = self.row_count > 0
        row_key: Any = None
        row_index = self.cursor_row
        if had_rows and self.cursor_type != "none":
            try:
                row_key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
            except Exception:
                row_key = None
        scroll = (self.scroll_x, self.scroll_y)
        self.clear(columns=True)
        fill()
        if not had_rows or self.row_count == 0:
            return
        if self.cursor_type != "none":
            index = row_index
            if row_key is not None:
                try:
                    index = self.get_row_index(row_key)
                except Exception:
                    index = row_index
            self.move_cursor(row=min(index, self.row_count - 1), scroll=False)

        def restore() -> None:
            self.scroll_to(*scroll, animate=False, immediate=True)

        self.call_after_refresh(restore)


class _Body(Vertical):
    """The container of a tab's own widgets: composed by the tab's `compose_body`."""

    def __init__(self, tab: QueryTab, *, id: str, classes: str) -> None:
        super().__init__(id=id, classes=classes)
        self._tab = tab

    def compose(self) -> ComposeResult:
        yield from self._tab.compose_body()


class QueryTab(Vertical, can_focus=True):
    """Base class of the Scores, Evals, Distributions and Sessions tabs."""

    ENDPOINT: ClassVar[str] = ""
    WHAT: ClassVar[str] = "data"  # "Loading <WHAT>..."
    HAS_TABLE_VIEW: ClassVar[bool] = False

    # No repaint: the tab draws nothing of its own (its widgets redraw themselves), and a repaint
    # of the whole tab on every fetch and answer of the watch was most of a refresh's cost.
    context: reactive[Investigation | None] = reactive(None, init=False, repaint=False)
    shown: reactive[bool] = reactive(False, init=False, repaint=False)
    #: idle | loading | ready | empty | error | cancelled
    status: reactive[str] = reactive("idle", init=False, repaint=False)
    answer: reactive[Any] = reactive(None, init=False, always_update=True, repaint=False)
    #: The target's region (US, EU, DEMO, custom), set by the main screen: for web links.
    web_region: reactive[str] = reactive("US", init=False, repaint=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._ticket = 0
        self._answer_key: tuple[Any, Hashable] | None = None
        self._loading_key: tuple[Any, Hashable] | None = None
        #: The fetch running asks the same question as the answer on screen (a refresh, the
        #: watch): the answer stays, and nothing in the tab moves until the new one lands.
        self._keep = False
        self.fetched_at: datetime | None = None
        #: The resolved window of the answer on screen (a sliding range moves on; this does not).
        self.answer_window: Window | None = None
        #: The client's answer behind it (typed data and raw JSON), for export.
        self.raw_answer: Any = None

    # ----------------------------------------------------------------- for subclasses

    def question_now(self) -> datetime:
        """The time a fetch resolves its range at (a sliding one ends then): the clock's."""
        return clock.now()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def options(self) -> Hashable:
        """This tab's own request options (part of the staleness key)."""
        return ()

    @staticmethod
    def prepare(ctx: Investigation, options: Any, now: datetime) -> tuple[Any, Window]:
        """The request model and the resolved window. Runs in a thread: pure."""
        raise NotImplementedError

    async def send(self, client: Any, request: Any) -> Any:
        raise NotImplementedError

    async def send_ticketed(self, ticket: int, client: Any, request: Any) -> Any:
        """`send` for the fetch `ticket`. A tab that draws each part of its answer as it arrives
        (the Overview) posts its own messages, with this ticket, from here."""
        return await self.send(client, request)

    @staticmethod
    def shape(raw: Any, window: Window, options: Any) -> Any:
        """The answer as the tab shows it. Runs in a thread: pure."""
        return raw

    @staticmethod
    def answer_is_empty(answer: Any) -> bool:
        return not answer

    #: The body stays in view while a new answer loads, not the "Loading..." notice (the
    #: Overview: its panels draw as their answers arrive and say "loading…" meanwhile).
    BODY_WHILE_LOADING: ClassVar[bool] = False

    EMPTY_MESSAGE: ClassVar[str] = "No data in this range."
    #: A filter can make the answer empty (not on Evals: its names ignore the filter).
    FILTER_EMPTIES: ClassVar[bool] = True

    def curl_text(self, base_url: str) -> str | None:
        """`c`: the tab's requests as curl, for a tab that asks more than one endpoint (None:
        the one request of `prepare`). ValueError says why there is none."""
        return None

    def export_write(self) -> Callable[[Any], str] | None:
        """`x`: the write of the answer on screen (given an ExportRequest, says what it wrote),
        for a tab whose answer is not one endpoint's (None: the one answer, `raw_answer`)."""
        return None

    def focus_main(self) -> None:
        self.focus()

    def toggle_view(self) -> None:
        """`t`: chart / table, for tabs that have both."""

    #: `v` (main screen): this tab can show the previous period beside the current one.
    CAN_COMPARE: ClassVar[bool] = False

    def toggle_compare(self) -> None:
        """`v`: compare with the previous period on / off (tabs with CAN_COMPARE)."""

    #: Preset settings equal to these are not saved (a preset holds what was chosen).
    PRESET_DEFAULTS: ClassVar[dict[str, Any]] = {}

    def preset_options(self) -> dict[str, Any]:
        """This tab's preset settings as they are now (none by default)."""
        return {}

    def apply_preset(self, preset: Any) -> None:
        """Take a preset's settings for this tab (unset ones stay); the caller fetches."""

    # ----------------------------------------------------------------- hooks of the main screen

    def view_state(self) -> Any:
        """Where the reader is in this tab (cursor, view, increment...), kept by the main screen
        with each zoom and drill-down so `backspace` can give it back (None: nothing to keep)."""
        return None

    def restore_view_state(self, state: Any) -> None:
        """Take back a `view_state()`; runs before the context returns, so one fetch asks with
        what is restored."""

    # ----------------------------------------------------------------- composition

    def compose(self) -> ComposeResult:
        yield StateNotice(id=f"{self.ENDPOINT}-notice", classes="tab-notice")

    def on_mount(self) -> None:
        if not self.query_children(StateNotice):  # mounted as the app closes: nothing came
            return
        self.query_one(StateNotice).what = self.WHAT
        self._sync_state()

    @property
    def body(self) -> _Body | None:
        """The tab's widgets, mounted the first time the tab is shown (a fast first frame)."""
        found = self.query_children(_Body)
        return found.first() if found else None

    async def _mount_body(self) -> None:
        # Not mounted: the app is closing (a quit right after start), nothing to show.
        if self.body is None and self.is_attached:
            await self.mount(_Body(self, id=f"{self.ENDPOINT}-body", classes="tab-body"))
            self._sync_state()
            self.body_mounted()

    def body_mounted(self) -> None:
        """The body's widgets exist now: draw what is already known."""

    @property
    def notice(self) -> StateNotice:
        return self.query_one(StateNotice)

    # ----------------------------------------------------------------- staleness

    def request_key(self) -> tuple[Any, Hashable] | None:
        if self.context is None:
            return None
        return (self.context.key, self.options())

    @property
    def stale(self) -> bool:
        key = self.request_key()
        return key is not None and key != self._answer_key and key != self._loading_key

    def ensure_fresh(self) -> None:
        if self.shown and self.stale:
            self.fetch()

    def watch_context(self) -> None:
        self.ensure_fresh()

    async def watch_shown(self, shown: bool) -> None:
        if shown:
            first = self.body is None
            await self._mount_body()
            if first and self.shown:
                self.focus_main()
            self.ensure_fresh()

    def options_changed(self) -> None:
        """Call after changing an option that is part of `options()`."""
        self.ensure_fresh()

    # ----------------------------------------------------------------- fetching

    @property
    def busy(self) -> bool:
        return self.status == "loading"

    def fetch(self) -> None:
        ctx = self.context
        key = self.request_key()
        if ctx is None or key is None or not self.is_attached:  # not attached: closing
            return
        self._ticket += 1
        # Same question asked again (refresh, watch): keep the last answer on screen meanwhile.
        same_question = (
            self._answer_key is not None
            and self.status == "ready"
            and self._answer_key[1] == key[1]
            and self._answer_key[0][:2] == key[0][:2]
        )
        # A background refresh: the body stays as it is (the context bar says "loading...").
        self._keep = same_question
        self._loading_key = key
        self.status = "loading"
        self.post_message(FetchStarted(self.ENDPOINT, self._ticket))
        self.run_worker(
            self._fetch(self._ticket, ctx, self.options()),
            group=f"fetch-{self.ENDPOINT}",
            name=f"fetch {self.ENDPOINT}",
            exclusive=True,
            exit_on_error=False,
        )

    async def before_prepare(self) -> None:
        """What the worker awaits before the request is built (in a thread)."""

    async def _fetch(self, ticket: int, ctx: Investigation, options: Any) -> None:
        """The worker: builds, sends, shapes; posts one message; never touches a widget."""
        started = monotonic()
        await self.before_prepare()
        try:
            request, window = await asyncio.to_thread(self.prepare, ctx, options,
                                                      self.question_now())
        except Exception as exc:
            self.post_message(FetchFailed(self.ENDPOINT, ticket, user_message(exc), sent=False))
            return
        try:
            client = AnswerRecorder(await services(self).get_client())
            raw = await self.send_ticketed(ticket, client, request)
            answer = await asyncio.to_thread(self.shape, raw, window, options)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self.post_message(FetchFailed(self.ENDPOINT, ticket, user_message(exc)))
            return
        self.post_message(
            FetchSucceeded(self.ENDPOINT, ticket, answer, clock.now(), monotonic() - started,
                           window, raw=client.answer_to(self.ENDPOINT, request))
        )

    def cancel(self) -> bool:
        """escape: cancel the running request. True when there was one."""
        if not self.busy:
            return False
        self.workers.cancel_group(self, f"fetch-{self.ENDPOINT}")
        self._ticket += 1  # an answer already on its way is ignored
        self._loading_key = None
        if self._keep:
            self.status = "ready"
        else:
            self.status = "cancelled"
        self.post_message(FetchCancelled(self.ENDPOINT))
        return True

    def on_fetch_succeeded(self, message: FetchSucceeded) -> None:
        if message.ticket != self._ticket:
            message.stop()
            return
        self._answer_key, self._loading_key = self._loading_key, None
        self.fetched_at = message.fetched_at
        self.answer_window = message.window
        self.raw_answer = message.raw
        self.answer = message.answer
        self.status = "empty" if self.answer_is_empty(message.answer) else "ready"

    def on_fetch_failed(self, message: FetchFailed) -> None:
        if message.ticket != self._ticket:
            message.stop()
            return
        # The failed question counts as answered: showing the tab again does not resend it; r does.
        self._answer_key, self._loading_key = self._loading_key, None
        self.notice.message = message.message
        self.status = "error"

    # ----------------------------------------------------------------- state -> screen

    def watch_has_focus(self, has_focus: bool) -> None:
        # Textual restyles a widget's whole subtree when its focus changes; only the tab itself
        # is styled by its focus (styles/tabs.tcss: QueryTab:focus), and the subtree took
        # 60 ms (the Overview's, a drill-down moving the focus) or 10-20 ms (Requests' list).
        self.app.stylesheet.update_nodes([self], animate=False)

    def watch_status(self) -> None:
        self._sync_state()

    def _sync_state(self) -> None:
        status = self.status
        notice = self.notice
        if status == "empty":
            filtered = (self.FILTER_EMPTIES and self.context is not None
                        and self.context.filter_text != "all")
            notice.filtered = filtered
            # Under a filter, "no scores in this range" would blame the range.
            notice.message = FILTERED_EMPTY if filtered else self.EMPTY_MESSAGE
        body = self.body
        keep = status == "loading" and (
            self._keep or (self.BODY_WHILE_LOADING and body is not None))
        # Not even a one-line notice while the answer stays: it would push the body down a row,
        # and every chart would be laid out and plotted again at the new height, twice.
        shows = status in ("loading", "error", "empty", "cancelled") and not keep
        notice.kind = status if shows else "idle"
        # Set only on a change, each once: every set of `display` lays the screen out again (a
        # fresh fetch of the Overview hid and showed the notice and the body, two layouts).
        if notice.display != shows:
            notice.display = shows
        if body is not None and body.display != (status == "ready" or keep):
            body.display = status == "ready" or keep
        if self.shown and self.is_mounted:
            # Keep the keyboard here: a hidden body loses focus; a shown one gets it back.
            focused = self.screen.focused
            # (Not again after a background refresh: the focus never left, and a focus call
            # repaints the tab.)
            if status == "ready" and (focused is None or (focused is self and not self._keep)):
                self.focus_main()
            elif body is not None and not body.display and (
                focused is None or body in focused.ancestors
            ):
                self.focus()
