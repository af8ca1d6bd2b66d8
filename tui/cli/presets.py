"""`helicone-tui presets …`: list, show, rename, delete, export and import saved presets.

Data (list, show, export) goes to stdout; what was done and what went wrong goes to stderr.
Exit status: 0 ok; 2 usage, unknown preset, a broken file, or an import with invalid presets.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.presets import Preset, PresetStore

PROG = "helicone-tui"
EXIT_OK = 0
EXIT_USAGE = 2


def add_presets_parser(subparsers: Any) -> None:
    """Add the `presets` command (and its sub-commands) to a parser's sub-commands."""
    # SUPPRESS: a sub-parser's default would overwrite a --presets-file given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--presets-file",
        metavar="FILE",
        type=Path,
        default=argparse.SUPPRESS,
        help="the presets file (default: $HELICONE_TUI_PRESETS, else "
        "$XDG_CONFIG_HOME/helicone-tui/presets.toml)",
    )
    presets = subparsers.add_parser(
        "presets",
        parents=[common],
        help="list, show, rename, delete, export and import saved presets",
        description="Manage saved presets (named filters, ranges and tab options).",
    )
    presets.set_defaults(run=run_presets)
    sub = presets.add_subparsers(dest="presets_command", metavar="COMMAND", required=True)

    sub.add_parser("list", parents=[common], help="list the presets, one a line")
    show = sub.add_parser("show", parents=[common], help="show one preset's settings")
    show.add_argument("name", metavar="NAME")
    rename = sub.add_parser("rename", parents=[common], help="rename a preset")
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    delete = sub.add_parser("delete", parents=[common], help="delete a preset")
    delete.add_argument("name", metavar="NAME")
    export = sub.add_parser(
        "export", parents=[common], help="print presets as TOML (all when no NAME is given)"
    )
    export.add_argument("names", metavar="NAME", nargs="*")
    imp = sub.add_parser(
        "import",
        parents=[common],
        help="add the presets of a TOML file ('-' reads stdin); names taken are skipped",
    )
    imp.add_argument("file", metavar="FILE")
    imp.add_argument(
        "--replace", action="store_true", help="overwrite presets whose names are taken"
    )


def run_presets(args: argparse.Namespace) -> int:
    """Run `presets <command>` for parsed arguments; returns the exit status."""
    from tui.presets import PresetError, PresetStore

    store = PresetStore(getattr(args, "presets_file", None))
    command = args.presets_command
    try:
        if command == "list":
            return _list(store)
        if command == "show":
            return _show(store, args.name)
        if command == "rename":
            store.rename(args.old, args.new)
            _say(f"renamed {args.old!r} to {args.new!r} in {store.path}")
            return EXIT_OK
        if command == "delete":
            store.delete(args.name)
            _say(f"deleted {args.name!r} from {store.path}")
            return EXIT_OK
        if command == "export":
            return _export(store, args.names)
        if command == "import":
            return _import(store, args.file, replace=args.replace)
    except PresetError as exc:
        _say(str(exc))
        return EXIT_USAGE
    _say(f"unknown presets command {command!r}")
    return EXIT_USAGE


def _say(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr)


def _loaded(store: PresetStore) -> dict[str, Preset] | None:
    """The valid presets (problems told on stderr), or None when the file is unusable."""
    result = store.load()
    for problem in result.problems:
        _say(problem)
    return None if result.error else result.presets


def _list(store: PresetStore) -> int:
    presets = _loaded(store)
    if presets is None:
        return EXIT_USAGE
    if not presets:
        where = "" if store.path.exists() else " (the file does not exist yet)"
        _say(f"no presets in {store.path}{where}")
        return EXIT_OK
    rows = [("NAME", "RANGE", "FILTER", "DESCRIPTION")]
    rows += [(p.name, p.range_text(), p.filter, p.description) for p in presets.values()]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[3]]).rstrip())
    return EXIT_OK


def _show(store: PresetStore, name: str) -> int:
    preset = store.get(name)
    print(preset.name)
    for key, value in preset.settings().items():
        shown = ("true" if value else "false") if isinstance(value, bool) else value
        print(f"  {key:<14}{shown}")
    return EXIT_OK


def _export(store: PresetStore, names: list[str]) -> int:
    if not names and _loaded(store) is None:
        return EXIT_USAGE
    sys.stdout.write(store.export(names))
    return EXIT_OK


def _import(store: PresetStore, source: str, *, replace: bool) -> int:
    from tui.presets import PresetFileError

    if source == "-":
        result = store.import_(sys.stdin.read(), replace=replace)
    else:
        path = Path(source)
        if not path.is_file():
            raise PresetFileError(f"{source}: no such file")
        result = store.import_(path, replace=replace)
    for problem in result.problems:
        _say(problem)
    if result.added:
        _say(f"added {len(result.added)}: {', '.join(result.added)}")
    if result.replaced:
        _say(f"replaced {len(result.replaced)}: {', '.join(result.replaced)}")
    if result.unchanged:
        _say(f"already the same {len(result.unchanged)}: {', '.join(result.unchanged)}")
    if result.skipped:
        _say(
            f"skipped {len(result.skipped)} whose names are taken: {', '.join(result.skipped)} "
            "(--replace overwrites them)"
        )
    if result.invalid:
        _say(f"not imported {len(result.invalid)} invalid: {', '.join(result.invalid)}")
        return EXIT_USAGE
    if not (result.added or result.replaced or result.unchanged or result.skipped):
        _say(f"{source}: no presets to import")
    return EXIT_OK
