"""`alert_command` in config.toml: what watch mode runs for each new triage finding (DESIGN.md
"Triage"), with the finding as one JSON object on its standard input.

    alert_command = "notify-send helicone-tui \"$(jq -r .metric)\""   # a shell line, or
    alert_command = ["/usr/local/bin/page-me", "--from", "helicone-tui"]  # a list of arguments
    alert_command_timeout = 10   # seconds (default 10)

It runs without $HELICONE_API_KEY in its environment (a notifier needs no key), in a thread of
the app, never on the UI thread. A failure (exit status, timeout, cannot start) is one line: its
stderr's first line with anything shaped like a key or token masked, the API key above all.
No Textual here.
"""

from __future__ import annotations

import math
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tui.config import ENV_KEY, ConfigError, hide_secrets, load_config
from tui.safe import one_line

ALERT_COMMAND_TIMEOUT = 10.0


@dataclass(frozen=True)
class AlertCommand:
    command: str | list[str]
    timeout: float = ALERT_COMMAND_TIMEOUT

    @property
    def shown(self) -> str:
        """The command as text, for a message (tokens in it masked)."""
        text = self.command if isinstance(self.command, str) else " ".join(self.command)
        return one_line(hide_secrets(text), 120)


def alert_command(path: Path | None = None) -> AlertCommand | None:
    """config.toml's `alert_command` (None: not set); a malformed one is a ConfigError."""
    config = load_config(path)
    command = config.raw.get("alert_command")
    if command is None:
        return None
    if not ((isinstance(command, str) and command.strip())
            or (isinstance(command, list) and command
                and all(isinstance(a, str) for a in command))):
        raise ConfigError(f"{config.path}: alert_command must be a command line (a string) or "
                          "a list of arguments")
    timeout = config.raw.get("alert_command_timeout", ALERT_COMMAND_TIMEOUT)
    if (not isinstance(timeout, int | float) or isinstance(timeout, bool)
            or not math.isfinite(timeout) or timeout <= 0):
        raise ConfigError(f"{config.path}: alert_command_timeout must be a positive number of "
                          "seconds")
    return AlertCommand(command, float(timeout))


def run_alert_command(alert: AlertCommand, finding_json: str,
                      secrets: tuple[str, ...] = ()) -> str | None:
    """Run the command with `finding_json` on its stdin. None when it succeeded, else why not
    (one line, `secrets` and anything like a key masked). Blocks: call it in a thread."""
    env = {k: v for k, v in os.environ.items() if k != ENV_KEY}
    try:
        done = subprocess.run(
            alert.command, shell=isinstance(alert.command, str), input=finding_json,
            capture_output=True, text=True, timeout=alert.timeout, env=env,
        )
    except subprocess.TimeoutExpired:
        return f"alert_command did not finish within {alert.timeout:g} s: {alert.shown}"
    except OSError as exc:
        return f"alert_command could not run: {exc.strerror}: {alert.shown}"
    if done.returncode == 0:
        return None
    said = next((line for line in (done.stderr or done.stdout).splitlines() if line.strip()),
                "no message")
    return one_line(f"alert_command failed with exit status {done.returncode}: "
                    f"{hide_secrets(said, secrets)}", 200)
