"""The demo server's HTTP side: a Starlette app, express's body reading and Helicone's auth.

Every answer carries `Server-Timing: engine;dur=<ms>`, the time spent in the engine, so the
server's own overhead shows from outside. Engine work runs off the event loop on one worker
thread, one request at a time (chdb holds one engine per process). Order of checks as Helicone's:
too big 413, malformed JSON 500, then auth 401, then (in the endpoint) schema 422. Bodies are read
with a cap (`MAX_BODY`, 413 past it, read to the end so the connection survives), parsed and
written without recursion, and refused with a 422 past `jsontext.MAX_DEPTH` levels of nesting.
"""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tui.demo import jsontext
from tui.demo.answer import INTERNAL_ERROR, Answer
from tui.demo.data import Engine
from tui.demo.queries import PATHS, DemoApi

AUTH_TRACE = "isAuthenticated.error"
MAX_BODY = 10 * 1024 * 1024  # express.json({limit: "10mb"})


def _dumps(body: Any, status: int = 200) -> bytes:
    """JSON.stringify of an answer. Errors echo what the client sent (lone surrogates, deep
    values, JavaScript number spellings): those go through the writer that copes with them."""
    if status == 200:
        try:
            return json.dumps(body, ensure_ascii=False, separators=(",", ":"),
                              allow_nan=False).encode()
        except (ValueError, RecursionError):  # UnicodeEncodeError is a ValueError
            pass
    return jsontext.dumps(body).encode()


async def _read_body(request: Any, limit: int) -> bytes | None:
    """The body, or None when it is over `limit` (read to its end all the same, in constant
    memory, so that the client gets the answer rather than a reset connection)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            chunks = []
        elif chunk:
            chunks.append(chunk)
    return None if size > limit else b"".join(chunks)


def _too_deep(limit: int) -> Answer:
    """A body nested past what the demo server parses: a 422 in tsoa's shape."""
    return Answer(422, {"message": "Validation Failed", "details": {"requestBody": {
        "message": f"the body is nested more than {limit} levels deep "
                   "(the demo server's limit)"}}})


async def read_query(request: Any) -> tuple[Any, Answer | None]:
    """A POST query's body as express and Helicone's auth see it, in their order: (the body,
    None), or (None, the answer to send now: 413, malformed JSON 500, 401, too deep 422)."""
    body = await _read_body(request, MAX_BODY)
    raw: Any = {}
    too_deep: Answer | None = None
    if "json" in request.headers.get("content-type", ""):
        if body is None:  # body-parser's PayloadTooLargeError
            return None, Answer(413, {"message": "request entity too large"})
        if body.strip():
            try:
                raw = jsontext.parse(body)
            except jsontext.BodyTooDeep as exc:
                too_deep = _too_deep(exc.limit)
            except ValueError:  # malformed JSON, or not UTF-8
                return None, Answer(500, dict(INTERNAL_ERROR))
    problem = auth_error(request.headers.get("authorization"))
    if problem is not None:
        return None, Answer(401, {"error": problem, "trace": AUTH_TRACE})
    return (None, too_deep) if too_deep is not None else (raw, None)


def auth_error(header: str | None) -> str | None:
    """Any non-empty key is accepted, with or without "Bearer " (Helicone re-adds it)."""
    if header is None:
        return "No authorization header"
    value = header.strip()
    if value.lower().startswith("bearer"):
        value = value[6:]
        if value[:1] not in (" ", ""):
            return "Invalid auth header format"
        value = value.strip()
    if not value or " " in value:
        return "Invalid auth header format"
    return None


def create_app(engine: Engine) -> Any:
    """The ASGI app (Starlette) answering the four endpoints and /healthcheck."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    api = DemoApi(engine)
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-engine")

    def respond(answer: Answer) -> Response:
        return Response(
            answer.text.encode() if answer.text is not None
            else _dumps(answer.body, answer.status),
            status_code=answer.status,
            media_type="application/json; charset=utf-8",
            headers={"Server-Timing": f"engine;dur={answer.engine_ms:.3f}"},
        )

    async def query(request: Request) -> Response:
        endpoint = PATHS[request.url.path]
        raw, early = await read_query(request)
        if early is not None:
            return respond(early)
        loop = asyncio.get_running_loop()
        answer = await loop.run_in_executor(worker, api.answer, endpoint, raw)
        return respond(answer)

    async def healthcheck(request: Request) -> Response:
        return respond(Answer(200, {"status": "healthy :)"}))

    routes = [Route(path, query, methods=["POST"]) for path in PATHS]
    routes.append(Route("/healthcheck", healthcheck, methods=["GET"]))
    from tui.demo import routes_more  # the endpoint families of SEMANTICS-MORE

    routes += routes_more.routes(engine, worker, respond)
    app = Starlette(routes=routes)
    app.state.api = api
    return _ServerTiming(app)


class _ServerTiming:
    """Adds `Server-Timing: engine;dur=0` to answers that have none (404, 405, …)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_timing(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(k.lower() == b"server-timing" for k, _ in headers):
                    headers.append((b"server-timing", b"engine;dur=0"))
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_timing)
