"""Files written safely: atomic replacement and an exclusive lock on a folder.

Standard library only. A write goes to a temporary file in the same folder, is synced, renamed over
the target and the folder synced, so a reader sees the old text or the new, never half of one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator

__all__ = ["LockTimeout", "fsync_dir", "locked", "write_atomic"]


class LockTimeout(Exception):
    """Another process held the lock longer than the timeout."""


def fsync_dir(folder: str) -> None:
    with contextlib.suppress(OSError):  # some filesystems refuse to open or sync a folder
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(target: str, text: str) -> None:
    """Replace `target` (a real file, not a symlink) with `text`: temp file, fsync, rename.

    A new file gets mode 0600; an existing one keeps its mode (and its owner where allowed).
    """
    folder = os.path.dirname(target) or "."
    try:
        existing = os.stat(target)
    except FileNotFoundError:
        existing = None
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder)
    try:
        os.fchmod(fd, (existing.st_mode & 0o7777) if existing else 0o600)
        if existing is not None:
            with contextlib.suppress(OSError):  # keep the owner where we may (root editing)
                os.fchown(fd, existing.st_uid, existing.st_gid)
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(folder)


@contextlib.contextmanager
def locked(folder: str, timeout: float) -> Iterator[None]:
    """An exclusive lock (flock) on `folder`: no lock file is left beside the files, and the
    folder, unlike a file, is not replaced by each write's rename. LockTimeout after `timeout` s."""
    import fcntl

    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LockTimeout(folder) from None
                time.sleep(0.005)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
