"""A time-series chart that stays responsive: the plot is built in a thread and cached.

`render()` never builds a plot. A change of data, hidden series or size starts a thread worker
(`build_plot`, with its own plotext figure), which returns the text and the strips Textual draws
(tui/widgets/chart_strips.py: rendering the text on the UI thread took 20-30 ms per chart); the
widget keeps them in a small cache keyed by (data, hidden, width, height, its style) and draws
them line by line (`render_line`). Until the first plot arrives the chart shows "drawing...";
while a resize rebuilds, it keeps showing the previous plot.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from time import perf_counter
from typing import Any
from weakref import WeakKeyDictionary

from rich.style import Style
from rich.text import Text
from textual.css.styles import RulesMap
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from tui.format.plot import ChartData, build_plot
from tui.widgets.chart_strips import Plot, line_marks, make_strips, marked_line

#: (data, hidden, width, height, the widget's style: the strips' colours are made under it)
_CacheKey = tuple[ChartData, frozenset[str], int, int, VisualStyle]
#: What a build needs from the UI thread besides the key: the text rules and the ANSI theme.
_Render = tuple[RulesMap, Any]
CACHE_SIZE = 6

#: One plot is built at a time: the builds hold the GIL, and each more thread that wants it makes
#: the UI thread wait longer for its turn (four panels built at once stalled it 2-5x longer).
_BUILDING = threading.Lock()


def _build_text(key: _CacheKey, render: _Render) -> tuple[_CacheKey, Plot, float]:
    """The thread worker's job: pure, touches no widget."""
    with _BUILDING:
        started = perf_counter()
        data, hidden, width, height, style = key
        text = Text.from_ansi(build_plot(data, width, height, hidden), no_wrap=True, end="")
        rules, theme = render
        strips = make_strips(text, width, height, style, rules, theme)
        return key, Plot(text, strips, style), perf_counter() - started


class _Batch:
    """The plot builds running for one screen's charts. A chart whose text is ready waits for
    the others (at most `WAIT` s), so the UI thread draws them together, not while another build
    holds the GIL (drawing while a build runs took it 3x longer)."""

    WAIT = 0.5

    def __init__(self) -> None:
        self.running: set[int] = set()
        self.ready: list[Callable[[], None]] = []

    def flush(self) -> None:
        ready, self.ready = self.ready, []
        for show in ready:
            show()


#: Each screen's batch (weak: a screen popped and dropped takes its batch with it).
_BATCHES: WeakKeyDictionary[Screen, _Batch] = WeakKeyDictionary()


class TimeChart(Widget):
    """A plotext line chart of `ChartData` (x = POSIX seconds, local-time labels, None = gap)."""

    DEFAULT_CSS = """
    TimeChart {
        height: 1fr;
        min-height: 5;
    }
    """

    data: reactive[ChartData | None] = reactive(None, layout=False)
    hidden: reactive[frozenset[str]] = reactive(frozenset())
    #: The bucket cursor (x, POSIX seconds): its column is drawn in reverse video. Drawn over
    #: the cached plot text, so moving it never rebuilds the plot.
    cursor_x: reactive[float | None] = reactive(None)
    #: Where the current, partial bucket starts: from there on the plot is dimmed.
    partial_x: reactive[float | None] = reactive(None)

    class Drawn(Message):
        """The chart shows the text for its current data and size."""

        def __init__(self, chart: TimeChart, build_seconds: float) -> None:
            super().__init__()
            self.chart = chart
            self.build_seconds = build_seconds

        @property
        def control(self) -> TimeChart:
            return self.chart

    def __init__(
        self,
        *,
        empty_text: str = "no data",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.empty_text = empty_text
        self._cache: OrderedDict[_CacheKey, Plot] = OrderedDict()
        self._shown: Plot | None = None
        self._pending: _CacheKey | None = None
        self._deferred = False  # a build is to be scheduled after the next refresh
        self._failed: Text | None = None  # the last build failed: this instead of a plot
        self._held = False  # `hold()`: no build until new data comes
        self._restyling = False  # a build for the widget's new style is asked
        #: The marked text last made (for `render()`): ((plot, cursor_x, partial_x), text).
        self._marked_cache: tuple[tuple[Plot, float | None, float | None], Text] | None = None
        #: The marked lines drawn: ((plot, cursor_x, partial_x), {y: strip}).
        self._lines: tuple[tuple[Plot, float | None, float | None], dict[int, Strip]] | None = (
            None)

    # ----------------------------------------------------------------- state -> plot text

    def _key(self) -> _CacheKey | None:
        if self.data is None or not self.data.has_points:
            return None
        width, height = self.content_size
        if width < 10 or height < 4:
            return None
        return (self.data, self.hidden, width, height, self.visual_style)

    def _schedule(self) -> None:
        if self._held:
            return
        key = self._key()
        if key is None:
            self._pending = None
            self.refresh()
            return
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            self._show(cached, 0.0)
            return
        if key == self._pending:
            return
        self._pending = key
        styles = self.styles
        rules = RulesMap(text_align=styles.text_align, text_overflow=styles.text_overflow,
                         text_wrap=styles.text_wrap, line_pad=styles.line_pad)
        render: _Render = (rules, self.app.ansi_theme)
        worker = self.run_worker(
            lambda: _build_text(key, render),
            thread=True,
            exclusive=True,
            group="plot",
            exit_on_error=False,
        )
        self._batch().running.add(id(worker))

    def _batch(self) -> _Batch:
        batch = _BATCHES.get(self.screen)
        if batch is None:
            batch = _BATCHES[self.screen] = _Batch()
        return batch

    def _show_if_current(self, key: _CacheKey, plot: Plot, seconds: float) -> None:
        if self.is_attached and key == self._key():
            self._show(plot, seconds)

    def _show(self, plot: Plot, seconds: float) -> None:
        self._shown = plot
        self._failed = None
        self._pending = None
        self.refresh()
        self.call_after_refresh(self.post_message, self.Drawn(self, seconds))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "plot":
            return
        event.stop()
        batch = self._batch()
        if event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            batch.running.discard(id(event.worker))
        if event.state is WorkerState.SUCCESS and event.worker.result is not None:
            key, plot, seconds = event.worker.result
            self._cache[key] = plot
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
            if key == self._key():
                batch.ready.append(lambda: self._show_if_current(key, plot, seconds))
                if batch.running:
                    self.set_timer(_Batch.WAIT, batch.flush)
                else:
                    batch.flush()
        elif event.state is WorkerState.ERROR:
            self._pending = None
            self._shown = None
            self._failed = Text(f"chart failed: {event.worker.error}", style="bold red")
            self.refresh()

    def validate_data(self, data: ChartData | None) -> ChartData | None:
        """New data that draws the same as the current one is the current one: no rebuild, no
        repaint (the watch brings the same numbers again and again)."""
        held, self._held = self._held, False
        current = self.data
        if data is not None and current is not None and data.same_as(current):
            if held:  # the same numbers again after `hold()`: built for the size it has now
                self._schedule_after_refresh()
            return current
        return data

    def hold(self) -> None:
        """New data is on its way: the plot shown stays as it is until data is set again, not
        built again for another size meanwhile (a split's first layouts resize the charts)."""
        self._held = True

    def watch_data(self) -> None:
        # The previous plot stays on screen until the new one is built (a refresh does not
        # flash "drawing..."). Built after the screen's next refresh: new data often comes with
        # a layout (a legend's new line), which may change the plot's size, and a build in a
        # thread meanwhile would be for the old size and make that layout wait for the GIL.
        key = self._key()
        if key is None or key in self._cache:  # nothing to build: shown at once
            self._schedule()
        else:
            self._schedule_after_refresh()

    def watch_hidden(self) -> None:
        self._schedule()

    def _schedule_after_refresh(self) -> None:
        if self._deferred:
            return
        self._deferred = True

        def schedule() -> None:
            self._deferred = False
            if self.is_attached:
                self._schedule()

        self.call_after_refresh(schedule)

    def on_resize(self) -> None:
        self._schedule()

    # ----------------------------------------------------------------- drawing

    @property
    def drawn(self) -> bool:
        """True when the current data is on screen (for tests and the start-up bench)."""
        key = self._key()
        return key is not None and self._shown is not None and self._cache.get(key) is self._shown

    def render(self) -> Text:
        """The chart as text (what `render_line` draws from strips; Textual renders this only
        when there is no plot to draw, e.g. "drawing...")."""
        if self.data is None:
            return Text("")
        if not self.data.has_points:
            return Text(self.empty_text, style=Style(dim=True))
        if self._shown is not None:
            if self.cursor_x is None and self.partial_x is None:
                return self._shown.text
            cached = self._marked_cache
            if cached is None or cached[0] != (self._shown, self.cursor_x, self.partial_x):
                cached = ((self._shown, self.cursor_x, self.partial_x), self._marked(self._shown))
                self._marked_cache = cached
            return cached[1]
        if self._failed is not None:
            return self._failed
        return Text("drawing...", style=Style(dim=True))

    def _plot(self) -> Plot | None:
        """The plot to draw from its strips (None: `render()`'s text instead)."""
        plot = self._shown
        data = self.data
        if plot is None or data is None or not data.has_points:
            return None
        if plot.style != self.visual_style:  # another theme: rebuilt for it, text meanwhile
            if not self._restyling:
                self._restyling = True
                self.call_later(self._restyle)
            return None
        return plot

    def _restyle(self) -> None:
        self._restyling = False
        self._schedule()

    def render_line(self, y: int) -> Strip:
        plot = self._plot()
        if plot is None:
            return super().render_line(y)
        self._dirty_regions.clear()  # (nothing to render again: the strips are the plot)
        if y >= len(plot.strips):
            return Strip.blank(self.size.width, self.visual_style.rich_style)
        strip = plot.strips[y]
        if (self.cursor_x is None and self.partial_x is None) or not 0 < y < plot.inside:
            return strip
        at = (plot, self.cursor_x, self.partial_x)
        if self._lines is None or self._lines[0] != at:
            self._lines = (at, {})
        lines = self._lines[1]
        line = lines.get(y)
        if line is None:
            cursor = None if self.cursor_x is None else self.column_of(self.cursor_x, plot)
            partial = None if self.partial_x is None else self.column_of(self.partial_x, plot)
            line = lines[y] = marked_line(strip, line_marks(plot.top, cursor, partial), y)
        return line

    def column_of(self, x: float, plot: Plot | None = None) -> int | None:
        """The text column that shows time `x` (None: outside the plot, or nothing drawn)."""
        plot = plot or self._shown
        data = self.data
        if plot is None or data is None:
            return None
        first = plot.top
        left, right = first.find("┌"), first.rfind("┐")
        if left < 0 or right - left < 3:
            return None
        if data.x_range:
            lo, hi = data.x_range
        else:
            xs = [v for s in data.series for v in s.xs]
            lo, hi = (min(xs), max(xs)) if xs else (0.0, 1.0)
        if hi <= lo or not lo <= x <= hi:
            return None
        inner = right - left - 1
        return left + 1 + min(inner - 1, round((x - lo) / (hi - lo) * (inner - 1)))

    def _marked(self, plot: Plot) -> Text:
        """The plot text with the cursor's column reversed and the partial bucket dimmed (as
        `render_line` marks the strips)."""
        text = plot.text.copy()
        lines = text.plain.split("\n")
        cursor = None if self.cursor_x is None else self.column_of(self.cursor_x, plot)
        partial = None if self.partial_x is None else self.column_of(self.partial_x, plot)
        right = lines[0].rfind("┐")
        offset = len(lines[0]) + 1
        for line in lines[1:]:
            if "└" in line:
                break
            if partial is not None and right > partial:
                text.stylize(Style(dim=True), offset + partial, offset + right)
            if cursor is not None and cursor < len(line):
                text.stylize(Style(reverse=True), offset + cursor, offset + cursor + 1)
            offset += len(line) + 1
        return text
