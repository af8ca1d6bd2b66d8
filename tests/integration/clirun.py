"""Running the real `helicone-tui` against the fault server, and what every run must satisfy.

The program runs in a subprocess with a home, config, data and working folder of its own under
the test's tmp_path, so "no key in any written file" can be checked by reading every file there.
"""

from __future__ import annotations

import base64
import html
import os
import re
import subprocess
import sys
import textwrap
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[2]
KEY = "sk-helicone-testkey-SECRET-0123456789-wxyz"
MASKED = "sk-…wxyz"
SCORES = "/v1/dashboard/scores/query"
NOW = "2026-11-20T12:00:00Z"

# C0 but newline (and tab), DEL, C1: none of these may reach stderr.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Runs the CLI as its only child and writes the child's peak RSS (KiB) to the file in argv[1].
_MEASURE = textwrap.dedent("""
    import resource, subprocess, sys
    code = subprocess.run(sys.argv[2:]).returncode
    with open(sys.argv[1], "w") as out:
        out.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
    sys.exit(code)
""")


def key_forms(key: str = KEY) -> dict[str, str]:
    """The key as a server might echo it: each must be absent from every output."""
    bearer = f"Bearer {key}"
    forms = {
        "as is": key,
        "lower case": key.lower(),
        "upper case": key.upper(),
        "url-encoded": "".join(f"%{ord(c):02X}" for c in key),
        "json \\u": "".join(f"\\u{ord(c):04x}" for c in key),
        "html entities": "".join(f"&#{ord(c)};" for c in key),
        "hex": key.encode().hex(),
        "base64": base64.b64encode(key.encode()).decode(),
        "base64 bearer": base64.b64encode(bearer.encode()).decode(),
        "base64url bearer": base64.urlsafe_b64encode(bearer.encode()).decode(),
        "first 24": key[:24],
        "last 24": key[-24:],
    }
    # The part of each base64 that only the key's bytes decide (wherever it sat in the text).
    for name in ("base64", "base64 bearer"):
        forms[f"{name} core"] = forms[name][12:-8]
    return forms


def _decoded_views(text: str) -> list[str]:
    """`text` as a server's encodings would hide the key in it, each undone (case folded)."""
    views = [text]
    unescaped = re.sub(r"\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})",
                       lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    views += [unescaped, html.unescape(text), unquote(text), unquote(unquote(text))]
    for run in re.findall(r"[A-Za-z0-9+/_-]{16,}={0,2}", text):  # base64 runs, any alignment
        for skip in range(4):
            chunk = run[skip:].replace("-", "+").replace("_", "/")
            chunk = chunk[: len(chunk) // 4 * 4]
            with suppress(ValueError):
                views.append(base64.b64decode(chunk).decode("latin-1"))
    for run in re.findall(r"(?:[0-9a-fA-F]{2}){8,}", text):  # hex runs
        views.append(bytes.fromhex(run).decode("latin-1"))
    return [view.lower() for view in views]


def leaks(text: str) -> list[str]:
    """What of the key `text` gives away (empty: nothing): a known form, or 16 characters of
    the key in a row in any decoded view of it (a cut-short or re-encoded echo)."""
    found = [name for name, form in key_forms().items() if form in text]
    low = KEY.lower()
    windows = {low[i : i + 16] for i in range(len(low) - 15)}
    if any(w in view for view in _decoded_views(text) for w in windows):
        found.append("16 characters of the key")
    return found + (["SECRET"] if "secret" in text.lower() else [])


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    files: dict[str, str]  # every file the run wrote under its home, path -> text
    peak_kib: int | None = None

    @property
    def err_lines(self) -> list[str]:
        return self.stderr.strip("\n").splitlines()


def run_cli(
    home: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 60,
    config: str | None = None, measure: bool = False,
) -> Run:
    """The real program, isolated under `home` (config.toml from `config`), fixed clock, UTC."""
    for sub in ("config/helicone-tui", "data", "state", "cache", "cwd"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    if config is not None:
        (home / "config" / "helicone-tui" / "config.toml").write_text(config)
    base_env = {k: v for k, v in os.environ.items()
                if not k.startswith(("HELICONE_", "XDG_"))}
    base_env.update({
        "HELICONE_API_KEY": KEY,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "TZ": "UTC",
        "PYTHONPATH": str(ROOT),
    })
    base_env.update(env or {})
    command = [sys.executable, "-m", "tui", *args]
    report = home / "peak-rss"
    if measure:
        command = [sys.executable, "-c", _MEASURE, str(report), *command]
    before = _snapshot(home)
    done = subprocess.run(
        command, capture_output=True, env=base_env, timeout=timeout, cwd=home / "cwd",
    )
    peak = int(report.read_text()) if measure else None
    report.unlink(missing_ok=True)
    files = {  # what the run wrote or changed (the test's own config.toml is not its doing)
        path: Path(path).read_bytes().decode("utf-8", "replace")
        for path, stamp in _snapshot(home).items() if before.get(path) != stamp
    }
    # Strict UTF-8: what reaches the terminal must at least be valid text.
    return Run(done.returncode, done.stdout.decode(), done.stderr.decode(), files, peak)


def _snapshot(home: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_mtime_ns, p.stat().st_size) for p in home.rglob("*")
            if p.is_file()}


def query(home: Path, url: str, *extra: str, **kwargs: object) -> Run:
    return run_cli(home, "query", "scores", "--base-url", url, "--since", "1h", "--now", NOW,
                   *extra, **kwargs)  # type: ignore[arg-type]


def assert_one_clean_line(run: Run, code: int) -> str:
    """Exit `code`, one line on stderr, no traceback, no control code, no key anywhere.

    Returns the line.
    """
    assert run.code == code, (run.code, run.stderr)
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout, run.stderr
    assert len(run.err_lines) == 1, run.stderr
    assert not CONTROL.search(run.stderr), ascii(run.stderr)
    assert_no_key(run)
    return run.err_lines[0]


def assert_no_key(run: Run) -> None:
    assert not leaks(run.stdout), leaks(run.stdout)
    assert not leaks(run.stderr), (leaks(run.stderr), run.stderr)
    for path, text in run.files.items():
        assert not leaks(text), (path, leaks(text))


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def scores_body(rows_json: str) -> bytes:
    """A scores answer whose `data` is the raw JSON text given (for values json cannot write)."""
    return ('{"data": ' + rows_json + ', "error": null}').encode()

