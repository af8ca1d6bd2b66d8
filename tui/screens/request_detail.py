"""`enter` on Requests: one request, every field, its properties and scores, and its bodies.

Given the list's row, it asks `GET /v1/request/{id}?includeBody=true`; a key that cannot read
single requests (Helicone's default keys are write-only: 401/403 on a GET) leaves the list row on
screen with a line saying so. Bodies come inline or from the row's signed URL, fetched by the
client without the key (tui.api.signed: at most 2 MB, text only). They are folded off the UI
thread (tui.widgets.json_fold: a bounded, highlighted view; `e` widens it), and every string is
made visible first. The Helicone web link is an OSC 8 hyperlink. `=` / `!` on a field dismiss
with `("=" | "!=", field, value)` for the main screen to add to the filter; `c` copies the id.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from tui import clock
from tui.api.signed import BODY_CAP
from tui.safe import one_line, visible
from tui.screens.base import RowTable, user_message
from tui.screens.requests_rows import FieldRow, condition_for, field_rows, web_link
from tui.screens.services import services
from tui.widgets.body_lines import BodyLines, render_strips
from tui.widgets.json_fold import Folded, Limits, fold, size_of
from tui.widgets.key_lines import KeyLines
from tui.widgets.one_line_rows import OneLineRows

Condition = tuple[str, str, Any]

WRITE_ONLY = (
    "This key cannot read single requests (GET /v1/request/{{id}} answered {status}; Helicone's "
    "default keys are write-only): showing the row from the list."
)


class FieldsTable(OneLineRows, RowTable):
    """The detail's fields: one-line cells and rows, rendered the fast way."""


class RequestDetail(Screen[Condition | None]):
    """Dismisses with a condition to add to the filter (`=` / `!`), or None (escape)."""

    # Its rules (styles/requests.tcss) load with the app's: as the screen's own CSS, the first
    # open re-parsed the stylesheet and restyled every widget of the app (a 100+ ms stall).
    AUTO_FOCUS = "#detail-fields"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="detail.close"),
        Binding("equals_sign", "condition(False)", "= filter", id="detail.equals"),
        Binding("exclamation_mark", "condition(True)", "!= filter", id="detail.not_equals"),
        Binding("c", "copy_id", "Copy id", id="detail.copy"),
        Binding("e", "expand", "Unfold more", id="detail.expand"),
    ]

    def __init__(self, row: Any, *, region: str = "US") -> None:
        super().__init__()
        self.row = row  # the list's row (HeliconeRequest)
        self.request = row  # the fullest version known (the GET's when the key can read)
        self.web_region = region
        self.notes: list[str] = []
        self.fields: list[FieldRow] = []
        self.limits = Limits()
        self.bodies: tuple[Any, Any] = (row.request_body, row.response_body)
        #: Bodies on screen (first the list row's); loaded: the GET (and a signed URL) answered;
        #: settled: what they answered is on screen (the bench and the tests wait for these).
        self.drawn = False
        self.loaded = False
        self.settled = False
        self._draws = 0  # the bodies' draws begun (a later one makes an earlier one stale)
        self._framed = asyncio.Event()  # the screen's first frame is out
        self._resumed = False
        self._resized = False

    def compose(self) -> ComposeResult:
        with Vertical(id="request-detail"):
            yield Static(self._title(), id="detail-title")
            _, link = web_link(self.row.request_id, self.web_region)
            link.no_wrap, link.overflow = True, "ellipsis"
            yield Static(link, id="detail-link")
            yield Static(Text("loading the request...", style="italic"), id="detail-note")
            yield FieldsTable(id="detail-fields", cursor_type="row", zebra_stripes=True)
            yield BodyLines(id="detail-bodies")
        yield KeyLines(one_line=True, pinned=("close",))

    def _title(self) -> Text:
        r = self.request
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("request ", "bold")
        text.append(one_line(str(r.request_id), 80), "bold")
        text.append(f"  status {r.response_status}  ")
        text.append(one_line(r.model or r.request_model or "–", 60))
        return text

    def on_mount(self) -> None:
        self._fill_fields()
        self.call_after_refresh(self._framed.set)
        self.run_worker(self._load(), group="detail", exclusive=True, exit_on_error=False)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # (Before Screen's own handler, which restyles the whole screen on a resume.) The first
        # resume comes right after the mount, which styled every widget: restyling them again
        # is ~8 ms of the first frame's turn of the loop, the open's longest stall.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    async def _on_resize(self, event: events.Resize) -> None:
        # The first layout is ScreenResume's; the Resize it then sends the screen (its size went
        # from none to the terminal's) would lay it out again, and the main screen below too,
        # at the same size, in the same turn of the loop as the first frame: up to 20 ms more
        # of the open's longest stall. A real resize (another size) goes Textual's way.
        first, self._resized = not self._resized, True
        if first and event.size == self.size:
            event.prevent_default()

    # ----------------------------------------------------------------- loading

    async def _load(self) -> None:
        """The worker: the request by id, its bodies, and their folded views."""
        from tui.api.errors import ApiError, NotFound

        # The list row's bodies go on screen while the GET runs (most rows carry them whole).
        first = asyncio.ensure_future(self._draw_first())
        client = await services(self).get_client()
        try:
            full = await client.request(self.row.request_id, include_body=True)
            if full is None:
                self.notes.append("Helicone has no such request now (older than 90 days?): "
                                  "showing the row from the list.")
            else:
                self.request = full
        except asyncio.CancelledError:
            raise
        except ApiError as exc:
            if exc.status in (401, 403):
                self.notes.append(WRITE_ONLY.format(status=exc.status))
            elif isinstance(exc, NotFound):
                self.notes.append(f"{user_message(exc)}: showing the row from the list.")
            else:
                self.notes.append(f"The request could not be read ({user_message(exc)}): "
                                  "showing the row from the list.")
        except Exception as exc:
            self.notes.append(f"The request could not be read ({user_message(exc)}): "
                              "showing the row from the list.")
        request = self.request
        bodies = (request.request_body, request.response_body)
        url = getattr(request, "signed_body_url", None)
        if url:
            bodies = await self._signed(client, url, bodies)
        await first
        # (In a thread: comparing two 1 MB bodies is a stall of its own.)
        changed = await asyncio.to_thread(_changed, bodies, self.bodies)
        self.bodies = bodies
        self.loaded = True
        if not self.is_attached:
            return
        self.query_one("#detail-title", Static).update(self._title())
        self._show_notes()
        if self.request is not self.row:
            self._fill_fields()
        if changed:
            await self._draw_bodies(bodies)
        self.settled = True

    async def _draw_first(self) -> None:
        # Once the screen's first frame is out: folding beside it, in a thread, would share the
        # interpreter lock with the frame and make it the longest stall of the open.
        await self._framed.wait()
        await self._draw_bodies(self.bodies)

    async def _signed(self, client: Any, url: str, inline: tuple[Any, Any]) -> tuple[Any, Any]:
        """The bodies at the signed URL (without the key); the row's own text when that fails."""
        try:
            got = await client.signed_body(url)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self.notes.append(f"Bodies: {user_message(exc)}; showing the preview in the row.")
            return inline
        if isinstance(got, dict) and ("request" in got or "response" in got):
            return got.get("request"), got.get("response")
        self.notes.append("The body URL did not answer Helicone's {request, response}: shown "
                          "as the request body.")
        return got, None

    def _show_notes(self) -> None:
        note = self.query_one("#detail-note", Static)
        if not self.notes:
            note.update(Text("= / ! add field = / != value to the filter  c copies the id  "
                             "tab: the bodies", style="dim"))
            return
        note.update(Text(visible("\n".join(self.notes), block=True), style="bold yellow"))

    def _fill_fields(self) -> None:
        fields = field_rows(self.request, clock.local_zone())
        table = self.query_one("#detail-fields", RowTable)
        if fields == self.fields and table.row_count:
            return  # the GET said what the list row said: a refill would redraw it all
        self.fields = fields

        # The widths measuring would find (a one-line cell is as wide as its text), from the
        # strings: the table then measures no cell (OneLineCells).
        label_width = max([5, *(cell_len(row.label) for row in fields)])
        value_width = max([5, *(cell_len(row.shown) for row in fields)])

        def fill() -> None:
            table.add_column("field", key="field", width=label_width)
            table.add_column("value", key="value", width=value_width)
            for i, row in enumerate(self.fields):
                style = "" if row.field is not None else "dim"
                table.add_row(Text(row.label, style=style), Text(row.shown, no_wrap=True),
                              key=str(i))

        table.refill(fill)

    async def _draw_bodies(self, bodies: tuple[Any, Any] | None = None) -> None:
        """Fold and render both bodies in a thread; the widget only shows the strips. The lines
        on screen first (rendering a 1 MB body's view whole takes several times as long), then
        the rest, unless another draw (a resize, `e`, the GET's bodies) came meanwhile."""
        view = self.query_one(BodyLines)
        width = view.text_width
        self._draws += 1
        draw = self._draws
        text, strips, whole = await asyncio.to_thread(
            _render_bodies, bodies or self.bodies, self.limits, width,
            max(1, view.size.height) + 1)
        if not self.is_attached or draw != self._draws:
            return
        view.show(strips, text.plain, width)
        self.drawn = True
        if whole:
            return
        strips = await asyncio.to_thread(render_strips, text, width)
        if self.is_attached and draw == self._draws:
            view.show(strips, text.plain, width)

    async def on_body_lines_resized(self, event: BodyLines.Resized) -> None:
        if self.loaded:
            await self._draw_bodies()

    # ----------------------------------------------------------------- keys

    def _cursor_field(self) -> FieldRow | None:
        table = self.query_one("#detail-fields", RowTable)
        if not table.row_count or not self.fields:
            return None
        return self.fields[min(table.cursor_row, len(self.fields) - 1)]

    def action_condition(self, negate: bool) -> None:
        if self.focused is not self.query_one("#detail-fields"):
            self.notify("Put the cursor on a field first (tab to the field list).", timeout=3)
            return
        row = self._cursor_field()
        if row is None:
            return
        condition = condition_for(row, negate)
        if condition is None:
            self.notify(f"The filter has no field for {row.label}.", severity="warning",
                        timeout=3)
            return
        self.dismiss(condition)

    def action_copy_id(self) -> None:
        from tui import clipboard

        _, message = clipboard.copy(self.app, str(self.request.request_id))
        self.notify(f"request id {message}", timeout=3)

    async def action_expand(self) -> None:
        if not self.loaded:
            return
        if self.limits.widest:
            self.notify("The bodies show as much as the detail shows.", timeout=3)
            return
        self.limits = self.limits.wider()
        await self._draw_bodies()

    def action_close(self) -> None:
        self.dismiss(None)


def _changed(new: tuple[Any, Any], old: tuple[Any, Any]) -> bool:
    return any(a is not b and a != b for a, b in zip(new, old, strict=True))


def _render_bodies(bodies: tuple[Any, Any], limits: Limits, width: int,
                   first: int | None = None) -> tuple[Text, list, bool]:
    """Both bodies folded, titled and rendered at `width` (runs in a thread: a 1 MB body must
    not stall the screen): the text, its strips, and whether they are all of it (only the
    first `first` lines are rendered when it has more)."""
    text = Text()
    for i, (title, body) in enumerate((("request body", bodies[0]),
                                       ("response body", bodies[1]))):
        if i:
            text.append("\n\n")
        text.append(title + "\n", "bold underline")
        text.append_text(_body_view(body, limits))
    if first is not None:
        plain, end = text.plain, -1
        for _ in range(first):
            end = plain.find("\n", end + 1)
            if end < 0:
                break
        if end >= 0:  # more lines than the screen: those it shows first
            return text, render_strips(text[:end], width)[:first], False
    return text, render_strips(text, width), True


def _body_view(body: Any, limits: Limits) -> Text:
    if body is None or body == "":
        return Text("(none)", style="dim")
    size = size_of(body)
    if size > BODY_CAP:
        return Text(f"{size / (1 << 20):.1f} MB, over the {BODY_CAP >> 20} MB the detail "
                    "shows: `query request ID --format json` writes it whole.", style="bold")
    view: Folded = fold(body, limits)
    text = Text()
    summary = f"{size:,} bytes, {view.lines:,} lines shown"
    if view.folded:
        summary += f", {view.folded:,} parts folded"
    if not view.complete:
        summary += " (e unfolds more)"
    text.append(summary + "\n", "dim")
    text.append_text(view.text)
    return text
