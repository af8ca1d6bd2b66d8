"""No cycle collection while the app starts (no Textual here: the command line calls `hold`
before it imports the app).

The start makes ~100 000 objects that live as long as the app does (Textual's modules, ours,
pydantic's models, the tabs' widgets); the collector's passes over them while they were made
were 30-80 ms of the start to a drawn Overview (gc.callbacks in bench/overview.py's child:
~90 passes). `release` ends the hold once the tabs are in: what exists then is kept out of
every later scan (gc.freeze), and collection resumes at the app's thresholds (tui.app.tune_gc).

What the start left as cyclic garbage (~10 000 objects, about 2 MB, once) is frozen with the
rest rather than found by a full pass, which takes 100-130 ms of the UI thread right when the
keys are let through.
"""

from __future__ import annotations

import gc

_held = False


def hold() -> None:
    """Collect no cycles until `release` (the app's start)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release() -> None:
    """The start is over: freeze what exists and collect again. Idempotent; a no-op if `hold`
    did not disable the collector (tests, a collector someone else turned off)."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()


def held() -> bool:
    return _held
