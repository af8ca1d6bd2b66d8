"""The async client: one httpx.AsyncClient, one method per endpoint, every failure a typed error.

Each error has `.message` (one line a person understands, naming what to do) and `.exit_code` (the
command line's: 2 usage, 3 API answer, 4 network). The key lives in an `ApiKey`, goes out only in
the Authorization header, and is scrubbed from any text the server echoes back.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import math
import re
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import urlsplit

from pydantic import ValidationError

from tui import __version__
from tui.api import wirejson
from tui.api.errors import (
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
from tui.api.models import (
    ENDPOINTS,
    Endpoint,
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
from tui.api.target import auth_causes, check_base_url, host_of, is_loopback
from tui.config import DEFAULT_BASE_URL, EU_BASE_URL, ApiKey

if TYPE_CHECKING:
    import httpx

# The errors and target checks live in light modules; they are re-exported here for callers.
__all__ = [
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

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[Any]]

DEFAULT_TIMEOUT = 60.0  # Helicone lets a query run for 60 s (max_execution_time)
DEFAULT_MAX_RETRIES = 3
DEFAULT_MAX_RETRY_WAIT = 60.0
_SNIPPET = 240

# --------------------------------------------------------------------------- answers


@dataclass(frozen=True, slots=True)
class Answer(Generic[T]):
    """A successful answer: typed `data`, the `raw` JSON of `data` (values untouched)."""

    endpoint: EndpointName
    data: T
    raw: Any
    elapsed: float  # seconds, the last attempt


def _one_line(text: str, limit: int = _SNIPPET) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _retry_hint(headers: Any) -> float | None:
    """Seconds to wait from Retry-After (seconds or HTTP date) or RateLimit-Reset / RateLimit."""
    value = headers.get("retry-after")
    if value:
        value = value.strip()
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                when = None
            if when is not None:
                if when.tzinfo is None:
                    when = when.replace(tzinfo=UTC)
                # The server's clock, so the real clock here, not a --now fixed one.
                return max(0.0, (when - datetime.now(UTC)).total_seconds())
    reset = headers.get("ratelimit-reset")
    if reset is None:
        combined = headers.get("ratelimit") or ""
        match = re.search(r"(?:^|[;,\s])reset=(\d+(?:\.\d+)?)", combined)
        reset = match.group(1) if match else None
    if reset is not None:
        try:
            return max(0.0, float(reset))
        except ValueError:
            return None
    return None


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
        sleep: Sleep | None = None,
    ) -> None:
        if timeout <= 0:
            raise UsageError("--timeout must be a positive number of seconds")
        self.base_url = check_base_url(base_url, allow_insecure_http=allow_insecure_http)
        self.host = host_of(self.base_url)
        self._key = ApiKey(api_key) if isinstance(api_key, str) else api_key
        self.timeout = float(timeout)
        self.max_retries = max(0, int(max_retries))
        self.max_retry_wait = float(max_retry_wait)
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
                headers={"User-Agent": f"helicone-tui/{__version__}", "Accept": "application/json"},
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
                return self._interpret(spec, response, elapsed)
            hint = _retry_hint(response.headers)
            wait = hint if hint is not None else min(2.0 ** (attempts - 1), self.max_retry_wait)
            if attempts > self.max_retries or wait > self.max_retry_wait:
                raise self._rate_limited(response, attempts, hint)
            log.debug("429 from %s: retrying in %.1fs", self.host, wait)
            await self._sleep(wait)

    async def healthcheck(self) -> tuple[int, str]:
        """GET /healthcheck: the status and a one-line snippet of the body."""
        response = await self._send("GET", "/healthcheck")
        return response.status_code, self._scrub(_one_line(response.text, 80))

    # -- transport

    async def _send(self, method: str, path: str, *, json_body: Any = None) -> httpx.Response:
        import httpx

        headers = {}
        if self._key is not None:
            headers["Authorization"] = f"Bearer {self._key.reveal()}"
        content = None
        if json_body is not None:
            headers["Content-Type"] = "application/json"
            # Not json.dumps: a long filter chain nests deeper than it recurses.
            content = wirejson.dumps(json_body, separators=(",", ":")).encode()
        try:
            # httpx's timeouts are per phase; this is the total limit per attempt.
            async with asyncio.timeout(self.timeout):
                return await self._client().request(method, path, content=content, headers=headers)
        except (TimeoutError, httpx.TimeoutException):
            raise RequestTimedOut(
                f"no answer from {self.host} within {self.timeout:g} s: Helicone runs a query for "
                "up to 60 s; try a shorter range or a simpler filter, or raise --timeout"
            ) from None
        except httpx.ConnectError as exc:
            raise self._connect_error(exc) from None
        except httpx.TransportError as exc:
            reason = self._scrub(_one_line(str(exc), 120)) or type(exc).__name__
            raise NetworkError(
                f"the connection to {self.host} failed ({reason}): check the network and try again"
            ) from None

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
                f"TLS with {self.host} failed ({_one_line(str(chain[-1]), 120)}): "
                "check the URL and any proxy that intercepts HTTPS"
            )
        reason = _one_line(str(chain[-1]), 120) or type(chain[-1]).__name__
        return NetworkError(f"cannot connect to {self.host} ({reason}): check the URL and network")

    # -- answers

    def _scrub(self, text: str) -> str:
        return self._key.scrub(text) if self._key is not None else text

    def _decode(self, response: httpx.Response) -> tuple[Any, bool]:
        try:
            return json.loads(response.content), True
        except (ValueError, UnicodeDecodeError):
            return None, False

    def _snippet(self, response: httpx.Response, body: Any) -> str:
        """The server's own words, one line, key scrubbed."""
        if isinstance(body, dict):
            for name in ("error", "message"):
                value = body.get(name)
                if isinstance(value, str) and value.strip():
                    return self._scrub(_one_line(value))
            return self._scrub(_one_line(json.dumps(body)))
        try:
            text = response.text
        except (UnicodeDecodeError, LookupError):
            text = ""
        if text.lstrip().startswith("<"):  # an HTML error page from a proxy: its words only
            text = re.sub(r"<(script|style)\b.*?</\1>|<[^>]*>", " ", text, flags=re.S | re.I)
        return self._scrub(_one_line(text)) or (response.reason_phrase or "no message")

    def _interpret(self, spec: Endpoint, response: httpx.Response, elapsed: float) -> Answer[Any]:
        status = response.status_code
        body, is_json = self._decode(response)
        where = f"{self.host}{spec.path}"

        if status == 401 or (status == 400 and not is_json and "token" in response.text.lower()):
            reason = self._snippet(response, body)
            causes = auth_causes(self.base_url, self._key)
            raise AuthFailed(
                f"{self.host} refused the API key ({status}: {reason}). Likely: "
                + "; ".join(causes)
                + ". Run `helicone-tui doctor`",
                status=status,
                reason=reason,
                causes=causes,
            )
        if status == 422:
            raise self._rejected(body, response)
        if 300 <= status < 400:
            location = self._scrub(response.headers.get("location", "elsewhere"))
            raise ApiError(
                f"{where} redirected ({status}) to {location}: use that address as --base-url",
                status=status,
            )
        if status == 404:
            raise ApiError(
                f"{where} does not exist (404): is the base URL Helicone's API "
                f"({DEFAULT_BASE_URL} or {EU_BASE_URL})?",
                status=status,
            )
        if status >= 500:
            raise self._server_failed(status, body, response)
        if not 200 <= status < 300:
            raise ApiError(
                f"{where} answered {status} ({self._snippet(response, body)}): "
                "check --base-url and the key",
                status=status,
            )

        if not is_json:
            start = self._snippet(response, None)[:60]
            raise BadAnswer(
                f"the answer from {where} is not valid JSON (it starts {start!r}): "
                "is the base URL Helicone's API?",
                status=status,
            )
        if isinstance(body, dict) and body.get("data") is None:
            error = body.get("error")
            if isinstance(error, str) and error.strip():
                raise QueryFailed(
                    f"Helicone could not run the {spec.name.value} query: "
                    f"{self._scrub(_one_line(error))}{_hint_for(error)}",
                    status=status,
                )
        try:
            envelope = spec.response.model_validate(body)
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"]) or "the body"
            raise BadAnswer(
                f"the answer from {where} does not match Helicone's {spec.name.value} response "
                f"({loc}: {self._scrub(first['msg'])}): is the base URL Helicone's API, "
                "and is helicone-tui up to date?",
                status=status,
            ) from None
        if envelope.data is None:
            raise QueryFailed(
                f"Helicone answered the {spec.name.value} query with no data and no error: "
                "try again in a moment",
                status=status,
            )
        return Answer(spec.name, envelope.data, body["data"], elapsed)

    def _rejected(self, body: Any, response: httpx.Response) -> RequestRejected:
        field = None
        detail = ""
        if isinstance(body, dict) and isinstance(body.get("details"), dict) and body["details"]:
            raw_field, info = next(iter(body["details"].items()))
            field = str(raw_field).removeprefix("requestBody.").removeprefix("requestBody")
            field = field or "the body"
            why = info.get("message") if isinstance(info, dict) else info
            detail = f"{field}: {_one_line(str(why), 160)}"
        else:
            detail = self._snippet(response, body)
        headline = body.get("message") if isinstance(body, dict) else None
        return RequestRejected(
            self._scrub(
                f"{self.host} refused the request (422 {headline or 'Unprocessable'}): {detail}. "
                "helicone-tui sends only what Helicone's schema allows, so the server's schema "
                "may have changed: please report this with the output of --curl"
            ),
            status=422,
            field=field,
        )

    def _server_failed(self, status: int, body: Any, response: httpx.Response) -> ServerFailed:
        what = self._snippet(response, body)
        if isinstance(body, dict) and isinstance(body.get("details"), str):
            details = self._scrub(_one_line(body["details"], 160))
            if details and details != what:
                what = f"{what}: {details}"
        if status in (502, 503, 504):
            advice = "the service or a proxy in front of it is unavailable: try again in a minute"
        else:
            advice = "try again; if it persists, try a shorter range or a simpler filter"
        return ServerFailed(
            f"{self.host} failed ({status}: {what}){_hint_for(what)}: {advice}", status=status
        )

    def _rate_limited(
        self, response: httpx.Response, attempts: int, hint: float | None
    ) -> RateLimited:
        body, _ = self._decode(response)
        reason = self._snippet(response, body)
        if hint is not None and hint > self.max_retry_wait:
            wait = f"it asks to wait {math.ceil(hint)} s"
        else:
            wait = f"still limited after {attempts} attempts"
        return RateLimited(
            f"{self.host} is rate-limiting this key (429: {reason}); {wait}: Helicone counts "
            "queries per organization per 5 minutes, so wait a few minutes and try again",
            status=429,
            attempts=attempts,
            retry_after=hint,
        )


def _hint_for(error: str) -> str:
    """A pointer for Helicone errors whose cause is known (SEMANTICS §1.5, §6.5)."""
    lower = error.lower()
    if "unknown identifier" in lower or "missing columns" in lower or "unknown_identifier" in lower:
        return " (the filter uses a field Helicone has no column for, e.g. total_tokens or assets)"
    if "invalid time filter" in lower:
        return " (the range's start must not be after its end)"
    return ""
