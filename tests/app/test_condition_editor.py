"""The condition editor: type-ahead over the tab's fields, only the field's operators, values
checked as typed, and nothing invalid can be confirmed. The clock is fixed (conftest: 12:00Z)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from apptools import screen_text
from textual.app import App
from textual.widgets import Input, OptionList

from tui.api.fields import OP_TEXT, Op, get_field
from tui.app import HeliconeApp
from tui.filters.text import parse
from tui.filters.tree import Condition
from tui.screens.condition_editor import ConditionEditor
from tui.screens.condition_entry import (
    EntryError,
    read_field,
    read_value,
    resolve_time,
    suggestions,
)

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


class Host(App[None]):
    CSS_PATH = HeliconeApp.CSS_PATH  # the app\'s own rules (the keys footer\'s among them)

    def __init__(self, condition: Condition | None = None, **options: Any) -> None:
        super().__init__()
        self.condition = condition
        self.options = options
        self.results: list[Condition | None] = []

    def on_mount(self) -> None:
        self.push_screen(ConditionEditor(self.condition, **self.options), self.results.append)


def operators(app: App[None]) -> list[str]:
    ops = app.screen.query_one(OptionList)
    return [OP_TEXT[Op(ops.get_option_at_index(i).id)] for i in range(ops.option_count)]


# --------------------------------------------------------------------------- the screen


async def test_an_invalid_value_cannot_be_confirmed_and_says_why() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"latency", "enter", "down", "down", "enter", *"ten", "enter")
        assert isinstance(app.screen, ConditionEditor)  # still open
        assert app.results == []
        assert "'latency' is a number field: expected e.g. 500 or 0.25" in screen_text(app)
        value = app.screen.query_one("#condition-value", Input)
        value.value = "10000"
        await pilot.press("enter")
        assert app.results == [parse("latency > 10000")]


async def test_the_operator_list_holds_only_the_fields_operators() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"model")
        assert operators(app) == ["=", "!=", "like", "ilike", "contains", "not contains"]
        field = app.screen.query_one("#condition-field", Input)
        field.value = "cached"
        await pilot.pause()
        assert operators(app) == ["="]
        field.value = "scores.accuracy"
        await pilot.pause()
        assert operators(app) == ["=", "!="]
        field.value = "request_created_at"
        await pilot.pause()
        assert operators(app) == ["=", ">", ">=", "<", "<="]


async def test_type_ahead_completes_the_field_and_a_known_score_key() -> None:
    app = Host(score_keys=["accuracy", "helpfulness-hcone-bool"])
    async with app.run_test(size=(80, 24)) as pilot:
        field = app.screen.query_one("#condition-field", Input)
        await pilot.press(*"lat", "enter")  # not a field: enter takes the suggestion shown
        assert field.value == "latency"
        await pilot.press("shift+tab", *["backspace"] * 7, *"scores.acc", "right")
        assert field.value == "scores.accuracy"  # right takes it (scores.acc is a key too)
        await pilot.press("enter")
        assert app.screen.focused is app.screen.query_one(OptionList)
        await pilot.press("enter", *"8.5", "enter")
        assert app.results == []  # scores take whole numbers
        assert "score values are whole numbers" in screen_text(app)
        await pilot.press("backspace", "backspace", "enter")
        assert app.results == [parse("scores.accuracy = 8")]


async def test_relative_times_resolve_on_entry_against_the_fixed_clock() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"request_created_at", "enter", "down", "down", "enter", *"-7d")
        assert "request_created_at >= '2026-11-13T12:00:00Z'" in screen_text(app)
        await pilot.press("enter")
        assert app.results == [parse("request_created_at >= '2026-11-13T12:00:00Z'")]


async def test_session_fields_are_refused_outside_sessions_and_offered_there() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"session_tag", "enter")
        assert "only the Sessions tab can send it" in screen_text(app)
        assert isinstance(app.screen, ConditionEditor)
        await pilot.press("escape")
        assert app.results == [None]
    app = Host(sessions=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"session_tag", "enter", "enter", *"checkout", "enter")
        assert app.results == [parse("session_tag = 'checkout'")]


async def test_editing_starts_from_the_condition_and_shows_its_caveats() -> None:
    app = Host(parse("properties.environment = 'production'"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert screen.query_one("#condition-field", Input).value == "properties.environment"
        assert screen.focused is screen.query_one("#condition-value", Input)
        await pilot.press("shift+tab", "down")  # the operator list: = -> !=
        assert "also match requests that do not have this" in screen_text(app)
        await pilot.press("enter", "enter")
        assert app.results == [parse("properties.environment != 'production'")]


# --------------------------------------------------------------------------- reading input


def test_read_field() -> None:
    assert read_field("model", sessions=False) == (get_field("model"), None)
    assert read_field(" properties.my key ", sessions=False) == (get_field("properties"), "my key")
    with pytest.raises(EntryError, match="did you mean 'model'"):
        read_field("modle", sessions=False)
    with pytest.raises(EntryError, match="needs a key"):
        read_field("scores.", sessions=False)
    with pytest.raises(EntryError, match="takes no key"):
        read_field("status.x", sessions=False)


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        ("status", " 500 ", 500),
        ("cost", "0.25", 0.25),
        ("cached", "TRUE", True),
        ("model", " gpt 4 ", " gpt 4 "),  # text as typed
        ("request_created_at", "now", "2026-11-20T12:00:00Z"),
        ("request_created_at", "-1h", "2026-11-20T11:00:00Z"),
        ("request_created_at", "2026-11-01T00:00:00+01:00", "2026-10-31T23:00:00Z"),
        ("scores", "-3", -3),
    ],
)
def test_read_value(field: str, text: str, expected: object) -> None:
    value = read_value(get_field(field), text, NOW)  # type: ignore[arg-type]
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    ("field", "text"),
    [("status", "5oo"), ("cached", "yes"), ("scores", "1.5"), ("request_created_at", "monday")],
)
def test_read_value_refuses(field: str, text: str) -> None:
    with pytest.raises(EntryError):
        read_value(get_field(field), text, NOW)  # type: ignore[arg-type]


def test_resolve_time_without_a_zone_is_local_time() -> None:
    # The app tests run in America/New_York: EST is UTC-5 in November.
    assert resolve_time("2026-11-20T08:00", NOW) == "2026-11-20T13:00:00Z"


def test_suggestions_hold_only_the_tabs_fields() -> None:
    plain = suggestions(sessions=False, score_keys=["accuracy"], property_keys=["env"])
    assert "model" in plain and "session_tag" not in plain
    assert plain.index("scores.") < plain.index("scores.accuracy")
    assert "properties.env" in plain
    assert "session_tag" in suggestions(sessions=True)
