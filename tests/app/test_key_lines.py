"""The keys footer keeps the lines it drew, and draws them again when what they show changes:
a focus move (other keys), an action that cannot apply now (dimmed), a narrower terminal (cut
to one line), a theme (other colours)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from tui.widgets.key_lines import KeyLines


class Pane(Static, can_focus=True):
    pass


class Left(Pane):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("a", "noop", "Alpha")]

    def action_noop(self) -> None:
        pass


class Right(Pane):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("b", "noop", "Bravo")]
    allowed = True

    def action_noop(self) -> None:
        pass

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return True if self.allowed else None  # None: shown dimmed


class Keyed(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(k, "noop", f"Screen action {k}") for k in "cdefgh"),
        Binding("question_mark", "help", "Help"),
    ]

    def action_help(self) -> None:
        pass

    def action_noop(self) -> None:
        pass

    def compose(self) -> ComposeResult:
        yield Left("left", id="left")
        yield Right("right", id="right")
        yield KeyLines(one_line=True, pinned=("help",), id="keys")


class Keys(App[None]):
    CSS = """
    KeyLines > .key-lines--key { color: $accent; }
    KeyLines > .key-lines--disabled { text-style: dim; }
    """

    def on_mount(self) -> None:
        self.push_screen(Keyed())


def footer(app: Keys) -> str:
    return app.screen.query_one(KeyLines).render().plain


async def test_the_footer_follows_focus_checks_width_and_theme() -> None:
    app = Keys()
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        app.screen.query_one("#left").focus()
        await pilot.pause()
        assert "Alpha" in footer(app) and "Bravo" not in footer(app)

        app.screen.query_one("#right").focus()
        await pilot.pause()
        assert "Bravo" in footer(app) and "Alpha" not in footer(app)

        right = app.screen.query_one(Right)
        keys = app.screen.query_one(KeyLines)
        bravo = keys._lines(keys.content_size.width)[0]
        right.allowed = False
        right.refresh_bindings()
        await pilot.pause()
        dimmed = keys._lines(keys.content_size.width)[0]
        assert dimmed.plain == bravo.plain
        assert "dim" not in str(bravo.spans[1].style) and "dim" in str(dimmed.spans[1].style)

        await pilot.resize_terminal(40, 10)
        await pilot.pause()
        narrow = footer(app)
        assert len(narrow) <= 40 and "? Help" in narrow and "Screen action h" not in narrow

        before = keys._lines(keys.content_size.width)[0].spans
        app.theme = "nord"
        await pilot.pause()
        assert keys._lines(keys.content_size.width)[0].spans != before
