"""The demo server's translation layer on its own: JavaScript values and Helicone's filter SQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tui.demo.sql import (
    FilterBuilder,
    FilterThrow,
    InvalidTimeValue,
    JsDate,
    datetime_param,
    iso_string,
    js_json_number,
    js_keys,
    js_number_str,
    param_text,
    parse_js_date,
    session_metrics_sql,
)

pytestmark = pytest.mark.demo


@pytest.mark.parametrize(("value", "text"), [
    (1, "1"), (2.5, "2.5"), (-0.0, "0"), (0.1 + 0.2, "0.30000000000000004"),
    (1e21, "1e+21"), (1e20, "100000000000000000000"), (1e-7, "1e-7"), (0.000001, "0.000001"),
    (123456789.125, "123456789.125"), (1 - 0.999, "0.0010000000000000009"),
    (-1.5e-10, "-1.5e-10"), (float("nan"), "NaN"), (float("-inf"), "-Infinity"),
])
def test_js_number_str_matches_javascript(value: float, text: str) -> None:
    assert js_number_str(value) == text


def test_json_numbers_as_json_stringify_writes_them() -> None:
    assert js_json_number(3.0) == 3 and isinstance(js_json_number(3.0), int)
    assert js_json_number(float("nan")) is None and js_json_number(float("inf")) is None
    assert js_json_number(2.75) == 2.75


@pytest.mark.parametrize(("text", "iso"), [
    ("2024-01-01", "2024-01-01T00:00:00.000Z"),  # date-only is UTC
    ("2024-01-01T00:00:00", "2024-01-01T00:00:00.000Z"),  # no zone: local, and local is UTC
    ("2024-01-01T05:30:00.1234+05:30", "2024-01-01T00:00:00.123Z"),
    ("2024-02", "2024-02-01T00:00:00.000Z"),
    ("+012345-01-01T00:00:00Z", "+012345-01-01T00:00:00.000Z"),
    ("1960-06-30T12:00:00Z", "1960-06-30T12:00:00.000Z"),
])
def test_dates_parse_as_javascript_does(text: str, iso: str) -> None:
    assert iso_string(parse_js_date(text)) == iso


@pytest.mark.parametrize("text", ["", "<string>", "2024-13-01", "2024-01-01T25:00:00Z",
                                  "1704067200000", "+275761-01-01T00:00:00Z"])
def test_invalid_dates(text: str) -> None:
    date = parse_js_date(text)
    assert date.ms is None
    with pytest.raises(InvalidTimeValue):
        iso_string(date)


def test_dates_are_sent_to_the_engine_without_milliseconds() -> None:
    assert datetime_param(parse_js_date("2024-03-01T10:20:30.999Z")) == "2024-03-01 10:20:30"
    assert JsDate.from_ms(1.9).ms == 1.0 and JsDate.from_ms(8.64e15 + 1).ms is None


def test_string_parameters_reach_the_engine_as_sent() -> None:
    # ClickHouse reads parameters in its Escaped format: escape as the JavaScript client does.
    assert param_text("a\\b\t'\n") == "a\\\\b\\t\\'\\n"
    assert param_text(True) == "1" and param_text(2.0) == "2" and param_text(2.5) == "2.5"


def test_object_keys_order() -> None:
    assert js_keys({"b": 1, "10": 2, "a": 3, "2": 4}) == ["2", "10", "b", "a"]


def test_values_and_keys_are_parameters_never_sql_text() -> None:
    builder = FilterBuilder()
    evil = "x'); DROP TABLE t; --"
    sql_text = builder.node({"left": {"request_response_rmt": {"model": {"contains": evil}}},
                             "operator": "or",
                             "right": {"request_response_rmt": {"properties": {evil: {
                                 "equals": evil}}}}})
    assert evil not in sql_text and "DROP" not in sql_text
    assert builder.args.values == [evil, evil, evil]
    assert sql_text == (
        "(request_response_rmt.model ILIKE '%' || {val_0 : String}::text || '%' or "
        "request_response_rmt.properties[{val_1 : String}] = {val_2 : String})"
    )


@pytest.mark.parametrize(("value", "param_type"), [
    (5, "Int32"), (5.0, "Int32"), (2.5, "Float64"), ("7", "Int32"),
])
def test_numbers_are_typed_as_helicone_types_them(value: object, param_type: str) -> None:
    builder = FilterBuilder()
    assert builder.node({"request_response_rmt": {"latency": {"gt": value}}}) == (
        f"request_response_rmt.latency > {{val_0 : {param_type}}}")


def test_cost_is_converted_to_nano_usd() -> None:
    builder = FilterBuilder()
    builder.node({"request_response_rmt": {"cost": {"gte": 2.5}}})
    assert builder.args.params() == {"val_0": "2500000000"}  # an Int32 param: the engine wraps


@pytest.mark.parametrize("node", [
    {"request_response_rmt": {}},
    {"request_response_rmt": {"model": {}}},
    {"request_response_rmt": {"properties": {}}},
    {"request_response_rmt": {"scores": {"a": {}}}},
    {"sessions_request_response_rmt": {"session_total_cost": {}}},
])
def test_what_helicones_builder_throws_on(node: object) -> None:
    with pytest.raises(FilterThrow):
        FilterBuilder().node(node)


def test_empty_leaf_and_ignored_session_fields_are_true() -> None:
    assert FilterBuilder().node({}) == "true"
    assert FilterBuilder().node(
        {"sessions_request_response_rmt": {"session_session_id": {"equals": "x"},
                                           "session_tag": {"equals": "y"}}}) == "true"


def test_interquartile_lower_level_is_javascripts_subtraction() -> None:
    assert "quantile(0.0010000000000000009)" in session_metrics_sql("p99.9", True)
    assert "quantile(0.050000000000000044)" in session_metrics_sql("p95", True)


def test_demo_package_does_not_import_textual() -> None:
    root = Path(__file__).resolve().parents[2]
    code = ("import sys, tui.demo.server, tui.demo.sql, tui.demo.data, tui.demo.process, "
            "tui.demo.__main__; print('textual' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=root, timeout=60)
    assert result.stdout.strip() == "False", result.stderr
