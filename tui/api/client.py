"""The async client: one httpx.AsyncClient, one method per endpoint, every failure a typed error.

Each error has `.message` (one line a person understands, naming what to do) and `.exit_code` (the
command line's: 2 usage, 3 API answer, 4 network). The key lives in an `ApiKey`, goes out only in
the Authorization header, and is scrubbed from any text the server echoes back.
"""

from __future__ import annotations

import asyncio
import logging
import math
import socket
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tui import __version__
from tui.api import wirejson
from tui.api.answers import Answer, Interpreter, Received
from tui.api.errors import (
    AnswerTooLarge,
    ApiError,
    AuthFailed,
    BadAnswer,
    ConnectionRefused,
    DnsFailed,
    HeliconeError,
    NetworkError,
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
from tui.api.target import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_ANSWER_MB,
    auth_causes,
    check_base_url,
    host_of,
    is_loopback,
)

if TYPE_CHECKING:
    import httpx

# The errors and target checks live in light modules; they are re-exported here for callers.
__all__ = [
    "Answer",
    "AnswerTooLarge",
    "ApiError",
    "AuthFailed",
    "BadAnswer",
    "ConnectionRefused",
    "DnsFailed",
    "HeliconeClient",
    "HeliconeError",
    "NetworkError",
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
_MB = 1 << 20


def _error_chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


# --------------------------------------------------------------------------- the client


class HeliconeClient:
    """One connection pool to one Helicone (or demo) server.

    Use as `async with HeliconeClient(url, key) as client: rows = await client.scores(req)`.
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
        sleep: Sleep | None = None,
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
        self._answers = Interpreter(self.base_url, self.host, self._key)
        self._sleep: Sleep = sleep or asyncio.sleep
        self._http: httpx.AsyncClient | None = None

    def __repr__(self) -> str:
        key = self._key.masked if self._key is not None else None
        return f"HeliconeClient({self.base_url!r}, key={key!r}, timeout={self.timeout:g})"

    @property
    def key(self) -> ApiKey | None:
        return self._key

    # -- lifecycle

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            import httpx  # deferred: keeps --help and start-up fast

            self._http = httpx.AsyncClient(
                base_url=self.base_url,
                timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 15.0)),
                headers={
                    "User-Agent": f"helicone-tui/{__version__}",
                    "Accept": "application/json",
                    # Only what reading.py inflates under the size cap.
                    "Accept-Encoding": "gzip, deflate",
                },
                follow_redirects=False,  # a redirect could carry the key elsewhere
            )
        return self._http

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

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
        if self._key is None:
            raise UsageError("no API key: set $HELICONE_API_KEY (see `helicone-tui doctor`)")
        body = request.to_wire()
        attempts = 0
        while True:
            attempts += 1
            started = time.perf_counter()
            response = await self._send("POST", spec.path, json_body=body)
            elapsed = time.perf_counter() - started
            log.debug("POST %s -> %s in %.3fs", spec.path, response.status_code, elapsed)
            if response.status_code != 429:
                return self._answers.interpret(spec, response, elapsed)
            hint = retry_hint(response.headers)
            wait = hint if hint is not None else min(2.0 ** (attempts - 1), self.max_retry_wait)
            if attempts > self.max_retries or wait > self.max_retry_wait:
                raise self._answers.rate_limited(response, attempts, hint, self.max_retry_wait)
            log.debug("429 from %s: retrying in %.1fs", self.host, wait)
            await self._sleep(wait)

    async def healthcheck(self) -> tuple[int, str]:
        """GET /healthcheck: the status and a one-line snippet of the body."""
        response = await self._send("GET", "/healthcheck")
        return response.status_code, self._line(response.text, 80)

    # -- transport

    async def _send(self, method: str, path: str, *, json_body: Any = None) -> Received:
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
                request = http.build_request(method, path, content=content, headers=headers)
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
            raise self._connect_error(exc) from None
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

    def _connect_error(self, exc: BaseException) -> NetworkError:
        import ssl

        chain = _error_chain(exc)
        if any(isinstance(e, socket.gaierror) for e in chain) or any(
            "name or service not known" in str(e).lower()
            or "nodename nor servname" in str(e).lower()
            or "temporary failure in name resolution" in str(e).lower()
            for e in chain
        ):
            return DnsFailed(
                f"cannot resolve {urlsplit(self.base_url).hostname}: check the host name in "
                "--base-url / $HELICONE_BASE_URL and your DNS or network"
            )
        if any(isinstance(e, ConnectionRefusedError) for e in chain):
            local = is_loopback(urlsplit(self.base_url).hostname or "")
            return ConnectionRefused(
                f"connection refused by {self.host}: nothing is listening there; check --base-url"
                + (" (or start `helicone-tui demo-server`)" if local else "")
            )
        if any(isinstance(e, ssl.SSLError) for e in chain):
            return NetworkError(
                f"TLS with {self.host} failed ({self._line(str(chain[-1]), 120)}): "
                "check the URL and any proxy that intercepts HTTPS"
            )
        reason = self._line(str(chain[-1]), 120) or type(chain[-1]).__name__
        return NetworkError(f"cannot connect to {self.host} ({reason}): check the URL and network")

    # -- answers

    def _line(self, text: str, limit: int = 240) -> str:
        return self._answers.line(text, limit)
