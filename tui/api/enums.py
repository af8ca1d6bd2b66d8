"""The wire's small enums, kept free of pydantic so that start-up can use them cheaply."""

from __future__ import annotations

from enum import StrEnum


class TimeIncrement(StrEnum):
    MIN = "min"
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class PSize(StrEnum):
    P50 = "p50"
    P75 = "p75"
    P95 = "p95"
    P99 = "p99"
    P999 = "p99.9"


#: pSize -> the quantile level Helicone uses.
P_LEVEL: dict[PSize, float] = {
    PSize.P50: 0.5,
    PSize.P75: 0.75,
    PSize.P95: 0.95,
    PSize.P99: 0.99,
    PSize.P999: 0.999,
}
