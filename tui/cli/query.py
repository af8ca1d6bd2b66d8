"""`helicone-tui query VIEW`: one view's answer from a script or a terminal.

No view is known here by name: the views, their options' flags and the preset keys come from
`tui.query.registry`, so a new view needs no change in this module.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

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
    non_negative_int,
    preset_from_args,
    range_from_args,
    say,
    whole_minutes,
)
from tui.cli.target import base_url_from_args, check_demo_options, open_target, require_key

FORMAT_CHOICES = ("table", "json", "csv", "jsonl")

#: The argparse type of each kind of option declaration (see tui.query.base.OptionSpec).
_TYPES = {"int": whole_minutes, "count": non_negative_int}


def add_view_options(parser: argparse.ArgumentParser) -> None:
    """One flag per option declared by any view; its help names the views it applies to."""
    from tui.query.registry import VIEWS, flags

    opts = parser.add_argument_group("options", "an option that does not apply: exit 2")
    every = set(VIEWS)
    for flag, (dest, spec, owners) in flags().items():
        where = "" if set(owners) == every else ", ".join(owners) + ": "
        kwargs: dict[str, Any] = {"dest": dest, "help": where + spec.help, "default": None}
        if spec.kind == "switch":
            kwargs.update(action="store_const", const=True)
        elif spec.kind == "choice":
            kwargs["choices"] = spec.choices
        else:
            kwargs["metavar"] = spec.metavar
            if spec.kind in _TYPES:
                kwargs["type"] = _TYPES[spec.kind]
        opts.add_argument(flag, **kwargs)


class _IntermixedParser(argparse.ArgumentParser):
    """`query request --demo ID`: the positional ID may come after options (plain parse_args
    takes the optional positional as absent at the first option)."""

    def parse_args(self, args: Any = None, namespace: Any = None) -> Any:
        return self.parse_intermixed_args(args, namespace)


def build_query_parser() -> argparse.ArgumentParser:
    from tui.query.registry import VIEWS

    names = " | ".join(VIEWS)
    parser = _IntermixedParser(
        prog=f"{PROG} query",
        description="Answer one question from a script or a terminal: data to stdout, "
        "diagnostics to stderr.",
        epilog="exit status: 0 ok, 2 usage, 3 API error or unexpected answer, 4 network",
    )
    parser.add_argument("endpoint", choices=tuple(VIEWS), metavar="ENDPOINT", help=names)
    parser.add_argument("argument", nargs="?", metavar="ID|KEY|DIM", default=None,
                        help="request: the request's id; properties: a property key; "
                        "breakdown: the dimension")
    add_target_options(parser)
    add_filter_options(parser)
    add_range_options(parser)
    add_view_options(parser)
    parser.add_argument("--format", choices=FORMAT_CHOICES, default="table",
                        help="output format (default: table)")
    parser.add_argument("--curl", action="store_true",
                        help="print the request as a curl command and send nothing (no key needed)")
    add_clock_option(parser)
    return parser


def options_from_args(args: argparse.Namespace, view: Any, preset: Any = None) -> Any:
    """The view's options: explicit flags, else the preset's values for the keys the view
    declares (a preset serves every tab: its other keys are ignored), else the defaults.
    An explicit flag the view does not declare is a usage error."""
    from tui.query.base import declared
    from tui.query.registry import flags, not_for

    given = {dest: getattr(args, dest, None) for dest, _, _ in flags().values()}
    own = {name for name, _ in declared(view.options_type)}
    options = view.options({k: v for k, v in given.items() if k in own}, preset)
    problems = not_for(view.name, given) + view.problems(options)
    if problems:
        raise CliError("; ".join(problems))
    options = with_positional(args, view, options)
    problems = view.problems(options)  # again with the positional argument (breakdown's DIM)
    if problems:
        raise CliError("; ".join(problems))
    return options


def with_positional(args: argparse.Namespace, view: Any, options: Any) -> Any:
    """The options with the view's positional argument (`request ID`, `properties KEY`)."""
    import dataclasses

    value = getattr(args, "argument", None)
    positional = getattr(view, "positional", None)
    if positional is None:
        if value is not None:
            raise CliError(f"query {view.name} takes no argument, not {value!r}")
        return options
    field_name, what, required = positional
    if value is None and required:
        raise CliError(f"query {view.name} needs {what}: {PROG} query {view.name} {what}")
    return dataclasses.replace(options, **{field_name: value})


def run_query(args: argparse.Namespace) -> int:
    import asyncio

    from tui import clock
    from tui.api.curl import request_curl
    from tui.api.timerange import RangeError
    from tui.filters.tree import SESSION_FIELDS_MESSAGE, FilterError
    from tui.format import export
    from tui.query.compare import Paired
    from tui.query.context import Investigation
    from tui.query.registry import view as view_named

    view = view_named(args.endpoint)
    apply_clock(args)
    check_demo_options(args)
    preset = preset_from_args(args)
    time_range = range_from_args(args, preset)
    node, notices = filter_from_args(args, preset)
    for notice in notices:
        say(f"note: {notice}")
    for caveat in filter_caveats(node, sessions=view.sessions):
        say(f"warning: {caveat}")
    options = options_from_args(args, view, preset)
    if args.format not in getattr(view, "formats", FORMAT_CHOICES[:3]):
        raise CliError(f"--format {args.format} is for requests, models and users, "
                       f"not {view.name}; nothing was sent")
    try:
        window = time_range.resolve()
    except RangeError as exc:
        raise CliError(str(exc)) from None
    try:
        request = view.build(Investigation(node, time_range, preset=preset), window, options)
    except FilterError as exc:
        if str(exc) == SESSION_FIELDS_MESSAGE and not view.sessions:
            raise CliError(
                f"this filter uses session fields, which only `query sessions` can send "
                f"(not {view.name}); nothing was sent"
            ) from None
        raise CliError(f"bad filter: {exc}") from None

    if args.curl:
        if args.demo:
            raise CliError("--curl with --demo: the demo server stops when this command ends; "
                           f"run `{PROG} demo-server` and pass --base-url http://127.0.0.1:8585")
        base_url, _ = base_url_from_args(args)
        if hasattr(view, "curl"):  # SEMANTICS-MORE's endpoints: the view knows its request(s)
            print(view.curl(base_url, request))
        else:
            # No CLI view sends a previous-period pair (compare is the app's `v`).
            assert not isinstance(request, Paired)
            print(request_curl(base_url, view.endpoint, request))
        return EXIT_OK

    from tui.api.client import HeliconeError

    with open_target(args, need_key=False) as target:
        async def fetch() -> Any:
            async with target.client() as client:
                await require_key(target, client)
                if hasattr(view, "write"):
                    return await view.send(client, request)
                return await client.fetch(view.endpoint, request)

        try:
            answer = asyncio.run(fetch())
        except HeliconeError as exc:
            raise CliError(exc.message, exc.exit_code) from None

    if hasattr(view, "write"):  # a view on SEMANTICS-MORE's endpoints writes its own answer
        view.write(answer, args.format, sys.stdout, options, clock.local_zone())
        sys.stdout.flush()
        return EXIT_OK
    note = "\n".join(view.notes(request)) or None
    export.write(view.endpoint, answer.data, args.format, sys.stdout, raw=answer.raw, note=note)
    sys.stdout.flush()
    return EXIT_OK
