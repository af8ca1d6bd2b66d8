"""Key bindings: every binding has an id, and the config file's `[keys]` table remaps by id.

```toml
[keys]
"main.filter" = "slash,ctrl+f"     # one key or several, comma-separated (Textual key names)
"scores.increment" = "I"
```

The ids are listed by `?` in the app and in `known_ids()`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.binding import Binding, BindingType


def binding_ids(bindings: Iterable[BindingType]) -> list[str]:
    return [b.id for b in bindings if isinstance(b, Binding) and b.id]


def known_ids() -> list[str]:
    """Every binding id the app defines (main screen, tabs, modals, widgets), in a stable order.

    Imports every screen and widget module, so it is only called when `[keys]` names something.
    """
    import pkgutil
    from importlib import import_module

    import tui.screens
    import tui.widgets
    from tui.screens.main import MainScreen

    ids = binding_ids(MainScreen.BINDINGS)
    for package in (tui.screens, tui.widgets):
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            module = import_module(f"{package.__name__}.{info.name}")
            for value in vars(module).values():
                if isinstance(value, type) and value.__module__ == module.__name__:
                    ids += [i for i in binding_ids(getattr(value, "BINDINGS", ())) if i not in ids]
    return ids


def load_keymap(path: Path | None = None) -> tuple[dict[str, str], list[str]]:
    """The `[keys]` table of config.toml as a keymap, and warnings to show (never fatal).

    A broken config file or an unknown id is reported and otherwise ignored: the app still starts
    with its default keys.
    """
    from tui.config import ConfigError, load_config

    try:
        config = load_config(path)
    except ConfigError as exc:
        return {}, [exc.message]
    keymap: dict[str, str] = {}
    warnings: list[str] = []
    if not config.keys:
        return keymap, warnings
    known = set(known_ids())
    for binding_id, keys in config.keys.items():
        if binding_id not in known:
            warnings.append(f"[keys] in {config.path}: unknown binding id {binding_id!r} (see ?)")
            continue
        cleaned = ",".join(k.strip() for k in keys.split(",") if k.strip())
        if not cleaned:
            warnings.append(f"[keys] in {config.path}: {binding_id!r} has no key")
            continue
        keymap[binding_id] = cleaned
    return keymap, warnings
