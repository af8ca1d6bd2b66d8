"""How the screens depend on each other (DESIGN.md "Layers and layout"): a modal is given what it
needs and returns a value; only main.py knows the main screen; the shared client is not patched."""

from __future__ import annotations

import ast
from pathlib import Path

from apptools import make_app, scores_ready, wait_for

SCREENS = Path(__file__).resolve().parents[2] / "tui" / "screens"


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_no_screen_module_but_main_imports_the_main_screen() -> None:
    importing = sorted(
        path.name for path in SCREENS.glob("*.py")
        if path.name != "main.py" and "tui.screens.main" in imported_modules(path)
    )
    assert importing == []


async def test_the_answer_on_screen_travels_with_its_message_and_the_client_is_not_patched(
    proxy,
) -> None:
    from tui.api.client import HeliconeClient

    app = make_app(proxy.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await scores_ready(pilot, app)
        tab = app.screen.query_one("#scores-tab")
        await wait_for(pilot, lambda: tab.raw_answer is not None)
        client = await app.get_client()
        assert "fetch" not in vars(client)  # the class's own fetch, not a recording wrapper
        assert isinstance(client, HeliconeClient)
        # The raw answer is the scores endpoint's (not the hourly counts asked beside it).
        rows = tab.raw_answer.data
        assert rows and len(tab.raw_answer.raw) == len(rows)
        assert {row.score_key for row in rows} >= set(tab.answer.keys)
