"""The demo server: Helicone's four query endpoints over the demo data set, quirks included.

HTTP is a Starlette app on uvicorn; every answer carries `Server-Timing: engine;dur=<ms>`, the time
spent in the engine, so the server's own overhead shows from outside. Engine work runs off the
event loop on one worker thread, one request at a time (chdb holds one engine per process).

What Helicone does and this server copies (SEMANTICS.md):
- order of checks: malformed JSON 500, then auth 401, then schema 422 (tui/demo/validation.py:
  tsoa's validation and coercions, from the strict spec), then the endpoint;
- scores: errors are HTTP 200 `{data: null, error}`; evals, distributions, sessions: HTTP 500;
  a filter Helicone's builder throws on (empty operator object, `{"request_response_rmt": {}}`, an
  empty `properties`) is the generic 500 `{"message": "Internal Server Error", ...}`;
- evals: hour buckets always, `offset`/`limit` ignored, every all-time score name (in byte order:
  Helicone's order is ClickHouse's DISTINCT order, unspecified), averageScore = Σ hourly averages /
  count, min/max clamped toward 0 by hours without the score, NaN -> null;
- sessions: no session-id guard (requests without one form the '' session), nameContains is an
  exact match, timezoneDifference only validated, ranges as JavaScript Number#toString strings.

Beyond Helicone, for a server that must never hang or crash: a scores/evals window of more than
`sql.MAX_BUCKETS` buckets is answered at once with a timeout error instead of running for a minute;
bodies are read with a cap (`MAX_BODY`, 413 past it, read to the end so the connection survives),
parsed and written without recursion, and refused with a 422 past `jsontext.MAX_DEPTH` levels of
nesting; filters compile to flat and/or groups (chains of any length), and groups nested past
`sql.MAX_GROUP_DEPTH` are the endpoint's error, as ClickHouse's parser-depth error is Helicone's.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import json
import math
import operator
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from tui.api.models import EndpointName
from tui.demo import jsontext, sql
from tui.demo.data import Engine, EngineError, tsv_unescape
from tui.demo.sql import (
    FilterThrow,
    FilterTooDeep,
    InvalidTimeValue,
    TooManyBuckets,
    bucket_iso,
    js_json_number,
    js_number_str,
    parse_js_date,
)
from tui.demo.validation import Invalid, load_spec, validate_body

PATHS: dict[str, EndpointName] = {
    "/v1/dashboard/scores/query": EndpointName.SCORES,
    "/v1/evals/query": EndpointName.EVALS,
    "/v1/evals/score-distributions/query": EndpointName.DISTRIBUTIONS,
    "/v1/session/metrics/query": EndpointName.SESSIONS,
}
INTERNAL_ERROR = {"message": "Internal Server Error", "details": "Internal Server Error"}
_AUTH_TRACE = "isAuthenticated.error"
MAX_BODY = 10 * 1024 * 1024  # express.json({limit: "10mb"})


class Answer:
    """A finished answer: status, a JSON-able body (or its JSON text already), engine ms."""

    __slots__ = ("body", "engine_ms", "status", "text")

    def __init__(self, status: int, body: Any, engine_ms: float = 0.0,
                 text: str | None = None) -> None:
        self.status = status
        self.body = body
        self.engine_ms = engine_ms
        self.text = text


def _num(x: float | int | None) -> str:
    """A number as JSON.stringify writes it (integral doubles without '.0'; NaN/±Inf null)."""
    if x is None:
        return "null"
    if isinstance(x, int):
        return str(x)
    if x != x or x in (math.inf, -math.inf):
        return "null"
    if x.is_integer() and abs(x) < 1e21:
        return str(int(x))
    return repr(x)


def _json_float_text(text: str) -> str:
    """ClickHouse's text of a Float64 as a JSON value (it writes NaN and infinities as words)."""
    return "null" if text in ("nan", "inf", "-inf", "-nan", "+inf", "+nan") else text


@functools.lru_cache(maxsize=4096)
def _jstr(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _ok_text(data_json: str, engine_ms: float) -> Answer:
    """A success whose `data` is already JSON text: big answers skip building dicts."""
    return Answer(200, None, engine_ms, '{"data":' + data_json + ',"error":null}')


def _fail(endpoint: EndpointName, message: str, engine_ms: float = 0.0) -> Answer:
    """A manager's error: HTTP 200 on scores (the controller never sets a status), else 500."""
    status = 200 if endpoint is EndpointName.SCORES else 500
    return Answer(status, {"data": None, "error": message}, engine_ms)


def _ok(data: Any, engine_ms: float) -> Answer:
    return Answer(200, {"data": data, "error": None}, engine_ms)


def _number(value: Any) -> float:
    """A number of a validated body (tsoa has made it one)."""
    return float(value)


def _tz_ok(tz: float) -> bool:
    return not math.isnan(tz) and -1440 <= tz <= 1440


# --------------------------------------------------------------------------- validation (422)

_PATH_OF = {endpoint: path for path, endpoint in PATHS.items()}


def validate(endpoint: EndpointName, raw: Any) -> Any:
    """The body as Helicone's tsoa layer passes it on (coerced), or Invalid (422)."""
    return validate_body(_PATH_OF[endpoint], raw)


# --------------------------------------------------------------------------- the endpoints


class DemoApi:
    """The four endpoints over one engine; each method runs on the engine thread."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        with engine.locked():
            rows, _ = engine.query(sql.SCORE_NAMES_SQL)
            engine.execute(sql.SESSION_SCRATCH_DDL)
        # EvalManager caches these for 60 s; the data never change here.
        self.score_names: list[str] = [r[0] for r in rows]
        load_spec()

    def answer(self, endpoint: EndpointName, raw: dict[str, Any]) -> Answer:
        try:
            raw = validate(endpoint, raw)
        except Invalid as exc:
            return Answer(422, {"message": "Validation Failed", "details": exc.details})
        try:
            handler = {
                EndpointName.SCORES: self.scores,
                EndpointName.EVALS: self.evals,
                EndpointName.DISTRIBUTIONS: self.distributions,
                EndpointName.SESSIONS: self.sessions,
            }[endpoint]
            return handler(raw)
        except FilterThrow:
            return Answer(500, dict(INTERNAL_ERROR))
        except FilterTooDeep as exc:  # where Helicone's ClickHouse gives up on parser depth
            return _fail(endpoint, str(exc))
        except Exception:  # a bug here: answer as Helicone's express error handler does
            traceback.print_exc(file=sys.stderr)
            return Answer(500, dict(INTERNAL_ERROR))

    # -- scores ------------------------------------------------------------------------

    def _over_time(self, raw_time: dict[str, Any], user_filter: Any, increment: str,
                   tz: float, build: Callable[..., sql.Query]
                   ) -> tuple[list[list[str]] | None, str | None, float]:
        """getXOverTime's checks then its query: (rows as text fields, error, engine ms)."""
        start = parse_js_date(raw_time["start"])
        end = parse_js_date(raw_time["end"])
        if start.ms is None or end.ms is None or start.ms > end.ms:
            return None, "Invalid time filter", 0.0
        if not _tz_ok(tz):
            return None, "Invalid time zone difference", 0.0
        count = sql.bucket_count(start, end, increment)
        if count > sql.MAX_BUCKETS:
            return None, str(TooManyBuckets(count)), 0.0
        query = build(start, end, user_filter, tz)
        try:
            params = query.args.params()
        except InvalidTimeValue as exc:
            return None, str(exc), 0.0
        try:
            rows, ms = self.engine.query_text(query.sql, params, query.settings)
        except EngineError as exc:
            return None, str(exc), 0.0
        return rows, None, ms

    def scores(self, raw: dict[str, Any]) -> Answer:
        increment = raw["dbIncrement"]
        tz = _number(raw["timeZoneDifference"])
        rows, error, ms = self._over_time(
            raw["timeFilter"], raw["userFilter"], increment, tz,
            lambda s, e, f, t: sql.scores_query(s, e, f, increment, t),
        )
        if error is not None or rows is None:
            return _fail(EndpointName.SCORES, error or "no data", ms)
        items = ",".join(
            f'{{"created_at_trunc":"{bucket_iso(t, tz)}","score_key":{_jstr(tsv_unescape(key))},'
            f'"score_sum":{_json_float_text(value)}}}'
            for t, key, value in rows
        )
        return _ok_text(f"[{items}]", ms)

    # -- evals -------------------------------------------------------------------------

    def evals(self, raw: dict[str, Any]) -> Answer:
        tz = _number(raw.get("timeZoneDifference", 0))
        rows, error, ms = self._over_time(
            raw["timeFilter"], raw["filter"], "hour", tz,
            lambda s, e, f, t: sql.evals_query(s, e, f, t),  # hour buckets, always
        )
        if error is not None or rows is None:
            return _fail(EndpointName.EVALS, error or "no data", ms)
        # Rows: (hour, score, avg, min, max, count) as text, hour then score ascending; an hour
        # with no score at all is one filler row with score "". Columns at C speed, then per
        # name a lookup per hour. ClickHouse writes a Float64 as its shortest round-trip
        # decimal, valid JSON, so the averages' text goes out as it came.
        t_col, k_col, avg_col, low_col, high_col, n_col = (
            zip(*rows, strict=True) if rows else ((),) * 6)
        where = {(t, tsv_unescape(k)): i for i, (t, k) in enumerate(zip(t_col, k_col, strict=True))}
        lows, highs = list(map(int, low_col)), list(map(int, high_col))
        ns, avgs = list(map(int, n_col)), list(map(float, avg_col))
        hours = list(dict.fromkeys(t_col))
        dates = [bucket_iso(t, tz) for t in hours]
        items = []
        for name in self.score_names:
            at = [where.get((t, name)) for t in hours]
            present = [i for i in at if i is not None]
            clamp = [0] if len(present) < len(hours) else []  # an hour without it counts as 0
            low = min([lows[i] for i in present] + clamp, default=math.inf)
            high = max([highs[i] for i in present] + clamp, default=-math.inf)
            count = sum([ns[i] for i in present])
            # Σ of hourly averages in hour order, one addition at a time as JavaScript's
            # reduce does (absent hours add 0, which changes nothing).
            total = functools.reduce(operator.add, [avgs[i] for i in present], 0.0)
            if count:
                average = total / count
            else:  # JavaScript: 0/0 is NaN (null in JSON)
                average = math.nan if total == 0 else math.copysign(math.inf, total)
            over_time = ",".join([
                f'{{"date":"{d}","count":{"0" if i is None else n_col[i]}}}'
                for d, i in zip(dates, at, strict=True)])
            average_over_time = ",".join([
                f'{{"date":"{d}","value":{"0" if i is None else _json_float_text(avg_col[i])}}}'
                for d, i in zip(dates, at, strict=True)])
            items.append(
                f'{{"name":{_jstr(name)},"averageScore":{_num(average)},'
                f'"minScore":{_num(low)},"maxScore":{_num(high)},"count":{count},'
                f'"overTime":[{over_time}],"averageOverTime":[{average_over_time}]}}'
            )
        return _ok_text(f"[{','.join(items)}]", ms)

    # -- distributions -----------------------------------------------------------------

    def distributions(self, raw: dict[str, Any]) -> Answer:
        endpoint = EndpointName.DISTRIBUTIONS
        start = parse_js_date(raw["timeFilter"]["start"])
        end = parse_js_date(raw["timeFilter"]["end"])
        query = sql.distributions_query(start, end, raw["filter"])
        try:
            params = query.args.params()
        except InvalidTimeValue as exc:
            return _fail(endpoint, str(exc))
        try:
            rows, ms = self.engine.query(query.sql, params, query.settings)
        except EngineError as exc:
            return _fail(endpoint, str(exc))
        data = [
            {"name": name, "distribution": [
                {"lower": js_json_number(float(lo)), "upper": js_json_number(float(hi)),
                 "value": js_json_number(float(h))}
                for lo, hi, h in bins
            ]}
            for name, bins in rows
        ]
        return _ok(data, ms)

    # -- session metrics ---------------------------------------------------------------

    def sessions(self, raw: dict[str, Any]) -> Answer:
        endpoint = EndpointName.SESSIONS
        if not _tz_ok(_number(raw["timezoneDifference"])):
            return _fail(endpoint, "Invalid timezone difference")
        where, args = sql.session_where(raw.get("timeFilter"), raw.get("filter"),
                                        raw["nameContains"])
        p_size = raw.get("pSize") or "p75"
        interquartile = bool(raw.get("useInterquartile", False))
        try:
            params = args.params()
        except InvalidTimeValue:
            return _fail(endpoint, "No request count found")
        total = 0.0
        try:
            with self.engine.locked():
                total += self.engine.execute("TRUNCATE TABLE session_scratch")
                scan = sql.session_scan_query(where, args)
                _, ms = self.engine.query(scan.sql, params)
                total += ms
                rows, ms = self.engine.query(sql.session_metrics_sql(p_size, interquartile))
                total += ms
        except EngineError:
            # getHistogramRowOnKeys turns any failure of its query into this message.
            return _fail(endpoint, "No request count found", total)
        (count, duration, cost, avg_cost, avg_duration, avg_count), = rows

        def histogram(bins: list[list[float]]) -> list[dict[str, Any]]:
            return [
                {"range_start": js_number_str(lo), "range_end": js_number_str(hi),
                 "value": js_json_number(float(h))}
                for lo, hi, h in bins
            ]

        def average(value: float | None) -> list[dict[str, Any]]:
            return [{"average": None if value is None else js_json_number(float(value))}]

        data = {
            "session_count": histogram(count),
            "session_duration": histogram(duration),
            "session_cost": histogram(cost),
            "average": {
                "session_cost": average(avg_cost),
                "session_duration": average(avg_duration),
                "session_count": average(avg_count),
            },
        }
        return _ok(data, total)


# --------------------------------------------------------------------------- HTTP


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


def _auth_error(header: str | None) -> str | None:
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
        body = await _read_body(request, MAX_BODY)
        content_type = request.headers.get("content-type", "")
        raw: Any = {}
        too_deep: Answer | None = None
        if "json" in content_type:
            if body is None:  # body-parser's PayloadTooLargeError
                return respond(Answer(413, {"message": "request entity too large"}))
            if body.strip():
                try:
                    raw = jsontext.parse(body)
                except jsontext.BodyTooDeep as exc:
                    too_deep = _too_deep(exc.limit)
                except ValueError:  # malformed JSON, or not UTF-8
                    return respond(Answer(500, dict(INTERNAL_ERROR)))
        problem = _auth_error(request.headers.get("authorization"))
        if problem is not None:
            return respond(Answer(401, {"error": problem, "trace": _AUTH_TRACE}))
        if too_deep is not None:
            return respond(too_deep)
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


# --------------------------------------------------------------------------- serving


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
