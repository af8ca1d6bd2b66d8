"""Shared demo servers for tests/demo: started once per test session, stopped at the end."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("chdb", reason="the demo server needs the demo extra (chdb)")

from demo_datasets import write_semantics
from demo_helpers import NOW, Client

from tui.demo.process import DemoServer


def _start(**kwargs: Any) -> Iterator[Client]:
    server = DemoServer(timeout=120, **kwargs).start()
    client = Client(server)
    try:
        yield client
    finally:
        client.close()
        server.stop()


@pytest.fixture(scope="session")
def demo() -> Iterator[Client]:
    """The default synthetic data set (seed 1, 30 days, 300,000 requests) at a fixed anchor."""
    yield from _start(seed=1, now=NOW)


@pytest.fixture(scope="session")
def semantics(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    """The hand-built data set of tests/demo/datasets.py, loaded with --data."""
    path = write_semantics(tmp_path_factory.mktemp("demo-data"))
    yield from _start(data=path)
