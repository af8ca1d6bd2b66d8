"""Helicone's filter on the wire: the leaf operator objects and the and/or node union.

Leaf operator models are generated from the field catalogue, which is the one place that knows the
fields. A filter is validated as Helicone reads it (the first field of a leaf table and the first
operator of an operator object count) and kept as the validated JSON itself (`FilterJSON`):
pydantic's serialiser has a depth limit that a deep and/or chain would pass.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    StrictBool,
    StrictStr,
    ValidationError,
    ValidationInfo,
    create_model,
)

from tui.api.fields import FIELDS, FieldInfo, FieldKind, FieldType, Op, Table

# --------------------------------------------------------------------------- operator objects


def _check_iso8601(value: str) -> str:
    """Helicone checks timestamps with validator.isISO8601(strict): a date or a date-time."""
    text = value.strip()
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError as exc:
        raise ValueError(
            f"{value!r} is not an ISO 8601 date-time (e.g. 2026-11-20T12:00:00Z)"
        ) from exc
    return value


def _not_bool(value: Any) -> Any:
    # JSON true is not a number to Helicone's validator (pydantic would take it as 1).
    if isinstance(value, bool):
        raise ValueError("expected a number, not a boolean")
    return value


IsoDateTime = Annotated[StrictStr, AfterValidator(_check_iso8601)]
# Numeric strings are accepted, as Helicone's bodyCoercion accepts them.
Number = Annotated[int | float, BeforeValidator(_not_bool)]


class _Operators(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True, defer_build=True)


class TextOperators(_Operators):
    equals: StrictStr | None = None
    not_equals: StrictStr | None = Field(None, alias="not-equals")
    like: StrictStr | None = None
    ilike: StrictStr | None = None
    contains: StrictStr | None = None
    not_contains: StrictStr | None = Field(None, alias="not-contains")


class NumberOperators(_Operators):
    # Helicone coerces numeric strings (bodyCoercion), so lax parsing here matches it.
    equals: Number | None = None
    not_equals: Number | None = Field(None, alias="not-equals")
    gte: Number | None = None
    lte: Number | None = None
    lt: Number | None = None
    gt: Number | None = None


class TimestampOperators(_Operators):
    equals: IsoDateTime | None = None
    gte: IsoDateTime | None = None
    lte: IsoDateTime | None = None
    lt: IsoDateTime | None = None
    gt: IsoDateTime | None = None


class BooleanOperators(_Operators):
    equals: StrictBool | None = None


class PropertyKeyOperators(_Operators):
    equals: StrictStr


OPERATOR_MODEL: dict[FieldType, type[_Operators]] = {
    FieldType.TEXT: TextOperators,
    FieldType.NUMBER: NumberOperators,
    FieldType.TIMESTAMP: TimestampOperators,
    FieldType.BOOLEAN: BooleanOperators,
}


def operator_model(info: FieldInfo) -> Any:
    """The wire type of one field's operator object."""
    if info.kind is FieldKind.MAP:
        # properties / search_properties / scores: {KEY: TextOperators}; score values go as text.
        return dict[str, TextOperators]
    if info.name == "property_key":
        return PropertyKeyOperators
    return OPERATOR_MODEL[info.type]


def operator_items(ops: BaseModel) -> list[tuple[Op, Any]]:
    """The (operator, value) pairs set in an operator object, in wire order."""
    data = ops.model_dump(by_alias=True, exclude_none=True)
    return [(Op(name), value) for name, value in data.items()]


def _table_model(table: Table, class_name: str) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for info in FIELDS:
        if info.table is not table:
            continue
        py_name = info.name.replace("-", "_")
        fields[py_name] = (operator_model(info) | None, Field(None, alias=info.name))
    return create_model(
        class_name,
        __config__=ConfigDict(extra="forbid", populate_by_name=True, frozen=True, defer_build=True),
        **fields,
    )


if TYPE_CHECKING:
    # Built from FIELDS at run time, so their fields are unknown to a type checker: models.
    RequestResponseRMTOperators = BaseModel
    SessionsRequestResponseRMTOperators = BaseModel
else:
    RequestResponseRMTOperators = _table_model(Table.REQUEST, "RequestResponseRMTOperators")
    SessionsRequestResponseRMTOperators = _table_model(
        Table.SESSION, "SessionsRequestResponseRMTOperators"
    )

# --------------------------------------------------------------------------- filter nodes


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True, defer_build=True)


class RequestLeaf(_Node):
    """A leaf of the scores/evals/distributions filter: only `request_response_rmt`."""

    request_response_rmt: RequestResponseRMTOperators | None = None


class SessionLeaf(_Node):
    """A leaf of the session-metrics filter: either table, or both (Helicone ANDs them)."""

    request_response_rmt: RequestResponseRMTOperators | None = None
    sessions_request_response_rmt: SessionsRequestResponseRMTOperators | None = None


def _node_tag(value: Any) -> str:
    if isinstance(value, str):
        return "all"
    if isinstance(value, dict):
        return "branch" if "operator" in value or "left" in value else "leaf"
    return "leaf"


AllFilter = Literal["all"]


class _BranchShape(_Node):
    """A branch's own keys; its sides are validated by the walk in `_validate_filter`."""

    left: Any
    operator: Literal["and", "or"]
    right: Any


#: `from_wire` validates with this context: wire names only (no Python names in leaves).
WIRE_NAMES_ONLY = "wire names only"


def _moved(exc: ValidationError, loc: tuple[str | int, ...]) -> list[Any]:
    """A nested model's errors, placed at `loc` in the whole filter."""
    out: list[Any] = []
    for err in exc.errors(include_url=False):
        moved: dict[str, Any] = {"type": err["type"], "loc": loc + tuple(err["loc"]),
                                 "input": err["input"]}
        if "ctx" in err:
            moved["ctx"] = err["ctx"]
        out.append(moved)
    return out


def _validate_filter(value: Any, leaf: type[_Node], by_name: bool) -> Any:
    """The filter as JSON-ready data, or a ValidationError listing every failure by its place.

    Walks with an explicit stack, not pydantic's recursive union: a long and/or chain is a branch
    nested once per condition, and pydantic stops at about 250 levels. The error locations are
    those the recursive union gave (`branch.right.leaf.request_response_rmt...`).
    """
    errors: list[Any] = []
    root: list[Any] = [None]
    todo: list[tuple[Any, Any, Any, tuple[str | int, ...]]] = [(value, root, 0, ())]
    while todo:
        node, holder, slot, loc = todo.pop()
        tag = _node_tag(node)
        if tag == "all":
            if node != "all":
                errors.append({"type": "literal_error", "loc": (*loc, "all"), "input": node,
                               "ctx": {"expected": "'all'"}})
            holder[slot] = "all"
        elif tag == "branch":
            try:
                _BranchShape.model_validate(node)
            except ValidationError as exc:
                errors.extend(_moved(exc, (*loc, "branch")))
            out: dict[str, Any] = {"left": None, "operator": node.get("operator"), "right": None}
            holder[slot] = out
            for side in ("right", "left"):  # left is checked first, as pydantic did
                if side in node:
                    todo.append((node[side], out, side, (*loc, "branch", side)))
        else:
            try:
                checked = leaf.model_validate(node, by_alias=True, by_name=by_name)
            except ValidationError as exc:
                errors.extend(_moved(exc, (*loc, "leaf")))
                continue
            holder[slot] = checked.model_dump(mode="json", by_alias=True, exclude_none=True)
    if errors:
        raise ValidationError.from_exception_data("filter", errors)
    return root[0]


class FilterJSON:
    """A validated filter: its JSON data (`data`, what is sent) and that data as compact text,
    which makes equality, hashing and repr cheap and free of recursion at any depth."""

    __slots__ = ("data", "text")

    def __init__(self, data: Any) -> None:
        from tui.api.wirejson import dumps

        self.data = data
        self.text = dumps(data, separators=(",", ":"))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FilterJSON) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __repr__(self) -> str:
        shown = self.text if len(self.text) <= 80 else self.text[:77] + "..."
        return f"FilterJSON({shown})"


def _filter_type(leaf: type[_Node]) -> Any:
    def validate(value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, FilterJSON):
            value = value.data
        by_name = not (info.context or {}).get(WIRE_NAMES_ONLY, False)
        return FilterJSON(_validate_filter(value, leaf, by_name))

    # Held as validated JSON data, not as models: a chain of 1,000 conditions would otherwise
    # be 1,000 nested models, beyond what pydantic validates, serialises or compares.
    return Annotated[
        Any, PlainValidator(validate, json_schema_input_type=Any),
        PlainSerializer(lambda v: v.data, return_type=Any),
    ]


RequestFilterNode = _filter_type(RequestLeaf)
SessionFilterNode = _filter_type(SessionLeaf)
