"""The `helicone-tui` command line: arguments and sub-commands (see DESIGN.md, "Command line").

`helicone-tui [TARGET] [FILTER] [RANGE] [--watch S] [--now ISO]` starts the app;
`query`, `doctor` and `demo-server` are sub-commands. Heavy modules (httpx, pydantic, the demo
server) are imported inside the functions that use them, so `--help` stays fast.

Exit status: 0 ok; 2 usage; 3 the API answered with an error or a body that does not match the
model; 4 network. Diagnostics go to stderr, data to stdout.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui import __version__

if TYPE_CHECKING:
    from tui.api.requests import QueryOptions
    from tui.api.timerange import TimeRange
    from tui.config import ApiKey
    from tui.filters.tree import Node
    from tui.presets import Preset

PROG = "helicone-tui"
ENDPOINT_CHOICES = ("scores", "evals", "distributions", "sessions")
INCREMENT_CHOICES = ("min", "hour", "day", "week", "month", "year")
P_SIZE_CHOICES = ("p50", "p75", "p95", "p99", "p99.9")
FORMAT_CHOICES = ("table", "json", "csv")
DEFAULT_SINCE = "24h"
DEMO_KEY = "demo-placeholder-key"  # the demo server accepts any non-empty bearer key

EXIT_OK, EXIT_USAGE, EXIT_API, EXIT_NETWORK = 0, 2, 3, 4


class CliError(Exception):
    """A problem to report on stderr and exit with (`exit_code`, 2 unless said otherwise)."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.detail = detail  # more lines (e.g. the filter with a caret under the column)


def _say(message: str) -> None:
    from tui.safe import visible  # messages carry server, file and path text: shown as text

    print(f"{PROG}: {visible(message, block=True)}", file=sys.stderr)


# --------------------------------------------------------------------------- argument types


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r}: must be more than 0 seconds")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: must be 0 or more")
    return value


def _positive_int(text: str) -> int:
    value = _non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError(f"{text!r}: must be 1 or more")
    return value


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of minutes") from None


def _duration(text: str) -> str:
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
        "--timeout", type=_positive_float, default=60.0, metavar="S",
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
        "--since", type=_duration, metavar="DURATION",
        help="a sliding range ending now: <n>(m|h|d|w), e.g. 15m 6h 7d 2w",
    )
    which.add_argument("--start", metavar="ISO", help="range start, e.g. 2026-11-20T08:00")
    group.add_argument("--end", metavar="ISO", help="range end (default: now; needs --start)")


def add_clock_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--now", metavar="ISO",
        help="fix the clock at this instant (also $HELICONE_TUI_NOW)",
    )


# --------------------------------------------------------------------------- parsers


def build_parser() -> argparse.ArgumentParser:
    """The app's parser: `helicone-tui [TARGET] [FILTER] [RANGE] [--watch S] [--now ISO]`."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Explore Helicone's scores, evals, score distributions and session metrics.",
        epilog=(
            "commands:\n"
            "  query ENDPOINT   answer one question (scores|evals|distributions|sessions)\n"
            "  doctor           check the key and the target, and explain what is wrong\n"
            "  demo-server      run the Helicone-compatible demo server\n"
            "  presets          list, show, rename, delete, export and import presets\n"
            f"run `{PROG} COMMAND --help` for a command's options.\n"
            "exit status: 0 ok, 2 usage, 3 API error, 4 network"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    add_target_options(parser)
    add_filter_options(parser)
    add_range_options(parser)
    parser.add_argument(
        "--watch", type=_positive_float, metavar="S",
        help="auto-refresh every S seconds (the app's `w` toggles it; default 30)",
    )
    add_clock_option(parser)
    return parser


def build_query_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"{PROG} query",
        description="Answer one question from a script or a terminal: data to stdout, "
        "diagnostics to stderr.",
        epilog="exit status: 0 ok, 2 usage, 3 API error or unexpected answer, 4 network",
    )
    parser.add_argument("endpoint", choices=ENDPOINT_CHOICES, metavar="ENDPOINT",
                        help="scores | evals | distributions | sessions")
    add_target_options(parser)
    add_filter_options(parser)
    add_range_options(parser)
    opts = parser.add_argument_group("options", "an option that does not apply: exit 2")
    opts.add_argument("--increment", choices=INCREMENT_CHOICES,
                      help="scores: bucket size (default: <6h min, <3d hour, else day)")
    opts.add_argument("--tz-offset", type=_int, metavar="MINUTES",
                      help="UTC minus local, positive west (New York winter = 300); "
                      "default: the local zone at the range's end")
    opts.add_argument("--limit", type=_non_negative_int, metavar="N",
                      help="evals, distributions (Helicone ignores it; sent as given)")
    opts.add_argument("--offset", type=_non_negative_int, metavar="N",
                      help="evals, distributions (Helicone ignores it; sent as given)")
    opts.add_argument("--p-size", choices=P_SIZE_CHOICES,
                      help="sessions: trim the histograms at this percentile (Helicone: p75)")
    opts.add_argument("--interquartile", action="store_true",
                      help="sessions: also trim below the matching lower percentile")
    opts.add_argument("--session-name", metavar="NAME",
                      help="sessions: only sessions with exactly this name")
    parser.add_argument("--format", choices=FORMAT_CHOICES, default="table",
                        help="output format (default: table)")
    parser.add_argument("--curl", action="store_true",
                        help="print the request as a curl command and send nothing (no key needed)")
    add_clock_option(parser)
    return parser


def build_doctor_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"{PROG} doctor",
        description="Check that a key is set, the target answers and the key is accepted; "
        "explain what is wrong.",
    )
    add_target_options(parser)
    add_clock_option(parser)
    return parser


def build_demo_server_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"{PROG} demo-server",
        description="Serve Helicone's four query endpoints on seeded synthetic data "
        "(needs helicone-tui[demo]).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8585, help="port (default 8585)")
    parser.add_argument("--seed", type=int, default=1, metavar="N", help="data seed (default 1)")
    parser.add_argument("--days", type=_positive_int, metavar="D", help="days of data")
    parser.add_argument("--requests", type=_non_negative_int, metavar="N",
                        help="number of requests to generate")
    parser.add_argument("--data", metavar="FILE", help="serve this Parquet/JSONL file instead")
    add_clock_option(parser)
    return parser


# --------------------------------------------------------------------------- shared resolution


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
    from tui.filters.tree import ALL, MAX_CONDITIONS, MAX_JSON_DEPTH, FilterError, from_wire

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


#: A preset's tab options and the endpoint each belongs to: with another endpoint it is ignored
#: (a preset serves every tab; only an explicit option that does not apply is an error).
PRESET_OPTIONS: dict[str, str] = {
    "increment": "scores",
    "p_size": "sessions",
    "interquartile": "sessions",
    "session_name": "sessions",
}


def options_from_args(
    args: argparse.Namespace, preset: Preset | None = None, endpoint: str | None = None
) -> QueryOptions:
    """The query's options: explicit ones, else the preset's that apply to `endpoint`."""
    from tui.api.models import PSize, TimeIncrement
    from tui.api.requests import QueryOptions

    given = {
        "increment": args.increment,
        "p_size": args.p_size,
        "interquartile": True if args.interquartile else None,
        "session_name": args.session_name,
    }
    if preset is not None:
        for name, owner in PRESET_OPTIONS.items():
            value = getattr(preset, name)
            if given[name] is None and value is not None and owner == endpoint:
                given[name] = value
    return QueryOptions(
        increment=TimeIncrement(given["increment"]) if given["increment"] else None,
        tz_offset=args.tz_offset,
        limit=args.limit,
        offset=args.offset,
        p_size=PSize(given["p_size"]) if given["p_size"] else None,
        interquartile=given["interquartile"],
        session_name=given["session_name"],
    )


@dataclass(frozen=True)
class Target:
    """Where requests go and with which key (the key is masked in every repr)."""

    base_url: str
    base_url_source: str
    key: ApiKey | None
    key_source: str | None
    timeout: float = 60.0
    allow_insecure_http: bool = False
    demo: bool = False

    def client(self, **kwargs: Any) -> Any:
        from tui.api.client import HeliconeClient
        from tui.config import max_answer_mb

        kwargs.setdefault("max_answer_mb", max_answer_mb())  # the client reads no file
        return HeliconeClient(
            self.base_url, self.key, timeout=self.timeout,
            allow_insecure_http=self.allow_insecure_http, **kwargs,
        )


def base_url_from_args(args: argparse.Namespace) -> tuple[str, str]:
    """The base URL (checked: no plain http:// off loopback) and where it came from."""
    from tui.api.errors import HeliconeError
    from tui.api.target import check_base_url
    from tui.config import ENV_BASE_URL, load_config, resolve_base_url

    if getattr(args, "base_url", None):
        url, source = args.base_url, "--base-url"
    elif getattr(args, "eu", False):
        url, source = resolve_base_url(eu=True), "--eu"
    elif os.environ.get(ENV_BASE_URL, "").strip():
        url, source = resolve_base_url(), f"${ENV_BASE_URL}"
    else:
        config = load_config()
        url = resolve_base_url(config=config)
        source = f"base_url in {config.path}" if config.base_url else "default"
    try:
        return check_base_url(url, allow_insecure_http=args.allow_insecure_http), source
    except HeliconeError as exc:
        raise CliError(exc.message, exc.exit_code) from None


def _check_demo_options(args: argparse.Namespace) -> None:
    if not getattr(args, "demo", False):
        for name in ("seed", "data"):
            if getattr(args, name, None) is not None:
                raise CliError(f"--{name} goes with --demo")


def require_demo_extra() -> None:
    """The demo server needs chdb and uvicorn: say how to get them rather than crash."""
    missing = [m for m in ("chdb", "uvicorn", "starlette") if importlib.util.find_spec(m) is None]
    if missing or importlib.util.find_spec("tui.demo.process") is None:
        what = ", ".join(missing) or "tui.demo"
        raise CliError(f"the demo server is not installed ({what} missing): "
                       "install helicone-tui[demo], e.g. pip install 'helicone-tui[demo]'")


@contextmanager
def open_target(args: argparse.Namespace, *, need_key: bool = True) -> Iterator[Target]:
    """The target of TARGET options; --demo starts a demo server for the duration."""
    _check_demo_options(args)
    timeout = getattr(args, "timeout", 60.0)
    insecure = getattr(args, "allow_insecure_http", False)
    if getattr(args, "demo", False):
        require_demo_extra()
        from tui import clock
        from tui.config import ApiKey

        try:
            from tui.demo.process import DemoServerError, start_demo_server
        except ImportError as exc:  # e.g. chdb present but unusable on this platform
            raise CliError(f"the demo server cannot load ({exc}): "
                           "reinstall helicone-tui[demo]") from None

        kwargs: dict[str, Any] = {"now": clock.fixed(), "data": args.data}
        if args.seed is not None:
            kwargs["seed"] = args.seed
        try:
            server = start_demo_server(**kwargs)
        except DemoServerError as exc:
            raise CliError(f"the demo server did not start: {exc}") from None
        with server:
            yield Target(server.url.rstrip("/"), "--demo", ApiKey(DEMO_KEY), "--demo (placeholder)",
                         timeout, insecure, demo=True)
        return

    from tui.config import ConfigError, no_key_message, resolve_key

    base_url, source = base_url_from_args(args)
    try:
        found = resolve_key()
    except ConfigError as exc:
        raise CliError(exc.message) from None
    if found is None and need_key:
        raise CliError(no_key_message())
    yield Target(
        base_url, source,
        found.key if found else None, found.source if found else None,
        timeout, insecure,
    )


# --------------------------------------------------------------------------- query


def run_query(args: argparse.Namespace) -> int:
    import asyncio

    from tui.api import export
    from tui.api.curl import request_curl
    from tui.api.models import ENDPOINTS, EndpointName, SessionMetricsQuery
    from tui.api.requests import build_request, option_errors
    from tui.api.timerange import RangeError
    from tui.filters.tree import SESSION_FIELDS_MESSAGE, FilterError

    endpoint = EndpointName(args.endpoint)
    apply_clock(args)
    _check_demo_options(args)
    preset = preset_from_args(args)
    time_range = range_from_args(args, preset)
    node, notices = filter_from_args(args, preset)
    for notice in notices:
        _say(f"note: {notice}")
    for caveat in filter_caveats(node, sessions=ENDPOINTS[endpoint].sessions):
        _say(f"warning: {caveat}")
    options = options_from_args(args, preset, endpoint.value)
    problems = option_errors(endpoint, options)
    if problems:
        raise CliError("; ".join(problems))
    try:
        window = time_range.resolve()
    except RangeError as exc:
        raise CliError(str(exc)) from None
    try:
        request = build_request(endpoint, node, window, options)
    except FilterError as exc:
        if str(exc) == SESSION_FIELDS_MESSAGE and not ENDPOINTS[endpoint].sessions:
            raise CliError(
                f"this filter uses session fields, which only `query sessions` can send "
                f"(not {endpoint.value}); nothing was sent"
            ) from None
        raise CliError(f"bad filter: {exc}") from None

    if args.curl:
        if args.demo:
            raise CliError("--curl with --demo: the demo server stops when this command ends; "
                           f"run `{PROG} demo-server` and pass --base-url http://127.0.0.1:8585")
        base_url, _ = base_url_from_args(args)
        print(request_curl(base_url, endpoint, request))
        return EXIT_OK

    from tui.api.client import HeliconeError, NetworkError
    from tui.config import no_key_message

    with open_target(args, need_key=False) as target:
        async def fetch() -> Any:
            async with target.client() as client:
                if target.key is None:
                    # Without a key nothing is sent; but an unreachable target is the first
                    # thing to fix, so say that (exit 4) rather than only "no key" (exit 2).
                    try:
                        await client.healthcheck()
                    except NetworkError as exc:
                        raise NetworkError(f"{exc.message} (and no API key is set)") from None
                    raise CliError(no_key_message())
                return await client.fetch(endpoint, request)

        try:
            answer = asyncio.run(fetch())
        except HeliconeError as exc:
            raise CliError(exc.message, exc.exit_code) from None

    note = None
    if isinstance(request, SessionMetricsQuery):
        # From the body as sent: a preset's p_size reaches the note as it reached the request.
        note = export.sessions_note(request.p_size, request.use_interquartile)
    export.write(endpoint, answer.data, args.format, sys.stdout, raw=answer.raw, note=note)
    sys.stdout.flush()
    return EXIT_OK


# --------------------------------------------------------------------------- doctor


def run_doctor(args: argparse.Namespace) -> int:
    """Checks, one line each; exit with the code of the first failure."""
    import asyncio

    from tui import locations

    apply_clock(args)
    lines: list[str] = []

    def report(status: str, text: str) -> None:
        line = f"{status:<5} {text}"
        lines.append(line)
        print(line, flush=True)

    config_path = locations.config_file()
    report("info", f"config: {config_path}" + ("" if config_path.exists() else " (none)"))
    try:
        with open_target(args, need_key=False) as target:
            report("info", f"target: {target.base_url} (from {target.base_url_source})")
            if target.key is None:
                from tui.config import no_key_message

                report("FAIL", f"key: {no_key_message(config_path)}")
            else:
                report("ok", f"key: {target.key.masked} from {target.key_source}")
            code = asyncio.run(_doctor_checks(target, report))
            # The first failure decides the exit status: a missing key comes before the rest.
            return EXIT_USAGE if target.key is None else code
    except CliError as exc:
        report("FAIL", exc.message)
        return exc.exit_code


async def _doctor_checks(target: Target, report: Callable[[str, str], None]) -> int:
    """The target, then the key's two permissions (SEMANTICS-MORE §2.1): write for the query
    endpoints (all POST), read for `GET /v1/request/{id}`. Keys made with Helicone's default
    settings are write-only: everything works but the request detail's own fetch, so a
    missing read is a warning; a missing write is a failure."""
    import time
    from datetime import timedelta

    from tui import clock
    from tui.api.client import (
        ApiError,
        AuthFailed,
        HeliconeError,
        NetworkError,
        NotFound,
        RateLimited,
    )
    from tui.api.models import EndpointName, ScoresQuery, TimeFilter, TimeIncrement
    from tui.api.timerange import iso_z

    # A made-up id: Helicone answers an unknown id with 200 and no data once the key may read.
    probe_id = "00000000-0000-4000-8000-000000000000"

    async with target.client(max_retries=0) as client:
        started = time.perf_counter()
        try:
            status, snippet = await client.healthcheck()
        except NetworkError as exc:
            report("FAIL", f"target answers: {exc.message}")
            return exc.exit_code
        ms = (time.perf_counter() - started) * 1000
        report("ok", f"target answers: GET /healthcheck -> {status} in {ms:.0f} ms"
               + (f" ({snippet})" if status != 200 and snippet else ""))

        if target.key is None:
            report("skip", "key accepted: no key to try")
            return EXIT_USAGE
        end = clock.now().replace(microsecond=0)
        probe = ScoresQuery(
            time_filter=TimeFilter(start=iso_z(end - timedelta(minutes=1)), end=iso_z(end)),
            user_filter="all",
            db_increment=TimeIncrement.MIN,
            time_zone_difference=0,
        )
        code = EXIT_OK
        write_refused: AuthFailed | None = None
        try:
            await client.fetch(EndpointName.SCORES, probe)
            report("ok", "key accepted: a 1-minute scores query answered (write permission)")
        except AuthFailed as exc:
            write_refused, code = exc, exc.exit_code
        except RateLimited as exc:
            report("ok", f"key accepted (but rate-limited now: {exc.message})")
        except NetworkError as exc:
            report("FAIL", f"key accepted: {exc.message}")
            return exc.exit_code
        except HeliconeError as exc:
            # Auth runs before the query: an error from the query itself means the key passed.
            report("warn", f"key accepted, but a 1-minute scores query failed: {exc.message}")
            code = exc.exit_code

        get = "GET /v1/request/{id}"
        can_read: bool | None = None
        try:
            await client.request(probe_id)
            can_read = True  # a made-up id that exists: still a read
        except NotFound:
            can_read = True
        except AuthFailed as exc:
            can_read = False
            if exc.lacks == "read":
                read_line = (f"no, {client.host} answered {exc.status} ({exc.reason}): keys "
                             "made with Helicone's default settings are write-only; the "
                             "request detail then shows the list's row only. For the full "
                             "detail, create a key with read and write permission")
            else:
                read_line = f"no, {client.host} answered {exc.status} ({exc.reason})"
        except NetworkError as exc:
            read_line = f"not checked: {exc.message}"
        except ApiError as exc:
            read_line = f"not checked: {get} failed: {exc.message}"

        if write_refused is not None:
            if can_read:
                report("FAIL", f"key accepted: no, {client.host} answered "
                       f"{write_refused.status} ({write_refused.reason}) to the query "
                       "endpoints, but the key can read: a read-only key. Helicone's query "
                       "endpoints are POST and need a key with write permission")
            else:
                report("FAIL", f"key accepted: no, {client.host} answered "
                       f"{write_refused.status} ({write_refused.reason}); likely causes:")
                for cause in write_refused.causes:
                    print(f"        - {cause}", flush=True)
        if can_read:
            report("ok", f"read permission: {get} answered for a made-up id")
        elif write_refused is None or can_read is None:
            report("warn", f"read permission: {read_line}")
        else:
            report("FAIL", f"read permission: {read_line}")
        return code


# --------------------------------------------------------------------------- demo-server


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


# --------------------------------------------------------------------------- the app


def run_app(args: argparse.Namespace) -> int:
    """Start the Textual app: `tui.app.run` gets the resolved target, filter tree and range."""
    from tui import clock

    apply_clock(args)
    _check_demo_options(args)
    preset = preset_from_args(args)
    time_range = range_from_args(args, preset)
    node, notices = filter_from_args(args, preset)
    for notice in notices:
        _say(f"note: {notice}")
    try:
        from tui.app import run
    except ModuleNotFoundError as exc:
        if exc.name != "tui.app":
            raise
        _say("the app is coming; meanwhile try `helicone-tui query scores` or "
             "`helicone-tui doctor`")
        return EXIT_OK
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
        )
        return int(run(app_args) or 0)


def build_presets_parser() -> argparse.ArgumentParser:
    """`presets …` (tui.presets_cli adds its sub-commands to a parser of ours)."""
    try:
        from tui.presets_cli import add_presets_parser
    except ModuleNotFoundError as exc:
        if exc.name != "tui.presets_cli":
            raise
        raise CliError("the presets commands are not available in this build") from None
    parser = argparse.ArgumentParser(prog=PROG)
    sub = parser.add_subparsers(dest="command", required=True)
    add_presets_parser(sub)
    return parser


def run_presets(args: argparse.Namespace) -> int:
    return int(args.run(args))


# --------------------------------------------------------------------------- main

#: Sub-commands: name -> (parser builder, runner). Each parser gets the words after the name,
#: except `presets`, whose parser (from tui.presets_cli) is a sub-parser and takes them all.
COMMANDS: dict[str, tuple[Callable[[], argparse.ArgumentParser],
                          Callable[[argparse.Namespace], int]]] = {
    "query": (build_query_parser, run_query),
    "doctor": (build_doctor_parser, run_doctor),
    "demo-server": (build_demo_server_parser, run_demo_server),
    "presets": (build_presets_parser, run_presets),
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
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
        _say(exc.message)
        if exc.detail:
            from tui.safe import visible

            print(visible(exc.detail, block=True), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        _say("interrupted")
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
            _say(exc.message)
            return exc.exit_code
        raise
