"""What the demo server's SEMANTICS-MORE endpoint families share: the window and bucket checks
of jawn's managers, and JSON helpers for numbers as jawn writes them."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from tui.demo.jsvalues import JsDate, js_json_number, parse_js_date


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
