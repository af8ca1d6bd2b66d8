"""Triage's detector: the most significant level shift in one series (pure; numpy and ruptures'
binary segmentation are imported only when a series is examined, never when the CLI or the app
starts, and without the rest of ruptures: see `load_detector`).

Method (DESIGN.md "Triage"): the buckets that have a value (an empty bucket is a gap, not a zero,
for latency, TTFT and scores) go to ruptures' binary segmentation (`Binseg`, least-squares cost)
for at most `max_breaks` change points. Each run of consecutive segments that does not start at the
window's first bucket is a candidate shift; its baseline is the median of the buckets before it,
its spread their scaled median absolute deviation (MAD). A candidate is a finding when

- the robust z-score |mean(segment) - baseline| / spread >= `min_z`, the spread being floored at
  `spread_floor` x |baseline| (a perfectly flat baseline does not make every wiggle infinite);
- the relative change |value / baseline - 1| >= `min_change`;
- at least `min_baseline` buckets come before it.

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

    @classmethod
    def names(cls) -> dict[str, float]:
        return {f.name: float(getattr(cls(), f.name)) for f in fields(cls)}

    def updated(self, values: dict[str, float]) -> Thresholds:
        ints = {"min_baseline", "max_breaks"}
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


def detect(values: Sequence[float | None], th: Thresholds | None = None) -> Shift | None:
    """The most significant level shift of `values` (one per bucket, None = no value), or None."""
    th = th or Thresholds()
    present = [(i, float(v)) for i, v in enumerate(values) if v is not None and math.isfinite(v)]
    at = [i for i, _ in present]
    y = [v for _, v in present]
    if len(y) < th.min_baseline + 1:
        return None
    if max(y) == min(y):
        return None
    bounds = [0, *_breaks(y, th.max_breaks)]
    best: tuple[float, Shift] | None = None
    for a in range(1, len(bounds) - 1):
        for b in range(a + 1, len(bounds)):
            lo, hi = bounds[a], bounds[b]
            rest = y[:lo]  # the baseline is what came before the shift
            if len(rest) < th.min_baseline:
                continue
            base = _median(rest)
            spread = 1.4826 * _median([abs(v - base) for v in rest])
            spread = max(spread, th.spread_floor * abs(base), 1e-12)
            level = sum(y[lo:hi]) / (hi - lo)
            z = abs(level - base) / spread
            change = abs(level / base - 1) if base else math.inf
            if z < th.min_z or change < th.min_change:
                continue
            weight = z * math.sqrt(hi - lo)
            if best is None or weight > best[0]:
                end = None if hi == len(y) else at[hi]
                best = (weight, Shift(at[lo], end, base, level, z))
    return None if best is None else best[1]
