"""Bodies at a signed URL (SEMANTICS-MORE §4.3): Helicone keeps large bodies in S3 and sends a
presigned GET URL (`signed_body_url`) in the request row.

The URL carries its own authority, so it is fetched with a client of its own that has no API key
and follows no redirect (DESIGN.md: the key never goes to a signed body URL). Only https, unless
the host is a loopback address (the demo and tests); at most 2 MB decoded, read with the same
capped reader as every answer; text only. Messages name the URL's host, never its query (the
signature).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tui.api.errors import (
    BodyTooLarge,
    BodyUnavailable,
    NetworkError,
    RequestTimedOut,
)
from tui.api.reading import TooLarge, Undecodable, loads, read_capped
from tui.api.safe_text import one_line
from tui.api.target import is_loopback

if TYPE_CHECKING:
    import httpx

#: Without one from the caller (the app and the CLI send `helicone-tui/<version>`): tui.api
#: imports nothing of tui outside it, so it does not know the version.
DEFAULT_USER_AGENT = "helicone-tui"

#: The most of a body the detail view fetches and shows (DESIGN.md "The views").
BODY_CAP = 2 << 20


def check_body_url(url: Any) -> str:
    """The host of an acceptable signed URL; BodyUnavailable for anything else."""
    parts = urlsplit(url) if isinstance(url, str) else None
    host = (parts.hostname or "") if parts is not None else ""
    if parts is None or parts.scheme not in ("http", "https") or not host:
        raise BodyUnavailable("the request's body URL is not an http(s) URL, so it was not "
                              "fetched")
    shown = one_line(host, 80)
    if parts.scheme == "http" and not is_loopback(host):
        raise BodyUnavailable(f"the request's body URL on {shown} is plain http://, so it was "
                              "not fetched: signed body URLs must be https")
    if parts.username is not None or parts.password is not None:
        raise BodyUnavailable(f"the request's body URL on {shown} carries credentials, so it "
                              "was not fetched")
    return shown


class SignedBodies:
    """Fetches bodies from signed URLs with an httpx client that never holds a key."""

    def __init__(self, *, timeout: float, cap: int = BODY_CAP,
                 user_agent: str = DEFAULT_USER_AGENT) -> None:
        self.timeout = timeout
        self.user_agent = user_agent
        self.cap = cap
        self._http: httpx.AsyncClient | None = None

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            import httpx

            self._http = httpx.AsyncClient(
                timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 15.0)),
                headers={
                    "User-Agent": self.user_agent,
                    "Accept": "application/json, text/plain;q=0.9",
                    "Accept-Encoding": "gzip, deflate",
                },
                follow_redirects=False,
            )
        return self._http

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    async def fetch(self, url: str) -> Any:
        """The body's JSON when it is JSON, else its text."""
        import httpx

        host = check_body_url(url)
        http = self._client()
        try:
            async with asyncio.timeout(self.timeout):
                response = await http.send(http.build_request("GET", url), stream=True)
                try:
                    status = response.status_code
                    if status != 200:
                        raise _refused(host, status)
                    declared = response.headers.get("content-length", "")
                    encoding = response.headers.get("content-encoding", "")
                    if not encoding and declared.isdigit() and int(declared) > self.cap:
                        raise TooLarge(self.cap)
                    content = await read_capped(response.aiter_raw(), encoding=encoding,
                                                cap=self.cap)
                finally:
                    await response.aclose()
        except TooLarge:
            raise BodyTooLarge(f"the request's body on {host} is over {self.cap >> 20} MB, "
                               "so it is not shown") from None
        except Undecodable as exc:
            raise BodyUnavailable(f"the request's body on {host} cannot be read: {exc}") from None
        except (TimeoutError, httpx.TimeoutException):
            raise RequestTimedOut(f"the request's body on {host} did not come within "
                                  f"{self.timeout:g} s: try again") from None
        except httpx.TransportError as exc:
            reason = one_line(str(exc), 120) or type(exc).__name__
            raise NetworkError(f"the request's body on {host} could not be fetched ({reason}): "
                               "check the network and try again") from None
        return _text_or_json(content, host)


def _refused(host: str, status: int) -> BodyUnavailable:
    if 300 <= status < 400:
        why = "a redirect, which is not followed"
    elif status in (400, 403):
        why = "refused: signed URLs last 24 h, so reopen the request for a fresh one"
    elif status == 404:
        why = "no such body: it may have expired (Helicone keeps bodies 3 months)"
    else:
        why = "try again in a moment"
    return BodyUnavailable(f"the request's body on {host} was not fetched ({status}): {why}",
                           status=status)


def _text_or_json(content: bytes, host: str) -> Any:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:
        raise BodyUnavailable(f"the request's body on {host} is not text, so it is not shown")
    try:
        return loads(content)
    except (ValueError, Undecodable):
        return text  # not JSON (or JSON past the caps): shown as the text it is
