"""`python -m tui.demo`: run the demo server (the same options as `helicone-tui demo-server`)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import datetime


def _iso(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from None


def _at_least(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tui.demo",
        description="A Helicone-compatible demo server on seeded synthetic data (or your export).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=_at_least(0), default=8585,
                        help="port (default 8585; 0 picks a free one)")
    parser.add_argument("--seed", type=_at_least(0), default=1, help="data seed (default 1)")
    parser.add_argument("--days", type=_at_least(1), default=30, help="days of traffic (30)")
    parser.add_argument("--requests", type=_at_least(0), default=300_000,
                        help="number of requests (default 300000)")
    parser.add_argument("--data", metavar="FILE",
                        help="serve this Parquet or JSON lines export instead of synthetic data")
    parser.add_argument("--now", type=_iso, metavar="ISO",
                        help="anchor time of the data (default $HELICONE_TUI_NOW, else now "
                             "rounded down to the hour); ISO without a zone is local time")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    now = args.now
    if now is None and os.environ.get("HELICONE_TUI_NOW"):
        now = _iso(os.environ["HELICONE_TUI_NOW"])
    from tui.demo.server import serve

    try:
        serve(host=args.host, port=args.port, seed=args.seed, days=args.days,
              requests=args.requests, data=args.data, now=now)
    except KeyboardInterrupt:
        return 130
    except (OSError, ValueError) as exc:  # a missing or unreadable --data file, a busy port
        print(f"demo server: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
