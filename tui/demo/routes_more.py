"""HTTP routes of SEMANTICS-MORE's endpoint families (metrics, requests, properties, users,
session names), added to the demo server's app by one call in `asgi.create_app`.

Same order of checks as the four first endpoints: malformed JSON 500, then auth 401, then the
body against the endpoint's wire model (422, tsoa's shape), then the family's handler on the
engine thread. Each family module owns its SQL and its quirks.
"""

from __future__ import annotations

import asyncio
import sys
import traceback
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from tui.api.wire_endpoints import MORE_ENDPOINTS, More, WireEndpoint
from tui.demo import metrics, properties, requests, users
from tui.demo.answer import INTERNAL_ERROR, Answer
from tui.demo.asgi import AUTH_TRACE, auth_error, read_query
from tui.demo.data import Engine
from tui.demo.filter_sql import FilterThrow, FilterTooDeep
from tui.demo.validation import Invalid, validate_body

Handler = Callable[[Engine, dict[str, Any], dict[str, str]], Answer]


def _handler(name: More) -> Handler:
    if MORE_ENDPOINTS[name].path.startswith("/v1/metrics/"):
        answer = metrics.handler(name)
        return lambda engine, raw, path: answer(engine, raw)
    table: dict[More, Handler] = {
        More.REQUESTS: lambda e, raw, path: requests.query_clickhouse(e, raw),
        More.PROPERTIES: lambda e, raw, path: properties.keys(e, raw),
        More.PROPERTY_SEARCH: lambda e, raw, path: properties.search(e, path["propertyKey"], raw),
        More.TOP_REQUESTS: lambda e, raw, path: properties.top(e, path["propertyKey"], raw,
                                                               by_cost=False),
        More.TOP_COSTS: lambda e, raw, path: properties.top(e, path["propertyKey"], raw,
                                                            by_cost=True),
        More.USERS: lambda e, raw, path: users.user_metrics(e, raw),
        More.SESSION_NAMES: lambda e, raw, path: properties.session_names(e, raw),
    }
    return table[name]


def _answer(engine: Engine, endpoint: WireEndpoint, handler: Handler, raw: Any,
            path: dict[str, str]) -> Answer:
    try:
        raw = validate_body(endpoint.path, raw)  # as the four first endpoints: tsoa's coercions
        return handler(engine, raw, path)
    except Invalid as exc:
        return Answer(422, {"message": "Validation Failed", "details": exc.details})
    except (FilterThrow, RecursionError):
        return Answer(500, dict(INTERNAL_ERROR))
    except FilterTooDeep as exc:  # where Helicone's ClickHouse gives up on parser depth
        return Answer(500, {"data": None, "error": str(exc)})
    except Exception:  # a bug here: answer as Helicone's express error handler does
        traceback.print_exc(file=sys.stderr)
        return Answer(500, dict(INTERNAL_ERROR))


_BOOLEANS = {"true": True, "false": False, "1": True, "0": False}


def _request_by_id(engine: Engine, request_id: str, include: str | None) -> Answer:
    include_body = False
    if include is not None:
        if include.lower() not in _BOOLEANS:
            return Answer(422, {"message": "Validation Failed", "details": {
                "includeBody": {"message": "invalid boolean value", "value": include}}})
        include_body = _BOOLEANS[include.lower()]
    try:
        return requests.request_by_id(engine, request_id, include_body)
    except Exception:
        traceback.print_exc(file=sys.stderr)
        return Answer(500, dict(INTERNAL_ERROR))


def routes(engine: Engine, worker: Executor, respond: Callable[[Answer], Any]) -> list[Any]:
    """Starlette routes for every endpoint of MORE_ENDPOINTS, answered on `worker`."""
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    properties.setup(engine)
    with engine.locked():
        engine.request_ids_unique()  # once, before the first request needs it

    def post(endpoint: WireEndpoint) -> Callable[[Request], Any]:
        handler = _handler(endpoint.name)

        async def serve(request: Request) -> Response:
            raw, early = await read_query(request)
            if early is not None:
                return respond(early)
            path = dict(request.path_params)
            loop = asyncio.get_running_loop()
            answer = await loop.run_in_executor(worker, _answer, engine, endpoint, handler,
                                                raw, path)
            return respond(answer)

        return serve

    async def get_request(request: Request) -> Response:
        problem = auth_error(request.headers.get("authorization"))
        if problem is not None:
            return respond(Answer(401, {"error": problem, "trace": AUTH_TRACE}))
        loop = asyncio.get_running_loop()
        answer = await loop.run_in_executor(
            worker, _request_by_id, engine, request.path_params["requestId"],
            request.query_params.get("includeBody"))
        return respond(answer)

    out = []
    for endpoint in MORE_ENDPOINTS.values():
        if endpoint.method == "GET":
            out.append(Route(endpoint.path, get_request, methods=["GET"]))
        else:
            out.append(Route(endpoint.path, post(endpoint), methods=["POST"]))
    return out
