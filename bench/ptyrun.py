"""Run a Python child in a pseudo-terminal of a given size, as a user's terminal would host it.

The benches' children draw with Textual to the pty (as in real use); the pty is drained here so
the child never blocks on a full buffer. The child writes what it measured to the file named by
its first argument; this returns that text and the wall-clock time the child was spawned.
"""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_in_pty(
    code: str,
    args: list[str],
    size: tuple[int, int] = (80, 24),
    env: dict[str, str] | None = None,
    timeout: float = 30.0,
    feed: Callable[[int, Path], None] | None = None,
) -> tuple[str, float]:
    """(what `python -c code OUT *args` wrote to OUT, the time.time() it was spawned).

    `feed(master_fd, out)`, if given, runs in a thread once the child is started: it types into
    the terminal (writes to the pty's master), e.g. when the child says it is ready."""
    width, height = size
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
        # As a user runs it: byte code cached (a sandbox may set PYTHONDONTWRITEBYTECODE, which
        # would make every run compile the app's modules again).
        child_env = {
            **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            "TERM": "xterm-256color",
            # The app from this tree; bench/ too, for the children's shared hooks (child_hooks.py).
            "PYTHONPATH": os.pathsep.join((str(ROOT), str(ROOT / "bench"))),
            "XDG_CONFIG_HOME": str(Path(tmp) / "config"),  # no user config or keymap
            **(env or {}),
        }
        stop = threading.Event()

        def drain() -> None:
            while not stop.is_set():
                try:
                    if not os.read(master, 65536):
                        break
                except OSError:
                    break

        threading.Thread(target=drain, daemon=True).start()
        started = time.time()
        child = subprocess.Popen(
            [sys.executable, "-c", code, str(out), *args],
            stdin=slave, stdout=slave, stderr=slave, env=child_env, cwd=ROOT, close_fds=True,
        )
        if feed is not None:
            threading.Thread(target=feed, args=(master, out), daemon=True).start()
        try:
            child.wait(timeout=timeout)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
            stop.set()
            os.close(slave)
            os.close(master)
        if not out.exists():
            raise RuntimeError(f"the child exited {child.returncode} without recording")
        return out.read_text(), started
