"""The filter tree editor's model: what each key does to the tree, the cursor and the text line."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.api import fields as catalogue
from tui.api.fields import Op
from tui.filters.editing import NOT_SENT_BY_TAB, EditError, EditorModel, clamp
from tui.filters.text import FilterSyntaxError, parse
from tui.filters.tree import ALL, Condition, Group, normal

TARGET = "model ilike '%gpt%' and (status >= 500 or latency > 10000)"


def c(text: str) -> Condition:
    node = parse(text)
    assert isinstance(node, Condition)
    return node


def build_target() -> EditorModel:
    """`TARGET` from an empty filter, with editor operations only."""
    m = EditorModel(ALL)
    m.add_condition(c("model ilike '%gpt%'"))
    m.add_group()
    m.add_condition(c("status >= 500"))
    m.add_condition(c("latency > 10000"))
    return m


def test_build_the_design_example_from_empty_step_by_step() -> None:
    m = EditorModel(ALL)
    assert m.text == "all"
    assert m.rows()[0].label == "AND (empty)"

    assert m.add_condition(c("model ilike '%gpt%'")) == (0,)
    assert m.text == "model ilike '%gpt%'"

    # `g` after a condition: a sibling group, of the other operator so it is not merged away.
    assert m.add_group() == (1,)
    assert m.node_at((1,)) == Group("or", ())
    assert m.text == "model ilike '%gpt%'"  # the empty group is not in the normal form
    assert [r.label for r in m.rows()] == ["AND", "model ilike '%gpt%'", "OR (empty)"]

    # `a` on a group: inside it, as its last child.
    assert m.add_condition(c("status >= 500")) == (1, 0)
    assert m.text == "model ilike '%gpt%' and status >= 500"  # a one-child group: its child

    # `a` on a condition: right after it.
    assert m.add_condition(c("latency > 10000")) == (1, 1)
    assert m.text == TARGET
    assert m.result() == parse(TARGET)
    assert [(r.path, r.depth) for r in m.rows()] == [
        ((), 0), ((0,), 1), ((1,), 1), ((1, 0), 2), ((1, 1), 2),
    ]


def test_flip_undo_redo_move_delete_on_the_example() -> None:
    m = build_target()
    assert m.cursor == (1, 1)  # on `latency > 10000`

    assert m.flip()  # the group holding the focused condition
    assert m.text == "model ilike '%gpt%' and status >= 500 and latency > 10000"
    assert m.node_at((1,)).op == "and"  # merged only in the normal form, not in the editor

    assert m.undo()
    assert m.text == TARGET
    assert m.cursor == (1, 1)
    assert m.redo()
    assert m.text == "model ilike '%gpt%' and status >= 500 and latency > 10000"
    assert m.undo()

    assert m.move(-1)  # K: latency above status
    assert m.cursor == (1, 0)
    assert m.text == "model ilike '%gpt%' and (latency > 10000 or status >= 500)"
    assert not m.move(-1)  # already first among its siblings
    assert m.move(+1)
    assert m.text == TARGET

    m.set_cursor((1, 0))
    assert m.delete()
    assert m.text == "model ilike '%gpt%' and latency > 10000"
    assert m.cursor == (1, 0)  # the next sibling took its place
    assert m.undo()
    assert m.text == TARGET


def test_add_after_a_condition_in_the_middle_and_inside_a_group() -> None:
    m = EditorModel(parse("model = 'a' and model = 'c'"))
    m.set_cursor((0,))
    assert m.add_condition(c("model = 'b'")) == (1,)
    assert m.text == "model = 'a' and model = 'b' and model = 'c'"
    m.set_cursor(())
    assert m.add_condition(c("model = 'd'")) == (3,)
    assert m.text == "model = 'a' and model = 'b' and model = 'c' and model = 'd'"


def test_add_group_with_an_explicit_operator_and_groups_inside_groups() -> None:
    m = EditorModel()
    assert m.add_group("and") == (0,)
    assert m.add_group() == (0, 0)  # inside the focused group, opposite to it
    assert m.node_at((0, 0)) == Group("or", ())
    assert m.text == "all"
    m.add_condition(c("status = 200"))
    m.add_condition(c("status = 201"))
    assert m.text == "status = 200 or status = 201"
    with pytest.raises(EditError):
        m.add_group("xor")  # type: ignore[arg-type]


def test_wrap_a_condition_then_add_groups_it_with_the_wrapped_one() -> None:
    m = EditorModel(parse("model = 'a' and model = 'b'"))
    m.set_cursor((1,))
    assert m.wrap()
    assert m.cursor == (1,)
    assert m.node_at((1,)) == Group("or", (c("model = 'b'"),))
    assert m.text == "model = 'a' and model = 'b'"  # one-child group: unchanged text
    m.add_condition(c("model = 'c'"))
    assert m.text == "model = 'a' and (model = 'b' or model = 'c')"


def test_wrap_the_root_adds_a_level_above_it() -> None:
    m = EditorModel(parse("model = 'a' and model = 'b'"))
    assert m.wrap()
    assert m.root.op == "or"
    assert m.cursor == ()
    m.add_condition(c("status = 500"))
    assert m.text == "model = 'a' and model = 'b' or status = 500"
    assert m.result() == parse("(model = 'a' and model = 'b') or status = 500")


def test_flip_a_focused_group_and_the_root() -> None:
    m = EditorModel(parse(TARGET))
    m.set_cursor((1,))
    assert m.flip()
    assert m.text == "model ilike '%gpt%' and status >= 500 and latency > 10000"
    m.set_cursor(())
    assert m.flip()
    assert m.text == "model ilike '%gpt%' or status >= 500 and latency > 10000"
    m.set_cursor((0,))  # a condition: flips its group, the root
    assert m.flip()
    assert m.root.op == "and"


def test_delete_moves_the_cursor_to_next_else_previous_else_parent() -> None:
    m = EditorModel(parse("model = 'a' and (status = 1 or status = 2)"))
    m.set_cursor((1, 0))
    assert m.delete() and m.cursor == (1, 0)  # next sibling
    assert m.delete() and m.cursor == (1,)  # no sibling left: the parent
    assert m.node_at((1,)) == Group("or", ())
    assert m.text == "model = 'a'"
    assert m.delete() and m.cursor == (0,)  # last child: the previous sibling
    assert m.delete() and m.cursor == ()
    assert m.text == "all"
    assert not m.delete()  # the root stays
    assert m.undo() and m.text == "model = 'a'"


def test_delete_a_group_deletes_what_it_holds() -> None:
    m = EditorModel(parse(TARGET))
    m.set_cursor((1,))
    assert m.delete()
    assert m.text == "model ilike '%gpt%'"
    assert m.cursor == (0,)


def test_move_among_siblings_only_and_not_the_root() -> None:
    m = EditorModel(parse(TARGET))
    m.set_cursor((1,))
    assert not m.move(+1)  # last: no-op
    assert not m.can_redo
    assert m.move(-1)
    assert m.cursor == (0,)
    assert m.text == "(status >= 500 or latency > 10000) and model ilike '%gpt%'"
    m.set_cursor(())
    assert not m.move(+1)
    m.undo()
    assert m.text == TARGET
    assert not m.can_undo  # the no-ops recorded nothing


def test_replace_edits_a_condition_and_refuses_what_the_catalogue_refuses() -> None:
    m = EditorModel(parse(TARGET))
    m.set_cursor((1, 1))
    assert m.replace(c("latency > 20000"))
    assert m.text == "model ilike '%gpt%' and (status >= 500 or latency > 20000)"
    assert not m.replace(c("latency > 20000"))  # the same condition: nothing to undo
    before = m.root
    with pytest.raises(EditError, match="number field"):
        m.replace(Condition("latency", Op.GT, "fast"))
    with pytest.raises(EditError, match="unknown field"):
        m.add_condition(Condition("nope", Op.EQUALS, "x"))
    assert m.root is before
    m.set_cursor((1,))
    assert not m.replace(c("latency > 1"))  # a group is not edited as a condition
    m.undo()
    assert m.text == TARGET


def test_replace_keeps_true_and_one_apart() -> None:
    m = EditorModel(parse("cached = true"))
    m.set_cursor((0,))
    assert not m.replace(Condition("cached", Op.EQUALS, True))
    with pytest.raises(EditError):
        m.replace(Condition("cached", Op.EQUALS, 1))


def test_set_text_error_leaves_the_tree_unchanged_with_its_column() -> None:
    m = build_target()
    before, cursor = m.root, m.cursor
    with pytest.raises(FilterSyntaxError) as info:
        m.set_text("model = 'x' and latency ilike 'slow'")
    assert info.value.column == 25  # the operator the field cannot take
    assert m.root is before and m.cursor == cursor
    assert m.text == TARGET


def test_set_text_replaces_the_tree_and_can_be_undone() -> None:
    m = build_target()
    assert m.set_text("status = 200")
    assert m.root == Group("and", (c("status = 200"),))  # still a root group: adding works
    assert m.cursor == ()
    assert not m.set_text("status  =  200")  # the same filter: nothing recorded
    m.add_condition(c("cost > 0.5"))
    assert m.text == "status = 200 and cost > 0.5"
    assert m.set_text("all")
    assert m.root == ALL
    for _ in range(3):
        assert m.undo()
    assert m.text == TARGET
    assert m.redo()
    assert m.text == "status = 200"


def test_set_text_wraps_an_or_so_the_root_is_that_group() -> None:
    m = EditorModel()
    m.set_text("status = 1 or status = 2")
    assert m.root.op == "or"
    m.add_condition(c("status = 3"))
    assert m.text == "status = 1 or status = 2 or status = 3"


def test_changed_compares_normal_forms_with_the_opening_filter() -> None:
    m = EditorModel(parse(TARGET))
    assert not m.changed
    m.set_cursor((1,))
    m.wrap()  # a one-child group: the same filter
    assert not m.changed
    m.set_cursor((1, 0))
    m.flip()
    assert m.changed
    m.flip()
    assert not m.changed


def test_opening_on_a_single_condition_puts_it_in_a_root_group() -> None:
    m = EditorModel(c("status = 500"))
    assert m.root == Group("and", (c("status = 500"),))
    assert m.text == "status = 500"
    assert not m.changed
    m.add_condition(c("latency > 1"))
    assert m.text == "status = 500 and latency > 1"


def test_cursor_walks_depth_first_pre_order() -> None:
    m = EditorModel(parse(TARGET))
    seen = [m.cursor]
    while m.cursor_next():
        seen.append(m.cursor)
    assert seen == [(), (0,), (1,), (1, 0), (1, 1)]
    assert not m.cursor_next()
    back = [m.cursor]
    while m.cursor_prev():
        back.append(m.cursor)
    assert back == seen[::-1]
    assert not m.can_undo  # moving the cursor is not an edit


def test_cursor_restoration_clamps_to_the_nearest_node() -> None:
    root = parse(TARGET)
    assert isinstance(root, Group)
    assert clamp(root, (1, 1)) == (1, 1)
    assert clamp(root, (1, 7)) == (1, 1)
    assert clamp(root, (5, 0)) == (1,)
    assert clamp(root, (0, 3)) == (0,)  # a condition has no children
    assert clamp(Group("and", ()), (2,)) == ()
    m = EditorModel(parse(TARGET))
    assert m.set_cursor((9, 9)) == (1,)
    with pytest.raises(EditError):
        m.node_at((9,))


def test_undo_is_unlimited_and_a_new_edit_clears_redo() -> None:
    m = EditorModel()
    for i in range(300):
        m.add_condition(Condition("status", Op.EQUALS, i))
    assert m.text.count(" and ") == 299
    for _ in range(300):
        assert m.undo()
    assert not m.undo()
    assert m.root == ALL and m.cursor == ()
    m.redo()
    m.redo()
    assert m.text == "status = 0 and status = 1"
    m.flip()
    assert not m.can_redo


def caveats_of(text: str, sessions: bool | None = None) -> tuple[str, ...]:
    m = EditorModel(parse(text), sessions=sessions)
    return m.rows()[1].caveats


def test_rows_carry_the_caveats_that_concern_each_condition() -> None:
    assert caveats_of("total_tokens > 10") == (catalogue.NO_COLUMN,)
    assert caveats_of("model = 'gpt-4o'") == ()
    assert caveats_of("model contains 'gpt_4'") == (catalogue.WILDCARDS,)
    assert catalogue.MISSING_PROPERTY in caveats_of("properties.env != 'prod'")
    assert catalogue.MISSING_PROPERTY not in caveats_of("properties.env = 'prod'")
    assert caveats_of("helicone-score-feedback = false") == (catalogue.FEEDBACK_FALSE,)
    assert caveats_of("helicone-score-feedback = true") == ()
    assert caveats_of("cost > 0.5") == ()
    assert caveats_of("cost >= 3") == (catalogue.COST_INT32,)
    assert caveats_of("status > 500") == ()
    assert caveats_of("latency > 3000000000") == (catalogue.INT32,)
    assert caveats_of("scores.accuracy = 80") == ()


def test_session_field_caveats_depend_on_the_tab() -> None:
    other_tab = caveats_of("session_total_cost > 1", sessions=False)
    assert other_tab[0] == NOT_SENT_BY_TAB
    assert catalogue.SESSION_IGNORED in other_tab
    sessions_tab = caveats_of("session_total_cost > 1", sessions=True)
    assert NOT_SENT_BY_TAB not in sessions_tab
    assert catalogue.SESSION_ONLY not in sessions_tab
    assert catalogue.SESSION_IGNORED in sessions_tab
    assert caveats_of("session_tag = 'checkout'", sessions=True) == ()
    assert caveats_of("session_tag contains 'c'", sessions=True) == (
        catalogue.SESSION_TAG_CONTAINS, catalogue.WILDCARDS,
    )
    assert caveats_of("session_tag = 'checkout'", sessions=None) == (catalogue.SESSION_ONLY,)


# --- random operation sequences ----------------------------------------------------------------

CONDITIONS = [
    c(t)
    for t in (
        "model ilike '%gpt%'",
        "status >= 500",
        "latency > 10000",
        "cached = true",
        "cost > 0.5",
        "properties.env = 'prod'",
        "scores.accuracy = 80",
        "session_tag = 'checkout'",
        "request_created_at >= '2026-11-01T00:00:00Z'",
        "user_id = 'it\\'s'",
    )
]
TEXTS = [
    "all",
    TARGET,
    "status = 1 or status = 2 and (latency > 3 or cost < 1)",
    "model = 'a'",
    "model = ",  # does not parse
    "latency ilike 'x'",  # does not parse
    "(status = 1",  # does not parse
]
OPERATIONS = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(CONDITIONS)),
    st.tuples(st.just("group"), st.sampled_from([None, "and", "or"])),
    st.tuples(st.just("replace"), st.sampled_from(CONDITIONS)),
    st.tuples(st.just("move"), st.sampled_from([-1, 1])),
    st.tuples(st.just("text"), st.sampled_from(TEXTS)),
    st.tuples(
        st.sampled_from(["flip", "wrap", "delete", "next", "prev", "undo", "redo"]),
        st.none(),
    ),
)


def apply(m: EditorModel, name: str, arg: object) -> None:
    if name == "add":
        m.add_condition(arg)  # type: ignore[arg-type]
    elif name == "group":
        m.add_group(arg)  # type: ignore[arg-type]
    elif name == "replace":
        m.replace(arg)  # type: ignore[arg-type]
    elif name == "move":
        m.move(arg)  # type: ignore[arg-type]
    elif name == "text":
        with contextlib.suppress(FilterSyntaxError):  # then the tree stays as it was
            m.set_text(arg)  # type: ignore[arg-type]
    else:
        method = {"next": "cursor_next", "prev": "cursor_prev"}.get(name, name)
        getattr(m, method)()


def check_invariants(m: EditorModel) -> None:
    assert isinstance(m.root, Group)
    m.node_at(m.cursor)  # the cursor names a node
    assert repr(parse(m.text)) == repr(normal(m.root))
    assert repr(m.result()) == repr(normal(m.root))
    rows = m.rows()
    assert rows[0].path == () and m.cursor in {r.path for r in rows}
    for row in rows:
        assert row.depth == len(row.path)
        assert m.node_at(row.path) is not None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.sampled_from(TEXTS[:4]), ops=st.lists(OPERATIONS, max_size=40))
def test_random_edits_keep_the_model_sound_and_undo_returns_to_the_start(
    start: str, ops: list[tuple[str, object]]
) -> None:
    m = EditorModel(parse(start))
    initial = repr(m.root)
    for name, arg in ops:
        apply(m, name, arg)
        check_invariants(m)
    final = repr(m.root)
    undone = 0
    while m.undo():
        undone += 1
        check_invariants(m)
    assert repr(m.root) == initial
    assert not m.changed
    for _ in range(undone):
        assert m.redo()
    assert repr(m.root) == final
