"""Reading presets out of TOML text: parse, decode, and validate each preset on its own."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import tomlkit
from pydantic import ValidationError
from tomlkit.exceptions import ParseError, TOMLKitError

from tui.presets.model import (
    FIELDS,
    InvalidPreset,
    Preset,
    PresetFileError,
    check_name,
    describe,
    plain_value,
    toml_key,
)
from tui.presets.secrets import is_secret_key, secret_paths

if TYPE_CHECKING:
    from tomlkit.toml_document import TOMLDocument


def parse_document(text: str, where: str) -> TOMLDocument:
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


def decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PresetFileError(
            f"{where}: line {line}: not UTF-8 text; the file is left as it is: fix it by hand"
        ) from None


def presets_mapping(doc: Mapping[str, Any], where: str) -> dict[str, Any]:
    value = doc.get("presets")
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise PresetFileError(
            f"{where}: 'presets' must be a table of [presets.NAME] tables; "
            "the file is left as it is: fix it by hand"
        )
    return dict(value)


def read_presets(plain: Mapping[str, Any], where: str) -> tuple[dict[str, Preset], list[str]]:
    """Presets from an unwrapped document: the valid ones, and a message per problem."""
    presets: dict[str, Preset] = {}
    problems = [
        f"{where}: {path!r} looks like a credential: helicone-tui never reads keys from this "
        "file; remove it"
        for path in secret_paths({k: v for k, v in plain.items() if k != "presets"})
    ]
    for name, table in presets_mapping(plain, where).items():
        preset, notes = _read_one(name, table)
        problems.extend(notes)
        if preset is not None:
            presets[name] = preset
    return presets, problems


def _read_one(name: str, table: Any) -> tuple[Preset | None, list[str]]:
    label = f"preset {name!r}"
    if not isinstance(table, Mapping):
        return None, [f"{label}: not a table (write it as [presets.{toml_key(name)}])"]
    try:
        check_name(name)
    except InvalidPreset as exc:
        return None, [f"{label}: {exc}"]
    notes = [
        f"{label}: {path!r} looks like a credential and is ignored: presets never hold keys; "
        "remove it"
        for path in secret_paths(table)
    ]
    known = {k: plain_value(v) for k, v in table.items() if k in FIELDS}
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
        return None, [*notes, f"{label}: {describe(exc)}"]
