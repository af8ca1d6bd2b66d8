"""The async client: one httpx.AsyncClient, one method per endpoint, every failure a typed error.

Each error has `.message` (one line a person understands, naming what to do) and `.exit_code` (the
command line's: 2 usage, 3 API answer, 4 network). The key lives in an `ApiKey`, goes out only in
the Authorization header, and is scrubbed from any text the server echoes back.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from tui.api import wirejson
from tui.api.answers import Answer, EndpointSpec, Interpreter, Received
from tui.api.endpoints_client import MoreEndpoints, endpoint_path
from tui.api.errors import (
    AnswerTooLarge,
    ApiError,
    AuthFailed,
    BadAnswer,
    BodyTooLarge,
    BodyUnavailable,
    ConnectionRefused,
    DnsFailed,
    HeliconeError,
    NetworkError,
    NotFound,
    QueryFailed,
    RateLimited,
    RequestRejected,
    RequestTimedOut,
    ServerFailed,
    UsageError,
)
from tui.api.key import ApiKey
from tui.api.models import (
    ENDPOINTS,
    EndpointName,
    Eval,
    EvalQuery,
    ScoreDistribution,
    ScoreRow,
    ScoresQuery,
    SessionMetrics,
    SessionMetricsQuery,
    WireRequest,
)
from tui.api.reading import (
    MAX_RETRIES,
    MAX_RETRY_WAIT,
    TooLarge,
    Undecodable,
    read_capped,
    retry_hint,
)
from tui.api.signed import DEFAULT_USER_AGENT, SignedBodies
from tui.api.target import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_ANSWER_MB,
    auth_causes,
    check_base_url,
    host_of,
)
from tui.api.wire_endpoints import MORE_ENDPOINTS, More

if TYPE_CHECKING:
    import httpx

# The errors and target checks live in light modules; they are re-exported here for callers.
__all__ = [
    "Answer",
    "AnswerTooLarge",
    "ApiError",
    "AuthFailed",
    "BadAnswer",
    "BodyTooLarge",
    "BodyUnavailable",
    "ConnectionRefused",
    "DnsFailed",
    "HeliconeClient",
    "HeliconeError",
    "NetworkError",
    "NotFound",
    "QueryFailed",
    "RateLimited",
    "RequestRejected",
    "RequestTimedOut",
    "ServerFailed",
    "UsageError",
    "auth_causes",
    "check_base_url",
    "host_of",
]

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[Any]]

DEFAULT_TIMEOUT = 60.0  # Helicone lets a query run for 60 s (max_execution_time)
DEFAULT_MAX_RETRIES = MAX_RETRIES
DEFAULT_MAX_RETRY_WAIT = MAX_RETRY_WAIT
# A view fans out dozens of queries at once; this many reach one target at a time (DESIGN.md).
DEFAULT_MAX_IN_FLIGHT = 6
_MB = 1 << 20
_BIG_ANSWER = 128 << 10  # bytes: an answer this large is read off the event loop


# --------------------------------------------------------------------------- the client


class HeliconeClient(MoreEndpoints):
    """One connection pool to one Helicone (or demo) server.

    Use as `async with HeliconeClient(url, key) as client: rows = await client.scores(req)`.
    Every method shares `max_in_flight` slots (at most that many requests on the wire at once)
    and one "not before" time: a 429 telling one request to wait holds back the others too.
    `user_agent` comes from the caller (the app and the CLI: `helicone-tui/<version>`).
    """

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        api_key: ApiKey | str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        allow_insecure_http: bool = False,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT,
        max_answer_mb: float = DEFAULT_MAX_ANSWER_MB,
        max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
        sleep: Sleep | None = None,
        user_agent: str = DEFAULT_USER_AGENT,
    ) -> None:
        if not timeout > 0:
            raise UsageError("--timeout must be a positive number of seconds")
        self.base_url = check_base_url(base_url, allow_insecure_http=allow_insecure_http)
        self.host = host_of(self.base_url)
        self._key = ApiKey(api_key) if isinstance(api_key, str) else api_key
        self.timeout = float(timeout)
        # At most 4 tries and 60 s a wait, whatever a caller or a server asks (DESIGN.md).
        self.max_retries = min(MAX_RETRIES, max(0, int(max_retries)))
        wait = float(max_retry_wait)
        self.max_retry_wait = min(MAX_RETRY_WAIT, wait) if wait >= 0 else MAX_RETRY_WAIT
        if not (math.isfinite(max_answer_mb) and max_answer_mb > 0):
            raise UsageError("max_answer_mb must be a positive number of megabytes")
        self.max_answer_mb = max_answer_mb
        self.max_answer_bytes = int(max_answer_mb * _MB)
        if int(max_in_flight) < 1:
            raise UsageError("max_in_flight must be at least 1")
        self.max_in_flight = int(max_in_flight)
        self._slots = asyncio.Semaphore(self.max_in_flight)
        self._not_before = 0.0  # time.monotonic() before which nothing is sent (a 429's wait)
        self._answers = Interpreter(self.base_url, self.host, self._key)
        self._sleep: Sleep = sleep or asyncio.sleep
        self._http: httpx.AsyncClient | None = None
        self.user_agent = user_agent
        self._bodies = SignedBodies(timeout=self.timeout, user_agent=user_agent)

    def __repr__(self) -> str:
        key = self._key.masked if self._key is not None else None
        return f"HeliconeClient({self.base_url!r}, key={key!r}, timeout={self.timeout:g})"

    @property
    def key(self) -> ApiKey | None:
        return self._key

    # -- lifecycle

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            from tui.api.http_lib import load_httpx

            httpx = load_httpx()  # deferred: keeps --help and start-up fast

            self._http = httpx.AsyncClient(
                base_url=self.base_url,
                timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 15.0)),
                headers={
                    "User-Agent": self.user_agent,
                    "Accept": "application/json",
                    # Only what reading.py inflates under the size cap.
                    "Accept-Encoding": "gzip, deflate",
                },
                follow_redirects=False,  # a redirect could carry the key elsewhere
                verify=_tls_context(self.base_url),
            )
        return self._http

    def warm(self) -> None:
        """Make the connection pool now: httpx's transports and TLS context cost ~50-90 ms to
        build, which the app spends in a thread rather than on its event loop's first request.
        Also what the first connection imports (httpcore's anyio backend: ~60 ms that would
        stall the event loop mid-request)."""
        self._client()
        from importlib import import_module

        for name in _FIRST_SEND_MODULES:
            import_module(name)

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None
        await self._bodies.aclose()

    async def __aenter__(self) -> HeliconeClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- endpoints

    async def scores(self, request: ScoresQuery) -> list[ScoreRow]:
        return (await self.fetch(EndpointName.SCORES, request)).data

    async def evals(self, request: EvalQuery) -> list[Eval]:
        return (await self.fetch(EndpointName.EVALS, request)).data

    async def distributions(self, request: EvalQuery) -> list[ScoreDistribution]:
        return (await self.fetch(EndpointName.DISTRIBUTIONS, request)).data

    async def session_metrics(self, request: SessionMetricsQuery) -> SessionMetrics:
        return (await self.fetch(EndpointName.SESSIONS, request)).data

    async def query(self, endpoint: EndpointName | str, request: WireRequest) -> Any:
        """The typed `data` of any endpoint."""
        return (await self.fetch(endpoint, request)).data

    async def fetch(self, endpoint: EndpointName | str, request: WireRequest) -> Answer[Any]:
        """Send `request` to `endpoint`; the typed data and the raw JSON of `data`."""
        spec = ENDPOINTS[EndpointName(endpoint)]
        if not isinstance(request, spec.request):
            raise TypeError(
                f"{spec.name.value} takes a {spec.request.__name__}, "
                f"not a {type(request).__name__}"
            )
        self._need_key()
        response, elapsed = await self._exchange("POST", spec.path, json_body=request.to_wire())
        return await self._interpret(spec, response, elapsed)

    async def fetch_more(
        self, endpoint: More | str, request: WireRequest | None = None, *,
        path: dict[str, str] | None = None, params: dict[str, str] | None = None,
    ) -> Answer[Any]:
        """One of SEMANTICS-MORE's endpoints: `path` fills its {placeholders} (URL-encoded),
        `params` is the query string of a GET. The typed data and the raw JSON of `data`."""
        spec = MORE_ENDPOINTS[More(endpoint)]
        if spec.request is None:
            if request is not None:
                raise TypeError(f"{spec.name.value} takes no body")
        elif not isinstance(request, spec.request):
            raise TypeError(
                f"{spec.name.value} takes a {spec.request.__name__}, "
                f"not a {type(request).__name__}"
            )
        url_path = endpoint_path(spec, path or {})
        self._need_key()
        body = request.to_wire() if request is not None else None
        response, elapsed = await self._exchange(spec.method, url_path, json_body=body,
                                                 params=params)
        not_found = None
        if spec.name is More.REQUEST:
            not_found = (f"{self.host} has no such request (unknown id, older than 90 days, "
                         "or of another organization)")
        return await self._interpret(spec, response, elapsed, method=spec.method,
                                     not_found=not_found)

    async def _interpret(self, spec: EndpointSpec, response: Received, elapsed: float,
                         **options: Any) -> Answer[Any]:
        """The answer read; a big one (a request with its bodies, a long page) in a thread:
        parsing and validating a megabyte is a 10-30 ms stall of the app's event loop."""
        if len(response.content) < _BIG_ANSWER:
            return self._answers.interpret(spec, response, elapsed, **options)
        return await asyncio.to_thread(self._answers.interpret, spec, response, elapsed,
                                       **options)

    async def signed_body(self, url: str) -> Any:
        """A request's bodies from its signed URL (`signed_body_url`, SEMANTICS-MORE §4.3):
        fetched without the API key, https only (loopback excepted), at most 2 MB, text only.
        The JSON when it is JSON (Helicone's `{"request": ..., "response": ...}`), else the
        text; BodyTooLarge over the cap, BodyUnavailable when refused or not fetched."""
        return await self._bodies.fetch(url)

    def _need_key(self) -> None:
        if self._key is None:
            raise UsageError("no API key: set $HELICONE_API_KEY (see `helicone-tui doctor`)")

    async def _exchange(
        self, method: str, path: str, *, json_body: Any = None,
        params: dict[str, str] | None = None,
    ) -> tuple[Received, float]:
        """Send until the answer is not a 429 (the tries and waits clamped); (answer, seconds
        of the last attempt). A 429's wait is the whole client's: see `_await_turn`."""
        attempts = 0
        waited_until = 0.0
        while True:
            attempts += 1
            response, elapsed = await self._send_timed(
                method, path, json_body=json_body, params=params, waited_until=waited_until)
            log.debug("%s %s -> %s in %.3fs", method, path, response.status_code, elapsed)
            if response.status_code != 429:
                return response, elapsed
            hint = retry_hint(response.headers)
            wait = hint if hint is not None else min(2.0 ** (attempts - 1), self.max_retry_wait)
            if attempts > self.max_retries or wait > self.max_retry_wait:
                raise self._answers.rate_limited(response, attempts, hint, self.max_retry_wait)
            log.debug("429 from %s: retrying in %.1fs", self.host, wait)
            waited_until = time.monotonic() + wait
            self._not_before = max(self._not_before, waited_until)
            await self._sleep(wait)

    async def _send_timed(
        self, method: str, path: str, *, json_body: Any = None,
        params: dict[str, str] | None = None, waited_until: float = 0.0,
    ) -> tuple[Received, float]:
        async with self._slots:
            await self._await_turn(waited_until)
            started = time.perf_counter()
            response = await self._send(method, path, json_body=json_body, params=params)
            return response, time.perf_counter() - started

    async def _await_turn(self, waited_until: float) -> None:
        """Wait out the shared "not before" time, unless this request already waited that long
        (`waited_until`); again if another 429 pushed it later meanwhile."""
        seen = waited_until
        while True:
            until = self._not_before
            if until <= seen:
                return
            delay = until - time.monotonic()
            if delay <= 0:
                return
            seen = until  # an injected sleep may not pass real time: wait each deadline once
            await self._sleep(delay)

    async def healthcheck(self) -> tuple[int, str]:
        """GET /healthcheck: the status and a one-line snippet of the body."""
        response, _ = await self._send_timed("GET", "/healthcheck")
        return response.status_code, self._line(response.text, 80)

    # -- transport

    async def _send(
        self, method: str, path: str, *, json_body: Any = None,
        params: dict[str, str] | None = None,
    ) -> Received:
        import httpx

        headers = {}
        if self._key is not None:
            headers["Authorization"] = f"Bearer {self._key.reveal()}"
        content = None
        if json_body is not None:
            headers["Content-Type"] = "application/json"
            # Not json.dumps: a long filter chain nests deeper than it recurses.
            content = wirejson.dumps(json_body, separators=(",", ":")).encode()
        http = self._client()
        try:
            # httpx's timeouts are per phase; this is the total limit per attempt, reading included.
            async with asyncio.timeout(self.timeout):
                request = http.build_request(method, path, content=content, headers=headers,
                                             params=params)
                response = await http.send(request, stream=True)
                try:
                    return Received(
                        response.status_code,
                        response.reason_phrase,
                        response.headers,
                        await self._read(response),
                    )
                finally:
                    await response.aclose()
        except TooLarge:
            raise AnswerTooLarge(
                f"the answer from {self.host}{path} is over the {self.max_answer_mb:g} MB size "
                "cap, so reading stopped: try a shorter range or a simpler filter, or raise "
                "max_answer_mb in the config file"
            ) from None
        except Undecodable as exc:
            raise BadAnswer(f"the answer from {self.host}{path} cannot be read: {exc}") from None
        except (TimeoutError, httpx.TimeoutException):
            raise RequestTimedOut(
                f"no answer from {self.host} within {self.timeout:g} s: Helicone runs a query for "
                "up to 60 s; try a shorter range or a simpler filter, or raise --timeout"
            ) from None
        except httpx.ConnectError as exc:
            raise self._answers.connect_error(exc) from None
        except httpx.TransportError as exc:
            reason = self._line(str(exc), 120) or type(exc).__name__
            raise NetworkError(
                f"the connection to {self.host} failed ({reason}): check the network and try again"
            ) from None

    async def _read(self, response: httpx.Response) -> bytes:
        """The decoded body, counted as it arrives; TooLarge past the cap (gzip included)."""
        encoding = response.headers.get("content-encoding", "")
        declared = response.headers.get("content-length", "")
        if not encoding and declared.isdigit() and int(declared) > self.max_answer_bytes:
            raise TooLarge(self.max_answer_bytes)  # said so up front: do not read it at all
        return await read_capped(
            response.aiter_raw(), encoding=encoding, cap=self.max_answer_bytes
        )

    # -- answers

    def _line(self, text: str, limit: int = 240) -> str:
        return self._answers.line(text, limit)


#: Imported by httpcore on the first request (measured: sys.modules before and after one GET).
_FIRST_SEND_MODULES = (
    "anyio._backends._asyncio", "anyio.streams.tls", "anyio.streams.stapled",
    "anyio.streams.memory", "anyio.to_thread", "anyio.lowlevel",
)


def _tls_context(base_url: str) -> Any:
    """httpx's default for https (the system's CA bundle: ~60-100 ms to load); for a plain
    http:// target (the demo, a local proxy) a bare client context with no CA at all, since
    no TLS is ever made: the base URL is fixed and redirects are not followed, so a request
    can never reach https, and were it to, verification would fail rather than pass."""
    if not base_url.lower().startswith("http://"):
        return True
    import ssl

    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)

