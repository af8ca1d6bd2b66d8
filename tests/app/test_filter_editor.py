"""The filter tree editor (`f`): build a tree from the keyboard, apply it, edit it; the text line.

What the server receives is read from the recording proxy in front of the demo server. Tests that
need no server run the editor on a small host app.
"""

from __future__ import annotations

from typing import Any

import pytest
from app_servers import RecordingProxy
from apptools import make_app, scores_ready, screen_text, wait_for
from textual.app import App

from tui.app import HeliconeApp
from tui.filters.text import parse
from tui.filters.tree import Node
from tui.screens.filter_editor import ConfirmDiscard, FilterEditor
from tui.widgets.filter_tree import FilterTree

SCORES = "/v1/dashboard/scores/query"
TARGET = "model ilike '%gpt%' and (status >= 500 or latency > 10000)"
THREE_LEVELS = (
    "model ilike '%gpt%' and (status >= 500 or latency > 10000 and provider = 'OPENAI') "
    "and properties.environment != 'production'"
)


# --------------------------------------------------------------------------- helpers


def tree_lines(editor: FilterEditor) -> list[str]:
    """The Tree as shown: one "depth label" string per node, pre-order (caveat lines too)."""
    out: list[str] = []

    def walk(node: Any, depth: int) -> None:
        out.append("  " * depth + node.label.plain)
        for child in node.children:
            walk(child, depth + 1)

    walk(editor.query_one(FilterTree).root, 0)
    return out


def cursor_label(editor: FilterEditor) -> str:
    node = editor.query_one(FilterTree).cursor_node
    assert node is not None
    return node.label.plain


async def add_condition(pilot, field: str, downs: int, value: str) -> None:
    """`a`, then the field, `downs` steps down the operator list, and the value; enter each."""
    await pilot.press("a")
    await wait_for(pilot, lambda: pilot.app.screen.__class__.__name__ == "ConditionEditor")
    await pilot.press(*field, "enter", *(["down"] * downs), "enter", *value, "enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, FilterEditor))


async def open_editor(pilot, app) -> FilterEditor:
    await pilot.press("f")
    await wait_for(pilot, lambda: isinstance(app.screen, FilterEditor))
    return app.screen  # type: ignore[return-value]


class Host(App[None]):
    """Just the editor, on a blank screen: for what needs no server."""
    CSS_PATH = HeliconeApp.CSS_PATH  # the app\'s own rules (the keys footer\'s among them)


    def __init__(self, text: str, **options: Any) -> None:
        super().__init__()
        self.node = parse(text)
        self.options = options
        self.results: list[Node | None] = []

    def on_mount(self) -> None:
        self.push_screen(FilterEditor(self.node, **self.options), self.results.append)


# --------------------------------------------------------------------------- against the demo


async def test_build_apply_then_flip_undo_redo_move_delete(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        editor = await open_editor(pilot, app)
        assert editor.text_input.value == "all"
        assert "accuracy" in editor.score_keys  # from the Scores answer, for `scores.` type-ahead
        assert tree_lines(editor) == ["AND (empty)"]

        # From the empty filter, keys only. Text operators: = != like ilike; numbers: = != > >=.
        await add_condition(pilot, "model", 3, "%gpt%")
        await pilot.press("g")  # a group after the condition: the opposite of its parent, OR
        assert tree_lines(editor) == ["AND", "  model ilike '%gpt%'", "  OR (empty)"]
        assert editor.text_input.value == "model ilike '%gpt%'"  # the empty group is dropped
        await add_condition(pilot, "status", 3, "500")  # inside the focused group
        await add_condition(pilot, "latency", 2, "10000")  # after the focused condition
        assert editor.text_input.value == TARGET
        assert tree_lines(editor) == [
            "AND",
            "  model ilike '%gpt%'",
            "  OR",
            "    status >= 500",
            "    latency > 10000",
        ]

        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "MainScreen")
        await wait_for(pilot, lambda: len(proxy.to(SCORES)) >= 2)
        assert proxy.to(SCORES)[-1].body["userFilter"] == {
            "left": {"request_response_rmt": {"model": {"ilike": "%gpt%"}}},
            "operator": "and",
            "right": {
                "left": {"request_response_rmt": {"status": {"gte": 500}}},
                "operator": "or",
                "right": {"request_response_rmt": {"latency": {"gt": 10000}}},
            },
        }
        await scores_ready(pilot, app)
        assert f"filter {TARGET}" in screen_text(app)

        # Reopen: the tree comes back from the applied filter.
        editor = await open_editor(pilot, app)
        assert editor.text_input.value == TARGET
        await pilot.press("j", "j")
        assert cursor_label(editor) == "OR"
        await pilot.press("o")  # OR -> AND: the text line shows the merged normal form
        merged = "model ilike '%gpt%' and status >= 500 and latency > 10000"
        assert editor.text_input.value == merged
        assert tree_lines(editor)[2] == "  AND"  # the tree keeps the group while open
        assert cursor_label(editor) == "AND"

        await pilot.press("u")
        assert editor.text_input.value == TARGET
        assert cursor_label(editor) == "OR"
        await pilot.press("U")
        assert editor.text_input.value == merged

        await pilot.press("K")  # the group moves above the model condition; the cursor follows
        assert editor.text_input.value == (
            "status >= 500 and latency > 10000 and model ilike '%gpt%'"
        )
        assert tree_lines(editor)[1] == "  AND"
        assert cursor_label(editor) == "AND"

        await pilot.press("d")  # the group and all it holds
        assert editor.text_input.value == "model ilike '%gpt%'"
        assert tree_lines(editor) == ["AND", "  model ilike '%gpt%'"]
        assert cursor_label(editor) == "model ilike '%gpt%'"

        await pilot.press("u", "u", "u")  # back through move and redo to the applied tree
        assert editor.text_input.value == TARGET

        before = len(proxy.to(SCORES))
        await pilot.press("escape")  # nothing changed: closes without asking or sending
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "MainScreen")
        assert len(proxy.to(SCORES)) == before


def test_snapshot_three_level_tree(snap_compare, demo_url: str) -> None:
    async def open_it(pilot) -> None:
        app = pilot.app
        await scores_ready(pilot, app)
        await open_editor(pilot, app)
        await pilot.press(*"jjjjjjj")  # to the property condition
        await pilot.pause()

    app = make_app(demo_url, filter_text=THREE_LEVELS)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_it)


# --------------------------------------------------------------------------- the text line


async def test_text_that_does_not_parse_keeps_the_tree_and_shows_the_column() -> None:
    app = Host(TARGET)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = app.screen
        assert isinstance(editor, FilterEditor)
        before = tree_lines(editor)
        await pilot.press("tab")
        assert editor.focused is editor.text_input
        await pilot.press(*" and latency ilike 5", "enter")
        text = screen_text(app)
        assert "col 72: 'latency' is a number field; 'ilike' takes text" in text
        row = next(line for line in text.splitlines() if " text " in line)
        caret = next(line for line in text.splitlines() if line.strip("│ ") == "^")
        assert row[caret.index("^"):].startswith("ilike")  # the caret under the column
        assert tree_lines(editor) == before
        assert editor.text_input.cursor_position == 71

        # Fixed and entered: the tree is re-built from the text.
        editor.text_input.value = TARGET + " and latency < 5"
        await pilot.press("enter")
        assert tree_lines(editor)[-1] == "  latency < 5"
        assert "col 72" not in screen_text(app)
        assert editor.focused is editor.query_one(FilterTree)


async def test_ctrl_s_refuses_text_that_does_not_parse() -> None:
    app = Host("status >= 500")
    async with app.run_test(size=(80, 24)) as pilot:
        editor = app.screen
        await pilot.press("tab", *" and (", "ctrl+s")
        assert app.screen is editor and app.results == []
        assert "col 20:" in screen_text(app)
        await pilot.press("backspace", *"latency > 1", "ctrl+s")  # typed, not entered: applied
        assert app.results == [parse("status >= 500 and latency > 1")]


async def test_escape_asks_before_dropping_changes() -> None:
    app = Host(TARGET)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "d")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDiscard))
        await pilot.press("n")  # keep editing: nothing lost
        assert isinstance(app.screen, FilterEditor)
        assert app.screen.text_input.value == "status >= 500 or latency > 10000"
        await pilot.press("escape", "y")
        await wait_for(pilot, lambda: not isinstance(app.screen, FilterEditor | ConfirmDiscard))
        assert app.results == [None]


async def test_ctrl_s_applies_the_normal_form_of_empty_and_one_child_groups() -> None:
    app = Host("all")
    async with app.run_test(size=(80, 24)) as pilot:
        editor = app.screen
        await pilot.press("g", "g")  # an empty group in an empty group
        assert tree_lines(editor) == ["AND", "  OR", "    AND (empty)"]
        assert editor.text_input.value == "all"
        await pilot.press("ctrl+s")
        assert app.results == [parse("all")]


# --------------------------------------------------------------------------- caveats and keys


async def test_caveats_show_next_to_their_condition() -> None:
    app = Host("session_tag = 'checkout' and properties.env != 'prod' and status >= 500")
    async with app.run_test(size=(80, 24)) as pilot:
        editor = app.screen
        assert tree_lines(editor) == [
            "AND",
            "  session_tag = 'checkout'",
            "    ! not sent by this tab: session field",
            "  properties.env != 'prod'",
            "    ! '!=' and 'not contains' also match requests that do not have this property",
            "  status >= 500",
        ]
        await pilot.press("j")
        assert "! not sent by this tab: session field" in screen_text(app)
        await pilot.press("j")  # j skips the caveat line: the model's cursor is the cursor
        assert cursor_label(editor) == "properties.env != 'prod'"
        text = screen_text(app)  # in full under the tree, though the tree line is cut
        assert "also match requests that do not have this property" in text


async def test_on_sessions_the_session_field_is_not_flagged() -> None:
    app = Host("session_tag = 'checkout'", sessions=True, tab_title="Sessions")
    async with app.run_test(size=(80, 24)):
        editor = app.screen
        assert tree_lines(editor) == ["AND", "  session_tag = 'checkout'"]
        assert "(Sessions tab)" in screen_text(app)


async def test_every_editor_key_is_in_the_footer_at_80_columns() -> None:
    app = Host(TARGET)
    async with app.run_test(size=(80, 24)) as pilot:
        footer = "\n".join(screen_text(app).splitlines()[-2:])
        for item in ("a Add", "g Group", "o And/or", "w Wrap", "e Edit", "d Delete",
                     "J/K Move", "j/k Cursor", "u/U Undo/redo", "^s Apply", "esc Close",
                     "? Keys"):
            assert item in footer
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "HelpScreen")
        listed = {binding_id for _, _, binding_id in app.screen.rows}
        assert {b.id for b in FilterEditor.BINDINGS} <= listed


async def test_a_click_moves_the_cursor_and_a_caveat_line_stands_for_its_condition() -> None:
    app = Host("status >= 500 and properties.env != 'prod'")
    async with app.run_test(size=(80, 24)) as pilot:
        editor = app.screen
        tree = editor.query_one(FilterTree)
        await pilot.click(tree, offset=(5, 1))
        assert editor.model.cursor == (0,)
        assert "HTTP status" in screen_text(app)
        await pilot.click(tree, offset=(8, 3))  # the caveat line under properties.env
        assert editor.model.cursor == (1,)
        assert cursor_label(editor) == "properties.env != 'prod'"
        await pilot.press("k")  # and the keys carry on from there
        assert cursor_label(editor) == "status >= 500"


async def test_after_every_key_the_views_match_the_model() -> None:
    """A fixed random walk over the editing keys: the Tree shows the model's rows with the cursor
    on the model's node, and the text line its normal form, which reads back as itself."""
    import random

    from tui.filters.text import format as format_filter
    from tui.filters.tree import normal
    from tui.filters.wire import to_wire

    rng = random.Random(7)
    app = Host(THREE_LEVELS)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = app.screen
        for _ in range(40):
            await pilot.press(rng.choice("gowdJKjjkkuUU"))
            model = editor.model
            shown = [line.strip() for line in tree_lines(editor)
                     if not line.strip().startswith("! ")]  # caveat lines are not nodes
            assert shown == [row.label for row in model.rows()]
            assert editor.query_one(FilterTree).cursor_path == model.cursor
            result = model.result()
            assert result == normal(result)
            assert editor.text_input.value == format_filter(result)
            assert parse(editor.text_input.value) == result
            to_wire(result)  # sendable


@pytest.mark.parametrize(
    ("keys", "text"),
    [
        (("j", "w", "a"), None),  # wrap opens a group; `a` adds beside the wrapped node
        (("j", "J"), "(status >= 500 or latency > 10000) and model ilike '%gpt%'"),
        (("j", "j", "j", "o"), "model ilike '%gpt%' and status >= 500 and latency > 10000"),
        (("d",), TARGET),  # the top group stays
    ],
)
async def test_keys_change_the_tree(keys: tuple[str, ...], text: str | None) -> None:
    app = Host(TARGET)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = app.screen
        await pilot.press(*keys)
        if keys[-1] == "a":  # the condition editor opened inside the new group
            await wait_for(pilot, lambda: app.screen.__class__.__name__ == "ConditionEditor")
            await pilot.press(*"cached", "enter", "enter", *"true", "enter")
            await wait_for(pilot, lambda: isinstance(app.screen, FilterEditor))
            text = "(model ilike '%gpt%' or cached = true) and (status >= 500 or latency > 10000)"
        assert editor.text_input.value == text
