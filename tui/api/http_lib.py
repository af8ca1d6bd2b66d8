"""httpx, imported without its command-line tool.

httpx's `__init__` imports `httpx._main` (click, pygments, rich.progress: ~90 ms here) whenever
click is installed, which uvicorn (the demo extra) brings. The app never runs that tool, so the
first import marks it missing, and httpx falls back to its stub `main`.
"""

from __future__ import annotations

import sys
from types import ModuleType


def load_httpx() -> ModuleType:
    loaded = sys.modules.get("httpx")
    if loaded is not None:
        return loaded
    blocked = "httpx._main" not in sys.modules
    if blocked:
        sys.modules["httpx._main"] = None  # type: ignore[assignment]  # import fails: the stub
    try:
        import httpx
    finally:
        if blocked and sys.modules.get("httpx._main", ModuleType("x")) is None:
            del sys.modules["httpx._main"]  # importable later by whoever wants the tool
    return httpx
