"""tui.format.numbers: the one formatter of each kind of number, at its edges (None, 0, negative,
NaN from a maths step, huge, tiny), and the tables that show them."""

from __future__ import annotations

import io
import math
from datetime import UTC, datetime

import pytest

from tui.format import numbers as n


def test_exact_keeps_every_digit_and_says_null_for_none() -> None:
    assert [n.exact(v) for v in (25.0, 25, 0.1, -3.0, 0.0)] == ["25", "25", "0.1", "-3", "0"]
    assert n.exact(None) == "null" and n.exact(math.nan) == "null"
    assert n.exact(1e300) == "1e+300"  # huge: the float's own spelling, not 301 made-up digits
    assert n.exact(2e15) == "2000000000000000"  # whole below 1e16: every digit is held
    assert n.exact(0.000_012_3) == "1.23e-05"


def test_csv_numbers_are_exact_blank_for_none_and_refuse_infinity() -> None:
    assert n.csv_number(None) == "" and n.csv_number(42.0) == "42" and n.csv_number(-0.5) == "-0.5"
    for bad in (math.inf, -math.inf, math.nan):
        with pytest.raises(ValueError, match="non-finite"):
            n.csv_number(bad)


def test_cells_are_short_and_none_is_a_dash() -> None:
    assert [n.cell(v) for v in (None, True, False, 7, 7.0, 3.14159, 123456.7, -2.5)] == [
        "–", "yes", "no", "7", "7", "3.142", "123,457", "-2.5",
    ]
    assert n.cell("gpt-4o") == "gpt-4o"


def test_values_group_whole_numbers_and_never_use_an_exponent_for_them() -> None:
    assert n.value(None) == "-" and n.value(None, missing="no data") == "no data"
    assert n.value(math.nan) == "-"  # a 0/0 mean reads as no value, not "nan"
    assert [n.value(v) for v in (0.0, 12.0, 12345.0, -4.0, 0.8125, 61.3945)] == [
        "0", "12", "12,345", "-4", "0.8125", "61.39",
    ]
    assert n.value(math.inf) == "inf"  # no OverflowError from int(inf)


def test_shares_are_percent_of_a_fraction() -> None:
    assert [n.share(v) for v in (None, 0.0, 0.125, 1.0, -0.5)] == [
        "-", "0.0%", "12.5%", "100.0%", "-50.0%",
    ]


def test_significant_and_readable_columns() -> None:
    assert n.significant(0.000123456, 3) == "0.000123"  # tiny: decimals, never 1.23e-04
    assert n.significant(123456.0, 3) == "123,456" and n.significant(-1.5) == "-1.5"
    assert n.readable(None) == "none" and n.readable(2.0) == "2"
    # Neighbours that read the same at 4 digits get more.
    assert n.readable_all([1.00001, 1.00002]) == ["1.00001", "1.00002"]


def test_costs_latencies_and_counts() -> None:
    assert [n.cost(v) for v in (None, 0.0, 0.0001234, 12.5, -0.25)] == [
        "–", "$0", "$0.000123", "$12.5", "$-0.25",
    ]
    assert n.cost(0.5, 0) == "$0"  # to the decimals asked (a bin label)
    assert [n.latency(v) for v in (None, 0, 1234, 0.4, 98765.6)] == [
        "–", "0 ms", "1,234 ms", "0 ms", "98,766 ms",
    ]
    assert n.count(1234567.4) == "1,234,567" and n.count(None) == "–"


def test_ticks_heights_and_fixed() -> None:
    assert [n.tick(v) for v in (0, 5, 2.5, 150, 12000, 3_500_000)] == [
        "0", "5", "2.5", "150", "12k", "3.5M",
    ]
    assert n.tick(50, "%") == "50%" and n.tick(-12000) == "-12k"
    assert [n.height(v) for v in (2.75, 1.25, 9.96, 10.5, 12345.5)] == [
        "2.8", "1.3", "10", "11", "12,346",
    ]
    assert n.fixed(-0.0001, 2) == "0" and n.fixed(2.50, 2) == "2.5"


def test_changes_signed_and_in_percent() -> None:
    assert n.delta_text(None) == "-" and n.delta_text(0.0) == "0"
    assert n.delta_text(0.035, scale=100.0, unit="pp") == "+3.5pp"
    assert n.delta_text(-1234.5) == "-1.23e+03"  # 3 significant digits (the compare columns)
    # `like`: to the decimals of the values it is the change between; finer than them is 0.
    assert n.delta_text(0.30000000004, like=(1.3, 1.0)) == "+0.3"
    assert n.delta_text(1e-9, like=(1.0, 1.0)) == "0"
    assert n.delta_text(-2.0, like=(None, None)) == "-2"
    assert [n.percent_text(v) for v in (None, 0.0, 12.345, -250.0, -0.0412, math.nan)] == [
        "n/a", "0%", "+12.3%", "-250%", "-0.041%", "n/a",
    ]


def test_the_scores_table_shows_a_large_whole_average_grouped() -> None:
    """What a user sees: a whole-number score average of 12345 in the Scores table and legend
    reads `12,345`, not `1.234e+04`."""
    from tui.api.models import ScoreRow
    from tui.query.scores_shape import readout, shape_scores, value_with_n

    answer = shape_scores(
        [ScoreRow(created_at_trunc="2026-11-19T12:00:00.000Z", score_key="tokens",
                  score_sum=12345.0)],
        increment="hour", window_start=datetime(2026, 11, 19, 12, tzinfo=UTC),
        window_end=datetime(2026, 11, 19, 13, tzinfo=UTC), tz=UTC,
    )
    assert value_with_n(answer, "tokens", 0) == "12,345"
    assert readout(answer, 0) == {"tokens": "12,345 n=?"}


def test_the_requests_table_spells_latency_and_cost_with_the_shared_formatters() -> None:
    from tui.api.wire_requests import HeliconeRequest
    from tui.format.writers import write_csv
    from tui.query import requests_view

    row = HeliconeRequest(
        request_id="r1", request_created_at="2026-11-19T12:00:00.000Z", response_status=200,
        model="gpt-4o", provider="OPENAI", delay_ms=1234, total_tokens=1500, cost=0.00012,
    )
    assert requests_view.table_cells(row, UTC) == [
        "2026-11-19 12:00:00", "200", "gpt-4o", "OPENAI", "1,234 ms", "–", "1500", "$0.00012",
        "–", "–",  # no user, no scores
    ]
    out = io.StringIO()
    write_csv(["cost", "n"], [[0.00012, 1], [3.0, None]], out)
    assert out.getvalue() == "cost,n\n0.00012,1\n3,\n"
