"""How many requests a breakdown sends (DESIGN.md: at most 6 values, "other" only where the
metric adds up): the count function, and the plan's requests it counts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tui.api.timerange import Window
from tui.filters.tree import ALL
from tui.query.breakdown_dims import parse_dimension
from tui.query.breakdown_fanout import breakdown_count, fanout_count, plan
from tui.query.breakdown_top import TopValues
from tui.query.overview import OverviewOptions
from tui.query.scores import ScoresOptions

WINDOW = Window(datetime(2026, 11, 19, tzinfo=UTC), datetime(2026, 11, 20, tzinfo=UTC))


def top(dimension: str, n: int, more: bool) -> TopValues:
    values = tuple(f"v{i}" for i in range(n))
    return TopValues(parse_dimension(dimension), values, (1,) * n, "/x", more)


def test_the_bound() -> None:
    # Overview, every metric: 6 endpoints per value; "other": requests, errors, cost (3).
    assert breakdown_count("overview", "model", 6, other=True) == 1 + 36 + 3
    assert breakdown_count("overview", "properties.customer", 6, other=True) == 41  # the most
    assert breakdown_count("overview", "model", 3, other=False) == 1 + 18
    assert breakdown_count("scores", "prompt_version", 6, other=True) == 1 + 6  # no "other"
    assert fanout_count("overview", 9, other=True) == 39  # never more than 6 values
    # Fewer metrics, fewer requests: latency p95 alone needs quantiles, and has no "other".
    assert fanout_count("overview", 6, other=True, metrics=["latency_p95"]) == 6
    assert fanout_count("overview", 6, other=True, metrics=["error_rate"]) == 6 * 2 + 2
    assert fanout_count("overview", 0, other=True) == 0


@pytest.mark.parametrize(("view", "options", "metrics"), [
    ("overview", OverviewOptions(), None),
    ("overview", OverviewOptions(), ["errors", "latency_p95", "cost"]),
    ("scores", ScoresOptions(), None),
])
@pytest.mark.parametrize(("n", "more"), [(6, True), (6, False), (2, True), (1, False)])
def test_the_plan_sends_what_is_counted(view: str, options: object, metrics: list[str] | None,
                                        n: int, more: bool) -> None:
    fanout = plan(view, ALL, top("model", n, more), WINDOW, options, metrics=metrics)
    assert len(fanout.jobs) == fanout_count(view, n, other=more, metrics=metrics)
    others = [s for s in fanout.slices if s.value is None]
    assert len(others) == (1 if more and view == "overview" else 0)
