"""Settings: the config file, the API key and where it came from (no Textual, no heavy imports).

The key comes from $HELICONE_API_KEY, else from `api_key_command` in
`$XDG_CONFIG_HOME/helicone-tui/config.toml` (a command whose output is the key, e.g. a password
manager). It lives in an `ApiKey`, whose repr and str are masked, so it cannot leak into a log line,
an error or a traceback by accident.
"""

from __future__ import annotations

import base64
import math
import os
import re
import subprocess
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui import locations
from tui.safe import one_line

ENV_KEY = "HELICONE_API_KEY"
ENV_BASE_URL = "HELICONE_BASE_URL"
DEFAULT_BASE_URL = "https://api.helicone.ai"
EU_BASE_URL = "https://eu.api.helicone.ai"
KEY_COMMAND_TIMEOUT = 10.0
DEFAULT_MAX_ANSWER_MB = 32.0  # DESIGN.md: answers are read with a 32 MB (decoded) cap


class ConfigError(Exception):
    """A settings problem the user fixes (exit 2): `.message` says what to do."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ApiKey:
    """The API key. Only `reveal()` gives the value; everything else shows `sk-…abcd`."""

    __slots__ = ("_pattern", "_value")

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
        self._pattern: re.Pattern[str] | None = None

    def reveal(self) -> str:
        return self._value

    @property
    def masked(self) -> str:
        return mask(self._value)

    def scrub(self, text: str) -> str:
        """`text` with the key masked in whatever form it hides in: as is or in another case,
        URL-encoded (once or twice), JSON/HTML-escaped (even char by char, mixed), hex, base64 of
        it or of any text holding it ("Bearer …"), or a run of 16+ of its characters (a key cut
        short)."""
        if self._pattern is None:
            self._pattern = _key_pattern(self._value)
        return self._pattern.sub(self.masked, text)

    def __repr__(self) -> str:
        return f"ApiKey({self.masked!r})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ApiKey) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("ApiKey", self._value))

    def __reduce__(self) -> Any:
        raise TypeError("an ApiKey is not serialisable")


_WINDOW = 16  # this many characters of the key in a row are masked wherever they appear


def _char_forms(char: str) -> str:
    """A regex for one character of the key in any of the escapes a server might write."""
    code = ord(char)
    forms = [
        re.escape(char),
        f"%{code:02x}",  # URL-encoded
        f"%25{code:02x}",  # URL-encoded twice
        f"\\\\u00{code:02x}",  # JSON \u0073
        f"\\\\x{code:02x}",  # \x73 in a repr or a log
        f"&#0*{code};",  # HTML decimal
        f"&#x0*{code:x};",  # HTML hex
    ]
    if not char.isalnum():
        forms.append("\\\\" + re.escape(char))  # JSON's \/ and friends
    return "(?:" + "|".join(forms) + ")"


def _base64_cores(value: str) -> list[str]:
    """The base64 text that any base64 of a string holding the key must contain, for each of the
    three alignments (the groups that mix in neighbouring bytes are left out)."""
    raw = value.encode()
    cores: list[str] = []
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + raw).decode()
        whole = (offset + len(raw)) // 3 * 4  # groups made of the key's bytes to the end
        core = encoded[4 if offset else 0 : whole]
        if len(core) >= _WINDOW:
            cores += [core, core.replace("+", "-").replace("/", "_")]  # standard and URL-safe
    return cores


def _key_pattern(value: str) -> re.Pattern[str]:
    encoded = "".join(_char_forms(c) for c in value)
    literal = [re.escape(value.encode().hex()), *(re.escape(c) for c in _base64_cores(value))]
    runs = []
    if len(value) > _WINDOW:
        for start in range(len(value) - _WINDOW + 1):
            rest = value[start + _WINDOW :]
            # A 16-character window, then as much of the rest as follows (optional, in order).
            tail = "".join(f"(?:{re.escape(c)}" for c in rest) + ")?" * len(rest)
            runs.append(re.escape(value[start : start + _WINDOW]) + tail)
    return re.compile("|".join([encoded, *literal, *runs]), re.IGNORECASE)


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
