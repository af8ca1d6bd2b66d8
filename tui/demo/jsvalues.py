"""JavaScript's values as jawn and its ClickHouse client see them: number spelling, `new Date`
parsing and ISO strings, parameter text and types, `Object.keys` order. Used by the filter -> SQL
translation (sql.py) and the endpoint families."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any


def js_number_str(x: float | int) -> str:
    """JavaScript's Number.prototype.toString for a finite or non-finite double."""
    v = float(x)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if v == 0:
        return "0"
    sign = "-" if v < 0 else ""
    digits, exp = _shortest_digits(abs(v))
    k = len(digits)
    n = exp + k  # value = 0.DIGITS x 10^n
    if k <= n <= 21:
        body = digits + "0" * (n - k)
    elif 0 < n <= 21:
        body = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        body = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
        body = f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"
    return sign + body


def _shortest_digits(v: float) -> tuple[str, int]:
    """(digits, exponent) of the shortest round-trip decimal: v = int(digits) * 10**exponent."""
    text = repr(v)  # Python's repr is the shortest round-trip form, as JavaScript's is
    mantissa, _, exp_text = text.partition("e")
    exp = int(exp_text) if exp_text else 0
    whole, _, frac = mantissa.partition(".")
    if frac == "0":
        frac = ""
    digits = (whole + frac).lstrip("0")
    exp -= len(frac)
    stripped = digits.rstrip("0")
    exp += len(digits) - len(stripped)
    return stripped or "0", exp


def js_json_number(x: float) -> float | int | None:
    """A double as JSON.stringify writes it: integral values without '.0', NaN/Infinity as null."""
    if math.isnan(x) or math.isinf(x):
        return None
    if x.is_integer() and abs(x) < 1e21:
        return int(x)
    return x


#: ±8.64e15 ms: the range of a JavaScript Date.
_MAX_TIME = 8.64e15


@dataclass(frozen=True, slots=True)
class JsDate:
    """A JavaScript Date: ms since the epoch, or None for an Invalid Date."""

    ms: float | None

    @staticmethod
    def from_ms(value: float) -> JsDate:
        """new Date(number): TimeClip (NaN beyond ±8.64e15, else truncated to an integer)."""
        v = float(value)
        if math.isnan(v) or abs(v) > _MAX_TIME:
            return JsDate(None)
        return JsDate(float(math.trunc(v)) + 0.0)


class InvalidTimeValue(ValueError):
    """Date.prototype.toISOString on an Invalid Date throws RangeError("Invalid time value")."""

    def __init__(self) -> None:
        super().__init__("Invalid time value")


_ISO = re.compile(
    r"^(?P<y>[+-]\d{6}|\d{4})(?:-(?P<mo>\d{2})(?:-(?P<d>\d{2}))?)?"
    r"(?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d+))?)?)?"
    r"(?P<z>Z|[+-]\d{2}:?\d{2})?$"
)


def parse_js_date(text: str) -> JsDate:
    """new Date(string) for the ISO 8601 forms V8 reads (date-only = UTC; no zone = local, and
    the demo server's local zone is UTC). Other legacy forms V8 guesses at are Invalid Dates here.
    """
    m = _ISO.match(text.strip())
    if not m:
        return JsDate(None)
    year_text = m["y"]
    if year_text == "-000000":
        return JsDate(None)
    year = int(year_text)
    month = int(m["mo"] or 1)
    day = int(m["d"] or 1)
    hour, minute = int(m["h"] or 0), int(m["mi"] or 0)
    second = int(m["s"] or 0)
    millis = int((m["f"] or "0")[:3].ljust(3, "0"))
    if not (1 <= month <= 12 and 1 <= day <= 31 and minute <= 59 and second <= 59):
        return JsDate(None)
    if hour > 24 or (hour == 24 and (minute or second or millis)):
        return JsDate(None)
    if m["h"] is None and m["z"] is not None:
        return JsDate(None)  # a zone needs a time
    offset = 0
    zone = m["z"]
    if zone and zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        oh, om = int(digits[:2]), int(digits[2:])
        if oh > 23 or om > 59:
            return JsDate(None)
        offset = sign * (oh * 60 + om)
    days = _days_from_civil(year, month, 1) + day - 1
    ms = ((days * 24 + hour) * 60 + minute - offset) * 60_000 + second * 1000 + millis
    if abs(ms) > _MAX_TIME:
        return JsDate(None)
    return JsDate(float(ms))


def _days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm)."""
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _civil_from_days(z: int) -> tuple[int, int, int]:
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return y + (m <= 2), m, d


def iso_string(date: JsDate) -> str:
    """Date.prototype.toISOString: 'YYYY-MM-DDTHH:mm:ss.sssZ' (±YYYYYY beyond 0..9999)."""
    if date.ms is None:
        raise InvalidTimeValue()
    ms = int(date.ms)
    days, rest = divmod(ms, 86_400_000)
    y, mo, d = _civil_from_days(days)
    hh, rest = divmod(rest, 3_600_000)
    mi, rest = divmod(rest, 60_000)
    ss, milli = divmod(rest, 1000)
    year = f"{y:04d}" if 0 <= y <= 9999 else f"{'-' if y < 0 else '+'}{abs(y):06d}"
    return f"{year}-{mo:02d}-{d:02d}T{hh:02d}:{mi:02d}:{ss:02d}.{milli:03d}Z"


def datetime_param(date: JsDate) -> str:
    """How jawn sends a Date to ClickHouse: ISO, 'T' -> ' ', no 'Z', milliseconds dropped."""
    text = iso_string(date).replace("T", " ", 1).replace("Z", "", 1)
    return re.sub(r"\.\d+$", "", text)


def js_value_type(value: Any) -> str:
    """Helicone's clickhouseParam: the ClickHouse type of a bound JavaScript value."""
    if isinstance(value, bool):
        return "UInt8"
    if isinstance(value, int | float):
        v = float(value)
        return "Int32" if (math.isfinite(v) and v.is_integer()) else "Float64"
    if isinstance(value, JsDate):
        return "DateTime"
    return "String"


def param_text(value: Any) -> str:
    """The text a bound value is sent as (raises InvalidTimeValue for an Invalid Date)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        v = float(value)
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        if math.isnan(v):
            return "nan"  # as @clickhouse/client formats NaN
        return js_number_str(v)
    if isinstance(value, JsDate):
        return datetime_param(value)
    # ClickHouse reads parameter values in its Escaped format; the JavaScript client escapes
    # them so that the server sees the string as sent. So do we. It puts them in the URL with
    # URLSearchParams, which turns a lone surrogate (JSON "\ud800") into U+FFFD.
    return _LONE_SURROGATE.sub("\ufffd", str(value)).translate(_ESCAPES)


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "'": "\\'"})
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def js_keys(obj: dict[str, Any]) -> list[str]:
    """Object.keys order: integer-like keys first (ascending), then the rest in insertion order."""
    ints = [k for k in obj if _is_array_index(k)]
    if not ints:
        return list(obj)
    rest = [k for k in obj if not _is_array_index(k)]
    return sorted(ints, key=int) + rest


def _is_array_index(key: str) -> bool:
    return (key == "0" or (key[:1] in "123456789" and key.isdigit())) and int(key) < 2**32 - 1
