"""Where helicone-tui keeps its files: XDG base directories (no Textual, no heavy imports)."""

from __future__ import annotations

import os
from pathlib import Path

APP_DIR = "helicone-tui"


def _xdg(var: str, fallback: str) -> Path:
    # The XDG spec says a relative path in the variable is invalid and must be ignored.
    value = os.environ.get(var, "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / fallback


def config_dir() -> Path:
    """`$XDG_CONFIG_HOME/helicone-tui` (default `~/.config/helicone-tui`)."""
    return _xdg("XDG_CONFIG_HOME", ".config") / APP_DIR


def config_file() -> Path:
    """The settings file: `config.toml` in the config folder."""
    return config_dir() / "config.toml"


def presets_file() -> Path:
    """The presets file: `$HELICONE_TUI_PRESETS`, else `presets.toml` in the config folder."""
    override = os.environ.get("HELICONE_TUI_PRESETS", "")
    return Path(override).expanduser() if override else config_dir() / "presets.toml"


def state_dir() -> Path:
    """`$XDG_STATE_HOME/helicone-tui` (default `~/.local/state/helicone-tui`)."""
    return _xdg("XDG_STATE_HOME", ".local/state") / APP_DIR


def cache_dir() -> Path:
    """`$XDG_CACHE_HOME/helicone-tui` (default `~/.cache/helicone-tui`)."""
    return _xdg("XDG_CACHE_HOME", ".cache") / APP_DIR
