"""What the demo server's SEMANTICS-MORE endpoint families share: tsoa-like validation of a
body against its wire model (422 in Helicone's shape), the window and bucket checks of jawn's
managers, and JSON helpers for numbers as jawn writes them."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from tui.demo.sql import JsDate, js_json_number, parse_js_date


class Invalid(Exception):
    """A body tsoa refuses: HTTP 422 `{"message": "Validation Failed", "details": ...}`."""

    def __init__(self, details: dict[str, Any]) -> None:
        super().__init__("Validation Failed")
        self.details = details


def _strict(raw: Any) -> dict[str, Any]:
    """What the models let through but tsoa refuses: JSON null anywhere (nothing here is
    nullable) and non-finite numbers (1e400)."""
    details: dict[str, Any] = {}

    def walk(path: str, value: Any) -> None:
        if value is None:
            details.setdefault(path, {"message": "invalid value: null", "value": None})
        elif isinstance(value, float) and not math.isfinite(value):
            details.setdefault(path, {"message": "invalid float number", "value": value})
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(f"{path}.{k}", v)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(f"{path}.{i}", v)

    walk("requestBody", raw)
    return details


def validate(model: Any, raw: Any) -> None:
    """Raise Invalid unless `raw` is a body the endpoint's wire model (and tsoa) accepts."""
    try:
        model.from_wire(raw)
    except ValidationError as exc:
        try:
            from tui.demo.server import _details  # tsoa's fieldErrors shape, written once
        except ImportError:  # main moved it into validation.py: a plain shape until merged
            raise Invalid({"requestBody": {"message": str(exc.errors()[0]["msg"])}}) from None
        raise Invalid(_details(exc.errors(include_url=False), raw)) from None
    details = _strict(raw)
    if details:
        raise Invalid(details)


def number(value: Any) -> float:
    """A number as tsoa hands it on (numeric strings coerced)."""
    return float(value.strip()) if isinstance(value, str) else float(value)


def tz_ok(tz: float) -> bool:
    return not math.isnan(tz) and -1440 <= tz <= 1440


def jnum(value: Any) -> Any:
    """A ClickHouse number as jawn's Number()/+ hands it to JSON: NULL -> 0, NaN -> null."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    return js_json_number(float(value))


def jraw(value: Any) -> Any:
    """A value jawn passes through raw: NULL stays null, floats as JSON.stringify writes them."""
    if value is None or isinstance(value, int | str):
        return value
    return js_json_number(float(value))


def iso_from_ch(text: str | None) -> str | None:
    """'YYYY-MM-DD HH:MM:SS[.fff]' (UTC, no zone) -> 'YYYY-MM-DDTHH:MM:SS.fffZ', as jawn's
    new Date(...).toISOString() writes it in a UTC process."""
    if text is None:
        return None
    date, _, clock = text.partition(" ")
    whole, _, frac = clock.partition(".")
    return f"{date}T{whole}.{(frac + '000')[:3]}Z"


def demo_now(anchor: datetime | None) -> JsDate:
    """Helicone's now(): the data's anchor when synthetic (answers stay the same on any day),
    the wall clock for a loaded file."""
    moment = anchor if anchor is not None else datetime.now(UTC)
    return JsDate(float(int(moment.timestamp() * 1000)))


def window(raw_time: dict[str, Any]) -> tuple[JsDate, JsDate]:
    return parse_js_date(raw_time["start"]), parse_js_date(raw_time["end"])
