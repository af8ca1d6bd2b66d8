"""`alert_command` in config.toml (tui/config_alert.py): how it is read, and how it is run with
a finding on its stdin (a real child process each time)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tui.config import ConfigError
from tui.config_alert import AlertCommand, alert_command, run_alert_command

KEY = "sk-helicone-alert-test-0000-wxyz"


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_unset_a_line_or_a_list(tmp_path: Path) -> None:
    assert alert_command(_config(tmp_path, "")) is None
    assert alert_command(_config(tmp_path, 'alert_command = "cat > /dev/null"\n')) == \
        AlertCommand("cat > /dev/null", 10.0)
    got = alert_command(_config(tmp_path, 'alert_command = ["a", "b"]\n'
                                          "alert_command_timeout = 2.5\n"))
    assert got == AlertCommand(["a", "b"], 2.5)


@pytest.mark.parametrize("text", ['alert_command = ""\n', "alert_command = 3\n",
                                  'alert_command = ["a", 1]\n',
                                  'alert_command = "x"\nalert_command_timeout = -1\n'])
def test_a_malformed_setting_is_one_line(tmp_path: Path, text: str) -> None:
    with pytest.raises(ConfigError) as caught:
        alert_command(_config(tmp_path, text))
    assert "alert_command" in caught.value.message and "\n" not in caught.value.message


def test_the_finding_arrives_on_stdin_without_the_key_in_the_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELICONE_API_KEY", KEY)
    out = tmp_path / "got.json"
    script = ("import json, os, sys; json.dump({'stdin': json.load(sys.stdin), "
              "'key': os.environ.get('HELICONE_API_KEY')}, open(sys.argv[1], 'w'))")
    finding = {"metric": "error_rate", "direction": "up", "start": "2026-11-15T10:00:00Z"}
    command = AlertCommand([sys.executable, "-c", script, str(out)])
    assert run_alert_command(command, json.dumps(finding)) is None
    assert json.loads(out.read_text()) == {"stdin": finding, "key": None}


def test_a_failure_says_why_in_one_line_with_the_key_masked() -> None:
    script = f"import sys; print('no route for {KEY}\\nmore', file=sys.stderr); sys.exit(4)"
    said = run_alert_command(AlertCommand([sys.executable, "-c", script]), "{}", (KEY,))
    assert said is not None and "\n" not in said
    assert "exit status 4" in said and "no route for" in said
    assert KEY not in said and "wxyz" in said


def test_a_command_that_hangs_or_cannot_start() -> None:
    slow = AlertCommand([sys.executable, "-c", "import time; time.sleep(5)"], timeout=0.3)
    assert "did not finish within 0.3 s" in (run_alert_command(slow, "{}") or "")
    missing = AlertCommand(["/no/such/alert-command"])
    assert "could not run" in (run_alert_command(missing, "{}") or "")
