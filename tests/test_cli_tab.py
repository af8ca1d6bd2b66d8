"""`helicone-tui --tab NAME`: the tab the app shows first (an id, any case, or a prefix naming one
tab); a bad name is a one-line usage error (exit 2) naming the choices, before anything else."""

from __future__ import annotations

import os
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tui import clock
from tui.cli import main

ROOT = Path(__file__).resolve().parents[1]
NOW = "2026-11-20T12:00:00Z"
KEY = "sk-helicone-tabtest-0000-abcd"
CHOICES = "overview, requests, scores, evals, distributions, sessions"


@pytest.fixture(autouse=True)
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in list(os.environ):
        if name.startswith("HELICONE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    clock.fix(None)
    yield
    clock.fix(None)


def handed_to_the_app(monkeypatch: pytest.MonkeyPatch, *argv: str) -> dict[str, Any]:
    """What `helicone-tui ARGV` hands to the app (the app itself is not started)."""
    seen: dict[str, Any] = {}

    def fake_run(args: Any) -> int:
        seen.update(vars(args))
        return 0

    monkeypatch.setitem(sys.modules, "tui.app", types.SimpleNamespace(run=fake_run))
    monkeypatch.setenv("HELICONE_API_KEY", KEY)
    assert main([*argv, "--base-url", "http://127.0.0.1:9", "--now", NOW]) == 0
    return seen


@pytest.mark.parametrize(
    ("argv", "tab"),
    [
        ([], None),  # the app's default: its first tab, the Overview
        (["--tab", "overview"], "overview"),
        (["--tab", "requests"], "requests"),
        (["--tab", "scores"], "scores"),
        (["--tab", "Evals"], "evals"),
        (["--tab", "dist"], "distributions"),
        (["--tab", "se"], "sessions"),  # se: only sessions (scores starts sc)
        (["--tab", "o"], "overview"),
    ],
)
def test_tab_names_the_tab_shown_first(monkeypatch, argv: list[str], tab: str | None) -> None:
    assert handed_to_the_app(monkeypatch, *argv)["tab"] == tab


def test_a_preset_that_names_a_tab_still_loads(monkeypatch, tmp_path: Path) -> None:
    # DESIGN.md's presets file allows a tab; this version keeps the key and ignores it.
    file = tmp_path / "presets.toml"
    file.write_text('[presets.vip]\ntab = "sessions"\nfilter = "status >= 500"\nsince = "6h"\n')
    seen = handed_to_the_app(monkeypatch, "--preset", "vip", "--presets-file", str(file))
    from tui.filters.text import format as format_filter

    assert seen["preset"].name == "vip" and format_filter(seen["filter"]) == "status >= 500"
    assert seen["time_range"].describe() == "last 6h"
    seen = handed_to_the_app(monkeypatch, "--preset", "vip", "--presets-file", str(file),
                             "--tab", "scores")
    assert seen["tab"] == "scores" and seen["preset"].name == "vip"


def cli(*argv: str) -> subprocess.CompletedProcess[str]:
    """`python -m tui ARGV` as a user runs it, without a key."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELICONE_")}
    env.update({"TZ": "UTC", "XDG_CONFIG_HOME": str(ROOT / "no-such-config")})
    return subprocess.run([sys.executable, "-m", "tui", *argv], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("nope", "unknown tab 'nope'"),
        ("s", "'s' could be scores or sessions"),
        ("", "unknown tab ''"),
        ("scores2", "unknown tab 'scores2'"),
        ("x\x1b[2J", "unknown tab 'x\\x1b[2J'"),  # shown as text, never run by the terminal
    ],
)
def test_a_bad_tab_is_one_line_exit_2_naming_the_choices(name: str, words: str) -> None:
    done = cli("--tab", name, "--demo")  # before the key, before starting a demo server
    assert done.returncode == 2, done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stderr.startswith("helicone-tui: --tab: ")
    assert words in done.stderr and f"choose one of {CHOICES}" in done.stderr
    assert "\x1b" not in done.stderr


def test_help_names_the_tabs(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert f"--tab NAME the tab shown first: {CHOICES} (default overview)" in text


# --------------------------------------------------------------------------- --breakdown DIM

DIMENSIONS = ("model, provider, user_id, country_code, status_class, prompt_id, prompt_version, "
              "or properties.<key>")


@pytest.mark.parametrize(
    ("argv", "breakdown"),
    [
        ([], None),  # no split
        (["--breakdown", "model"], "model"),
        (["--breakdown", "status"], "status_class"),  # an alias, handed on spelled out
        (["--breakdown", "Country"], "country_code"),
        (["--breakdown", "properties.customer-tier"], "properties.customer-tier"),
    ],
)
def test_breakdown_names_the_dimension_the_app_splits_by(
    monkeypatch, argv: list[str], breakdown: str | None
) -> None:
    assert handed_to_the_app(monkeypatch, *argv)["breakdown"] == breakdown


def test_a_presets_breakdown_reaches_the_app_unless_breakdown_names_another(
    monkeypatch, tmp_path: Path
) -> None:
    file = tmp_path / "presets.toml"
    file.write_text('[presets.v]\nbreakdown = "prompt_version"\nsince = "14d"\n'
                    '[presets.plain]\nfilter = "status >= 500"\n')
    seen = handed_to_the_app(monkeypatch, "--preset", "v", "--presets-file", str(file))
    assert seen["breakdown"] == "prompt_version"
    seen = handed_to_the_app(monkeypatch, "--preset", "v", "--presets-file", str(file),
                             "--breakdown", "provider")
    assert seen["breakdown"] == "provider"
    seen = handed_to_the_app(monkeypatch, "--preset", "plain", "--presets-file", str(file))
    assert seen["breakdown"] is None


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("nope", "'nope' is not a breakdown dimension"),
        ("", "'' is not a breakdown dimension"),
        ("properties.", "'properties.' is not a breakdown dimension"),
        ("x\x1b[2J", "'x\\x1b[2J' is not a breakdown dimension"),  # shown as text
    ],
)
def test_a_bad_breakdown_is_one_line_exit_2_naming_the_choices(name: str, words: str) -> None:
    done = cli("--breakdown", name, "--demo")  # before the key, before starting a demo server
    assert done.returncode == 2, done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stderr.startswith("helicone-tui: --breakdown: ")
    assert words in done.stderr and DIMENSIONS in done.stderr
    assert "\x1b" not in done.stderr


def test_help_names_the_breakdown(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--breakdown DIM split the over-time charts (Overview, Scores) by DIM" in text
