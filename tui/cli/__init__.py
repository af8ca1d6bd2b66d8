"""The `helicone-tui` command line: arguments and sub-commands (see DESIGN.md, "Command line").

`helicone-tui [TARGET] [FILTER] [RANGE] [--watch S] [--now ISO]` starts the app (app_launch);
`query`, `doctor`, `demo-server` and `presets` are sub-commands, one module each. Heavy modules
(httpx, pydantic, the demo server) are imported inside the functions that use them, so `--help`
stays fast. No endpoint is known here: `query` reads the views of `tui.query`.

Exit status: 0 ok; 2 usage; 3 the API answered with an error or a body that does not match the
model; 4 network. Diagnostics go to stderr, data to stdout.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from tui.cli.app_launch import build_parser, run_app
from tui.cli.demo_server import build_demo_server_parser, run_demo_server
from tui.cli.doctor import build_doctor_parser, run_doctor
from tui.cli.parsing import EXIT_OK, PROG, CliError, say
from tui.cli.query import build_query_parser, run_query
from tui.cli.triage import build_triage_parser, run_triage_command

__all__ = ["PROG", "CliError", "main"]


def build_presets_parser() -> argparse.ArgumentParser:
    """`presets …` (tui.cli.presets adds its sub-commands to a parser of ours)."""
    try:
        from tui.cli.presets import add_presets_parser
    except ModuleNotFoundError as exc:
        if exc.name != "tui.cli.presets":
            raise
        raise CliError("the presets commands are not available in this build") from None
    parser = argparse.ArgumentParser(prog=PROG)
    sub = parser.add_subparsers(dest="command", required=True)
    add_presets_parser(sub)
    return parser


def run_presets(args: argparse.Namespace) -> int:
    return int(args.run(args))


#: Sub-commands: name -> (parser builder, runner). Each parser gets the words after the name,
#: except `presets`, whose parser (from tui.cli.presets) is a sub-parser and takes them all.
COMMANDS: dict[str, tuple[Callable[[], argparse.ArgumentParser],
                          Callable[[argparse.Namespace], int]]] = {
    "query": (build_query_parser, run_query),
    "triage": (build_triage_parser, run_triage_command),
    "doctor": (build_doctor_parser, run_doctor),
    "demo-server": (build_demo_server_parser, run_demo_server),
    "presets": (build_presets_parser, run_presets),
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # pydantic looks for plugins (the entry points of every installed distribution: 20-50 ms
    # before the first answer can be read) unless told there are none; this program uses none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        if argv and argv[0] in COMMANDS:
            build, run = COMMANDS[argv[0]]
            args = build().parse_args(argv if argv[0] == "presets" else argv[1:])
            args.command = argv[0]
        else:
            args = build_parser().parse_args(argv)
            args.command = None
            run = run_app
        return run(args)
    except CliError as exc:
        say(exc.message)
        if exc.detail:
            from tui.safe import visible

            print(visible(exc.detail, block=True), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    except BrokenPipeError:
        # stdout closed early (e.g. `| head`): not an error; silence the flush at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        from tui.api.client import HeliconeError
        from tui.config import ConfigError

        if isinstance(exc, ConfigError | HeliconeError):
            say(exc.message)
            return exc.exit_code
        raise
