"""End to end: the real `helicone-tui --demo` in tmux at 80x24, driven key by key as a user would.

The program is the console script installed next to this interpreter, started in a private tmux
server (`tmux -L <unique>`, no user config). Each key is sent on its own (or, in the burst test, a
whole line in one `send-keys`, as a paste or a laggy SSH link delivers it); the screen is read with
`capture-pane` and polled until what a user would look for is there (a bound on waiting, never a
fixed sleep as the check). At the end `q` must quit with status 0, and the demo server child the
program started must be gone.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

NOW = "2026-11-20T12:00:00Z"
PROGRAM = Path(sys.executable).parent / "helicone-tui"
WAIT = 45.0  # seconds: a bound on each wait (the first includes starting the demo server)


class Terminal:
    """One tmux session on a private server, as a user's terminal."""

    def __init__(self, socket: str, session: str = "e2e") -> None:
        self.socket = socket
        self.session = session

    def tmux(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True, text=True, timeout=15,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def start(self, command: list[str], env: dict[str, str], width: int, height: int) -> None:
        settings = [part for k, v in env.items() for part in ("-e", f"{k}={v}")]
        self.tmux(
            "new-session", "-d", "-s", self.session, "-x", str(width), "-y", str(height),
            *settings, *command,
            # keep the pane after the program ends, to read its exit status
            ";", "set-option", "-w", "-t", self.session, "remain-on-exit", "on",
        )

    def screen(self, scrollback: bool = False) -> str:
        """What the terminal shows (with `scrollback`, the lines scrolled off the top too)."""
        history = ("-S", "-") if scrollback else ()
        return self.tmux("capture-pane", "-p", *history, "-t", self.session)

    def active_tab(self) -> str:
        """The title the tab bar marks as the tab shown (the only bold run of its line), read
        from the terminal's own attributes (`capture-pane -e`)."""
        for line in self.tmux("capture-pane", "-e", "-p", "-t", self.session).splitlines():
            if "1 Overview" in _SGR.sub("", line):
                return _bold_text(line).strip()
        raise AssertionError(f"no tab bar on the screen:\n{self.screen()}")

    def pane(self, field: str) -> str:
        return self.tmux("display-message", "-p", "-t", self.session, f"#{{{field}}}").strip()

    def press(self, key: str) -> None:
        """One key, as tmux names it (Enter, Escape, Down, C-u) or a character."""
        self.tmux("send-keys", "-t", self.session, key)

    def burst(self, *keys: str) -> None:
        """Keys in one `send-keys`: they reach the program at once (text, then key names)."""
        self.tmux("send-keys", "-t", self.session, *keys)

    def type(self, text: str) -> None:
        for char in text:  # one key at a time, as typed
            self.tmux("send-keys", "-t", self.session, "-l", char)

    def wait_for(self, *wanted: str, gone: tuple[str, ...] = (), timeout: float = WAIT,
                 scrollback: bool = False) -> str:
        """Poll the screen until every `wanted` text shows and every `gone` text does not."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen(scrollback)
            if all(w in text for w in wanted) and not any(g in text for g in gone):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"waited {timeout:g}s for {wanted} (and not {gone}); the screen:\n{text}"
                )
            time.sleep(0.1)

    def wait_until(self, condition: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"waited {timeout:g}s for {what}; the screen:\n{self.screen()}"
                )
            time.sleep(0.1)


_SGR = re.compile(r"\x1b\[([0-9;]*)m")


def _bold_text(line: str) -> str:
    """The characters of `line` drawn bold (SGR 1 until 0 or 22; colour codes skipped)."""
    bold, out, at = False, [], 0
    for match in _SGR.finditer(line):
        if bold:
            out.append(line[at:match.start()])
        at = match.end()
        codes = [int(c) if c else 0 for c in match.group(1).split(";")]
        i = 0
        while i < len(codes):
            code = codes[i]
            if code in (38, 48, 58):  # a colour: 5;n or 2;r;g;b follow
                i += 3 if codes[i + 1:i + 2] == [5] else 5
                continue
            if code in (0, 22):
                bold = False
            elif code == 1:
                bold = True
            i += 1
    if bold:
        out.append(line[at:])
    return "".join(out)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found.append(int(entry.name))
    return found


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped is not)."""
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed (.ci/run installs it): this test drives the real "
                    "program in tmux")
    if not PROGRAM.exists():
        pytest.skip(f"the console script is not installed at {PROGRAM} (pip install -e .)")
    pytest.importorskip("chdb", reason="--demo needs the demo extra: pip install -e '.[demo]'")
    term = Terminal(f"helicone-tui-e2e-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    yield term
    term.tmux("kill-server", check=False)


def _start(terminal: Terminal, tmp_path: Path, *options: str) -> int:
    """Start `helicone-tui --demo [OPTIONS]` at 80x24 under a shell that reports its exit status;
    its pid."""
    if not sys.platform.startswith("linux"):
        pytest.skip("reads /proc to find the demo server child")
    env = {
        "TZ": "America/New_York",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),  # no user config, keymap or presets
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "HELICONE_TUI_PRESETS": str(tmp_path / "presets.toml"),
        "HELICONE_API_KEY": "",
    }
    # A shell runs the program and says how it ended, as a user's shell would let them see; the
    # shell reaps it (tmux's own record of a pane's exit status proved unreliable under load).
    terminal.start(["sh", "-c", '"$@"; echo "helicone-tui exited with status $?"', "sh",
                    str(PROGRAM), "--demo", "--now", NOW, *options], env, 80, 24)
    shell = int(terminal.pane("pane_pid"))
    terminal.wait_until(lambda: bool(_children(shell)), "the program to start")
    (app_pid,) = _children(shell)
    return app_pid


def _exits_cleanly(terminal: Terminal, *pids: int) -> None:
    text = terminal.wait_for("helicone-tui exited with status", scrollback=True)
    assert "helicone-tui exited with status 0" in text
    assert "Traceback" not in text and "never awaited" not in text
    terminal.wait_until(lambda: not any(_alive(p) for p in pids),
                        "the program and its demo server to be gone", timeout=10)


def test_a_user_walks_every_tab_and_quits_cleanly(terminal: Terminal, tmp_path: Path) -> None:
    app_pid = _start(terminal, tmp_path)

    # The Overview first: the header says DEMO, the window is local time, the tab bar marks
    # Overview. The first wait covers a cold start (the demo engine loading from a cold disk
    # cache: the program starts once the demo server answers).
    text = terminal.wait_for("DEMO", "1 Overview", "6 Sessions", timeout=2 * WAIT)
    assert "last 24h: Nov 19 07:00 -> Nov 20 07:00 EST" in text
    assert terminal.active_tab() == "1 Overview"
    demo = [p for p in _children(app_pid) if "tui.demo" in _cmdline(p)]
    assert len(demo) == 1, "one demo server child"

    # Scores: both charts are drawn.
    terminal.press("3")
    terminal.wait_for("Numeric scores", "Boolean scores", gone=("drawing...",))
    assert terminal.active_tab() == "3 Scores"

    terminal.press("4")
    terminal.wait_for("true mean", "helicone avg", "clamped toward 0 by empty hours")

    terminal.press("5")
    text = terminal.wait_for("score keys", "smoothed estimates", "whose total is exact")
    assert "accuracy" in text and "scores in" in text

    terminal.press("6")
    text = terminal.wait_for("Requests per session", "Session duration", "Session cost")
    assert "histograms trimmed at p75" in text and "averages over all sessions" in text

    terminal.press("t")
    terminal.wait_for("averages over all sessions: requests", "sessions (est.)",
                      gone=("Requests per session",))
    terminal.press("t")
    terminal.wait_for("Requests per session", gone=("sessions (est.)",))

    terminal.press("?")
    text = terminal.wait_for("Keys on this screen", "Sessions tab", "Window back")
    assert "Percentile" in text and "Focus" not in text  # Textual's own keys are left out
    terminal.press("i")  # the binding ids, for [keys] in config.toml
    terminal.wait_for("sessions.percentile", "main.back")
    terminal.press("Escape")
    terminal.wait_for("Requests per session", gone=("Keys on this screen",))

    # A session field: sent here, refused (with the reason) on the other tabs.
    terminal.press("/")
    terminal.wait_for("(enter applies)")
    terminal.type("session_tag = 'vip'")
    terminal.press("Enter")
    terminal.wait_for("filter session_tag = 'vip'", "Requests per session",
                      gone=("(enter applies)", "loading..."))
    terminal.press("5")
    terminal.wait_for("only the Sessions tab can send")
    terminal.press("/")
    terminal.wait_until(  # the line opens under the header, holding the filter to edit
        lambda: terminal.screen().count("session_tag = 'vip'") == 2, "the filter line")
    terminal.press("C-u")
    terminal.wait_for("(enter applies)")  # cleared: the placeholder shows
    terminal.type("model ilike '%gpt%'")
    terminal.press("Enter")
    text = terminal.wait_for("filter model ilike '%gpt%'", "score keys",
                             gone=("only the Sessions tab",))

    # The time picker's quick ranges, then the window back and forward by its length.
    terminal.press("T")
    terminal.wait_for("Time range", "last 7 days")
    terminal.press("Down")  # from 24h (the current range) to 7d
    terminal.press("Enter")
    terminal.wait_for("last 7d: Nov 13 07:00 -> Nov 20 07:00 EST", "score keys",
                      gone=("Time range", "loading..."))
    terminal.press("[")
    terminal.wait_for("Nov 06 07:00 -> Nov 13 07:00 EST", gone=("last 7d",))
    terminal.press("]")
    terminal.wait_for("last 7d: Nov 13 07:00 -> Nov 20 07:00 EST", "score keys",
                      gone=("loading...",))

    terminal.press("q")
    _exits_cleanly(terminal, app_pid, *demo)


def test_keys_sent_in_bursts_land_where_they_were_typed(terminal: Terminal, tmp_path: Path) -> None:
    app_pid = _start(terminal, tmp_path, "--tab", "scores")  # --tab: Scores first
    terminal.wait_for("DEMO", "Numeric scores", gone=("drawing...",), timeout=2 * WAIT)
    assert terminal.active_tab() == "3 Scores"
    demo = [p for p in _children(app_pid) if "tui.demo" in _cmdline(p)]

    # The whole filter and enter at once: all of it in the filter line, applied, shown.
    terminal.burst("/status >= 500", "Enter")
    terminal.wait_for("filter status >= 500", gone=("(enter applies)",))
    assert _alive(app_pid)

    # A dialog and the text typed into it at once: every character in its input.
    terminal.burst("sabc")
    terminal.wait_until(  # the placeholder gives way to what was typed
        lambda: any("name" in line and "▌abc " in line for line in terminal.screen().splitlines()),
        "abc in the dialog's name field")
    terminal.press("Escape")
    terminal.wait_for("filter status >= 500", gone=("Save the context as a preset",))

    # `q` and a key behind it: a clean exit, nothing opened on the way out.
    terminal.burst("qs")
    _exits_cleanly(terminal, app_pid, *demo)


def test_from_the_error_burst_to_a_failed_requests_body_in_four_keys(
    terminal: Terminal, tmp_path: Path
) -> None:
    """A week's range given at start: `down` (the error rate on top), `m` (its peak: the burst's
    day), `enter` (that day's failed requests), `enter` (the newest one): its body, one key at a
    time; `escape` then `backspace` come back to the Overview."""
    app_pid = _start(terminal, tmp_path, "--since", "7d")
    terminal.wait_for("error rate", "avg TTFT", "Requests by status class", timeout=2 * WAIT)
    terminal.press("Down")
    terminal.wait_for("Error rate, % of requests", "Nov 19")  # its axis: the chart is drawn
    terminal.press("m")
    terminal.wait_for("at 2026-11-15")
    terminal.press("Enter")
    text = terminal.wait_for("filter status != 200", "drill:", "enter: details")
    assert terminal.active_tab() == "2 Requests"
    rows = [line.split() for line in text.splitlines() if line.startswith(" 11-15 ")]
    assert rows and all(r[2] != "200" for r in rows)
    terminal.press("Enter")
    text = terminal.wait_for("request body", "status ")
    status = text.split("status ", 1)[1].split()[0]
    assert status.isdigit() and status != "200"
    assert '"messages"' in text or '"model"' in text  # the body itself, as JSON text
    terminal.press("Escape")
    terminal.wait_for("enter: details", gone=("request body",))
    terminal.press("BSpace")
    terminal.wait_for("Error rate, % of requests", gone=("drill:",))
    assert terminal.active_tab() == "1 Overview"
    terminal.press("q")
    _exits_cleanly(terminal, app_pid)

