"""Run the demo server as a child process (for `--demo` and the tests), never leaving it behind.

The child is `python -m tui.demo` on 127.0.0.1 and a free port (it binds port 0 and prints the URL
it got, so there is no race for the port). It cannot outlive its parent:
- on Linux it gets PR_SET_PDEATHSIG(SIGTERM), so it is stopped even when the parent is killed
  (SIGKILL included). The kernel ties this to the parent *thread* that started it: start a
  DemoServer from a thread that lives as long as you need the server (the main thread);
- the parent stops it on `stop()`, on leaving the `with` block, at interpreter exit (atexit) and
  on SIGTERM (a handler is chained in front of the one already installed, main thread only).
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from datetime import datetime
from pathlib import Path
from typing import Any

_URL_PREFIX = "helicone-tui demo server: "
_PR_SET_PDEATHSIG = 1


class DemoServerError(RuntimeError):
    """The demo server did not start (the message carries the end of its stderr)."""


def _libc() -> Any:
    """libc, loaded in the parent: the child must not run the dynamic loader after fork."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


_LIBC = _libc()


def _child_setup(parent_pid: int) -> Any:
    def setup() -> None:  # runs in the child between fork and exec
        if _LIBC is not None:
            _LIBC.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
        if os.getppid() != parent_pid:  # the parent died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return setup


_live: weakref.WeakSet[DemoServer] = weakref.WeakSet()
_handler_lock = threading.Lock()
_handler_installed = False


def _stop_all() -> None:
    for server in list(_live):
        server.stop()


def _install_sigterm_handler() -> None:
    """Stop every live DemoServer on SIGTERM, then do what was to be done before."""
    global _handler_installed
    with _handler_lock:
        if _handler_installed or threading.current_thread() is not threading.main_thread():
            return
        previous = signal.getsignal(signal.SIGTERM)

        def on_sigterm(signum: int, frame: Any) -> None:
            _stop_all()
            if callable(previous):
                previous(signum, frame)
            elif previous == signal.SIG_IGN:
                return
            else:  # the default: die of SIGTERM, as if no handler had been here
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                os.kill(os.getpid(), signal.SIGTERM)

        signal.signal(signal.SIGTERM, on_sigterm)
        _handler_installed = True


atexit.register(_stop_all)


def _package_root() -> str:
    import tui

    return str(Path(tui.__file__).resolve().parent.parent)


class DemoServer:
    """A demo server child process; a context manager. `url` once started."""

    def __init__(self, *, seed: int = 1, data: str | os.PathLike[str] | None = None,
                 now: datetime | str | None = None, days: int | None = None,
                 requests: int | None = None, timeout: float = 90.0) -> None:
        self.seed = seed
        self.data = None if data is None else str(data)
        self.now = now
        self.days = days
        self.requests = requests
        self.timeout = timeout
        self.url = ""
        self.process: subprocess.Popen[bytes] | None = None
        self._out: Any = None
        self._err: Any = None

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid

    def command(self) -> list[str]:
        cmd = [sys.executable, "-m", "tui.demo", "--host", "127.0.0.1", "--port", "0",
               "--seed", str(self.seed)]
        if self.data is not None:
            cmd += ["--data", str(Path(self.data).expanduser().resolve())]
        if self.now is not None:
            now = self.now.isoformat() if isinstance(self.now, datetime) else str(self.now)
            cmd += ["--now", now]
        if self.days is not None:
            cmd += ["--days", str(self.days)]
        if self.requests is not None:
            cmd += ["--requests", str(self.requests)]
        return cmd

    def start(self) -> DemoServer:
        if self.process is not None:
            return self
        env = dict(os.environ)
        root = _package_root()
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        # Files, not pipes: nobody has to keep reading them for the child to go on writing.
        self._out = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self._err = tempfile.TemporaryFile()  # noqa: SIM115
        _install_sigterm_handler()
        self.process = subprocess.Popen(
            self.command(), stdin=subprocess.DEVNULL, stdout=self._out, stderr=self._err,
            env=env, close_fds=True, preexec_fn=_child_setup(os.getpid()),
        )
        _live.add(self)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code is not None:
                raise DemoServerError(
                    f"the demo server exited with status {code} before it was ready:\n"
                    f"{self.stderr_tail()}"
                )
            if not self.url:
                self.url = self._read_url()
            if self.url and self._healthy():
                return
            time.sleep(0.02)
        raise DemoServerError(
            f"the demo server was not ready after {self.timeout:g}s:\n{self.stderr_tail()}"
        )

    def _read_url(self) -> str:
        # pread: the file's offset is shared with the child's stdout; a seek here would make the
        # child's next write land at 0, over the URL line (a demo start then timed out).
        text = os.pread(self._out.fileno(), 1 << 16, 0).decode(errors="replace")
        # Whole lines only: a line read while the child is still writing it would give a cut
        # port, and the health check would then wait on the wrong one until the timeout.
        for line in text[:text.rfind("\n") + 1].splitlines():
            if line.startswith(_URL_PREFIX):
                return line[len(_URL_PREFIX):].strip()
        return ""

    def _healthy(self) -> bool:
        host_port = self.url.split("://", 1)[1]
        host, _, port = host_port.rpartition(":")
        conn = http.client.HTTPConnection(host.strip("[]"), int(port), timeout=2)
        try:
            conn.request("GET", "/healthcheck")
            return conn.getresponse().status == 200
        except OSError:
            return False
        finally:
            conn.close()

    def stderr_tail(self, lines: int = 20) -> str:
        if self._err is None:
            return ""
        try:
            self._err.seek(0)
            text = self._err.read().decode(errors="replace")
        except (OSError, ValueError):
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the child (SIGTERM, then SIGKILL) and wait for it; safe to call twice."""
        process, self.process = self.process, None
        _live.discard(self)
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                process.wait()
        for handle in (self._out, self._err):
            if handle is not None:
                with contextlib.suppress(OSError):
                    handle.close()
        self._out = self._err = None

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"DemoServer(url={self.url!r}, pid={self.pid})"


def start_demo_server(*, seed: int = 1, data: str | os.PathLike[str] | None = None,
                      now: datetime | str | None = None, days: int | None = None,
                      requests: int | None = None, timeout: float = 90.0) -> DemoServer:
    """Start a demo server child and wait until it answers; stop it with `.stop()`. The wait
    is long: a cold start (the engine's files not in the disk cache yet) took over 30 s on a
    loaded machine, and a user would rather wait than be told to try again."""
    return DemoServer(seed=seed, data=data, now=now, days=days, requests=requests,
                      timeout=timeout).start()
