"""`helicone-tui doctor`: one line per check of the key and the target (DESIGN.md)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from tui.cli.parsing import (
    EXIT_OK,
    EXIT_USAGE,
    PROG,
    CliError,
    add_clock_option,
    add_target_options,
    apply_clock,
)
from tui.cli.target import open_target
from tui.query.context import Target


def build_doctor_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"{PROG} doctor",
        description="Check that a key is set, the target answers and the key is accepted; "
        "explain what is wrong.",
    )
    add_target_options(parser)
    add_clock_option(parser)
    return parser


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
