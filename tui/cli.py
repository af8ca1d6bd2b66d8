"""The `helicone-tui` command line: arguments and sub-commands (see DESIGN.md, "Command line")."""

from __future__ import annotations

import argparse
import sys

from tui import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="helicone-tui",
        description="Explore Helicone's scores, evals, score distributions and session metrics.",
    )
    parser.add_argument("--version", action="version", version=f"helicone-tui {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    parser.parse_args(argv)
    print("helicone-tui: the app is coming; see the README.", file=sys.stderr)
    return 0
