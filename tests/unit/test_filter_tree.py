"""The filter tree: normal form, right-nested wire JSON, import from the wire, session refusal."""

from __future__ import annotations

import pytest

from tui.api.fields import Op
from tui.filters.tree import (
    ALL,
    MAX_CONDITIONS,
    MAX_DEPTH,
    Condition,
    FilterError,
    Group,
    is_all,
    normal,
    uses_session_fields,
)
from tui.filters.wire import from_wire, to_wire

A = Condition("model", Op.EQUALS, "a")
B = Condition("status", Op.GTE, 500)
C = Condition("latency", Op.GT, 10000)
D = Condition("properties", Op.EQUALS, "production", key="environment")
TAG = Condition("session_tag", Op.EQUALS, "checkout")

RMT = "request_response_rmt"


def leaf(field: str, ops: dict) -> dict:
    return {RMT: {field: ops}}


# --------------------------------------------------------------------------- normal form


@pytest.mark.parametrize(
    ("tree", "expected"),
    [
        (A, A),
        (Group("and", ()), ALL),
        (Group("or", ()), ALL),
        (Group("or", (Group("and", ()), Group("or", ()))), ALL),
        (Group("and", (A,)), A),
        (Group("or", (Group("and", (Group("or", (A,)),)),)), A),
        # a same-op group inside a group is merged into it, in order
        (Group("and", (A, Group("and", (B, C)))), Group("and", (A, B, C))),
        (Group("or", (Group("or", (A, B)), C)), Group("or", (A, B, C))),
        # an other-op group stays
        (Group("and", (A, Group("or", (B, C)))), Group("and", (A, Group("or", (B, C))))),
        # an empty group is removed, then a one-child group is replaced by its child
        (Group("and", (A, Group("or", ()))), A),
        (Group("and", (A, Group("or", (B,)))), Group("and", (A, B))),
        # merging happens after inner groups collapse: and(or(and(B, C))) -> and(B, C)
        (Group("and", (A, Group("or", (Group("and", (B, C)),)))), Group("and", (A, B, C))),
    ],
)
def test_normal_form(tree, expected) -> None:
    assert normal(tree) == expected
    assert normal(normal(tree)) == normal(tree)


def test_is_all() -> None:
    assert is_all(ALL)
    assert is_all(Group("or", (Group("and", ()),)))
    assert not is_all(A)
    assert not is_all(Group("and", (A,)))


# --------------------------------------------------------------------------- to the wire


def test_all_is_sent_as_all() -> None:
    assert to_wire(ALL) == "all"
    assert to_wire(Group("or", (Group("and", ()),))) == "all"


def test_one_condition_per_leaf() -> None:
    assert to_wire(A) == leaf("model", {"equals": "a"})
    assert to_wire(D) == leaf("properties", {"environment": {"equals": "production"}})
    assert to_wire(Condition("cached", Op.EQUALS, False)) == leaf("cached", {"equals": False})


def test_n_ary_group_becomes_right_nested_branches() -> None:
    wire = to_wire(Group("or", (A, B, C)))
    assert wire == {
        "left": to_wire(A),
        "operator": "or",
        "right": {"left": to_wire(B), "operator": "or", "right": to_wire(C)},
    }


def test_nested_groups_on_the_wire() -> None:
    wire = to_wire(Group("and", (A, Group("or", (B, C)), D)))
    assert wire == {
        "left": to_wire(A),
        "operator": "and",
        "right": {
            "left": {"left": to_wire(B), "operator": "or", "right": to_wire(C)},
            "operator": "and",
            "right": to_wire(D),
        },
    }


def test_to_wire_sends_the_normal_form() -> None:
    assert to_wire(Group("and", (Group("and", (A,)), Group("or", ())))) == to_wire(A)


def test_wire_values() -> None:
    # integers stay integers (500, not 500.0); cost is sent in USD as typed
    assert to_wire(B) == leaf("status", {"gte": 500})
    assert isinstance(to_wire(B)[RMT]["status"]["gte"], int)
    assert to_wire(Condition("cost", Op.GT, 0.5)) == leaf("cost", {"gt": 0.5})
    # score values are integers sent as text
    assert to_wire(Condition("scores", Op.EQUALS, 80, key="accuracy")) == leaf(
        "scores", {"accuracy": {"equals": "80"}}
    )
    # timestamps: UTC with a Z, as JavaScript's toISOString writes them
    ts = Condition("request_created_at", Op.GTE, "2026-11-01T00:00:00Z")
    assert to_wire(ts) == leaf("request_created_at", {"gte": "2026-11-01T00:00:00.000Z"})
    assert to_wire(Condition("helicone-score-feedback", Op.EQUALS, True)) == leaf(
        "helicone-score-feedback", {"equals": True}
    )


@pytest.mark.parametrize(
    ("cond", "message"),
    [
        (Condition("modle", Op.EQUALS, "x"), "unknown field 'modle'"),
        (Condition("latency", Op.ILIKE, "x"), "'latency' is a number field; 'ilike' takes text"),
        (Condition("user_id", Op.EQUALS, 42), "'user_id' is a text field"),
        (Condition("latency", Op.GT, "5"), "'latency' is a number field"),
        (Condition("latency", Op.GT, True), "'latency' is a number field"),
        (Condition("latency", Op.GT, float("inf")), "not a finite number"),
        (Condition("cached", Op.EQUALS, "yes"), "'cached' is a boolean field"),
        (Condition("request_created_at", Op.GT, "yesterday"), "not an ISO 8601 date-time"),
        (Condition("scores", Op.EQUALS, 1.5, key="x"), "score values are integers"),
        (Condition("scores", Op.GT, 1, key="x"), "'scores.x' takes only '=' and '!='"),
        (Condition("property_key", Op.NOT_EQUALS, "x"), "'property_key' takes only '='"),
        (Condition("properties", Op.EQUALS, "x"), "'properties' needs a key"),
        (Condition("model", Op.EQUALS, "x", key="k"), "'model' is not a map"),
    ],
)
def test_to_wire_refuses_a_condition_it_cannot_send(cond, message) -> None:
    with pytest.raises(FilterError, match=message.replace(".", r"\.")):
        to_wire(Group("and", (A, cond)), sessions=True)


def test_session_fields_are_refused_outside_sessions() -> None:
    tree = Group("and", (A, TAG))
    assert uses_session_fields(tree)
    assert not uses_session_fields(Group("or", (A, D)))
    with pytest.raises(FilterError, match="only the Sessions tab can send"):
        to_wire(tree)
    assert to_wire(tree, sessions=True) == {
        "left": to_wire(A),
        "operator": "and",
        "right": {"sessions_request_response_rmt": {"session_tag": {"equals": "checkout"}}},
    }


# --------------------------------------------------------------------------- from the wire


def test_from_wire_inverts_to_wire() -> None:
    tree = Group("and", (A, Group("or", (B, C, D)), TAG))
    assert from_wire(to_wire(tree, sessions=True)) == (tree, [])
    assert from_wire("all") == (ALL, [])


def test_empty_leaf_is_all() -> None:
    assert from_wire({}) == (ALL, [])
    node, _ = from_wire({"left": {}, "operator": "and", "right": leaf("model", {"equals": "a"})})
    assert node == A


def test_multi_field_leaf_is_split_with_a_notice() -> None:
    wire = {RMT: {"model": {"ilike": "%gpt%"}, "latency": {"gte": 100}}}
    node, notices = from_wire(wire)
    assert node == Group(
        "and",
        (Condition("model", Op.ILIKE, "%gpt%"), Condition("latency", Op.GTE, 100)),
    )
    assert len(notices) == 1
    assert "Helicone itself would have applied only model ilike '%gpt%'" in notices[0]


def test_multi_operator_leaf_is_split_with_a_notice() -> None:
    node, notices = from_wire(leaf("latency", {"gte": 100, "lte": 500}))
    assert node == Group(
        "and", (Condition("latency", Op.GTE, 100), Condition("latency", Op.LTE, 500))
    )
    assert "would have applied only latency >= 100" in notices[0]


def test_multi_key_map_leaf_is_split_and_names_helicones_choice() -> None:
    # Helicone's builder picks properties before any ordinary column, whatever the key order.
    properties = {"a": {"equals": "1"}, "b": {"equals": "2"}}
    wire = {RMT: {"model": {"equals": "a"}, "properties": properties}}
    node, notices = from_wire(wire)
    assert node == Group(
        "and",
        (
            A,
            Condition("properties", Op.EQUALS, "1", key="a"),
            Condition("properties", Op.EQUALS, "2", key="b"),
        ),
    )
    assert "would have applied only properties.a = '1'" in notices[0]


def test_a_leaf_with_both_tables_is_an_and_without_a_notice() -> None:
    # Helicone ANDs the tables of a leaf: nothing is lost, so nothing to tell.
    wire = {
        RMT: {"model": {"equals": "a"}},
        "sessions_request_response_rmt": {"session_tag": {"equals": "checkout"}},
    }
    assert from_wire(wire) == (Group("and", (A, TAG)), [])


def test_from_wire_values() -> None:
    # Helicone coerces numeric strings for number fields; scores come as text.
    assert from_wire(leaf("status", {"equals": "200"}))[0] == Condition("status", Op.EQUALS, 200)
    node, _ = from_wire(leaf("scores", {"accuracy": {"not-equals": "80"}}))
    assert node == Condition("scores", Op.NOT_EQUALS, 80, key="accuracy")
    assert isinstance(node.value, int)


def test_from_wire_or_with_all_matches_everything() -> None:
    node, notices = from_wire({"left": "all", "operator": "or", "right": to_wire(A)})
    assert node == ALL
    assert notices


@pytest.mark.parametrize(
    ("wire", "message"),
    [
        (leaf("modle", {"equals": "a"}), "unknown field 'modle'"),
        ({"nope": {}}, "unknown table 'nope'"),
        (leaf("model", {"equal": "a"}), "unknown operator"),
        (leaf("latency", {"ilike": "a"}), "'ilike' takes text"),
        (leaf("model", {"equals": 5}), "'model' is a text field"),
        (leaf("latency", {"equals": "fast"}), "'latency' is a number field"),
        (leaf("scores", {"x": {"equals": 80}}), "score values are integers"),
        (leaf("request_created_at", {"gt": "soon"}), "not an ISO 8601"),
        ({RMT: {"session_tag": {"equals": "x"}}}, "unknown field 'session_tag'"),
        ({"left": "all", "operator": "xor", "right": "all"}, "'and' or 'or'"),
        ({"left": "all", "operator": "and"}, "exactly 'left', 'operator' and 'right'"),
        ("everything", "not 'everything'"),
        ([1], "not \\[1\\]"),
    ],
)
def test_from_wire_refuses_what_helicone_refuses(wire, message) -> None:
    with pytest.raises(FilterError, match=message):
        from_wire(wire)


def test_from_wire_tells_about_dropped_empty_parts() -> None:
    node, notices = from_wire({"left": leaf("model", {}), "operator": "and", "right": to_wire(B)})
    assert node == B
    assert any("no operator" in n for n in notices)


# --------------------------------------------------------------------------- size


def _chain(op: str, count: int) -> Group:
    return Group(op, tuple(Condition("status", "equals", 200 + i) for i in range(count)))


@pytest.mark.parametrize("op", ["and", "or"])
def test_a_1000_condition_chain_goes_to_the_wire_and_back(op: str) -> None:
    tree = _chain(op, 1000)
    wire = to_wire(tree)
    # right-nested binary branches, one per condition but the last
    levels, node = 0, wire
    while isinstance(node, dict) and "right" in node:
        assert node["operator"] == op and node["left"] == {
            "request_response_rmt": {"status": {"equals": 200 + levels}}}
        levels, node = levels + 1, node["right"]
    assert levels == 999
    assert from_wire(wire) == (tree, [])


def test_a_left_nested_chain_from_the_wire_is_one_group_too() -> None:
    wire: object = {"request_response_rmt": {"status": {"equals": 0}}}
    for i in range(1, 1500):
        wire = {"left": wire, "operator": "and",
                "right": {"request_response_rmt": {"status": {"equals": i}}}}
    tree, notices = from_wire(wire)
    assert notices == []
    assert isinstance(tree, Group) and len(tree.children) == 1500
    assert tree.children[1] == Condition("status", "equals", 1)


def test_filters_beyond_the_limits_are_refused_with_a_message() -> None:
    with pytest.raises(FilterError, match=f"at most {MAX_CONDITIONS}"):
        to_wire(_chain("and", MAX_CONDITIONS + 1))
    too_many = to_wire(_chain("or", MAX_CONDITIONS))
    too_many = {"left": {"request_response_rmt": {"status": {"equals": 1}}}, "operator": "or",
                "right": too_many}
    with pytest.raises(FilterError, match=f"more than {MAX_CONDITIONS} conditions"):
        from_wire(too_many)
    # alternating and/or: each level is a group of the normal form
    deep: object = {"request_response_rmt": {"status": {"equals": 0}}}
    for i in range(MAX_DEPTH + 5):
        deep = {"left": {"request_response_rmt": {"status": {"equals": i}}},
                "operator": "and" if i % 2 else "or", "right": deep}
    with pytest.raises(FilterError, match=f"more than {MAX_DEPTH} deep"):
        from_wire(deep)


def test_a_deep_wire_value_is_named_without_its_whole_repr() -> None:
    value: list[object] = []
    for _ in range(5000):
        value = [value]
    with pytest.raises(FilterError, match=r"not \[\[\[\[\.\.\.\]\]\]\]"):
        from_wire(value)
    with pytest.raises(FilterError, match="'latency' is a number field; expected a number"):
        from_wire({"request_response_rmt": {"latency": {"equals": value}}})
    with pytest.raises(FilterError, match=r"not \[\[\["):
        from_wire({"request_response_rmt": {"scores": {"accuracy": {"equals": value}}}})


def test_lone_surrogates_are_refused_on_the_way_in_and_out() -> None:
    with pytest.raises(FilterError, match="lone surrogate"):
        from_wire({"request_response_rmt": {"model": {"equals": "gpt\ud800"}}})
    with pytest.raises(FilterError, match="lone surrogate"):
        from_wire({"request_response_rmt": {"properties": {"\udcff": {"equals": "x"}}}})
    with pytest.raises(FilterError, match="lone surrogate"):
        to_wire(Condition("model", "equals", "\ud800"))
    with pytest.raises(FilterError, match="lone surrogate"):
        to_wire(Condition("properties", "equals", "x", key="env\udc80"))
