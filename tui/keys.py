"""Key bindings: every binding has an id, and the config file's `[keys]` table remaps by id.

```toml
[keys]
"main.filter" = "slash,ctrl+f"     # one key or several, comma-separated (Textual key names)
"scores.increment" = "I"
```

The ids are listed by `?` in the app and in `known_ids()`. A remap onto a key another binding of
the same screen already has is refused, with a warning naming both.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.binding import Binding, BindingType


def binding_ids(bindings: Iterable[BindingType]) -> list[str]:
    return [b.id for b in bindings if isinstance(b, Binding) and b.id]


def binding_owners() -> dict[str, tuple[str, Binding]]:
    """Every binding by id: (the scope it is active in, the binding), in a stable order.

    Imports every screen and widget module, so it is only called when `[keys]` names something.
    The main screen and its tabs share one scope (their keys are active together); every other
    class is its own. Two tabs are never shown together, so they may share a key.
    """
    import pkgutil
    from importlib import import_module

    import tui.screens
    import tui.widgets
    from tui.screens.base import QueryTab
    from tui.screens.main import MainScreen

    owners: dict[str, tuple[str, Binding]] = {}

    def add(cls: type, scope: str) -> None:
        for b in getattr(cls, "BINDINGS", ()):
            if isinstance(b, Binding) and b.id and b.id not in owners:
                owners[b.id] = (scope, b)

    add(MainScreen, "main")
    for package in (tui.screens, tui.widgets):
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            module = import_module(f"{package.__name__}.{info.name}")
            for value in vars(module).values():
                if isinstance(value, type) and value.__module__ == module.__name__:
                    tab = issubclass(value, QueryTab)
                    add(value, f"main/{value.__name__}" if tab else value.__qualname__)
    return owners


def known_ids() -> list[str]:
    """Every binding id the app defines (main screen, tabs, modals, widgets), in a stable order."""
    return list(binding_owners())


def _together(a: str, b: str) -> bool:
    """Bindings of these scopes can be active at once (see `binding_owners`)."""
    return a == b or ({a.split("/")[0], b.split("/")[0]} == {"main"} and "main" in (a, b))


def _key_set(keys: str) -> set[str]:
    from textual.keys import _normalize_key_list

    return {k for k in _normalize_key_list(keys).split(",") if k}


def _conflict(
    binding_id: str, keys: str, owners: dict[str, tuple[str, Binding]], keymap: dict[str, str]
) -> tuple[str, str] | None:
    """(the other binding's id, the key) that `binding_id` on `keys` would collide with."""
    scope = owners[binding_id][0]
    wanted = _key_set(keys)
    for other, (other_scope, binding) in owners.items():
        if other == binding_id or not _together(scope, other_scope):
            continue
        taken = wanted & _key_set(keymap.get(other, binding.key))
        if taken:
            return other, sorted(taken)[0]
    return None


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
    owners = binding_owners()
    for binding_id, keys in config.keys.items():
        if binding_id not in owners:
            warnings.append(f"[keys] in {config.path}: unknown binding id {binding_id!r} (see ?)")
            continue
        cleaned = ",".join(k.strip() for k in keys.split(",") if k.strip())
        if not cleaned:
            warnings.append(f"[keys] in {config.path}: {binding_id!r} has no key")
            continue
        clash = _conflict(binding_id, cleaned, owners, keymap)
        if clash is not None:  # a silent override would take an action away from keys and ?
            other, key = clash
            what = owners[other][1].description or other
            warnings.append(
                f"[keys] in {config.path}: {binding_id!r} = {cleaned!r} refused: {key!r} is "
                f"already {other!r} ({what}); both keep their keys"
            )
            continue
        keymap[binding_id] = cleaned
    return keymap, warnings
