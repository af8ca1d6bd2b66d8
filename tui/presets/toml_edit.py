"""Edits of a presets TOML document that keep the user's comments, spelling and layout.

Edited with tomlkit, so comments, unknown keys and unknown tables survive a save; rename and delete
are also tried line by line (see below), and every candidate text is checked to read back as the
intended document before it is written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from tui.presets.model import FIELDS, Preset, plain_value, toml_key
from tui.presets.reading import presets_mapping
from tui.presets.secrets import is_secret_key

if TYPE_CHECKING:
    from tomlkit.toml_document import TOMLDocument


def new_table(preset: Preset) -> Any:
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
        value = wanted[key]
        same = plain_value(current) == value
        if same or (key == "filter" and isinstance(value, str) and _same_filter(current, value)):
            continue  # the user's spelling stays
        table[key] = value


def replace_table(presets: Any, preset: Preset) -> list[Preset]:
    """Update the preset's table in place; a non-table entry goes, to be added anew."""
    current = presets[preset.name]
    if isinstance(current, Mapping):
        _update_table(current, preset)
        return []
    del presets[preset.name]
    return [preset]


def presets_table(doc: TOMLDocument, where: str, *, create: bool) -> Any:
    presets_mapping(doc, where)  # refuses a 'presets' that is not a table
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


def renamed_text(text: str, old: str, new: str) -> str | None:
    lines = text.splitlines(keepends=True)
    hit = _header_line(lines, old)
    if hit is None:
        return None
    i, match = hit
    line = lines[i]
    lines[i] = line[: match.start("key")] + toml_key(new) + line[match.end("key") :]
    return "".join(lines)


def deleted_text(text: str, name: str) -> str | None:
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


def means(text: str, intended: dict[str, Any]) -> bool:
    """True when `text` reads back as exactly the `intended` document."""
    def plain(doc: dict[str, Any]) -> dict[str, Any]:
        # An empty [presets] table and none mean the same: no presets (deleting the last one).
        return {k: v for k, v in doc.items() if not (k == "presets" and v == {})}

    try:
        return plain(tomlkit.parse(text).unwrap()) == plain(intended)
    except TOMLKitError:
        return False


def with_tables(text: str, before: str, additions: list[Preset]) -> str | None:
    """`text` with new [presets.NAME] tables where tomlkit puts them: after the other presets."""
    try:
        doc = tomlkit.parse(text)
        presets = presets_table(doc, "", create=True)
        for preset in additions:
            presets[preset.name] = new_table(preset)
    except Exception:  # tomlkit refuses some layouts (a table into an inline table...)
        return None
    return _tidy(doc.as_string(), before, [p.name for p in additions])


def appended(text: str, additions: list[Preset]) -> str:
    """`text` with the new tables at its end (for layouts tomlkit places them wrongly in)."""
    head = text.rstrip("\n")
    return (head + "\n\n" if head else "") + presets_text(additions)


def presets_text(presets: list[Preset]) -> str:
    """Presets as a TOML text that `import_` reads back."""
    doc = tomlkit.document()
    table = tomlkit.table(is_super_table=True)
    for preset in presets:
        table[preset.name] = new_table(preset)
    doc.add("presets", table)
    text = doc.as_string()
    return text.rstrip("\n") + "\n" if text.strip() else ""
