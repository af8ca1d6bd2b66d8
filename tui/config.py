"""Settings: the config file, the API key and where it came from (no Textual, no heavy imports).

The key comes from $HELICONE_API_KEY, else from `api_key_command` in
`$XDG_CONFIG_HOME/helicone-tui/config.toml` (a command whose output is the key, e.g. a password
manager). It lives in an `ApiKey`, whose repr and str are masked, so it cannot leak into a log line,
an error or a traceback by accident.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui import locations
from tui.api.key import ApiKey as ApiKey
from tui.api.key import mask as mask
from tui.api.target import DEFAULT_BASE_URL as DEFAULT_BASE_URL
from tui.api.target import DEFAULT_MAX_ANSWER_MB as DEFAULT_MAX_ANSWER_MB
from tui.api.target import EU_BASE_URL as EU_BASE_URL
from tui.safe import one_line

ENV_KEY = "HELICONE_API_KEY"
ENV_BASE_URL = "HELICONE_BASE_URL"
KEY_COMMAND_TIMEOUT = 10.0


class ConfigError(Exception):
    """A settings problem the user fixes (exit 2): `.message` says what to do."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Config:
    """What config.toml says. Unknown keys are kept in `raw` for the layers that own them."""

    path: Path
    exists: bool = False
    api_key_command: str | list[str] | None = None
    api_key_command_timeout: float = KEY_COMMAND_TIMEOUT
    base_url: str | None = None
    max_answer_mb: float = DEFAULT_MAX_ANSWER_MB
    keys: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)


def load_config(path: Path | None = None) -> Config:
    """Read config.toml; a missing file is an empty config, a broken one a ConfigError."""
    path = path or locations.config_file()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Config(path=path)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix or remove it") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from None

    command = data.get("api_key_command")
    if command is not None and not (
        (isinstance(command, str) and command.strip())
        or (isinstance(command, list) and command and all(isinstance(a, str) for a in command))
    ):
        raise ConfigError(
            f"{path}: api_key_command must be a command line (a string) or a list of arguments"
        )
    timeout = data.get("api_key_command_timeout", KEY_COMMAND_TIMEOUT)
    if not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout <= 0:
        raise ConfigError(f"{path}: api_key_command_timeout must be a positive number of seconds")
    base_url = data.get("base_url")
    if base_url is not None and not isinstance(base_url, str):
        raise ConfigError(f"{path}: base_url must be a string")
    max_mb = data.get("max_answer_mb", DEFAULT_MAX_ANSWER_MB)
    if (
        not isinstance(max_mb, int | float)
        or isinstance(max_mb, bool)
        or not math.isfinite(max_mb)
        or max_mb <= 0
    ):
        raise ConfigError(f"{path}: max_answer_mb must be a positive number of megabytes")
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        raise ConfigError(f"{path}: [keys] must be a table of binding id = key")
    return Config(
        path=path,
        exists=True,
        api_key_command=command,
        api_key_command_timeout=float(timeout),
        base_url=base_url,
        max_answer_mb=float(max_mb),
        keys={str(k): str(v) for k, v in keys.items()},
        raw=data,
    )


@dataclass(frozen=True)
class KeySource:
    """A key and where it came from, for `doctor` (`source` never holds the key)."""

    key: ApiKey
    source: str


# What looks like a key or a token: Helicone's sk-/pk- keys, and long opaque runs of letters and
# digits (other services' tokens, base64). Masked in a key command's own words and command line.
_TOKEN = re.compile(r"\b[a-z]{2,3}-[A-Za-z0-9_-]{8,}|[A-Za-z0-9_+/=-]{20,}", re.IGNORECASE)


def _token_masked(match: re.Match[str]) -> str:
    token = match.group()
    if token.startswith("/"):
        return token  # a path, not a token
    opaque = any(c.isdigit() for c in token) and any(c.isalpha() for c in token)
    return mask(token) if opaque or token.lower().startswith(("sk-", "pk-")) else token


def hide_secrets(text: str, known: list[str] | tuple[str, ...] = ()) -> str:
    """`text` with each of `known` and anything shaped like a key or token masked."""
    for secret in sorted({s for s in known if len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, mask(secret))
    return _TOKEN.sub(_token_masked, text)


def _key_command_words(stderr: str, stdout: str) -> str:
    """The first line of a failed key command's stderr, with nothing of the key in it.

    It failed, so which line is the key is unknown: every line of its stdout (and each long word
    in them) is treated as the key, and so is whatever looks like one.
    """
    lines = [line.strip() for line in stdout.splitlines() if line.strip()]
    words = [w for line in lines for w in line.split() if len(w) >= 8]
    hidden = hide_secrets(stderr, [*lines, *words])
    first = next((line for line in hidden.splitlines() if line.strip()), "no message")
    return one_line(first, 200)


def run_key_command(command: str | list[str], *, timeout: float, origin: str) -> ApiKey:
    """Run `api_key_command` and take the first line of its output as the key."""
    shown = one_line(hide_secrets(command if isinstance(command, str) else " ".join(command)), 200)
    try:
        done = subprocess.run(
            command,
            shell=isinstance(command, str),  # a string may be a pipeline, as in a shell
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise ConfigError(
            f"api_key_command ({origin}) did not finish within {timeout:g} s: "
            "is it waiting for a password prompt? Unlock the password manager first"
        ) from None
    except OSError as exc:
        raise ConfigError(
            f"api_key_command ({origin}) could not run: {exc.strerror}: {shown}"
        ) from None
    lines = [line.strip() for line in done.stdout.splitlines() if line.strip()]
    if done.returncode != 0:
        # Its stderr is a diagnostic, not the key; the first line is enough to act on.
        why = _key_command_words(done.stderr, done.stdout)
        raise ConfigError(
            f"api_key_command ({origin}) failed with exit status {done.returncode}: {why}"
        )
    if not lines:
        raise ConfigError(f"api_key_command ({origin}) printed nothing: it should print the key")
    try:
        return ApiKey(lines[0])
    except ValueError as exc:
        raise ConfigError(f"api_key_command ({origin}): {exc}") from None


def resolve_key(
    config: Config | None = None, env: Mapping[str, str] | None = None
) -> KeySource | None:
    """The key from $HELICONE_API_KEY, else from the config's api_key_command, else None."""
    values = os.environ if env is None else env
    value = (values.get(ENV_KEY) or "").strip()
    if value:
        try:
            return KeySource(ApiKey(value), f"${ENV_KEY}")
        except ValueError as exc:
            raise ConfigError(f"${ENV_KEY}: {exc}") from None
    config = config if config is not None else load_config()
    if config.api_key_command is not None:
        origin = f"api_key_command in {config.path}"
        key = run_key_command(
            config.api_key_command, timeout=config.api_key_command_timeout, origin=origin
        )
        return KeySource(key, origin)
    return None


def no_key_message(config_path: Path | None = None) -> str:
    path = config_path or locations.config_file()
    return (
        f"no API key: set ${ENV_KEY}, or api_key_command in {path} "
        "(create an sk- key in Helicone's web app under Settings > API Keys; "
        "EU accounts at eu.helicone.ai)"
    )


def resolve_base_url(
    base_url: str | None = None,
    *,
    eu: bool = False,
    config: Config | None = None,
    env: Mapping[str, str] | None = None,
) -> str:
    """--base-url, else --eu, else $HELICONE_BASE_URL, else config's base_url, else Helicone US."""
    values = os.environ if env is None else env
    if base_url:
        return base_url.rstrip("/")
    if eu:
        return EU_BASE_URL
    if values.get(ENV_BASE_URL, "").strip():
        return values[ENV_BASE_URL].strip().rstrip("/")
    if config is not None and config.base_url:
        return config.base_url.rstrip("/")
    return DEFAULT_BASE_URL


def max_answer_mb() -> float:
    """`max_answer_mb` from the config file, for whoever makes a client (the client reads no
    file). A broken file is a usage error (exit 2), as the client's own refusals are."""
    from tui.api.errors import UsageError

    try:
        return load_config().max_answer_mb
    except ConfigError as exc:
        raise UsageError(exc.message) from None


def triage_settings(known: dict[str, float], path: Path | None = None) -> dict[str, float]:
    """config.toml's `[triage]` table: new values for the triage thresholds named in `known`
    (tui.query.triage_detect documents them); an unknown name or a value that is not a
    positive number is a ConfigError."""
    config = load_config(path)
    table = config.raw.get("triage", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{config.path}: [triage] must be a table of threshold = number")
    out: dict[str, float] = {}
    for name, value in table.items():
        if name not in known:
            raise ConfigError(f"{config.path}: [triage] {name} is not a threshold "
                              f"(one of {', '.join(sorted(known))})")
        if (not isinstance(value, int | float) or isinstance(value, bool)
                or not math.isfinite(value) or value <= 0):
            raise ConfigError(f"{config.path}: [triage] {name} must be a positive number")
        out[name] = float(value)
    return out
