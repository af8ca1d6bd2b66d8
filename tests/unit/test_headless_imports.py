"""The headless core never imports Textual: `tui.api`, `tui.filters` and `tui.demo` load in a
fresh interpreter without pulling `textual` into sys.modules."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]

MODULES = [
    "tui.api",
    "tui.api.models",
    "tui.api.fields",
    "tui.filters",
    "tui.filters.text",
    "tui.filters.tree",
    "tui.demo",
]
# Written by other parts of the project; checked once they exist.
OPTIONAL = ["tui.demo.sql", "tui.demo.server", "tui.demo.data"]


def _exists(name: str) -> bool:
    sys.path.insert(0, str(ROOT))
    try:
        return importlib.util.find_spec(name) is not None
    finally:
        sys.path.remove(str(ROOT))


@pytest.mark.parametrize("module", MODULES + OPTIONAL)
def test_module_imports_without_textual(module: str) -> None:
    if module in OPTIONAL and not _exists(module):
        pytest.skip(f"{module} does not exist yet")
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{module} imported {result.stdout.strip()}"
