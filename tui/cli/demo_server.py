"""`helicone-tui demo-server`: the Helicone-compatible demo server in the foreground."""

from __future__ import annotations

import argparse
from contextlib import suppress

from tui.cli.parsing import (
    EXIT_OK,
    PROG,
    CliError,
    add_clock_option,
    apply_clock,
    non_negative_int,
    positive_int,
)
from tui.cli.target import require_demo_extra


def build_demo_server_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"{PROG} demo-server",
        description="Serve Helicone's four query endpoints on seeded synthetic data "
        "(needs helicone-tui[demo]).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8585, help="port (default 8585)")
    parser.add_argument("--seed", type=int, default=1, metavar="N", help="data seed (default 1)")
    parser.add_argument("--days", type=positive_int, metavar="D", help="days of data")
    parser.add_argument("--requests", type=non_negative_int, metavar="N",
                        help="number of requests to generate")
    parser.add_argument("--data", metavar="FILE", help="serve this Parquet/JSONL file instead")
    add_clock_option(parser)
    return parser


def run_demo_server(args: argparse.Namespace) -> int:
    apply_clock(args)
    require_demo_extra()
    from tui import clock

    try:
        from tui.demo.server import serve
    except ImportError as exc:
        raise CliError(f"the demo server cannot load ({exc}): "
                       "reinstall helicone-tui[demo]") from None

    # Only what was given: the server keeps its own defaults for the rest.
    given = {name: getattr(args, name) for name in ("days", "requests", "data")
             if getattr(args, name) is not None}
    with suppress(KeyboardInterrupt):  # Ctrl+C is how the server is meant to stop
        serve(host=args.host, port=args.port, seed=args.seed, now=clock.fixed(), **given)
    return EXIT_OK
