"""Presets: named filters, ranges and tab options in TOML (DESIGN.md, "Presets file").

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

The package, by job: `model` (the Preset and its errors), `secrets` (what looks like a key),
`reading` (TOML text to presets), `toml_edit` (edits that keep the file's layout), `store` (the
file: locking, atomic writes).
"""

from __future__ import annotations

from tui.presets.model import (
    FIELDS,
    NAME_PATTERN,
    InvalidPreset,
    Preset,
    PresetError,
    PresetExists,
    PresetFileError,
    UnknownPreset,
    check_name,
    make_preset,
)
from tui.presets.secrets import is_secret_key
from tui.presets.store import ImportResult, LoadResult, PresetStore
from tui.presets.toml_edit import presets_text

__all__ = [
    "FIELDS",
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
    "is_secret_key",
    "make_preset",
    "presets_text",
]
