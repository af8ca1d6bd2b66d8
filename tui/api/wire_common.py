"""Pieces shared by the wire models of the metrics, request, property, user and session-name
endpoints (SEMANTICS-MORE.md): the numbers Helicone really sends, and the envelope variants.

A 64-bit integer that jawn passes through raw is a JSON number on ClickHouse >= 25.8 and a quoted
string ("123") on older versions (SEMANTICS-MORE §2.4), so `Count` takes both. A boolean is never a
number, and NaN / Infinity (as numbers or as strings) are a model error rather than a value.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Generic, Self, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict

from tui.api.models import Envelope as Envelope
from tui.api.models import WireRequest as WireRequest
from tui.api.models import WireResponse as WireResponse

_NUMERIC = re.compile(r"^\s*-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$")


def _wire_number(value: Any) -> Any:
    """A JSON number, or the quoted decimal text old ClickHouse versions send."""
    if isinstance(value, bool):
        raise ValueError("expected a number, not a boolean")
    if isinstance(value, str):
        if not _NUMERIC.match(value):
            raise ValueError(f"expected a number, got the text {value[:40]!r}")
        text = value.strip()
        number: float | int = int(text) if re.fullmatch(r"-?\d+", text) else float(text)
        value = number
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("expected a finite number")
    if not isinstance(value, int | float):
        raise ValueError("expected a number")
    return value


#: A number Helicone may send quoted (64-bit integers) or as JSON.
Count = Annotated[int | float, BeforeValidator(_wire_number)]
#: A Float64 result: always a JSON number when present (null is handled per field).
Real = Annotated[int | float, BeforeValidator(_wire_number)]

T = TypeVar("T")


class OptionalData(WireResponse, Generic[T]):
    """`GET /v1/request/{id}`: an unknown id answers `{"error": null}` with no `data` key."""

    data: T | None = None
    error: str | None


class ClosedModel(BaseModel):
    """A request part with no camelCase alias (e.g. sort leaves keyed by column name)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True, defer_build=True)

    def to_wire(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    @classmethod
    def from_wire(cls, body: Any) -> Self:
        return cls.model_validate(body, by_alias=True, by_name=False)
