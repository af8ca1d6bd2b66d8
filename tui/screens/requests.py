"""The Requests tab: the requests behind the filter and range, newest first, 50 a page.

`/v1/request/query-clickhouse` under the shared filter and window (its time bounds are conditions
of the filter: the endpoint has no timeFilter). `pagedown` on the last row asks for the next page
and appends it; only an empty page is the end (a page may be short while more exist, see
requests_rows). A refresh asks again for every page loaded (in one request, up to Helicone's
1,000 rows), so the list and its cursor stay where they were. `o` steps the sort column through
Helicone's sort keys, `O` reverses it; `enter` opens the request's detail. `isScored` is never
sent. An empty answer under a filter may be a broken filter: Helicone answers a database error
with an empty page.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Hashable
from datetime import datetime
from importlib import import_module
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Static

from tui import clock
from tui.context import Investigation
from tui.screens.base import QueryTab, user_message
from tui.screens.requests_rows import (
    COLUMNS,
    MOST_ROWS,
    PAGE_SIZE,
    SORT_COLUMN,
    RequestsAnswer,
    TabOptions,
    first_pages,
    next_sort,
    reversed_sort,
    row_cells,
)
from tui.screens.requests_table import RequestsTable
from tui.screens.services import services

if TYPE_CHECKING:
    from tui.api.timerange import Window

BROKEN_FILTER = (
    "No requests match the filter in this range. Helicone also answers an empty page when the "
    "filter fails in its database, so the filter may be broken."
)


class PageLoaded(Message):
    """The next page's rows (or the error asking for it), for the answer it extends."""

    def __init__(self, base: RequestsAnswer, rows: list[Any] | None, raw: list[Any] | None,
                 error: str | None = None) -> None:
        super().__init__()
        self.base = base
        self.rows = rows
        self.raw = raw
        self.error = error


class RequestsTab(QueryTab):
    ENDPOINT: ClassVar[str] = "requests"
    WHAT: ClassVar[str] = "requests"
    EMPTY_MESSAGE: ClassVar[str] = "No requests in this range."

    DEFAULT_CSS = """
    #requests-table { height: 1fr; }
    #requests-info { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "next_sort", "Sort", id="requests.sort"),
        Binding("O", "reverse_sort", "Reverse", id="requests.reverse"),
        Binding("enter", "open", "Details", id="requests.open", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sort_options = TabOptions()
        #: How many pages the list holds, and for which question (a refresh asks them again).
        self._pages = 1
        self._pages_for: Hashable = None
        self._paging = False
        self._drawn_for: Hashable = None
        #: Where the cursor goes when the answer is drawn next (the first row of a new page).
        self._cursor_to: int | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("", id="requests-info", classes="tab-info")
        yield RequestsTable(id="requests-table", cursor_type="row", zebra_stripes=True)

    # ----------------------------------------------------------------- the request

    def _question(self) -> Hashable:
        ctx = self.context
        return None if ctx is None else (ctx.filter_text, ctx.time_range,
                                         self.sort_options.sort_key)

    def request_key(self) -> tuple[Any, Hashable] | None:
        # Not the page count: loading a page is not a new question.
        if self.context is None:
            return None
        return (self.context.key, self.sort_options.sort_key)

    def options(self) -> TabOptions:
        pages = self._pages if self._pages_for == self._question() else 1
        return TabOptions(self.sort_options.sort, self.sort_options.descending, pages)

    @staticmethod
    def prepare(ctx: Investigation, options: Any, now: datetime) -> tuple[Any, Window]:
        window = ctx.time_range.resolve(now)
        return build(ctx, options, window, 0, min(MOST_ROWS, options.pages * PAGE_SIZE)), window

    async def send(self, client: Any, request: Any) -> Any:
        from tui.api.wire_endpoints import More

        # The client itself (the typed rows and their raw JSON); export keeps both.
        real = await services(self).get_client()
        return await real.fetch_more(More.REQUESTS, request)

    @staticmethod
    def shape(raw: Any, window: Window, options: Any) -> RequestsAnswer:
        return first_pages(list(raw.data), list(raw.raw or []), options.pages, options.sort_text,
                           clock.local_zone())

    @staticmethod
    def answer_is_empty(answer: Any) -> bool:
        return answer is None or not answer.rows

    def _sync_state(self) -> None:
        # A new sort of the list on screen: the list stays shown and focused (the base would
        # hide it and move the focus to the tab and back: two restyles of the tab) and its rows
        # are replaced when the answer lands; only an empty or failed answer takes it away.
        resorting = self.status == "loading" and self._resorting()
        if resorting:
            self._keep = True
        super()._sync_state()
        if self.status == "empty" and self.notice.filtered:
            self.notice.message = BROKEN_FILTER
        if resorting:
            self._show_info(loading="sorting...")

    def _resorting(self) -> bool:
        """The fetch starting asks the list on screen again, in another order (same filter,
        same range)."""
        asked, shown = self.request_key(), self._answer_key
        body = self.body
        return (asked is not None and shown is not None and asked[0][:2] == shown[0][:2]
                and asked[1] != shown[1]
                and self.answer is not None and body is not None and body.display
                and self.query_one(RequestsTable).row_count > 0)

    def cancel(self) -> bool:
        """escape: as the base; a new sort cancelled leaves the list in its order, and says so."""
        resorting = self.busy and self._keep
        cancelled = super().cancel()
        answer: RequestsAnswer | None = self.answer
        if cancelled and resorting and answer is not None:
            sort, _, way = answer.sort.partition(":")
            self.sort_options = TabOptions(sort, way != "asc")
            self._show_info()
        return cancelled

    # ----------------------------------------------------------------- showing it

    def watch_answer(self) -> None:
        # (Not an on_fetch_succeeded override: Textual runs the base class's handler as well.)
        answer: RequestsAnswer | None = self.answer
        if answer is not None:
            self._pages, self._pages_for = answer.pages, self._question()
        cursor_to, self._cursor_to = self._cursor_to, None
        self._draw(cursor_to)
        if answer is not None and "tui.screens.request_detail" not in sys.modules:
            # What `enter` opens, imported while the list is read: not in the open's first turn
            # of the loop, its longest (the first open's stall 50-56 ms, the next ones' 40-47).
            self.run_worker(asyncio.to_thread(import_module, "tui.screens.request_detail"),
                            group="warm", exit_on_error=False)

    def body_mounted(self) -> None:
        self._draw()

    def _draw(self, cursor_to: int | None = None) -> None:
        if self.body is None:
            return
        answer: RequestsAnswer | None = self.answer
        self._show_info()
        if answer is None:
            return
        table = self.query_one(RequestsTable)
        tz = clock.local_zone()
        sorted_on = SORT_COLUMN.get(self.sort_options.sort)
        arrow = " ↓" if self.sort_options.descending else " ↑"

        table.set_columns([
            (key, Text(header + (arrow if key == sorted_on else ""),
                       justify="right" if right else "left"), width)
            for key, header, right, width in COLUMNS
        ])

        def rows(start: int = 0) -> None:
            made = answer.cells  # (made in the fetch's thread; the others' here)
            for i, r in enumerate(answer.rows[start:], start):
                cells = made[i] if i < len(made) else row_cells(r, tz)
                table.add_row(*cells, key=r.request_id)

        # Each way redraws as little as it can: the table re-renders every cell it changes, and
        # the columns stay (their widths are fixed, only the sort's arrow moves).
        question = self._question()
        if question != self._drawn_for or not table.row_count:
            # A new question (sort, filter, range) or the first answer: from its first row.
            self._drawn_for = question
            table.replace_rows(rows, keep_place=False)
        elif cursor_to is not None and cursor_to == table.row_count:
            rows(cursor_to)  # a page appended: only its rows are new
            table.move_cursor(row=cursor_to)
        else:
            table.replace_rows(rows, keep_place=True)  # a refresh: the same place

    def _show_info(self, loading: str | None = None) -> None:
        if self.body is None:
            return
        answer: RequestsAnswer | None = self.answer
        text = Text(no_wrap=True, overflow="ellipsis")
        count = len(answer.rows) if answer is not None else 0
        text.append(f"{count:,} requests", "bold")
        arrow = "↓" if self.sort_options.descending else "↑"
        text.append(f" · by {self.sort_options.sort} {arrow} (o O)")
        if loading:
            text.append(f" · {loading}", "italic")
        elif answer is not None and answer.last:
            text.append(" · the last page came", "bold")
        else:
            text.append(" · pagedown at the end: more")
        text.append(" · enter: details")
        self.query_one("#requests-info", Static).update(text)

    def focus_main(self) -> None:
        if self.body is None:
            self.focus()
        else:
            self.query_one(RequestsTable).focus()

    # ----------------------------------------------------------------- sort, pages

    def _sort_set(self, options: TabOptions) -> None:
        self.sort_options = options
        self._show_info()
        self.options_changed()

    def action_next_sort(self) -> None:
        self._sort_set(next_sort(self.sort_options))

    def action_reverse_sort(self) -> None:
        self._sort_set(reversed_sort(self.sort_options))

    def on_requests_table_at_end(self, event: RequestsTable.AtEnd) -> None:
        event.stop()
        answer: RequestsAnswer | None = self.answer
        if answer is None or self.status != "ready" or self._paging:
            return
        if answer.last:
            self.notify("The last page came: there are no more requests.", timeout=3)
            return
        if answer.pages * PAGE_SIZE >= MOST_ROWS:
            self.notify(f"The list holds {MOST_ROWS:,} rows, as many as it keeps: narrow the "
                        "range or the filter to see others.", timeout=4)
            return
        ctx, window = self.context, self.answer_window
        if ctx is None or window is None:
            return
        self._paging = True
        self._show_info(loading="loading the next page...")
        self.run_worker(self._next_page(answer, ctx, window), group="requests-page",
                        exclusive=True, exit_on_error=False)

    async def _next_page(self, base: RequestsAnswer, ctx: Investigation, window: Any) -> None:
        """The worker: the page after `base`, over the same window as the list on screen."""
        from tui.api.wire_endpoints import More

        options = self.options()
        try:
            request = await asyncio.to_thread(build, ctx, options, window,
                                              base.pages * PAGE_SIZE, PAGE_SIZE)
            client = await services(self).get_client()
            got = await client.fetch_more(More.REQUESTS, request)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self.post_message(PageLoaded(base, None, None, user_message(exc)))
            return
        self.post_message(PageLoaded(base, list(got.data), list(got.raw or [])))

    def on_page_loaded(self, message: PageLoaded) -> None:
        message.stop()
        self._paging = False
        if message.base is not self.answer:  # the list changed meanwhile: this page is stale
            self._show_info()
            return
        if message.error is not None:
            self.notify(f"Next page: {message.error}", severity="error", timeout=6)
            self._show_info()
            return
        before = len(message.base.rows)
        answer = message.base.appended(message.rows or [], message.raw or [])
        self._cursor_to = before if len(answer.rows) > before else None
        self.answer = answer
        if answer.last:
            self.notify(f"The last page came: {len(answer.rows):,} requests in all.", timeout=3)

    # ----------------------------------------------------------------- the detail

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def selected(self) -> Any:
        answer: RequestsAnswer | None = self.answer
        if answer is None or self.body is None:
            return None
        table = self.query_one(RequestsTable)
        if not table.row_count:
            return None
        return answer.rows[min(table.cursor_row, len(answer.rows) - 1)]

    def action_open(self) -> None:
        from tui.messages import AddCondition
        from tui.screens.request_detail import RequestDetail

        row = self.selected()
        if row is None:
            return

        def done(condition: Any) -> None:
            if condition is not None:  # `=` / `!` on a field: the main screen owns the filter
                self.post_message(AddCondition(*condition))
            self.focus_main()

        self.app.push_screen(RequestDetail(row, region=self.web_region), done)

    # ----------------------------------------------------------------- curl, export

    def _shown_question(self) -> tuple[Investigation, Any]:
        ctx = self.context
        if ctx is None:
            raise ValueError("The Requests tab has no question yet.")
        window = self.answer_window
        if window is None or self.stale:
            window = ctx.time_range.resolve(clock.now())
        return ctx, window

    def curl_text(self, base_url: str) -> str:
        """`c`: the request behind the list on screen (every page loaded, as a refresh asks)."""
        from tui.query.requests_view import VIEW

        ctx, window = self._shown_question()
        options = self.options()
        request = build(ctx, options, window, 0, min(MOST_ROWS, options.pages * PAGE_SIZE))
        return VIEW.curl(base_url, request)

    def export_write(self) -> Callable[[Any], str]:
        """`x`: the requests on screen, as `query requests` writes them (no bodies)."""
        answer: RequestsAnswer = self.answer
        return lambda request: export_requests(answer, request)


def build(ctx: Investigation, options: TabOptions, window: Any, offset: int, limit: int) -> Any:
    """query-clickhouse's body for `ctx` over `window`: the sort, one page or several."""
    from tui.query.requests_view import VIEW, RequestsOptions

    view_options = RequestsOptions(sort=options.sort_text, limit=limit, offset=offset)
    return VIEW.build(ctx, window, view_options)


def export_requests(answer: RequestsAnswer, request: Any) -> str:
    """Write the list's requests as CSV or JSON (`{"requests": [...]}`, as received)."""
    import io

    from tui.query import writers_more as w
    from tui.query.requests_view import BODY_KEYS, VIEW, RequestsOptions
    from tui.screens.answer_io import write_file

    out = io.StringIO()
    if request.format == "json":
        rows = [{k: v for k, v in dict(raw).items() if k not in BODY_KEYS}
                for raw in answer.raw]
        w.write_json({"requests": rows}, out)
    else:
        VIEW.write(list(answer.rows), request.format, out, RequestsOptions(),
                   clock.local_zone())
    write_file(request.path, out.getvalue(), request.overwrite)
    return f"Wrote {len(answer.rows):,} requests ({request.format.upper()}) to {request.path}"
