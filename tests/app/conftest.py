"""App tests: a fixed clock and zone, one demo server per session, a recording proxy per test.

`HELICONE_TUI_TEST_DEMO_URL` may name an already running demo server started with the same seed and
`--now` (handy when iterating); otherwise one is started on 127.0.0.1 for the session.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest
from app_servers import RecordingProxy
from apptools import NOW, ZONE


@pytest.fixture(scope="session", autouse=True)
def fixed_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The same instant, zone and (empty) config for every app test."""
    from tui import clock

    saved = {k: os.environ.get(k) for k in ("TZ", "XDG_CONFIG_HOME", "HELICONE_TUI_NOW")}
    os.environ["TZ"] = ZONE
    time.tzset()
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("config"))
    os.environ.pop("HELICONE_TUI_NOW", None)
    clock.fix(NOW)
    yield
    clock.fix(None)
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    time.tzset()


@pytest.fixture(autouse=True)
def fixed_clock(fixed_world: None) -> None:
    """Fix the clock again for each test: tests elsewhere in the run may have released it."""
    from tui import clock

    clock.fix(NOW)


@pytest.fixture(scope="session")
def demo_url() -> Iterator[str]:
    """A demo server (seed 1, fixed now, 50,000 requests) on 127.0.0.1 for the whole session."""
    given = os.environ.get("HELICONE_TUI_TEST_DEMO_URL")
    if given:
        yield given.rstrip("/")
        return
    process = pytest.importorskip("tui.demo.process")
    with process.start_demo_server(seed=1, now=NOW, requests=50_000) as server:
        yield server.url


@pytest.fixture
def proxy(demo_url: str) -> Iterator[RecordingProxy]:
    """A recording proxy in front of the demo server: what the app sent, as the server got it."""
    with RecordingProxy(demo_url) as server:
        yield server  # type: ignore[misc]


@pytest.fixture
def no_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Overview's "what changed" list does not triage (its 20-40 requests follow the
    panels'): for tests that count the Overview's own requests."""
    from tui.screens.overview_findings import FindingsList

    monkeypatch.setattr(FindingsList, "ASKS", False)
