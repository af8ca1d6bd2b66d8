"""The presets store: named filters, ranges and tab options in TOML (DESIGN.md, "Presets file").

    [presets.gpt4-errors]
    description = "GPT-4 requests that failed"
    filter = "model ilike '%gpt-4%' and status >= 500"
    since = "24h"            # or start = "…", end = "…" (ISO 8601)
    increment = "hour"       # optional: increment, p_size, interquartile, session_name

How the file is treated:
- Edited with tomlkit, so comments, unknown keys and unknown tables survive a save.
- Every change runs under an exclusive lock (flock on the file's folder) and re-reads the file
  under it, so saves from two processes at once lose nothing; then it is written atomically
  (temporary file in the same folder, fsync, rename, fsync the folder). A symlink is written through
  to its target and stays a symlink; a new file gets mode 0600, an existing one keeps its mode.
- A file that does not parse is reported with its line and never written: every change refuses.
- A preset that does not validate (its filter no longer parses, a bad range...) is reported alone;
  the others load. Unknown keys in a preset are kept in the file and ignored.
- No key is ever stored: a preset cannot hold a key named like api_key / key / token /
  authorization / secret / password, nor a value that looks like a Helicone key; a hand-written one
  is reported (never echoed), dropped when that preset is saved, and never exported or imported.
- Names are any text without control characters. One that is not a bare TOML key is written
  quoted (`[presets."checkout sessions"]`, `[presets."team.errors"]`): bare `[presets.team.errors]`
  would be a table inside a preset.
"""

from __future__ import annotations

import contextlib
import copy
import difflib
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tomlkit
from pydantic import (
    BaseModel,
    ConfigDict,
    StrictBool,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)
from tomlkit.exceptions import ParseError, TOMLKitError

from tui.api.models import PSize, TimeIncrement
from tui.safe import visible

if TYPE_CHECKING:
    from tomlkit.toml_document import TOMLDocument

    from tui.api.timerange import TimeRange

__all__ = [
    "NAME_PATTERN",
    "ImportResult",
    "InvalidPreset",
    "LoadResult",
    "Preset",
    "PresetError",
    "PresetExists",
    "PresetFileError",
    "PresetStore",
    "UnknownPreset",
    "check_name",
    "make_preset",
]

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
)

# Key names that mean a credential: `key`, `api_key`, `api-key`, `apikey`, `helicone_api_key`,
# `token`, `access_token`, `authorization`, `secret`, `password`...
_SECRET_KEY_RE = re.compile(
    r"(?:^|[_.-])(?:api[_-]?key|apikey|key|keys|token|tokens|authorization|auth|bearer|secret|"
    r"secrets|password|passwd)$",
    re.IGNORECASE,
)
# Helicone's keys start sk-, pk- (then helicone-, and eu- for the EU region).
_SECRET_VALUE_RE = re.compile(r"\b[sp]k-helicone-[A-Za-z0-9-]{6,}")

_LOCK_TIMEOUT = 10.0
_NEW_FILE_COMMENT = "helicone-tui presets; hand edits and comments are kept when the app saves"


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


def is_secret_key(key: str) -> bool:
    """True for key names that mean a credential (api_key, token, authorization...)."""
    return bool(_SECRET_KEY_RE.search(key))


def _looks_secret(value: str) -> bool:
    if _SECRET_VALUE_RE.search(value):
        return True
    current = os.environ.get("HELICONE_API_KEY", "").strip()
    return len(current) >= 8 and current in value


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

    @field_validator("description", "session_name")
    @classmethod
    def _no_secret(cls, value: str | None) -> str | None:
        if value is not None and _looks_secret(value):
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
        if self.filter != "all" and _looks_secret(self.filter):
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


def _describe(exc: ValidationError) -> str:
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


def _plain(value: Any) -> Any:
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
        return Preset(name=name, **{k: _plain(v) for k, v in settings.items()})
    except ValidationError as exc:
        raise InvalidPreset(f"preset {name!r}: {_describe(exc)}") from None


# --------------------------------------------------------------------------- results


@dataclass
class LoadResult:
    """What loading found: the presets that validate, and one message per problem.

    `error` is set when the whole file is unusable (does not parse, cannot be read): then there are
    no presets and every change refuses.
    """

    presets: dict[str, Preset] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class ImportResult:
    """What an import did. Conflicts are `skipped` unless replace was asked."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    #: names in the source that did not validate (not imported); `problems` says why
    invalid: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- reading


def _parse(text: str, where: str) -> TOMLDocument:
    try:
        return tomlkit.parse(text)
    except ParseError as exc:
        # tomlkit's message ends with " at line L col C"; say it our way.
        message = re.sub(r"\s+at line \d+ col \d+$", "", str(exc))
        raise PresetFileError(  # tomlkit counts columns from 0, editors (and we) from 1
            f"{where}: line {exc.line}, col {exc.col + 1}: not valid TOML ({message}); "
            "the file is left as it is: fix it by hand"
        ) from None
    except TOMLKitError as exc:
        raise PresetFileError(
            f"{where}: not valid TOML ({exc}); the file is left as it is: fix it by hand"
        ) from None


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PresetFileError(
            f"{where}: line {line}: not UTF-8 text; the file is left as it is: fix it by hand"
        ) from None


def _presets_mapping(doc: Mapping[str, Any], where: str) -> dict[str, Any]:
    value = doc.get("presets")
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise PresetFileError(
            f"{where}: 'presets' must be a table of [presets.NAME] tables; "
            "the file is left as it is: fix it by hand"
        )
    return dict(value)


def _secret_paths(value: Any, prefix: str = "") -> Iterator[str]:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if is_secret_key(str(key)):
                yield path
            else:
                yield from _secret_paths(inner, path)
    elif isinstance(value, list):
        for inner in value:
            yield from _secret_paths(inner, prefix)


def _read_presets(plain: Mapping[str, Any], where: str) -> tuple[dict[str, Preset], list[str]]:
    """Presets from an unwrapped document: the valid ones, and a message per problem."""
    presets: dict[str, Preset] = {}
    problems = [
        f"{where}: {path!r} looks like a credential: helicone-tui never reads keys from this "
        "file; remove it"
        for path in _secret_paths({k: v for k, v in plain.items() if k != "presets"})
    ]
    for name, table in _presets_mapping(plain, where).items():
        preset, notes = _read_one(name, table)
        problems.extend(notes)
        if preset is not None:
            presets[name] = preset
    return presets, problems


def _read_one(name: str, table: Any) -> tuple[Preset | None, list[str]]:
    label = f"preset {name!r}"
    if not isinstance(table, Mapping):
        return None, [f"{label}: not a table (write it as [presets.{_toml_key(name)}])"]
    try:
        check_name(name)
    except InvalidPreset as exc:
        return None, [f"{label}: {exc}"]
    notes = [
        f"{label}: {path!r} looks like a credential and is ignored: presets never hold keys; "
        "remove it"
        for path in _secret_paths(table)
    ]
    known = {k: _plain(v) for k, v in table.items() if k in FIELDS}
    for key in table:
        # Other keys are kept and ignored (a newer version's, a team's notes); a near miss of a
        # setting is most likely a typo that would otherwise be silently ignored.
        guess = difflib.get_close_matches(str(key).lower(), FIELDS, n=1, cutoff=0.75)
        if key not in FIELDS and guess and not is_secret_key(str(key)):
            notes.append(f"{label}: unknown key {key!r} ignored (did you mean {guess[0]!r}?)")
    if not known and any(isinstance(v, Mapping) for v in table.values()):
        inner = next(k for k, v in table.items() if isinstance(v, Mapping))
        notes.append(
            f"{label}: holds only the table {inner!r}; a name with a dot is written quoted: "
            f'[presets."{name}.{inner}"]'
        )
        return None, notes
    try:
        return Preset(name=name, **known), notes
    except ValidationError as exc:
        return None, [*notes, f"{label}: {_describe(exc)}"]


# --------------------------------------------------------------------------- writing helpers


def _toml_key(name: str) -> str:
    # A TOML basic string: only '"' and '\\' need escapes (a name has no control characters);
    # not ASCII escapes, which JSON writes as surrogate pairs for astral characters.
    return name if _BARE_KEY_RE.fullmatch(name) else json.dumps(name, ensure_ascii=False)


def _new_table(preset: Preset) -> Any:
    table = tomlkit.table()
    for key, value in preset.settings().items():
        table.add(key, value)
    table.add(tomlkit.nl())
    return table


def _same_filter(written: Any, canonical: str) -> bool:
    if not isinstance(written, str):
        return False
    from tui.filters.text import format as format_filter
    from tui.filters.text import parse

    try:
        return format_filter(parse(written)) == canonical
    except ValueError:
        return False


def _update_table(table: Any, preset: Preset) -> None:
    """Set the preset's settings in an existing table, keeping its comments and other keys."""
    wanted = preset.settings()
    for key in [k for k in table if is_secret_key(str(k))]:
        del table[key]  # never written back
    for key in FIELDS:
        if key not in wanted:
            if key in table:
                del table[key]
            continue
        current = table.get(key)
        current = current.unwrap() if hasattr(current, "unwrap") else current
        same = _plain(current) == wanted[key]
        if same or (key == "filter" and _same_filter(current, wanted[key])):
            continue  # the user's spelling stays
        table[key] = wanted[key]


def _replace(presets: Any, preset: Preset) -> list[Preset]:
    """Update the preset's table in place; a non-table entry goes, to be added anew."""
    current = presets[preset.name]
    if isinstance(current, Mapping):
        _update_table(current, preset)
        return []
    del presets[preset.name]
    return [preset]


def _presets_table(doc: TOMLDocument, where: str, *, create: bool) -> Any:
    _presets_mapping(doc, where)  # refuses a 'presets' that is not a table
    if "presets" not in doc:
        if not create:
            return None
        doc.add("presets", tomlkit.table(is_super_table=True))
    return doc["presets"]


# Line-level edits for rename and delete: they keep the table where it is and the comments around
# it (tomlkit keeps a comment above a header in the previous table, so deleting one preset would
# drop the comment written above the next). Each result is checked against tomlkit's own edit and
# used only if both mean the same document.
_KEY_TEXT = r"""[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'"""
_PRESET_HEADER_RE = re.compile(
    r"""^[ \t]*\[[ \t]*(?:presets|"presets"|'presets')[ \t]*\.[ \t]*"""
    rf"(?P<key>{_KEY_TEXT})[ \t]*\][ \t]*(?:#.*)?$"
)
_ANY_HEADER_RE = re.compile(r"^[ \t]*\[")
_COMMENT_RE = re.compile(r"^[ \t]*#")


def _key_value(text: str) -> str | None:
    if text[0] in "\"'":
        try:
            return str(tomlkit.parse(f"k = {text}")["k"])
        except TOMLKitError:
            return None
    return text


def _header_line(lines: list[str], name: str) -> tuple[int, re.Match[str]] | None:
    found = [
        (i, m)
        for i, line in enumerate(lines)
        if (m := _PRESET_HEADER_RE.match(line.rstrip("\r\n"))) and _key_value(m["key"]) == name
    ]
    return found[0] if len(found) == 1 else None


def _renamed_text(text: str, old: str, new: str) -> str | None:
    lines = text.splitlines(keepends=True)
    hit = _header_line(lines, old)
    if hit is None:
        return None
    i, match = hit
    line = lines[i]
    lines[i] = line[: match.start("key")] + _toml_key(new) + line[match.end("key") :]
    return "".join(lines)


def _deleted_text(text: str, name: str) -> str | None:
    lines = text.splitlines(keepends=True)
    hit = _header_line(lines, name)
    if hit is None:
        return None
    head = hit[0]
    stop = next((i for i in range(head + 1, len(lines)) if _ANY_HEADER_RE.match(lines[i])), None)
    end = len(lines) if stop is None else stop
    # A comment block right above the next header is that table's; at the end of the file, one
    # set apart by a blank line is the file's. Both stay.
    keep = end
    while keep - 1 > head and _COMMENT_RE.match(lines[keep - 1]):
        keep -= 1
    if keep < end and stop is None and lines[keep - 1].strip():
        keep = end
    return "".join(lines[:head] + lines[keep:])


def _tidy(text: str, before: str, new_names: list[str]) -> str:
    """A blank line above each new header; no trailing blank line the file did not have."""
    lines = text.splitlines(keepends=True)
    for name in new_names:
        hit = _header_line(lines, name)
        if hit is not None and hit[0] > 0 and lines[hit[0] - 1].strip():
            if not lines[hit[0] - 1].endswith("\n"):
                lines[hit[0] - 1] += "\n"
            lines.insert(hit[0], "\n")
    out = "".join(lines)
    while out.endswith("\n\n") and not before.endswith("\n\n"):
        out = out[:-1]
    return out


def _means(text: str, intended: dict[str, Any]) -> bool:
    """True when `text` reads back as exactly the `intended` document."""
    def plain(doc: dict[str, Any]) -> dict[str, Any]:
        # An empty [presets] table and none mean the same: no presets (deleting the last one).
        return {k: v for k, v in doc.items() if not (k == "presets" and v == {})}

    try:
        return plain(tomlkit.parse(text).unwrap()) == plain(intended)
    except TOMLKitError:
        return False


def _with_tables(text: str, before: str, additions: list[Preset]) -> str | None:
    """`text` with new [presets.NAME] tables where tomlkit puts them: after the other presets."""
    try:
        doc = tomlkit.parse(text)
        presets = _presets_table(doc, "", create=True)
        for preset in additions:
            presets[preset.name] = _new_table(preset)
    except Exception:  # tomlkit refuses some layouts (a table into an inline table...)
        return None
    return _tidy(doc.as_string(), before, [p.name for p in additions])


def _appended(text: str, additions: list[Preset]) -> str:
    """`text` with the new tables at its end (for layouts tomlkit places them wrongly in)."""
    head = text.rstrip("\n")
    return (head + "\n\n" if head else "") + presets_text(additions)


# --------------------------------------------------------------------------- files


def _fsync_dir(folder: str) -> None:
    with contextlib.suppress(OSError):  # some filesystems refuse to open or sync a folder
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_atomic(target: str, text: str) -> None:
    """Replace `target` (a real file, not a symlink) with `text`: temp file, fsync, rename."""
    folder = os.path.dirname(target) or "."
    try:
        existing = os.stat(target)
    except FileNotFoundError:
        existing = None
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder)
    try:
        os.fchmod(fd, (existing.st_mode & 0o7777) if existing else 0o600)
        if existing is not None:
            with contextlib.suppress(OSError):  # keep the owner where we may (root editing)
                os.fchown(fd, existing.st_uid, existing.st_gid)
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(folder)


@contextlib.contextmanager
def _locked(folder: str) -> Iterator[None]:
    """An exclusive lock on the presets file's folder: no lock file is left beside the file,
    and the folder, unlike the file, is not replaced by each write's rename."""
    import fcntl

    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        deadline = time.monotonic() + _LOCK_TIMEOUT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise PresetFileError(
                        f"{folder}: another helicone-tui has held the presets lock for "
                        f"{_LOCK_TIMEOUT:.0f} s; nothing was changed"
                    ) from None
                time.sleep(0.005)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- the store


class PresetStore:
    """The presets file at `path` (default: `--presets-file`, `$HELICONE_TUI_PRESETS`, else the
    XDG config folder's presets.toml). Reads are lock-free (writes are atomic renames); every change
    locks, re-reads, applies, writes.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        if path is None:
            from tui.locations import presets_file

            path = presets_file()
        self.path = Path(path).expanduser()

    def __repr__(self) -> str:
        return f"PresetStore({str(self.path)!r})"

    # ---- reading

    def load(self) -> LoadResult:
        """The presets that validate and a message per problem; never raises for file contents."""
        try:
            text = self._read()
        except PresetFileError as exc:
            return LoadResult(problems=[str(exc)], error=str(exc))
        if text is None:
            return LoadResult()
        try:
            doc = _parse(text, str(self.path))
            presets, problems = _read_presets(doc.unwrap(), str(self.path))
        except PresetFileError as exc:
            return LoadResult(problems=[str(exc)], error=str(exc))
        return LoadResult(presets=presets, problems=problems)

    def get(self, name: str) -> Preset:
        """One preset; UnknownPreset or InvalidPreset (its problem) or PresetFileError."""
        result = self.load()
        if result.error:
            raise PresetFileError(result.error)
        if name in result.presets:
            return result.presets[name]
        mine = [p for p in result.problems if p.startswith(f"preset {name!r}:")]
        if mine:
            raise InvalidPreset("; ".join(mine))
        raise self._unknown(name, list(result.presets))

    def export(self, names: list[str] | tuple[str, ...] = ()) -> str:
        """The named presets (all valid ones when none are named) as a presets TOML text."""
        result = self.load()
        if result.error:
            raise PresetFileError(result.error)
        if names:
            chosen = [self.get(name) for name in dict.fromkeys(names)]
        else:
            chosen = list(result.presets.values())
        return presets_text(chosen)

    # ---- changing

    def save(self, preset: Preset, *, replace: bool = False) -> None:
        """Add `preset`, or (with replace) update the one of that name in place."""

        def change(doc: TOMLDocument) -> list[Preset]:
            presets = _presets_table(doc, str(self.path), create=False)
            if presets is None or preset.name not in presets:
                return [preset]
            if not replace:
                raise PresetExists(f"a preset named {preset.name!r} already exists")
            return _replace(presets, preset)

        self._change(change)

    def rename(self, old: str, new: str) -> None:
        """Rename a preset (valid or not), keeping its place, settings and comments."""
        check_name(new)

        def change(doc: TOMLDocument) -> list[Preset]:
            presets = self._existing(doc, old)
            if new == old:
                return []
            if new in presets:
                raise PresetExists(f"a preset named {new!r} already exists")
            # tomlkit has no rename: the table moves to the end (the line edit keeps its place).
            item = presets[old]
            try:
                moved = copy.deepcopy(item)
            except Exception:  # a proxy tomlkit cannot copy: its values will do
                moved = tomlkit.item(item.unwrap() if hasattr(item, "unwrap") else dict(item))
            del presets[old]
            presets[new] = moved
            return []

        self._change(change, lines=lambda text: _renamed_text(text, old, new))

    def delete(self, name: str) -> None:
        """Delete a preset (valid or not) and the comments inside it."""

        def change(doc: TOMLDocument) -> list[Preset]:
            del self._existing(doc, name)[name]
            return []

        self._change(change, lines=lambda text: _deleted_text(text, name))

    def import_(
        self, source: str | os.PathLike[str], *, replace: bool = False
    ) -> ImportResult:
        """Import presets from TOML text (a str) or a file (a Path), in one locked write.

        Invalid presets are listed in `problems` and not imported; names taken are `skipped`
        unless `replace`; identical ones are `unchanged`.
        """
        if isinstance(source, str):
            text, where = source, "the imported text"
        else:
            where = str(source)
            try:
                text = _decode(Path(source).read_bytes(), where)
            except OSError as exc:
                raise PresetFileError(f"{where}: cannot read: {exc.strerror or exc}") from None
        plain = _parse(text, where).unwrap()
        if "presets" not in plain:
            raise PresetFileError(f"{where}: no [presets.NAME] tables to import")
        incoming, problems = _read_presets(plain, where)
        invalid = [name for name in _presets_mapping(plain, where) if name not in incoming]
        result = ImportResult(invalid=invalid, problems=problems)

        def change(doc: TOMLDocument) -> list[Preset]:
            presets = _presets_table(doc, str(self.path), create=False)
            current, _ = _read_presets(doc.unwrap(), str(self.path))
            result.added, result.replaced, result.skipped, result.unchanged = [], [], [], []
            additions: list[Preset] = []
            for name, preset in incoming.items():
                if presets is None or name not in presets:
                    additions.append(preset)
                    result.added.append(name)
                elif current.get(name) == preset:
                    result.unchanged.append(name)
                elif not replace:
                    result.skipped.append(name)
                else:
                    additions.extend(_replace(presets, preset))
                    result.replaced.append(name)
            return additions

        if incoming:
            self._change(change)
        return result

    # ---- internals

    def _unknown(self, name: str, known: list[str]) -> UnknownPreset:
        listed = ", ".join(sorted(known)) if known else "none"
        return UnknownPreset(f"no preset named {name!r} in {self.path} (presets: {listed})")

    def _existing(self, doc: TOMLDocument, name: str) -> Any:
        presets = _presets_table(doc, str(self.path), create=False)
        if presets is None or name not in presets:
            raise self._unknown(name, list(presets or ()))
        return presets

    def _target(self) -> str:
        # A symlink is followed to its (final) target, which is what gets replaced.
        return os.path.realpath(self.path)

    def _read(self) -> str | None:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise PresetFileError(f"{self.path}: cannot read: {exc.strerror or exc}") from None
        return _decode(data, str(self.path))

    def _change(
        self,
        change: Callable[[TOMLDocument], list[Preset]],
        *,
        lines: Callable[[str], str | None] | None = None,
    ) -> None:
        """Lock, re-read, apply `change` to the document, write atomically, unlock.

        `change` edits the document in place and returns the presets to add as new tables.
        `lines`, when given, makes the same change on the text line by line. Of the texts that
        could be written, the first that reads back as the intended document is; when none does
        (a layout tomlkit mishandles), nothing is written.
        """
        target = self._target()
        folder = os.path.dirname(target)
        try:
            os.makedirs(folder, mode=0o700, exist_ok=True)
            if os.path.exists(target) and not os.access(target, os.W_OK):
                raise PresetFileError(f"{self.path}: the file is read-only; nothing was changed")
            with _locked(folder or "."):
                before = self._read()
                doc = _parse(before or "", str(self.path))
                additions = change(doc)
                intended = doc.unwrap()
                for preset in additions:
                    intended.setdefault("presets", {})[preset.name] = preset.settings()
                edited = doc.as_string()
                candidates: list[Callable[[], str | None]] = []
                if lines is not None and before is not None:
                    candidates.append(lambda: lines(before))
                candidates.append(lambda: _with_tables(edited, before or "\n", additions))
                if additions:
                    candidates.append(lambda: _appended(edited, additions))
                after = next(
                    (t for make in candidates if (t := make()) is not None and _means(t, intended)),
                    None,
                )
                if after is None:
                    raise PresetFileError(
                        f"{self.path}: this change cannot be written without disturbing the "
                        "file's other settings (an unusual layout); nothing was changed: write "
                        "presets as [presets.NAME] tables"
                    )
                if before is None:
                    after = f"# {_NEW_FILE_COMMENT}\n\n{after}"
                if after == before:
                    return
                _write_atomic(target, after)
        except OSError as exc:
            raise PresetFileError(
                f"{self.path}: cannot write: {exc.strerror or exc}; nothing was changed"
            ) from None


def presets_text(presets: list[Preset]) -> str:
    """Presets as a TOML text that `import_` reads back."""
    doc = tomlkit.document()
    table = tomlkit.table(is_super_table=True)
    for preset in presets:
        table[preset.name] = _new_table(preset)
    doc.add("presets", table)
    text = doc.as_string()
    return text.rstrip("\n") + "\n" if text.strip() else ""
