"""`helicone-tui [TARGET] [FILTER] [RANGE] [--tab NAME] [--breakdown DIM] [--watch S]`: start the
app on the resolved question, on the tab named (default the first, the Overview), split by DIM."""

from __future__ import annotations

import argparse

from tui import __version__
from tui.cli.parsing import (
    PROG,
    CliError,
    add_clock_option,
    add_filter_options,
    add_range_options,
    add_target_options,
    apply_clock,
    filter_from_args,
    positive_float,
    preset_from_args,
    range_from_args,
    say,
)
from tui.cli.target import check_demo_options, open_target


class _AppParser(argparse.ArgumentParser):
    """The epilog names every `query` view: written when help is printed, because the views'
    registry imports every query module (~40-80 ms of a start that never shows it)."""

    def format_help(self) -> str:
        if self.epilog is None:
            from tui.query.registry import VIEWS

            self.epilog = (
                "commands:\n"
                f"  query ENDPOINT   answer one question ({'|'.join(VIEWS)})\n"
                "  doctor           check the key and the target, and explain what is wrong\n"
                "  demo-server      run the Helicone-compatible demo server\n"
                "  presets          list, show, rename, delete, export and import presets\n"
                f"run `{PROG} COMMAND --help` for a command's options.\n"
                "exit status: 0 ok, 2 usage, 3 API error, 4 network"
            )
        return super().format_help()


def build_parser() -> argparse.ArgumentParser:
    """The app's parser: `helicone-tui [TARGET] [FILTER] [RANGE] [--tab NAME] [--breakdown DIM]
    [--watch S] [--now ISO]`."""
    from tui.screens import TABS

    parser = _AppParser(
        prog=PROG,
        description="Explore Helicone's scores, evals, score distributions and session metrics.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    add_target_options(parser)
    add_filter_options(parser)
    add_range_options(parser)
    parser.add_argument(
        "--tab", metavar="NAME",
        help=f"the tab shown first: {', '.join(spec.id for spec in TABS)} (default "
        f"{TABS[0].id}); a prefix naming one tab is enough, e.g. dist",
    )
    parser.add_argument(
        "--breakdown", metavar="DIM",
        help="split the over-time charts (Overview, Scores) by DIM: model, provider, user_id, "
        "country_code, status_class, prompt_id, prompt_version or properties.<key> (the app's "
        "`b` changes it)",
    )
    parser.add_argument(
        "--watch", type=positive_float, metavar="S",
        help="auto-refresh every S seconds (the app's `w` toggles it; default 30)",
    )
    add_clock_option(parser)
    return parser


def tab_from_args(args: argparse.Namespace) -> str | None:
    """--tab NAME as a tab id (None: the default tab); a name that is no tab's, or a prefix of
    more than one (`s`: scores or sessions), is a one-line usage error naming the choices."""
    from tui.screens import tab_named

    name = getattr(args, "tab", None)
    if name is None:
        return None
    try:
        return tab_named(name).id
    except ValueError as exc:
        raise CliError(f"--tab: {exc}") from None


def breakdown_from_args(args: argparse.Namespace) -> str | None:
    """--breakdown DIM as the dimension's text (`status` -> `status_class`; None: not given); a
    DIM that is none is a one-line usage error naming the choices."""
    from tui.query.breakdown_dims import DimensionError, parse_dimension

    name = getattr(args, "breakdown", None)
    if name is None:
        return None
    try:
        return parse_dimension(name).text
    except DimensionError as exc:
        from tui.safe import visible

        raise CliError(f"--breakdown: {visible(str(exc))}") from None


def run_app(args: argparse.Namespace) -> int:
    """Start the Textual app: `tui.app.run` gets the resolved target, filter tree and range."""
    from tui import clock

    apply_clock(args)
    check_demo_options(args)
    tab = tab_from_args(args)
    breakdown = breakdown_from_args(args)  # checked before the key, the presets, a demo server
    preset = preset_from_args(args)
    if breakdown is None and preset is not None:
        breakdown = preset.breakdown
    time_range = range_from_args(args, preset)
    node, notices = filter_from_args(args, preset)
    for notice in notices:
        say(f"note: {notice}")
    from tui import startup_gc

    startup_gc.hold()  # before Textual and the app are imported: ended once the tabs are in
    from tui.app import run

    with open_target(args) as target:  # --demo: the server lives as long as the app
        app_args = argparse.Namespace(
            base_url=target.base_url,
            api_key=target.key,
            demo=target.demo,
            filter=node,
            time_range=time_range,
            watch=args.watch,
            now=clock.fixed(),
            timeout=target.timeout,
            allow_insecure_http=target.allow_insecure_http,
            preset=preset,
            presets_file=getattr(args, "presets_file", None),
            tab=tab,
            breakdown=breakdown,
        )
        return int(run(app_args) or 0)
