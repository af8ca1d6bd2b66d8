"""The start's collector hold (tui.startup_gc): it ends once, and only what it began."""

from __future__ import annotations

import gc

from tui import startup_gc


def test_release_ends_the_hold_once_and_freezes_what_the_start_made() -> None:
    frozen = gc.get_freeze_count()
    try:
        startup_gc.hold()
        assert not gc.isenabled() and startup_gc.held()
        startup_gc.release()
        assert gc.isenabled() and not startup_gc.held()
        assert gc.get_freeze_count() > frozen
        startup_gc.release()  # again: nothing more
        assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


def test_a_collector_turned_off_by_someone_else_stays_off() -> None:
    gc.disable()
    try:
        startup_gc.hold()  # not ours to hold
        startup_gc.release()
        assert not gc.isenabled()
        assert not startup_gc.held()
    finally:
        gc.enable()
