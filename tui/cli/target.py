"""TARGET: where the questions go and with which key; `--demo` starts a demo server for the run."""

from __future__ import annotations

import argparse
import importlib.util
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tui.cli.parsing import CliError
from tui.query.context import Target

DEMO_KEY = "demo-placeholder-key"  # the demo server accepts any non-empty bearer key


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


def check_demo_options(args: argparse.Namespace) -> None:
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
    check_demo_options(args)
    timeout = getattr(args, "timeout", 60.0)
    insecure = getattr(args, "allow_insecure_http", False)
    if getattr(args, "demo", False):
        require_demo_extra()
        from tui import clock
        from tui.api.key import ApiKey

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
            yield Target(
                server.url.rstrip("/"), ApiKey(DEMO_KEY), demo=True, timeout=timeout,
                allow_insecure_http=insecure, base_url_source="--demo",
                key_source="--demo (placeholder)",
            )
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
        base_url, found.key if found else None, timeout=timeout, allow_insecure_http=insecure,
        base_url_source=source, key_source=found.source if found else None,
    )


async def require_key(target: Target, client: Any) -> None:
    """Raise when the target has no API key: nothing is sent without one, but an unreachable
    target is the first thing to fix, so that is said (exit 4) rather than only "no key"
    (exit 2)."""
    from tui.api.client import NetworkError
    from tui.config import no_key_message

    if target.key is not None:
        return
    try:
        await client.healthcheck()
    except NetworkError as exc:
        raise NetworkError(f"{exc.message} (and no API key is set)") from None
    raise CliError(no_key_message())
