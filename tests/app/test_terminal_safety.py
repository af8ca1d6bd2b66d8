"""Terminal safety in the app (issue 12, items 2 and 10), against a real hostile server on
127.0.0.1: what a server, a file or a path says is shown as text. No escape sequence from the data
reaches the terminal (no title set, no screen cleared), `[/]` and `[bold]` are shown literally, and
nothing crashes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from app_servers import _Quiet, _Server
from apptools import (
    DISTRIBUTIONS,
    EVALS,
    SCORES,
    SESSIONS,
    main_ready,
    make_app,
    scores_ready,
    screen_text,
    wait_for,
)

#: Sets the window title (OSC 0 ... BEL), clears the screen (CSI 2J), opens a C1 CSI; then
#: markup that would be bold, and a closing tag with nothing to close (a MarkupError).
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b[bold]x[/]"
#: How the app shows it: every control character as an escape, the brackets as typed.
SHOWN = "\\x1b]0;pwned\\x07\\x1b[2J\\x9b[bold]x[/]"
RAW = ("\x1b", "\x07", "\x9b")


def _scores() -> list[dict[str, Any]]:
    rows = []
    for hour, value in ((10, 0.5), (11, 0.75)):
        at = f"2026-11-20T{hour:02d}:00:00.000Z"
        rows.append({"created_at_trunc": at, "score_key": HOSTILE, "score_sum": value})
        rows.append({"created_at_trunc": at, "score_key": HOSTILE + "-hcone-bool",
                     "score_sum": value})
    return rows


def _eval(name: str) -> dict[str, Any]:
    return {
        "name": name, "averageScore": 0.5, "minScore": 0.1, "maxScore": 0.9, "count": 4,
        "overTime": [{"date": "2026-11-20T10:00:00.000Z", "count": 4}],
        "averageOverTime": [{"date": "2026-11-20T10:00:00.000Z", "value": 0.5}],
    }


ANSWERS: dict[str, tuple[int, Any]] = {
    SCORES: (200, {"data": _scores(), "error": None}),
    EVALS: (200, {"data": [_eval(HOSTILE), _eval("plain")], "error": None}),
    DISTRIBUTIONS: (200, {"data": [{"name": HOSTILE, "distribution": [
        {"lower": 0.0, "upper": 0.5, "value": 3.0}, {"lower": 0.5, "upper": 1.0, "value": 1.0},
    ]}], "error": None}),
    SESSIONS: (500, {"data": None, "error": HOSTILE}),
}


class _HostileHandler(_Quiet):
    def do_POST(self) -> None:
        server: HostileServer = self.server.owner  # type: ignore[attr-defined]
        self._body()
        path = self.path.split("?")[0]
        status, body = server.answers.get(path, (404, {"data": None, "error": "no such path"}))
        if isinstance(body, bytes):
            self._reply(status, body, "text/html")
        else:
            self._reply(status, json.dumps(body).encode())


class HostileServer(_Server):
    """Answers each endpoint's POST with `answers[path]`: (status, JSON body or HTML bytes)."""

    def __init__(self, answers: dict[str, tuple[int, Any]]) -> None:
        super().__init__(_HostileHandler)
        self.answers = answers


@pytest.fixture
def hostile():
    with HostileServer(dict(ANSWERS)) as server:
        yield server


def assert_safe(app, *wanted: str) -> str:
    """The rendered screen holds none of the data's raw control characters, and shows `wanted`."""
    text = screen_text(app)
    for raw in RAW:
        assert raw not in text, f"raw {raw!r} reached the screen:\n{text}"
    for piece in wanted:
        assert piece in text, f"{piece!r} not on screen:\n{text}"
    svg = app.export_screenshot()
    assert not any(raw in svg for raw in RAW)
    return text


def toasts(app) -> list[str]:
    return [n.message for n in app._notifications]


def shown_toasts(app) -> str:
    """What the toasts on screen render (a toast wraps its text, so the screen's lines split a
    long path): rendering one is also where a markup notification raised MarkupError."""
    from textual.widgets._toast import Toast

    return "\n".join(str(toast.render()) for toast in app.screen.query(Toast))


# --------------------------------------------------------------------------- item 2: server text


async def test_hostile_score_keys_show_as_escapes_in_legend_table_and_picker(hostile) -> None:
    app = make_app(hostile.url)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await scores_ready(pilot, app)
        assert_safe(app, "\\x1b]0;pwned\\x07", "[bold]x[/]")
        await pilot.press("t")  # the table: the keys are column titles
        tab = app.screen.query_one("#scores-tab")
        await wait_for(pilot, lambda: tab.view == "table")
        await pilot.pause()
        assert_safe(app, "\\x1b]0;pwned", "[bold]x")
        await pilot.press("l")  # the series checklist
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "SeriesPicker")
        await pilot.pause()
        assert_safe(app, "\\x1b]0;pwned", "[bold]x[/]")
        await pilot.press("escape")


async def test_hostile_eval_name_shows_as_escapes_in_the_table_and_its_detail(hostile) -> None:
    app = make_app(hostile.url)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await main_ready(pilot, app)
        await pilot.press("4")
        tab = app.screen.query_one("#evals-tab")
        await wait_for(pilot, lambda: tab.status == "ready")
        await pilot.pause()
        # The table cuts long names with an ellipsis; the detail below shows it whole.
        assert_safe(app, "\\x1b]0;pwned\\x07")
        table = app.screen.query_one("#evals-table")
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        table.move_cursor(row=names.index(SHOWN))  # the row is still found by its raw name
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "EvalDetail")
        await pilot.pause()
        assert_safe(app, SHOWN)


async def test_hostile_distribution_name_shows_as_escapes(hostile) -> None:
    app = make_app(hostile.url)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await main_ready(pilot, app)
        await pilot.press("5")
        tab = app.screen.query_one("#distributions-tab")
        await wait_for(pilot, lambda: tab.status == "ready")
        await pilot.pause()
        assert_safe(app, "\\x1b]0;pwned", "[bold]x")


async def test_a_hostile_error_message_is_one_line_of_text_in_the_notice(hostile) -> None:
    app = make_app(hostile.url)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await main_ready(pilot, app)
        await pilot.press("6")
        tab = app.screen.query_one("#sessions-tab")
        await wait_for(pilot, lambda: tab.status == "error")
        await pilot.pause()
        assert_safe(app, "\\x1b]0;pwned\\x07", "[bold]x[/]", "r retries")


async def test_hostile_session_bounds_show_as_escapes_in_bars_and_table() -> None:
    rows = [{"range_start": HOSTILE, "range_end": "2", "value": 3}]
    metrics = {"session_count": rows, "session_duration": rows, "session_cost": rows,
               "average": {"session_cost": [], "session_duration": [], "session_count": []}}
    with HostileServer({SCORES: ANSWERS[SCORES], SESSIONS: (200, {"data": metrics,
                                                                    "error": None})}) as server:
        app = make_app(server.url)
        async with app.run_test(size=(160, 40), notifications=True) as pilot:
            await main_ready(pilot, app)
            await pilot.press("6")
            tab = app.screen.query_one("#sessions-tab")
            await wait_for(pilot, lambda: tab.status == "ready")
            await pilot.pause()
            assert_safe(app, "\\x1b]0;pwned")
            await pilot.press("t")
            await pilot.pause(0.2)
            assert_safe(app, "\\x1b]0;pwned")


async def test_a_hostile_html_error_page_is_shown_as_text() -> None:
    page = b"<html><title>\x1b]0;pwned\x07</title><body>\x1b[2J\xc2\x9b[/] down</body></html>"
    with HostileServer({SCORES: (502, page)}) as server:
        app = make_app(server.url)
        async with app.run_test(size=(160, 40), notifications=True) as pilot:
            tab = app.screen.query_one("#scores-tab")
            await wait_for(pilot, lambda: tab.status == "error")
            await pilot.pause()
            assert_safe(app, "502", "r retries")


# --------------------------------------------------------------------------- item 10: markup


async def test_export_to_a_folder_named_with_brackets_says_so_literally(
    hostile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "q[" / "]"
    folder.mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    app = make_app(hostile.url)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await scores_ready(pilot, app)
        await pilot.press("x")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "ExportDialog")
        path_input = app.screen.query_one("#export-path")
        path_input.value = "q[/]/[bold]out.csv"
        await pilot.press("enter")  # CSV
        await pilot.press("enter")  # write
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "MainScreen")
        await wait_for(pilot, lambda: any("out.csv" in m for m in toasts(app)))
        await pilot.pause(0.2)
        assert_safe(app)
        assert "q[/]/[bold]out.csv" in shown_toasts(app)
        assert app.is_running
    written = (folder / "[bold]out.csv").read_text(encoding="utf-8")
    assert HOSTILE in written  # the file keeps the raw values; only the screen is made safe


async def test_saving_a_preset_in_a_path_with_brackets_says_so_literally(
    hostile, tmp_path: Path
) -> None:
    path = tmp_path / "p[" / "]" / "presets.toml"
    path.parent.mkdir(parents=True)
    app = make_app(hostile.url)
    app.presets_path = path
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await scores_ready(pilot, app)
        await pilot.press("s")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "PresetSave")
        await pilot.press(*"mine", "enter", "enter")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "MainScreen")
        await wait_for(pilot, lambda: any("Saved preset" in m for m in toasts(app)))
        await pilot.pause(0.2)
        assert_safe(app)
        assert "p[/]/presets.toml" in shown_toasts(app)
        assert app.is_running
    assert path.exists()


async def test_a_notification_never_reads_markup_or_control_characters(hostile) -> None:
    app = make_app(hostile.url)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await scores_ready(pilot, app)
        app.screen.notify(f"name {HOSTILE}", timeout=30)
        app.notify("[bold]loud[/bold] and [/]", timeout=30)
        await pilot.pause(0.2)
        assert_safe(app)
        shown = shown_toasts(app)
        assert f"name {SHOWN}" in shown
        assert "[bold]loud[/bold] and [/]" in shown


async def test_a_bug_quoting_server_text_is_one_safe_line_after_exit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tui.screens.scores import ScoresTab

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))

    def broken(self, answer) -> None:
        raise RuntimeError(f"bad key {answer.keys[0]}\nsecond line")

    monkeypatch.setattr(ScoresTab, "watch_answer", broken)
    with HostileServer({SCORES: ANSWERS[SCORES]}) as server:
        app = make_app(server.url)
        with pytest.raises(RuntimeError):
            async with app.run_test(size=(80, 24)) as pilot:
                await wait_for(pilot, lambda: app.crash_message is not None)
    # What run_app prints on stderr after the app has closed.
    assert app.crash_message == f"RuntimeError: bad key {SHOWN} second line"


def test_score_keys_with_control_characters_are_not_offered_as_suggestions() -> None:
    from types import SimpleNamespace

    from tui.screens.filter_editor import known_score_keys

    scores = SimpleNamespace(answer=SimpleNamespace(keys=(HOSTILE, "accuracy")))
    evals = SimpleNamespace(answer=SimpleNamespace(rows=[SimpleNamespace(name="acc\x9bx")]))
    assert known_score_keys([scores, evals]) == ["accuracy"]
