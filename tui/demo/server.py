"""The demo server: Helicone's query endpoints over the demo data set, on uvicorn.

By job: the data set in data.py (chdb), the four query endpoints in queries.py (the endpoint
families of SEMANTICS-MORE in routes_more.py and one module each), their SQL in sql.py and
filter_sql.py, the HTTP side (Starlette, body reading, auth, Server-Timing) in asgi.py. This module
builds the data set and serves it until Ctrl+C or SIGTERM.
"""

from __future__ import annotations

import asyncio
import gc
import signal
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from tui.demo.asgi import create_app
from tui.demo.data import Engine


def build_engine(*, seed: int = 1, days: int = 30, requests: int = 300_000,
                 data: str | None = None, now: datetime | None = None) -> Engine:
    engine = Engine()
    if data:
        engine.load(data)
    else:
        engine.generate(seed=seed, now=now, days=days, requests=requests)
    return engine


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def serve(*, host: str = "127.0.0.1", port: int = 8585, seed: int = 1, days: int = 30,
          requests: int = 300_000, data: str | None = None, now: datetime | None = None,
          ready: Callable[[str], None] | None = None) -> None:
    """Build the data set, then serve until Ctrl+C or SIGTERM (blocking).

    Prints `helicone-tui demo server: http://HOST:PORT` and `ready` on stdout once it answers;
    port 0 picks a free port (the printed URL has the real one).
    """
    import uvicorn

    t0 = time.perf_counter()
    if threading.current_thread() is threading.main_thread():
        # SIGTERM while the data are being built: end as cleanly as Ctrl+C would (uvicorn
        # installs its own handlers once it serves).
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
    engine = build_engine(seed=seed, days=days, requests=requests, data=data, now=now)
    app = create_app(engine)
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=False, lifespan="off",
        http="h11", loop="asyncio", timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    # Everything built so far lives as long as the server: keep the collector off it, and let
    # an answer's short-lived lists come and go without a collection in the middle.
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)

    async def main() -> None:
        task = asyncio.create_task(server.serve())
        while not server.started:
            if task.done():
                await task  # startup failed (e.g. port in use): uvicorn has said why
                return
            await asyncio.sleep(0.005)
        bound = server.servers[0].sockets[0].getsockname()[1] if server.servers else port
        shown = f"[{host}]" if ":" in host else host
        url = f"http://{shown}:{bound}"
        print(f"helicone-tui demo server: {url}", flush=True)
        print(
            f"data: {engine.rows} requests"
            + (f" from {data}" if data else f" (seed {seed}, {days} days)")
            + f", built in {engine.build_seconds:.2f}s; up in {time.perf_counter() - t0:.2f}s",
            file=sys.stderr, flush=True,
        )
        print("ready", flush=True)
        if ready is not None:
            ready(url)
        await task

    try:
        asyncio.run(main())
    finally:
        engine.close()
