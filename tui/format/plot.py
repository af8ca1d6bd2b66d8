"""The plot text of time series: point reduction and the plotext figure (no Textual here).

plotext builds synchronously and its cost grows with the number of points, so every series is first
reduced to about two points per column (the lowest and highest value of each column, so spikes and
dips survive), and the text is built by `build_plot` off the UI thread with a fresh plotext figure
(never plotext's global one). A `None` value is a gap: the line breaks there instead of dropping to
zero, so each run of values is drawn as its own segment.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, tzinfo

from tui.format.numbers import tick
from tui.format.ticks import nice_ticks, time_ticks

Color = tuple[int, int, int]

#: Series colours that read well on dark and light backgrounds and in 256 colours.
PALETTE: tuple[Color, ...] = (
    (0, 175, 255),
    (95, 215, 0),
    (255, 135, 0),
    (215, 95, 215),
    (255, 215, 0),
    (0, 215, 175),
    (255, 95, 95),
    (175, 175, 255),
    (175, 215, 95),
    (215, 175, 135),
)

Segment = tuple[list[float], list[float]]


@dataclass(frozen=True)
class Series:
    """One line: x values (POSIX seconds), y values (None = no data), a label and a colour."""

    label: str
    xs: tuple[float, ...]
    ys: tuple[float | None, ...]
    color: Color = PALETTE[0]


@dataclass(frozen=True, eq=False)
class ChartData:
    """Everything a chart draws. Compared and hashed by identity (a new answer is a new object),
    so the plot cache never hashes thousands of points."""

    series: tuple[Series, ...]
    tz: tzinfo = UTC
    y_min: float | None = None  # fix the y range (e.g. 0..100 for "% true")
    y_max: float | None = None
    y_unit: str = ""  # appended to y tick labels, e.g. "%"
    x_range: tuple[float, float] | None = None  # the window, so an empty edge still shows

    @property
    def has_points(self) -> bool:
        return any(y is not None for s in self.series for y in s.ys)

    def same_as(self, other: ChartData) -> bool:
        """Draws the same as `other` (a refresh that brought the same numbers): compared once
        per answer, so charts and legends keep what they drew instead of drawing it again."""
        return other is self or (
            self.series == other.series
            and self.tz == other.tz
            and (self.y_min, self.y_max, self.y_unit, self.x_range)
            == (other.y_min, other.y_max, other.y_unit, other.x_range)
        )


def segments(xs: Sequence[float], ys: Sequence[float | None]) -> list[Segment]:
    """Split a series at its gaps: each run of consecutive non-None values is one segment."""
    out: list[Segment] = []
    cur_x: list[float] = []
    cur_y: list[float] = []
    for x, y in zip(xs, ys, strict=True):
        if y is None or (isinstance(y, float) and math.isnan(y)):
            if cur_x:
                out.append((cur_x, cur_y))
                cur_x, cur_y = [], []
            continue
        cur_x.append(x)
        cur_y.append(y)
    if cur_x:
        out.append((cur_x, cur_y))
    return out


def reduce_segment(
    xs: Sequence[float], ys: Sequence[float], columns: int, x_lo: float, x_hi: float
) -> Segment:
    """Keep at most the lowest and the highest point of each column, in x order.

    The segment's first and last points are always kept, so its extent does not shrink. Columns
    are laid over [x_lo, x_hi] (the whole chart), so segments of one chart share their columns.
    """
    n = len(xs)
    if columns <= 0 or n <= 2 * columns + 2:
        return list(xs), list(ys)
    span = (x_hi - x_lo) or 1.0
    keep: set[int] = {0, n - 1}
    col_of = None
    lo_i = hi_i = 0
    for i, x in enumerate(xs):
        col = min(columns - 1, max(0, int((x - x_lo) / span * columns)))
        if col != col_of:
            if col_of is not None:
                keep.add(lo_i)
                keep.add(hi_i)
            col_of, lo_i, hi_i = col, i, i
            continue
        if ys[i] < ys[lo_i]:
            lo_i = i
        if ys[i] > ys[hi_i]:
            hi_i = i
    keep.add(lo_i)
    keep.add(hi_i)
    idx = sorted(keep)
    return [xs[i] for i in idx], [ys[i] for i in idx]


def reduce_series(
    xs: Sequence[float],
    ys: Sequence[float | None],
    columns: int,
    x_range: tuple[float, float] | None = None,
) -> list[Segment]:
    """A series as drawable segments (gaps kept), each with about two points per column."""
    if not xs:
        return []
    x_lo, x_hi = x_range if x_range else (min(xs), max(xs))
    return [reduce_segment(sx, sy, columns, x_lo, x_hi) for sx, sy in segments(xs, ys)]


def plot_columns(width: int) -> int:
    """Columns left for data once the y labels and the frame are drawn (an estimate)."""
    return max(4, width - 9)


def build_plot(
    data: ChartData, width: int, height: int, hidden: frozenset[str] = frozenset()
) -> str:
    """The chart as ANSI text for a `width` x `height` area. Pure: safe to call from a thread."""
    # Private, and plotext is pinned exactly for it (pyproject.toml): its public API is one
    # global figure, which threads drawing at once would share. Deferred: ~50 ms to import.
    from plotext._figure import _figure_class

    fig = _figure_class()
    fig._limit_size(False, False)  # size to the widget, not to the terminal plotext sees
    fig.plotsize(width, height)
    fig.theme("clear")
    fig.frame(True)
    visible = [s for s in data.series if s.label not in hidden]
    xs_all = [x for s in visible for x in s.xs]
    if data.x_range:
        x_lo, x_hi = data.x_range
    elif xs_all:
        x_lo, x_hi = min(xs_all), max(xs_all)
    else:
        x_lo, x_hi = 0.0, 1.0
    if x_hi <= x_lo:
        x_hi = x_lo + 1.0
    columns = plot_columns(width)
    y_values: list[float] = []
    for s in visible:
        for sx, sy in reduce_series(s.xs, s.ys, columns, (x_lo, x_hi)):
            y_values.extend(sy)
            if len(sx) == 1:
                fig.scatter(sx, sy, color=s.color, marker="dot")
            else:
                fig.plot(sx, sy, color=s.color, marker="braille")
    fig.xlim(x_lo, x_hi)
    lo = data.y_min if data.y_min is not None else (min(y_values) if y_values else 0.0)
    hi = data.y_max if data.y_max is not None else (max(y_values) if y_values else 1.0)
    if hi <= lo:
        lo, hi = lo - 1.0, hi + 1.0
    y_ticks = nice_ticks(lo, hi, max(2, min(6, height - 3)))
    # Fixed ends stay; free ends round out to the ticks, so the labels are round numbers.
    lo = lo if data.y_min is not None else y_ticks[0]
    hi = hi if data.y_max is not None else y_ticks[-1]
    y_ticks = [t for t in y_ticks if lo - 1e-9 <= t <= hi + 1e-9]
    fig.ylim(lo, hi)
    fig.yticks(y_ticks, [tick(v, data.y_unit) for v in y_ticks])
    ticks, labels = time_ticks(x_lo, x_hi, columns, data.tz)
    fig.xticks(ticks, labels)
    return fig.build()


#: Series share an axis only while the axis spans at most this many times each one's own range:
#: beyond it, a series is a flat line (relevance ~7 beside accuracy 0-100).
SCALE_RATIO = 5.0


def _size(lo: float, hi: float) -> float:
    """A series' own extent; a near-constant one counts as 5 % of its magnitude, so it is not
    split from everything."""
    return max(hi - lo, 0.05 * max(abs(lo), abs(hi)), 1e-9)


def group_by_scale(
    extents: Sequence[tuple[str, float | None, float | None]],
    ratio: float = SCALE_RATIO,
    max_groups: int = 3,
) -> list[list[str]]:
    """Names grouped so that each group can share one y axis: a group's joint range (lowest low
    to highest high) is at most `ratio` x each member's own range. Largest values are placed
    first; groups come out in the order of their first member in `extents`, members in that
    order too. A series without values joins the first group. Beyond `max_groups`, the smallest
    groups are merged into the last (the panels would not fit)."""
    order = {name: i for i, (name, _, _) in enumerate(extents)}
    known = [(n, lo, hi) for n, lo, hi in extents if lo is not None and hi is not None]
    groups: list[list[tuple[str, float, float]]] = []
    for name, lo, hi in sorted(known, key=lambda e: (-max(abs(e[1]), abs(e[2])), order[e[0]])):
        for group in groups:
            members = [*group, (name, lo, hi)]
            joint = max(m[2] for m in members) - min(m[1] for m in members)
            if all(joint <= ratio * _size(m[1], m[2]) * (1 + 1e-9) for m in members):
                group.append((name, lo, hi))
                break
        else:
            groups.append([(name, lo, hi)])
    if len(groups) > max_groups:
        groups[max_groups - 1:] = [[m for g in groups[max_groups - 1:] for m in g]]
    names = sorted(([m[0] for m in g] for g in groups), key=lambda g: order[g[0]]) or [[]]
    names[0] += [n for n, lo, hi in extents if lo is None or hi is None]
    return [sorted(g, key=order.__getitem__) for g in names if g]
