"""From what came back to an answer or a typed error: every message built from server text.

Server text (error fields, HTML pages, headers, reason phrases) goes through `line`: one line,
made terminal-safe by tui.safe and with the key masked, so no message can carry a control code
or the key (DESIGN.md "Terminal safety and limits").
"""

from __future__ import annotations

import html
import json
import re
import socket
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, Protocol, TypeVar
from urllib.parse import urlsplit

from pydantic import ValidationError

from tui.api.errors import (
    ApiError,
    AuthFailed,
    BadAnswer,
    ConnectionRefused,
    DnsFailed,
    NetworkError,
    NotFound,
    QueryFailed,
    RateLimited,
    RequestRejected,
    ServerFailed,
)
from tui.api.key import ApiKey
from tui.api.reading import Undecodable, asked_wait, loads
from tui.api.safe_text import one_line
from tui.api.target import DEFAULT_BASE_URL, EU_BASE_URL, auth_causes, is_loopback

T = TypeVar("T")
_SNIPPET = 240

# Helicone's 401 for a valid key without the permission the method needs (SEMANTICS-MORE §2.1).
_LACKS = {"GET": "read", "POST": "write"}


class EndpointSpec(Protocol):
    """What an answer is read against: models.Endpoint and wire_endpoints.WireEndpoint."""

    @property
    def name(self) -> StrEnum: ...
    @property
    def path(self) -> str: ...
    @property
    def response(self) -> Any: ...


@dataclass(frozen=True, slots=True)
class Answer(Generic[T]):
    """A successful answer: typed `data`, the `raw` JSON of `data` (values untouched)."""

    endpoint: StrEnum  # models.EndpointName or wire_endpoints.More
    data: T
    raw: Any
    elapsed: float  # seconds, the last attempt


@dataclass(frozen=True, slots=True)
class Received:
    """What came back, read whole under the size cap (the transport's part of an answer)."""

    status_code: int
    reason_phrase: str
    headers: Any  # httpx.Headers: names are case-insensitive
    content: bytes

    @property
    def text(self) -> str:
        match = re.search(r"charset=\"?([\w.:-]+)", self.headers.get("content-type", ""), re.I)
        try:
            return self.content.decode(match.group(1) if match else "utf-8", errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")




class Interpreter:
    """Reads the answers of one target (`host` in messages, `base_url` for the 401 causes)."""

    def __init__(self, base_url: str, host: str, key: ApiKey | None) -> None:
        self.base_url = base_url
        self.host = host
        self._key = key

    def scrub(self, text: str) -> str:
        return self._key.scrub(text) if self._key is not None else text

    def line(self, text: str, limit: int = _SNIPPET) -> str:
        """Server text as one safe line, the key masked (before the cut and after it, so a key
        cut in half is caught too)."""
        return self.scrub(one_line(self.scrub(text[: limit * 16]), limit))

    def decode(self, response: Received) -> tuple[Any, str | None]:
        """(body, problem): problem is None for usable JSON, else what is wrong with it."""
        if not response.content.strip():
            return None, "empty"
        try:
            return loads(response.content), None
        except Undecodable as exc:
            return None, str(exc)
        except (ValueError, UnicodeDecodeError):
            return None, "not JSON"

    def snippet(self, response: Received, body: Any) -> str:
        """The server's own words, one safe line, key scrubbed."""
        if isinstance(body, dict):
            for name in ("error", "message"):
                value = body.get(name)
                if isinstance(value, str) and value.strip():
                    return self.line(value)
        if body is not None:
            return self.line(json.dumps(body)[: _SNIPPET * 16])
        text = response.text[: _SNIPPET * 64]
        if not text.strip():
            return "an empty body"  # not the reason phrase: that is not the server's message
        if text.lstrip().startswith("<"):  # an HTML error page from a proxy: its words only
            text = re.sub(r"<(script|style)\b.*?</\1>|<[^>]*>", " ", text, flags=re.S | re.I)
            text = html.unescape(text)
        return self.line(text) or "an empty body"

    def interpret(
        self, spec: EndpointSpec, response: Received, elapsed: float, *,
        method: str = "POST", not_found: str | None = None,
    ) -> Answer[Any]:
        """The typed answer, or the typed error it amounts to. `not_found`: the message of an
        answer without `data` and without an error (GET /v1/request/{id}'s unknown id)."""
        status = response.status_code
        body, problem = self.decode(response)
        is_json = problem is None
        where = f"{self.host}{spec.path}"

        if status == 401 or (status == 400 and not is_json and "token" in response.text.lower()):
            raise self._auth_failed(status, body, response, method)
        if status == 422:
            raise self._rejected(body, response)
        if 300 <= status < 400:
            location = self.line(response.headers.get("location", "elsewhere"), 200)
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
        if status == 400 and isinstance(body, dict) and isinstance(body.get("error"), str):
            # user metrics answer their query errors with 400 {data: null, error}
            raise QueryFailed(
                f"Helicone could not run the {spec.name.value} query (400): "
                f"{self.line(body['error'])}{_hint_for(body['error'])}",
                status=status,
            )
        if not 200 <= status < 300:
            raise ApiError(
                f"{where} answered {status} ({self.snippet(response, body)}): "
                "check --base-url and the key",
                status=status,
            )

        if problem == "empty":
            reason = one_line(response.reason_phrase, 40)
            raise BadAnswer(
                f"{where} sent an empty answer ({status} {reason}".rstrip() + "): "
                "is the base URL Helicone's API?",
                status=status,
            )
        if problem == "not JSON":
            # Already made safe by snippet(): quoted as is (a repr would double its backslashes).
            start = self.snippet(response, None)[:60]
            raise BadAnswer(
                f"the answer from {where} is not valid JSON (it starts '{start}'): "
                "is the base URL Helicone's API?",
                status=status,
            )
        if problem is not None:
            raise BadAnswer(
                f"the answer from {where} cannot be used: {problem}", status=status
            )
        if isinstance(body, dict) and body.get("data") is None:
            error = body.get("error")
            if isinstance(error, str) and error.strip():
                raise QueryFailed(
                    f"Helicone could not run the {spec.name.value} query: "
                    f"{self.line(error)}{_hint_for(error)}",
                    status=status,
                )
            if not_found is not None and error is None:
                raise NotFound(not_found, status=status)
        try:
            envelope = spec.response.model_validate(body)
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = self.line(".".join(str(p) for p in first["loc"]), 120) or "the body"
            raise BadAnswer(
                f"the answer from {where} does not match Helicone's {spec.name.value} response "
                f"({loc}: {self.line(first['msg'], 160)}): is the base URL Helicone's API, "
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

    def _auth_failed(
        self, status: int, body: Any, response: Received, method: str
    ) -> AuthFailed:
        causes = auth_causes(self.base_url, self._key)
        lacks = None
        if isinstance(body, dict) and "error" in body and body["error"] is None:
            # The key was found but lacks the method's permission: Helicone says nothing more.
            lacks = _LACKS.get(method.upper(), "write")
            reason = f"the key is valid but lacks {lacks} permission"
            if lacks == "read":
                causes = ["a write-only key: keys made with Helicone's default settings can "
                          "write (the query endpoints) but not read (GET requests); create one "
                          "with read and write ticked"]
            else:
                causes = [causes[-1]]  # the read-only key
        else:
            reason = self.snippet(response, body)
        return AuthFailed(
            f"{self.host} refused the API key ({status}: {reason}). Likely: "
            + "; ".join(causes)
            + ". Run `helicone-tui doctor`",
            status=status,
            reason=reason,
            causes=causes,
            lacks=lacks,
        )

    def connect_error(self, exc: BaseException) -> NetworkError:
        """What a failed connection amounts to: DNS, refused, TLS or other."""
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
                f"TLS with {self.host} failed ({self.line(str(chain[-1]), 120)}): "
                "check the URL and any proxy that intercepts HTTPS"
            )
        reason = self.line(str(chain[-1]), 120) or type(chain[-1]).__name__
        return NetworkError(f"cannot connect to {self.host} ({reason}): check the URL and network")

    def _rejected(self, body: Any, response: Received) -> RequestRejected:
        field = None
        detail = ""
        if isinstance(body, dict) and isinstance(body.get("details"), dict) and body["details"]:
            raw_field, info = next(iter(body["details"].items()))
            field = str(raw_field).removeprefix("requestBody.").removeprefix("requestBody")
            field = self.line(field, 80) or "the body"
            why = info.get("message") if isinstance(info, dict) else info
            detail = f"{field}: {self.line(str(why), 160)}"
        else:
            detail = self.snippet(response, body)
        headline = body.get("message") if isinstance(body, dict) else None
        headline = self.line(headline, 80) if isinstance(headline, str) else ""
        return RequestRejected(
            f"{self.host} refused the request (422 {headline or 'Unprocessable'}): {detail}. "
            "helicone-tui sends only what Helicone's schema allows, so the server's schema "
            "may have changed: please report this with the output of --curl",
            status=422,
            field=field,
        )

    def _server_failed(self, status: int, body: Any, response: Received) -> ServerFailed:
        what = self.snippet(response, body)
        if isinstance(body, dict) and isinstance(body.get("details"), str):
            details = self.line(body["details"], 160)
            if details and details != what:
                what = f"{what}: {details}"
        if status in (502, 503, 504):
            advice = "the service or a proxy in front of it is unavailable: try again in a minute"
        else:
            advice = "try again; if it persists, try a shorter range or a simpler filter"
        return ServerFailed(
            f"{self.host} failed ({status}: {what}){_hint_for(what)}: {advice}", status=status
        )

    def rate_limited(
        self, response: Received, attempts: int, hint: float | None, max_wait: float
    ) -> RateLimited:
        body, _ = self.decode(response)
        reason = self.snippet(response, body)
        if hint is not None and hint > max_wait:
            wait = f"it asks to wait {asked_wait(hint)}"
        else:
            wait = f"still limited after {attempts} attempts"
        return RateLimited(
            f"{self.host} is rate-limiting this key (429: {reason}); {wait}: Helicone counts "
            "queries per organization per 5 minutes, so wait a few minutes and try again",
            status=429,
            attempts=attempts,
            retry_after=hint,
        )


def _error_chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _hint_for(error: str) -> str:
    """A pointer for Helicone errors whose cause is known (SEMANTICS §1.5, §6.5)."""
    lower = error.lower()
    if "unknown identifier" in lower or "missing columns" in lower or "unknown_identifier" in lower:
        return " (the filter uses a field Helicone has no column for, e.g. total_tokens or assets)"
    if "invalid time filter" in lower:
        return " (the range's start must not be after its end)"
    return ""
