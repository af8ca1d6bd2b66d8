"""The preset model: a validated, frozen `Preset`, its name rules and the errors of presets."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    StrictBool,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)

from tui.api.models import PSize, TimeIncrement
from tui.presets.secrets import is_secret_key, looks_secret
from tui.safe import visible

if TYPE_CHECKING:
    from tui.api.timerange import TimeRange

#: A preset name: any text without control characters (C0, DEL, C1) or lone surrogates.
NAME_PATTERN = "[^\x00-\x1f\x7f-\x9f\ud800-\udfff]+"
_BAD_NAME_RE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_NAME_MAX = 100
_BARE_KEY_RE = re.compile(r"[A-Za-z0-9_-]+")

#: The settings a preset holds, in the order they are written.
FIELDS: tuple[str, ...] = (
    "description",
    "filter",
    "since",
    "start",
    "end",
    "increment",
    "p_size",
    "interquartile",
    "session_name",
    "breakdown",
)
#: The breakdown dimensions a preset may name (tui.query.breakdown_dims.COLUMNS, which a test
#: keeps equal: presets sit below the query layer), or `properties.<key>`.
BREAKDOWN_COLUMNS: tuple[str, ...] = (
    "model", "provider", "user_id", "country_code", "status_class", "prompt_id", "prompt_version",
)


# --------------------------------------------------------------------------- errors


class PresetError(Exception):
    """Something about presets the user must be told; str() is the message."""


class InvalidPreset(PresetError, ValueError):
    """A preset name or setting that cannot be used."""


class PresetExists(PresetError):
    """Saving (or renaming to) a name that is taken, without replace."""


class UnknownPreset(PresetError):
    """No preset of that name in the file."""


class PresetFileError(PresetError):
    """The file cannot be read, parsed or written; nothing was changed."""


# --------------------------------------------------------------------------- the model


def check_name(name: str) -> str:
    """The name if it can be a preset's (any text with something to read and no control
    character, e.g. `checkout sessions`), else InvalidPreset saying what is allowed."""
    if not isinstance(name, str) or not name.strip() or _BAD_NAME_RE.search(name):
        shown = visible(name) if isinstance(name, str) else type(name).__name__
        raise InvalidPreset(
            f"{shown!r} is not a preset name: a name is text without control characters "
            "(e.g. gpt4-errors or checkout sessions)"
        )
    if len(name) > _NAME_MAX:
        raise InvalidPreset(f"a preset name has at most {_NAME_MAX} characters")
    return name


class Preset(BaseModel):
    """A saved investigation: filter text (canonical), a range, per-tab options.

    Unset settings leave the app's current ones as they are. `since` and `start` exclude each
    other; `end` needs `start`. Build one with `make_preset` for messages without pydantic's
    framing; the constructor raises ValidationError.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: StrictStr
    description: StrictStr = ""
    filter: StrictStr = "all"
    since: StrictStr | None = None
    start: StrictStr | None = None
    end: StrictStr | None = None
    increment: TimeIncrement | None = None
    p_size: PSize | None = None
    interquartile: StrictBool | None = None
    session_name: StrictStr | None = None
    breakdown: StrictStr | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return check_name(value)

    @field_validator("filter")
    @classmethod
    def _filter(cls, value: str) -> str:
        from tui.filters.text import format as format_filter
        from tui.filters.text import parse

        return format_filter(parse(value))  # FilterError (a ValueError) says col N: ...

    @field_validator("since")
    @classmethod
    def _since(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from tui.api.timerange import parse_duration

        parse_duration(value)
        return "".join(value.split())  # " 24 h " -> "24h"; the spelling is otherwise kept

    @field_validator("start", "end")
    @classmethod
    def _instant(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from tui.api.timerange import parse_time

        parse_time(value)
        return value.strip()  # kept as written: without a zone it is local time at each use

    @field_validator("breakdown")
    @classmethod
    def _breakdown(cls, value: str | None) -> str | None:
        if value is None:
            return None
        text = value.strip()
        if text in BREAKDOWN_COLUMNS:
            return text
        key = text.removeprefix("properties.")
        if text.startswith("properties.") and key and not _BAD_NAME_RE.search(key):
            return text
        raise ValueError(f"{visible(value)!r} is not a breakdown dimension: one of "
                         f"{', '.join(BREAKDOWN_COLUMNS)}, or properties.<key>")

    @field_validator("description", "session_name")
    @classmethod
    def _no_secret(cls, value: str | None) -> str | None:
        if value is not None and looks_secret(value):
            raise ValueError("looks like an API key: presets never store keys")
        return value

    @model_validator(mode="after")
    def _range(self) -> Preset:
        if self.since is not None and (self.start is not None or self.end is not None):
            raise ValueError("give either since or start/end, not both")
        if self.end is not None and self.start is None:
            raise ValueError("end needs a start")
        if self.start is not None and self.end is not None:
            from tui.api.timerange import parse_time

            if parse_time(self.start) >= parse_time(self.end):
                raise ValueError(f"start {self.start} is not before end {self.end}")
        if self.filter != "all" and looks_secret(self.filter):
            raise ValueError("the filter looks like it holds an API key: presets never store keys")
        return self

    def settings(self) -> dict[str, str | bool]:
        """The settings to write, in file order, without unset ones (and without the name)."""
        out: dict[str, str | bool] = {}
        for key in FIELDS:
            value = getattr(self, key)
            if value is None or (key == "description" and value == ""):
                continue
            out[key] = value.value if isinstance(value, (TimeIncrement, PSize)) else value
        return out

    def range_text(self) -> str:
        """The range as a person reads it: `since 24h`, `2026-11-01 .. now`, or `-`."""
        if self.since is not None:
            return f"since {self.since}"
        if self.start is not None:
            return f"{self.start} .. {self.end or 'now'}"
        return "-"

    def time_range(self) -> TimeRange | None:
        """The preset's range (None: keep the current one)."""
        from tui.api.timerange import TimeRange, parse_time

        if self.since is not None:
            return TimeRange.since(self.since)
        if self.start is not None:
            end = parse_time(self.end) if self.end is not None else None
            return TimeRange.absolute(parse_time(self.start), end)
        return None


def describe(exc: ValidationError) -> str:
    """Pydantic's errors as one line, without the input values (they could be anything)."""
    parts: list[str] = []
    for error in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(p) for p in error.get("loc", ()))
        ctx = error.get("ctx") or {}
        cause = ctx.get("error")
        message = str(cause) if isinstance(cause, Exception) else error.get("msg", "invalid")
        if error.get("type") == "extra_forbidden":
            message = "not a preset setting"
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def plain_value(value: Any) -> Any:
    # A TOML date-time written unquoted (start = 2026-11-01T00:00:00Z) reads as a datetime.
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def make_preset(name: str, **settings: Any) -> Preset:
    """A validated preset, or InvalidPreset with a one-line message. A key setting is refused."""
    check_name(name)
    for key in settings:
        if is_secret_key(key):
            raise InvalidPreset(f"preset {name!r}: presets never store API keys ({key!r} refused)")
    try:
        return Preset(name=name, **{k: plain_value(v) for k, v in settings.items()})
    except ValidationError as exc:
        raise InvalidPreset(f"preset {name!r}: {describe(exc)}") from None


def toml_key(name: str) -> str:
    # A TOML basic string: only '"' and '\\' need escapes (a name has no control characters);
    # not ASCII escapes, which JSON writes as surrogate pairs for astral characters.
    return name if _BARE_KEY_RE.fullmatch(name) else json.dumps(name, ensure_ascii=False)
