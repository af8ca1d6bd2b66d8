"""The validator.js checks tsoa runs on coerced body values: isFloat, isInt, isISO8601(strict).

Ported from validator.js (src/lib/isFloat.js, isInt.js, isISO8601.js) without options, the way
tsoa calls them; JavaScript's `$` is the end of the text, so `\\Z` / fullmatch here.
"""

from __future__ import annotations

import math
import re

_FLOAT = re.compile(r"[-+]?[0-9]*(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?")
INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_ISO8601 = re.compile(
    r"^([\+-]?[0-9]{4}(?![0-9]{2}\b))((-?)((0[1-9]|1[0-2])(\3([12][0-9]|0[1-9]|3[01]))?"
    r"|W([0-4][0-9]|5[0-3])(-?[1-7])?|(00[1-9]|0[1-9][0-9]|[12][0-9]{2}|3([0-5][0-9]|6[1-6])))"
    r"([T\s]((([01][0-9]|2[0-3])((:?)[0-5][0-9])?|24:?00)([\.,][0-9]+(?!:))?)?"
    r"(\17[0-5][0-9]([\.,][0-9]+)?)?([zZ]|([\+-])([01][0-9]|2[0-3]):?([0-5][0-9])?)?)?)?\Z"
)


def is_float(text: str) -> bool:
    """validator.isFloat(text) with no options."""
    return text not in ("", ".", ",", "-", "+") and _FLOAT.fullmatch(text) is not None


def to_float(text: str) -> float:
    """parseFloat of a string isFloat accepted ('-.', 'e5' and the like are NaN)."""
    try:
        return float(text)
    except ValueError:
        return math.nan


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def is_iso8601_strict(text: str) -> bool:
    """validator.isISO8601(text, {strict: true})."""
    if not _ISO8601.match(text):
        return False
    ordinal = re.match(r"^([0-9]{4,})-?([0-9]{3})([ T]{1}\.*|$)", text)
    if ordinal:
        return int(ordinal[2]) <= (366 if _leap(int(ordinal[1])) else 365)
    m = re.search(r"([0-9]{4,})-?([0-9]{0,2})-?([0-9]*)", text)
    if m is None:
        return True
    year, month, day = int(m[1]), int(m[2] or 0), int(m[3] or 0)
    if month and day:
        days = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return 1 <= month <= 12 and day <= days[month - 1]
    return True
