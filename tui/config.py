"""Settings: the config file, the API key and where it came from (no Textual, no heavy imports).

The key comes from $HELICONE_API_KEY, else from `api_key_command` in
`$XDG_CONFIG_HOME/helicone-tui/config.toml` (a command whose output is the key, e.g. a password
manager). It lives in an `ApiKey`, whose repr and str are masked, so it cannot leak into a log line,
an error or a traceback by accident.
"""

from __future__ import annotations

import os
import subprocess
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui import locations

ENV_KEY = "HELICONE_API_KEY"
ENV_BASE_URL = "HELICONE_BASE_URL"
DEFAULT_BASE_URL = "https://api.helicone.ai"
EU_BASE_URL = "https://eu.api.helicone.ai"
KEY_COMMAND_TIMEOUT = 10.0


class ConfigError(Exception):
    """A settings problem the user fixes (exit 2): `.message` says what to do."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ApiKey:
    """The API key. Only `reveal()` gives the value; everything else shows `sk-…abcd`."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        value = value.strip()
        if not value:
            raise ValueError("an API key cannot be empty")
        if not value.isascii() or any(c.isspace() or not c.isprintable() for c in value):
            # Never echo it: say what is wrong with it instead.
            raise ValueError(
                "the API key holds spaces, control or non-ASCII characters: check how it was copied"
            )
        self._value = value

    def reveal(self) -> str:
        return self._value

    @property
    def masked(self) -> str:
        return mask(self._value)

    def scrub(self, text: str) -> str:
        """`text` with every occurrence of the key replaced by its masked form."""
        return text.replace(self._value, self.masked) if self._value in text else text

    def __repr__(self) -> str:
        return f"ApiKey({self.masked!r})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ApiKey) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("ApiKey", self._value))

    def __reduce__(self) -> Any:
        raise TypeError("an ApiKey is not serialisable")


def mask(value: str) -> str:
    """`sk-…abcd`: the key's type prefix and its last four characters, never more."""
    if len(value) < 12:
        return "…"  # too short to show any of it safely
    prefix = value.split("-", 1)[0] + "-" if "-" in value[:4] else ""
    return f"{prefix}…{value[-4:]}"


@dataclass(frozen=True)
class Config:
    """What config.toml says. Unknown keys are kept in `raw` for the layers that own them."""

    path: Path
    exists: bool = False
    api_key_command: str | list[str] | None = None
    api_key_command_timeout: float = KEY_COMMAND_TIMEOUT
    base_url: str | None = None
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
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        raise ConfigError(f"{path}: [keys] must be a table of binding id = key")
    return Config(
        path=path,
        exists=True,
        api_key_command=command,
        api_key_command_timeout=float(timeout),
        base_url=base_url,
        keys={str(k): str(v) for k, v in keys.items()},
        raw=data,
    )


@dataclass(frozen=True)
class KeySource:
    """A key and where it came from, for `doctor` (`source` never holds the key)."""

    key: ApiKey
    source: str


def run_key_command(command: str | list[str], *, timeout: float, origin: str) -> ApiKey:
    """Run `api_key_command` and take the first line of its output as the key."""
    shown = command if isinstance(command, str) else " ".join(command)
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
        why = (done.stderr.strip().splitlines() or ["no message"])[0][:200]
        if lines:
            why = why.replace(lines[0], mask(lines[0]))
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
    config: Config | None = None, env: dict[str, str] | None = None
) -> KeySource | None:
    """The key from $HELICONE_API_KEY, else from the config's api_key_command, else None."""
    env = os.environ if env is None else env  # type: ignore[assignment]
    value = (env.get(ENV_KEY) or "").strip()
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
    env: dict[str, str] | None = None,
) -> str:
    """--base-url, else --eu, else $HELICONE_BASE_URL, else config's base_url, else Helicone US."""
    env = os.environ if env is None else env  # type: ignore[assignment]
    if base_url:
        return base_url.rstrip("/")
    if eu:
        return EU_BASE_URL
    if env.get(ENV_BASE_URL, "").strip():
        return env[ENV_BASE_URL].strip().rstrip("/")
    if config is not None and config.base_url:
        return config.base_url.rstrip("/")
    return DEFAULT_BASE_URL
