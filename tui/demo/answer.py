"""A finished answer of the demo server, and Helicone's generic error body."""

from __future__ import annotations

from typing import Any

INTERNAL_ERROR = {"message": "Internal Server Error", "details": "Internal Server Error"}


class Answer:
    """A finished answer: status, a JSON-able body (or its JSON text already), engine ms."""

    __slots__ = ("body", "engine_ms", "status", "text")

    def __init__(self, status: int, body: Any, engine_ms: float = 0.0,
                 text: str | None = None) -> None:
        self.status = status
        self.body = body
        self.engine_ms = engine_ms
        self.text = text
