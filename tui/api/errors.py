"""The client's typed errors: each carries one line a person understands and the CLI's exit code.

Kept apart from the client so that the command line can raise and catch them without importing
httpx or pydantic.
"""

from __future__ import annotations


class HeliconeError(Exception):
    """Base of every client error. `message` is one line; `exit_code` is the CLI's."""

    exit_code = 3

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status

    def __str__(self) -> str:
        return self.message


class UsageError(HeliconeError):
    """Something the user must change before anything is sent (no key, insecure URL)."""

    exit_code = 2


class NetworkError(HeliconeError):
    """Nothing usable came back: connect, DNS, TLS, timeout, dropped connection."""

    exit_code = 4


class ConnectionRefused(NetworkError):
    pass


class DnsFailed(NetworkError):
    pass


class RequestTimedOut(NetworkError):
    pass


class AnswerTooLarge(NetworkError):
    """The answer passed the size cap (`max_answer_mb`): reading stopped there."""


class BodyTooLarge(AnswerTooLarge):
    """A request's body at its signed URL is over the 2 MB the detail view shows."""


class ApiError(HeliconeError):
    """The server answered, with an error or with a body that is not what Helicone sends."""

    exit_code = 3


class AuthFailed(ApiError):
    """401: the key was refused. `causes` lists what to check (doctor prints them).

    `lacks` is "read" or "write" when Helicone said the key is valid but lacks the permission
    the method needs (its 401 with `"error": null`), else None."""

    def __init__(
        self, message: str, *, status: int | None, reason: str, causes: list[str],
        lacks: str | None = None,
    ) -> None:
        super().__init__(message, status=status)
        self.reason = reason
        self.causes = causes
        self.lacks = lacks


class RequestRejected(ApiError):
    """422: Helicone's schema refused the body; `field` names the offending field."""

    def __init__(self, message: str, *, status: int | None, field: str | None):
        super().__init__(message, status=status)
        self.field = field


class RateLimited(ApiError):
    """429 after the retries ran out (or the server asked for too long a wait)."""

    def __init__(
        self, message: str, *, status: int | None, attempts: int, retry_after: float | None
    ) -> None:
        super().__init__(message, status=status)
        self.attempts = attempts
        self.retry_after = retry_after


class ServerFailed(ApiError):
    """5xx: Helicone (or a proxy in front of it) failed."""


class QueryFailed(ApiError):
    """HTTP 200 with `{"data": null, "error": …}` (how scores report errors)."""


class NotFound(ApiError):
    """`GET /v1/request/{id}` knows no such request (an answer with no `data`): an unknown id,
    one older than 90 days, or one of another organization."""


class BodyUnavailable(ApiError):
    """A body's signed URL was not fetched (not https, a redirect, an error status) or did not
    hold text."""


class BadAnswer(ApiError):
    """Not JSON, JSON nested past the cap or holding non-finite numbers, or JSON that does not
    match the endpoint's response model."""
