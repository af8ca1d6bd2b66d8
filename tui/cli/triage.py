"""`helicone-tui triage`: what changed in the window, since when, for whom (DESIGN.md "Triage").

Findings to stdout (most severe first), the number of requests sent to stderr (the JSON contract
has no key for it). Exit 0, or 1 with --exit-code when there is a finding. The detector's
libraries (numpy, ruptures) are imported only when triage runs.
"""

from __future__ import annotations

import argparse
import sys

from tui.cli.parsing import (
    EXIT_OK,
    PROG,
    CliError,
    add_clock_option,
    add_filter_options,
    add_range_options,
    add_target_options,
    apply_clock,
    filter_caveats,
    filter_from_args,
    preset_from_args,
    range_from_args,
    say,
)
from tui.cli.target import check_demo_options, open_target, require_key

EXIT_FOUND = 1
INCREMENTS = ("min", "hour", "day", "week", "month", "year")
#: The detector's segmentation grows with the square of the buckets: past this, ask for a larger
#: increment rather than run for minutes.
MAX_BUCKETS = 2000
_SECONDS = {"min": 60, "hour": 3600, "day": 86400, "week": 7 * 86400}


def build_triage_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"{PROG} triage",
        description="Find the level shifts of the window (volume, error rate, latency p95, "
        "TTFT, cost, every score) and who they belong to.",
        epilog="exit status: 0 ok (1 with --exit-code when something is found), 2 usage, "
        "3 API error or unexpected answer, 4 network",
    )
    add_target_options(parser)
    add_filter_options(parser)
    add_range_options(parser)
    parser.add_argument("--increment", choices=INCREMENTS, default=None,
                        help="bucket size (default: <6h min, <3d hour, else day)")
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="output format (default: table)")
    parser.add_argument("--exit-code", action="store_true",
                        help="exit 1 when there is at least one finding")
    add_clock_option(parser)
    return parser


def run_triage_command(args: argparse.Namespace) -> int:
    import asyncio

    from tui import clock
    from tui.api.client import HeliconeError
    from tui.api.enums import TimeIncrement
    from tui.api.timerange import RangeError, default_increment, tz_offset_minutes
    from tui.config import ConfigError, triage_settings
    from tui.filters.text import check_for_endpoint
    from tui.filters.tree import FilterError
    from tui.format.writers import write_json
    from tui.query.triage import findings_table, run_triage
    from tui.query.triage_detect import Thresholds

    apply_clock(args)
    check_demo_options(args)
    preset = preset_from_args(args)
    time_range = range_from_args(args, preset)
    node, notices = filter_from_args(args, preset)
    for notice in notices:
        say(f"note: {notice}")
    for caveat in filter_caveats(node, sessions=False):
        say(f"warning: {caveat}")
    try:
        check_for_endpoint(node, sessions=False)
    except FilterError as exc:
        raise CliError(f"bad filter: {exc}") from None
    try:
        window = time_range.resolve()
    except RangeError as exc:
        raise CliError(str(exc)) from None
    increment = TimeIncrement(args.increment) if args.increment else default_increment(window)
    buckets = window.length.total_seconds() / _SECONDS.get(increment.value, 30 * 86400)
    if buckets > MAX_BUCKETS:
        raise CliError(f"--increment {increment.value} makes {buckets:,.0f} buckets of this "
                       f"range; triage takes at most {MAX_BUCKETS:,}: use a larger increment")
    try:
        thresholds = Thresholds().updated(triage_settings(Thresholds.names()))
    except ConfigError as exc:
        raise CliError(exc.message) from None
    tz_offset = tz_offset_minutes(window.end)

    with open_target(args, need_key=False) as target:
        async def go() -> object:
            async with target.client() as client:
                await require_key(target, client)
                return await run_triage(client, node, window, increment, tz_offset, thresholds)

        try:
            result = asyncio.run(go())
        except HeliconeError as exc:
            raise CliError(exc.message, exc.exit_code) from None

    from tui.query.triage import TriageResult

    assert isinstance(result, TriageResult)
    if args.format == "json":
        write_json(result.as_json(), sys.stdout)
    else:
        findings_table(result, sys.stdout, clock.local_zone())
    sys.stdout.flush()
    found = len(result.findings)
    say(f"note: {found} finding{'s' if found != 1 else ''}; "
        f"{result.requests_sent} requests sent")
    return EXIT_FOUND if args.exit_code and found else EXIT_OK
