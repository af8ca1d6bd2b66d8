"""Each breakdown dimension's condition for one value, for the "(none)" group and for "other",
as the user reads it (filter text) and as Helicone gets it (wire JSON); the dimension names a user
may type, and the presets' `breakdown` key."""

from __future__ import annotations

import pytest

from tui.filters.text import format as text
from tui.filters.text import parse
from tui.filters.wire import to_wire
from tui.presets import make_preset
from tui.presets.model import BREAKDOWN_COLUMNS, InvalidPreset
from tui.query.breakdown_dims import (
    COLUMNS,
    DimensionError,
    label,
    narrowed,
    other_condition,
    parse_dimension,
    status_class,
    value_condition,
)

CASES = [
    ("model", "gpt-4o", "model = 'gpt-4o'", "model != 'gpt-4o' and model != 'o3'"),
    ("provider", "ANTHROPIC", "provider = 'ANTHROPIC'",
     "provider != 'ANTHROPIC' and provider != 'o3'"),
    ("user_id", "", "user_id = ''", "user_id != '' and user_id != 'o3'"),
    ("country_code", "US", "country_code = 'US'", "country_code != 'US' and country_code != 'o3'"),
    ("prompt_id", "support-reply", "prompt_id = 'support-reply'",
     "prompt_id != 'support-reply' and prompt_id != 'o3'"),
    ("prompt_version", "v4", "prompt_version = 'v4'",
     "prompt_version != 'v4' and prompt_version != 'o3'"),
    ("properties.customer", "", "properties.customer = ''",
     "properties.customer != '' and properties.customer != 'o3'"),
]


@pytest.mark.parametrize(("dimension", "value", "one", "other"), CASES)
def test_value_and_other_conditions(dimension: str, value: str, one: str, other: str) -> None:
    assert text(value_condition(dimension, value)) == one
    assert text(other_condition(dimension, (value, "o3"))) == other
    # Both are sendable, and read back as written.
    assert text(parse(text(value_condition(dimension, value)))) == one
    to_wire(other_condition(dimension, (value, "o3")))


def test_the_none_group_is_an_equals_empty_on_the_wire() -> None:
    """`""` selects exactly the requests without a value: for a property, Helicone's map reads
    a missing key as '', so `= ''` is "no such property" (what top-requests counts as "")."""
    assert to_wire(value_condition("properties.customer", "")) == {
        "request_response_rmt": {"properties": {"customer": {"equals": ""}}}}
    assert to_wire(value_condition("user_id", "")) == {
        "request_response_rmt": {"user_id": {"equals": ""}}}
    assert label("") == "(none)" and label("v4") == "v4"


def test_status_classes() -> None:
    assert [status_class(s) for s in (200, 201, 404, 500, 599, 0, -1)] == [
        "2xx", "2xx", "4xx", "5xx", "5xx", "0xx", "<0"]
    assert text(value_condition("status", "5xx")) == "status >= 500 and status < 600"
    assert text(value_condition("status_class", "<0")) == "status < 0"
    assert text(other_condition("status_class", ["2xx", "5xx"])) == (
        "(status < 200 or status >= 300) and (status < 500 or status >= 600)")
    with pytest.raises(DimensionError):
        value_condition("status_class", "teapot")


def test_a_value_condition_narrows_the_investigation() -> None:
    base = parse("latency > 1000 or cost > 1")
    assert text(narrowed(base, value_condition("model", "o3"))) == (
        "(latency > 1000 or cost > 1) and model = 'o3'")


def test_dimension_names() -> None:
    assert parse_dimension("Model").text == "model"
    assert parse_dimension("status").text == "status_class"
    assert parse_dimension("user").text == "user_id"
    prop = parse_dimension("properties.Helicone-Session-Name")
    assert prop.is_property and prop.key == "Helicone-Session-Name"
    for bad in ("modle", "properties.", "", "properties.a\x1bb"):
        with pytest.raises(DimensionError):
            parse_dimension(bad)
    with pytest.raises(DimensionError) as info:
        other_condition("model", ())
    assert "at least one value" in str(info.value)


def test_presets_keep_a_breakdown_and_refuse_a_wrong_one() -> None:
    assert BREAKDOWN_COLUMNS == COLUMNS  # presets cannot import the query layer: kept equal
    preset = make_preset("by-model", breakdown="model", since="7d")
    assert preset.breakdown == "model"
    assert preset.settings() == {"filter": "all", "since": "7d", "breakdown": "model"}
    assert make_preset("p", breakdown="properties.customer").breakdown == "properties.customer"
    with pytest.raises(InvalidPreset) as info:
        make_preset("p", breakdown="colour")
    assert "not a breakdown dimension" in str(info.value)
