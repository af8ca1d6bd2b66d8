"""Triage's detector: the most significant level shift in one series (pure; numpy and ruptures'
binary segmentation are imported only when a series is examined, never when the CLI or the app
starts, and without the rest of ruptures: see `load_detector`).

Method (DESIGN.md "Triage"): the buckets that have a value (an empty bucket is a gap, not a zero,
for latency, TTFT and scores) go to ruptures' binary segmentation (`Binseg`, least-squares cost)
for at most `max_breaks` change points. Each run of consecutive segments that does not start at the
window's first bucket, each of its segments at least half of `min_change` beyond the baseline on
the same side, is a candidate shift. Its baseline is the median of the buckets before it, its
spread their scaled median absolute deviation (MAD) (for the error rate, both pooled over the
requests: see `detect`); for one that is over before the window ends and has fewer than
`min_baseline` buckets before it, the buckets after it count as well (at 7 days by day, a burst
on the third day has two buckets before it and four after). A candidate is a finding when

- the robust z-score |mean(segment) - baseline| / spread >= `min_z`, the spread being floored at
  `spread_floor` x |baseline| (a perfectly flat baseline does not make every wiggle infinite);
- the relative change |value / baseline - 1| >= `min_change`;
- at least `min_baseline` buckets make its baseline;
- given the requests per bucket (`support`: for every metric but the volume itself), its buckets
  hold at least `min_requests` requests: at one hour by minute, three minutes of a dozen
  requests each with one error are "0% -> 10%", and a single score is a "0 -> 0.5".

The most significant candidate (highest z x sqrt(its buckets), so a two-bucket burst is one
finding, not its taller bucket) is the series' shift; its severity, which orders the
findings of all series, is |ln(value / baseline)| (unitless: a doubling and a halving weigh the
same). Every threshold can be changed in config.toml's `[triage]` table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class Thresholds:
    min_z: float = 6.0
    min_change: float = 0.25
    spread_floor: float = 0.02
    min_baseline: int = 4
    max_breaks: int = 4
    min_requests: int = 100

    @classmethod
    def names(cls) -> dict[str, float]:
        return {f.name: float(getattr(cls(), f.name)) for f in fields(cls)}

    def updated(self, values: dict[str, float]) -> Thresholds:
        ints = {"min_baseline", "max_breaks", "min_requests"}
        given: dict[str, Any] = {k: int(v) if k in ints else float(v) for k, v in values.items()}
        return replace(self, **given)


@dataclass(frozen=True)
class Shift:
    """One series' shift: bucket indexes [start, end) (end None: lasts to the window's end)."""

    start: int
    end: int | None
    baseline: float
    value: float
    z: float

    @property
    def direction(self) -> str:
        return "up" if self.value > self.baseline else "down"

    @property
    def ratio(self) -> float | None:
        return None if self.baseline == 0 else self.value / self.baseline

    @property
    def severity(self) -> float:
        if self.baseline <= 0 or self.value <= 0:
            return 10.0 if self.value != self.baseline else 0.0
        return abs(math.log(self.value / self.baseline))


def _median(xs: Sequence[float]) -> float:
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


#: ruptures' binary segmentation and its least-squares cost, loaded by `load_detector`.
_BINSEG: tuple[Any, Any] | None = None


def load_detector() -> tuple[Any, Any]:
    """ruptures' `Binseg` and `CostL2` (and numpy), imported once.

    Not through `import ruptures`: its package __init__ files import every search method and
    cost, and with them scipy.stats, scipy.spatial and scipy.signal (3.2 s of a 3.7 s triage on
    this machine, for two modules that need only numpy). The two modules are loaded from the
    installed package with its three package modules standing in as bare namespaces for the
    moment (their __init__ not run), then taken out again, so a later `import ruptures` gets
    the whole package as usual (and the same classes). If the layout ever differs, the plain
    import is the fallback.
    """
    global _BINSEG
    if _BINSEG is None:
        import numpy  # noqa: F401

        try:
            _BINSEG = _lean_ruptures()
        except (ImportError, AttributeError):
            import ruptures

            _BINSEG = (ruptures.Binseg, ruptures.costs.CostL2)
    return _BINSEG


def _lean_ruptures() -> tuple[Any, Any]:
    import importlib
    import importlib.util
    import sys
    import types
    from pathlib import Path

    if "ruptures" in sys.modules:  # the whole package is there already
        import ruptures

        return ruptures.Binseg, ruptures.costs.CostL2
    spec = importlib.util.find_spec("ruptures")
    if spec is None or spec.origin is None:
        raise ImportError("ruptures is not installed")
    root = Path(spec.origin).parent
    names = {"ruptures": root, "ruptures.costs": root / "costs",
             "ruptures.detection": root / "detection"}
    stand_ins: dict[str, Any] = {}
    for name, folder in names.items():
        module = types.ModuleType(name)
        module.__path__ = [str(folder)]
        stand_ins[name] = sys.modules[name] = module
    try:
        costs = stand_ins["ruptures.costs"]
        # What binseg.py and costl2.py import from the costs package.
        costs.NotEnoughPoints = importlib.import_module("ruptures.exceptions").NotEnoughPoints
        costs.cost_factory = importlib.import_module("ruptures.costs.factory").cost_factory
        cost_l2 = importlib.import_module("ruptures.costs.costl2").CostL2
        binseg = importlib.import_module("ruptures.detection.binseg").Binseg
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    return binseg, cost_l2


def _breaks(y: Sequence[float], max_breaks: int) -> list[int]:
    import numpy as np

    binseg, cost_l2 = load_detector()
    n = len(y)
    k = max(1, min(max_breaks, n - 1))
    signal = np.asarray(y, dtype=float).reshape(-1, 1)
    algo: Any = binseg(custom_cost=cost_l2(), min_size=1, jump=1).fit(signal)
    return [int(b) for b in algo.predict(n_bkps=k)]


def _shifted(segment: Sequence[float], base: float, up: bool, min_change: float) -> bool:
    """The segment's mean lies `min_change` (relative) beyond the baseline, on the shift's side."""
    level = sum(segment) / len(segment)
    if not base:
        return level > base if up else level < base
    change = level / base - 1
    return change >= min_change if up else change <= -min_change


def detect(values: Sequence[float | None], th: Thresholds | None = None,
           support: Sequence[float | None] | None = None, rate: bool = False) -> Shift | None:
    """The most significant level shift of `values` (one per bucket, None = no value), or None.

    `support`: the requests of each bucket (a shift over fewer than `min_requests` is none).
    `rate`: the values are shares of those requests (the error rate): the baseline and the
    shift's level are pooled (errors / requests, not a median of the buckets' rates, which is 0
    when most buckets hold a dozen requests and no error), and the spread is at least the
    binomial standard error of the shift's level."""
    th = th or Thresholds()
    present = [(i, float(v)) for i, v in enumerate(values) if v is not None and math.isfinite(v)]
    at = [i for i, _ in present]
    y = [v for _, v in present]
    if len(y) < th.min_baseline + 1:
        return None
    if max(y) == min(y):
        return None
    w = [float(support[i] or 0) for i in at] if support is not None else None
    bounds = [0, *_breaks(y, th.max_breaks)]
    best: tuple[float, Shift] | None = None
    for a in range(1, len(bounds) - 1):
        for b in range(a + 1, len(bounds)):
            lo, hi = bounds[a], bounds[b]
            kept = list(range(lo))  # the baseline is what came before the shift
            if len(kept) < th.min_baseline and hi < len(y):
                # A burst that is over, early in the window: what came after it counts too.
                kept += range(hi, len(y))
            if len(kept) < th.min_baseline:
                continue
            rest = [y[i] for i in kept]
            span = range(lo, hi)
            n_span = sum(w[i] for i in span) if w is not None else math.inf
            n_rest = sum(w[i] for i in kept) if w is not None else 0.0
            if rate and w is not None and n_span > 0 and n_rest > 0:
                base = sum(y[i] * w[i] for i in kept) / n_rest
                level = sum(y[i] * w[i] for i in span) / n_span
                error = math.sqrt(max(base * (1 - base), 0.0) / n_span)
            else:
                base = _median(rest)
                level = sum(y[lo:hi]) / (hi - lo)
                error = 0.0
            spread = 1.4826 * _median([abs(v - base) for v in rest])
            spread = max(spread, error, th.spread_floor * abs(base), 1e-12)
            z = abs(level - base) / spread
            change = abs(level / base - 1) if base else math.inf
            if z < th.min_z or change < th.min_change:
                continue
            # A segment at the baseline is not part of the shift; a half-way one (the bucket
            # the change fell in, a ramp) is: "since when" is its start.
            if not all(_shifted(y[bounds[k]:bounds[k + 1]], base, level > base,
                                th.min_change / 2) for k in range(a, b)):
                continue
            if n_span < th.min_requests:  # (no `support`: inf)
                continue
            weight = z * math.sqrt(hi - lo)
            if best is None or weight > best[0]:
                end = None if hi == len(y) else at[hi]
                best = (weight, Shift(at[lo], end, base, level, z))
    return None if best is None else best[1]
