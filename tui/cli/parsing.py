"""What every sub-command shares: the error it exits with, the argument types and groups (target,
filter, range, clock) and turning those arguments into a preset, a range and a filter tree."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.api.timerange import TimeRange
    from tui.filters.tree import Node
    from tui.presets import Preset

PROG = "helicone-tui"
DEFAULT_SINCE = "24h"

EXIT_OK, EXIT_USAGE, EXIT_API, EXIT_NETWORK = 0, 2, 3, 4


class CliError(Exception):
    """A problem to report on stderr and exit with (`exit_code`, 2 unless said otherwise)."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.detail = detail  # more lines (e.g. the filter with a caret under the column)


def say(message: str) -> None:
    from tui.safe import visible  # messages carry server, file and path text: shown as text

    print(f"{PROG}: {visible(message, block=True)}", file=sys.stderr)


# --------------------------------------------------------------------------- argument types


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r}: must be more than 0 seconds")
    return value


def non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: must be 0 or more")
    return value


def positive_int(text: str) -> int:
    value = non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError(f"{text!r}: must be 1 or more")
    return value


def whole_minutes(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of minutes") from None


def duration(text: str) -> str:
    from tui.api.timerange import RangeError, parse_duration

    try:
        parse_duration(text)
    except RangeError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


# --------------------------------------------------------------------------- option groups


def add_target_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "target", "where to send queries (default: $HELICONE_BASE_URL, else https://api.helicone.ai)"
    )
    where = group.add_mutually_exclusive_group()
    where.add_argument(
        "--demo", action="store_true",
        help="start a demo server on 127.0.0.1 for this run (needs helicone-tui[demo])",
    )
    where.add_argument("--base-url", metavar="URL", help="Helicone's API (or a compatible server)")
    where.add_argument("--eu", action="store_true", help="Helicone's EU region: eu.api.helicone.ai")
    group.add_argument("--seed", type=int, metavar="N", help="with --demo: the data's seed")
    group.add_argument("--data", metavar="FILE", help="with --demo: serve this Parquet/JSONL file")
    group.add_argument(
        "--allow-insecure-http", action="store_true",
        help="allow plain http:// to a host that is not loopback (sends the key unencrypted)",
    )
    group.add_argument(
        "--timeout", type=positive_float, default=60.0, metavar="S",
        help="total seconds per request (default 60: Helicone runs a query for up to 60 s)",
    )


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("filter")
    which = group.add_mutually_exclusive_group()
    which.add_argument(
        "--filter", metavar="TEXT",
        help="filter text, e.g. \"model ilike '%%gpt-4%%' and status >= 500\"",
    )
    which.add_argument("--filter-json", metavar="JSON", help="a filter in Helicone's JSON form")
    group.add_argument(
        "--preset", metavar="NAME",
        help="a saved preset: its filter, range and tab options (an explicit --filter, "
        "--filter-json, range or tab option replaces the preset's)",
    )
    group.add_argument(
        "--presets-file", metavar="FILE", type=Path,
        help="the presets file (default: $HELICONE_TUI_PRESETS, else "
        "$XDG_CONFIG_HOME/helicone-tui/presets.toml)",
    )


def add_range_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "range", "default: --since 24h; ISO times without a zone are local time"
    )
    which = group.add_mutually_exclusive_group()
    which.add_argument(
        "--since", type=duration, metavar="DURATION",
        help="a sliding range ending now: <n>(m|h|d|w), e.g. 15m 6h 7d 2w",
    )
    which.add_argument("--start", metavar="ISO", help="range start, e.g. 2026-11-20T08:00")
    group.add_argument("--end", metavar="ISO", help="range end (default: now; needs --start)")


def add_clock_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--now", metavar="ISO",
        help="fix the clock at this instant (also $HELICONE_TUI_NOW)",
    )


# --------------------------------------------------------------------------- resolution


def apply_clock(args: argparse.Namespace) -> None:
    """--now fixes the clock for the whole process; a bad $HELICONE_TUI_NOW is a usage error."""
    from tui import clock

    try:
        if getattr(args, "now", None):
            clock.fix(args.now)
        clock.fixed()
    except clock.ClockError as exc:
        raise CliError(f"--now: {exc}" if getattr(args, "now", None) else str(exc)) from None


def preset_from_args(args: argparse.Namespace) -> Preset | None:
    """--preset NAME from --presets-file / $HELICONE_TUI_PRESETS / the default file.

    An unknown name (the message lists the known ones), a preset that does not validate and a
    file that does not parse (its line) are usage errors."""
    name = getattr(args, "preset", None)
    if name is None:
        return None
    from tui.presets import PresetError, PresetStore

    store = PresetStore(getattr(args, "presets_file", None))
    try:
        return store.get(name)
    except PresetError as exc:
        raise CliError(f"--preset: {exc}") from None


def range_from_args(args: argparse.Namespace, preset: Preset | None = None) -> TimeRange:
    """--since | --start [--end], else the preset's range, else --since 24h, as a TimeRange."""
    from tui.api.timerange import RangeError, TimeRange, parse_time

    try:
        if getattr(args, "start", None):
            start = parse_time(args.start)
            end = parse_time(args.end) if args.end else None
            return TimeRange.absolute(start, end)
        if getattr(args, "end", None):
            raise CliError("--end needs --start (or use --since DURATION)")
        if getattr(args, "since", None):
            return TimeRange.since(args.since)
        from_preset = preset.time_range() if preset is not None else None
        return from_preset or TimeRange.since(DEFAULT_SINCE)
    except RangeError as exc:
        raise CliError(str(exc)) from None


def filter_from_args(
    args: argparse.Namespace, preset: Preset | None = None
) -> tuple[Node, list[str]]:
    """--filter TEXT | --filter-json JSON (else the preset's filter) as a tree, with notices."""
    from tui.api import wirejson
    from tui.filters.text import FilterSyntaxError, parse
    from tui.filters.tree import ALL, MAX_CONDITIONS, MAX_JSON_DEPTH, FilterError
    from tui.filters.wire import from_wire

    text = getattr(args, "filter", None)
    if text is not None:
        try:
            return parse(text), []
        except FilterSyntaxError as exc:
            from tui.safe import visible

            # The text as the terminal can show it (a control character or a lone surrogate
            # written as its escape), the caret under the same character.
            caret = " " * len(visible(text[: max(exc.column, 1) - 1])) + "^"
            raise CliError(f"bad --filter: {exc}", detail=f"  {visible(text)}\n  {caret}") from None
        except FilterError as exc:
            raise CliError(f"bad --filter: {exc}") from None
    raw = getattr(args, "filter_json", None)
    if raw is not None:
        try:
            obj = wirejson.loads(raw, max_depth=MAX_JSON_DEPTH)
        except wirejson.NestingError as exc:
            raise CliError(f"--filter-json is {exc}: a filter of at most {MAX_CONDITIONS} "
                           "conditions is taken") from None
        except ValueError as exc:
            raise CliError(f"--filter-json is not JSON: {exc}") from None
        try:
            return from_wire(obj)
        except FilterError as exc:
            raise CliError(f"bad --filter-json: {exc}") from None
    if preset is not None:
        try:
            return parse(preset.filter), []
        except (FilterSyntaxError, FilterError) as exc:
            raise CliError(f"--preset {preset.name}: bad filter: {exc}") from None
    return ALL, []


def filter_caveats(node: Node, *, sessions: bool) -> list[str]:
    """The catalogue's caveats of the filter's conditions, each once per field (DESIGN.md,
    "Caveats from the catalogue"): never applied silently, so the CLI prints them."""
    from tui.filters.editing import condition_caveats
    from tui.filters.text import format_field
    from tui.filters.tree import conditions

    seen: dict[tuple[str, str], str] = {}
    for cond in conditions(node):
        label = format_field(cond.field, cond.key)
        for caveat in condition_caveats(cond, sessions=sessions):
            seen.setdefault((label, caveat), f"{label}: {caveat}")
    return list(seen.values())
