"""One panel of the Overview (a chart with its legend, or the top models or users table), what
the fetch worker hands it (`ready_panel`, built in a thread), and the tab's export write.
"""

from __future__ import annotations

import bisect
import io
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tui.query import overview_shaping as shaping
from tui.query.overview_split import SplitPanel
from tui.safe import one_line, visible
from tui.screens.base import RowTable
from tui.screens.overview_charts import (
    TITLES,
    at_text,
    chart_data,
    current_series,
    n_text,
    readout,
)
from tui.screens.overview_split import notes as split_notes
from tui.screens.overview_split import readout as split_readout
from tui.screens.overview_split import title as split_title
from tui.widgets.chart import TimeChart
from tui.widgets.legend import Legend
from tui.widgets.split_legend import SplitLegend

if TYPE_CHECKING:
    from tui.query.overview_plan import OverviewPlan

#: The panels that are tables, not charts.
TABLES = ("models", "users")


def ready_panel(panel: str, outcomes: dict[str, Any], plan: OverviewPlan, tz: tzinfo) -> Any:
    """What `panel` draws, from the outcomes so far. Runs in a thread: pure."""
    if panel == "strip":
        return (shaping.shape_strip(outcomes), plan)
    if panel == "models":
        rows = outcomes.get("models")
        error = rows.message if isinstance(rows, shaping.Failed) else None
        return (shaping.shape_models(rows), error)
    if panel == "users":
        from tui.screens.overview_users import ready_users

        return ready_users(outcomes, plan)
    series = shaping.shape_series(panel, outcomes, plan, tz)
    return (series, None if series.error else chart_data(series, tz))


def _show(widget: Any, shown: bool) -> None:
    """Set `display` only when it changes: every set asks for a layout of the screen."""
    if widget.display != shown:
        widget.display = shown


class PanelBox(Vertical):
    """A chart (or the models table) with its title line, and its own state: waiting, drawn,
    or its request's failure in its place."""

    def __init__(self, name: str, *, id: str) -> None:
        super().__init__(id=id, classes="ov-box")
        self.panel = name
        self.value: Any = None
        self._said: Text | None = None
        self._models_shown: Any = None

    def compose(self) -> ComposeResult:
        yield SplitLegend(TITLES[self.panel], id=f"{self.id}-legend")
        # Only a failure or a note shows here: "loading…" goes in the legend, which repaints
        # without a layout of the screen.
        message = Static("", id=f"{self.id}-message", classes="ov-message")
        message.display = False
        yield message
        if self.panel in TABLES:
            # The users' row cursor is the tab's (users_step), never the table's focus.
            table = RowTable(id=f"{self.id}-table", show_cursor=False,
                             cursor_type="row" if self.panel == "users" else "none")
            table.can_focus = False
            yield table
        else:
            yield TimeChart(id=f"{self.id}-chart", empty_text="no requests in this range")

    @property
    def message(self) -> Static:
        return self.query_one(f"#{self.id}-message", Static)

    def on_mount(self) -> None:
        if self.value is None:
            self.waiting()

    def waiting(self) -> None:
        self.value = None
        self.query_one(Legend).at = "loading…"
        self._say("", "")
        if self.panel not in TABLES:
            self.query_one(TimeChart).hold()  # its old plot is not built again meanwhile
            self.query_one(SplitLegend).keep_height(False)

    def preview(self, value: Any) -> None:
        """A split's values known, their lines on their way (a SplitPreview): the legend lists
        them, "loading…", and keeps that height (the lines then lay nothing out again); the
        old lines go (they are not the values listed)."""
        if self.value is not None or self.panel in TABLES:
            return
        legend = self.query_one(SplitLegend)
        with legend.changes():
            legend.set_title(value.title)
            legend.notes = {}
            legend.readout = None
            legend.data = value.data
        legend.keep_height()
        self.query_one(TimeChart).data = None

    def _say(self, text: str, style: str) -> None:
        shown = Text(one_line(text), style) if text else None
        if shown != self._said:  # the same note again (a refresh): nothing to lay out
            self._said = shown
            self.message.update(shown or "")
            _show(self.message, shown is not None)

    def show(self, value: Any) -> None:
        self.value = value
        if self.panel in TABLES:
            if self.display:  # out of view: filled when it comes into view (`shown`)
                self._show_table()
            return
        with self.query_one(SplitLegend).changes():  # measured and repainted once
            self._show_series(*value)

    def _show_series(self, series: Any, data: Any) -> None:
        chart = self.query_one(TimeChart)
        legend = self.query_one(SplitLegend)
        split = isinstance(series, SplitPanel)
        legend.set_title(split_title(series) if split else TITLES[self.panel])
        legend.notes = split_notes(series) if split else {}
        if not split:
            legend.selected = None
            legend.keep_height(False)
        if series.error:
            self._say(f"failed: {series.error}  (r retries)", "bold red")
            _show(chart, False)
            legend.data = None
            legend.at = ""
            return
        _show(chart, True)
        legend.at = ""  # not "loading…" any more (the cursor's bucket, if any, comes next)
        self._say(series.note, "dim italic")
        chart.data = data
        chart.partial_x = next((b.timestamp() for b, p in zip(series.buckets, series.partial,
                                                               strict=True)
                                if p and b >= series.window.start), None)
        legend.data = data if split else current_series(data)

    def shown(self) -> None:
        """The box came into view: draw what arrived while it was out of view."""
        if self.panel in TABLES and self.value is not None:
            self._show_table()

    def _show_table(self) -> None:
        if self.panel == "models":
            self._show_models(*self.value)
            return
        from tui.screens.overview_users import fill_users, panel_text

        rows, error, note, _ = self.value
        table = self.query_one(RowTable)
        self.query_one(Legend).at = ""
        if (rows, error, note) == self._models_shown:
            return  # the same table (a refresh with the same numbers): no refill
        self._models_shown = (rows, error, note)
        _show(table, not error)
        text, style = panel_text(rows, error)
        self._say(text or note, style or "dim italic")
        if not error:
            table.refill(lambda: fill_users(table, rows))

    def user_cursor(self, row: int | None) -> None:
        """The tab's cursor over the users' rows (None: not in them)."""
        table = self.query_one(RowTable)
        table.show_cursor = row is not None
        if row is not None and row < table.row_count:
            table.move_cursor(row=row)

    def _show_models(self, rows: tuple[shaping.ModelRow, ...], error: str | None) -> None:
        table = self.query_one(RowTable)
        self.query_one(Legend).at = ""
        if (rows, error) == self._models_shown:
            return  # the same table (a refresh with the same numbers): no refill
        self._models_shown = (rows, error)
        if error:
            self._say(f"failed: models: {error}  (r retries)", "bold red")
            _show(table, False)
            return
        _show(table, True)
        self._say("" if rows else "no models in this range", "dim")

        def fill() -> None:
            table.add_column("model", key="model")
            table.add_column(Text("requests", justify="right"), key="requests")
            table.add_column(Text("tokens", justify="right"), key="tokens")
            table.add_column(Text("cost", justify="right"), key="cost")
            for r in rows:
                table.add_row(
                    Text(visible(r.model), overflow="ellipsis"),
                    *(Text("-" if v is None else f"{v:,}", justify="right")
                      for v in (r.requests, r.tokens)),
                    Text(f"${r.cost:,.2f}", justify="right"),
                )

        table.refill(fill)

    def cursor(self, at: datetime | None) -> None:
        if self.panel in TABLES or self.value is None or self.value[1] is None:
            return
        with self.query_one(Legend).changes():  # the readout and `at`: measured once
            self._cursor(at)

    def _cursor(self, at: datetime | None) -> None:
        from tui import clock

        series, _ = self.value
        chart = self.query_one(TimeChart)
        legend = self.query_one(Legend)
        if at is None or not series.buckets:
            chart.cursor_x = None
            legend.readout = None
            legend.at = ""
            return
        i = max(0, min(len(series.buckets) - 1, bisect.bisect_right(series.buckets, at) - 1))
        chart.cursor_x = series.buckets[i].timestamp()
        split = isinstance(series, SplitPanel)
        legend.readout = split_readout(series, i) if split else readout(series, i)
        when = at_text(series.buckets, i, series.increment, clock.local_zone(),
                       series.partial[i])
        legend.at = when if split else " ".join(filter(None, (when, n_text(series, i))))

    def select(self, label: str | None) -> None:
        """Mark the series `enter` drills into (a split chart's value; None: none)."""
        if self.panel != "models":
            self.query_one(SplitLegend).selected = label

    @property
    def complete(self) -> bool:
        """Shows its answer: the plot built, the table filled, or the failure said."""
        if self.value is None:
            return False
        if self.panel in TABLES:
            return True
        series, data = self.value
        if series.error or data is None or not data.has_points:
            return True
        return self.query_one(TimeChart).drawn


def export_write(answer: Any, request: Any) -> str:
    """Write every answer of the Overview as asked (an ExportRequest); what was written."""
    from tui import clock
    from tui.query.overview_export import export_csv, export_json
    from tui.screens.answer_io import write_file

    out = io.StringIO()
    split = getattr(answer.split, "series", None) is not None  # a BreakdownAnswer
    if split:
        return _export_split(answer.split, request)
    if request.format == "json":
        export_json(answer.plan, answer.outcomes, answer.raw, out)
    else:
        export_csv(answer.plan, answer.outcomes, clock.local_zone(), out)
    write_file(request.path, out.getvalue(), request.overwrite)
    parts = len(answer.plan.parts)
    return (f"Wrote the overview answers ({parts} requests, {request.format.upper()}) to "
            f"{request.path}")


def _export_split(answer: Any, request: Any) -> str:
    """The split charts' series as `query overview --breakdown` writes them (a failed value:
    in JSON with its error; CSV has no error column, so the message says which were left out)."""
    from tui.query import writers_more as w
    from tui.query.breakdown_write import as_json, series_name
    from tui.screens.answer_io import write_file

    out = io.StringIO()
    if request.format == "json":
        w.write_json(as_json(answer), out)
    else:
        w.write_csv(("time", "series", "metric", "value"),
                    ((w.iso_z(at), series_name(s), s.metric, value)
                     for s in answer.series if s.error is None
                     for at, value in s.points if value is not None), out)
    write_file(request.path, out.getvalue(), request.overwrite)
    failed = len(answer.failed)
    left = (f"; {failed} failed series left out" if failed and request.format != "json"
            else "")
    return (f"Wrote the breakdown's series by {one_line(answer.top.dimension.text)} "
            f"({answer.requests_sent} requests, {request.format.upper()}) to "
            f"{request.path}{left}")
