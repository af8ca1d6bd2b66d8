"""The field catalogue agrees with Helicone's strict spec: every field, table and operator."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tui.api.fields import FIELDS, FieldKind, Op, Table, fields_for, get_field

SPEC = yaml.safe_load(
    (Path(__file__).parents[2] / "tui" / "api" / "spec" / "openapi.strict.yaml").read_text()
)
SCHEMAS = SPEC["components"]["schemas"]
TABLE_SCHEMA = {
    Table.REQUEST: "Partial_RequestResponseRMTToOperators_",
    Table.SESSION: "Partial_SessionsRequestResponseRMTToOperators_",
}


def _resolve(node: dict) -> dict:
    while "$ref" in node:
        node = SCHEMAS[node["$ref"].rsplit("/", 1)[1]]
    return node


@pytest.mark.parametrize("table", list(Table))
def test_catalogue_lists_exactly_the_spec_fields(table: Table) -> None:
    spec_fields = set(SCHEMAS[TABLE_SCHEMA[table]]["properties"])
    catalogue = {f.name for f in FIELDS if f.table is table}
    assert catalogue == spec_fields


@pytest.mark.parametrize("info", FIELDS, ids=lambda f: f.name)
def test_operators_are_ones_the_spec_accepts(info) -> None:
    schema = _resolve(SCHEMAS[TABLE_SCHEMA[info.table]]["properties"][info.name])
    if info.kind is FieldKind.MAP:
        schema = _resolve(schema["additionalProperties"])
    spec_ops = set(schema["properties"])
    assert {op.value for op in info.operators} <= spec_ops
    assert info.operators, "every field takes at least one operator"


def test_caveats_from_design_are_attached() -> None:
    for name in ("total_tokens", "assets", "search_properties", "node_id", "job_id"):
        assert any("no column" in c for c in get_field(name).caveats), name
    assert any("wraps" in c for c in get_field("cost").caveats)
    assert any("no feedback" in c for c in get_field("helicone-score-feedback").caveats)
    assert any("do not have this property" in c for c in get_field("properties").caveats)
    assert any("exact" in c for c in get_field("session_tag").caveats)
    assert any("ignore" in c for c in get_field("session_total_cost").caveats)
    assert get_field("property_key").operators == (Op.EQUALS,)


def test_session_fields_only_for_sessions() -> None:
    assert all(f.table is Table.REQUEST for f in fields_for(sessions=False))
    assert any(f.name == "session_tag" for f in fields_for(sessions=True))
    assert get_field("nope") is None
