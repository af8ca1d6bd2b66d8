"""The headless core never imports Textual (DESIGN.md "Layers and layout"): every module of
`tui.api`, `tui.filters`, `tui.presets`, `tui.query`, `tui.format` and `tui.demo` (those that exist)
loads in a fresh interpreter without pulling `textual` (or Rich, Textual's renderer) into
sys.modules. The modules are found by walking the packages, so a new module is checked the day it is
written; the import-linter contracts in pyproject.toml say the same statically."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]

PACKAGES = ["tui.api", "tui.filters", "tui.presets", "tui.query", "tui.format", "tui.demo"]
# Packages every checkout has: the walk must find them (and modules in them), or it checks nothing.
REQUIRED = {"tui.api": "tui.api.client", "tui.filters": "tui.filters.tree",
            "tui.presets": "tui.presets.store", "tui.demo": "tui.demo.server",
            "tui.query": "tui.query.scores_shape", "tui.format": "tui.format.plot"}

# Runs in the child: import each module of the package in turn and say which first brought in a
# UI module, so a failure names the culprit rather than the package.
WALK = """
import importlib, json, pkgutil, sys
ui = lambda: sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))
package = importlib.import_module(sys.argv[1])
seen, culprit = [package.__name__], None
def failed(name):
    raise ImportError(f"cannot import {name}")
for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".", onerror=failed):
    if info.name.rsplit(".", 1)[-1] == "__main__":
        continue  # `python -m` entry points run when imported
    importlib.import_module(info.name)
    seen.append(info.name)
    if culprit is None and ui():
        culprit = info.name
print(json.dumps({"modules": seen, "ui": ui(), "culprit": culprit}))
"""


def _exists(name: str) -> bool:
    sys.path.insert(0, str(ROOT))
    try:
        return importlib.util.find_spec(name) is not None
    finally:
        sys.path.remove(str(ROOT))


@pytest.mark.parametrize("package", PACKAGES)
def test_every_module_of_the_package_imports_without_textual(package: str) -> None:
    if package not in REQUIRED and not _exists(package):
        pytest.skip(f"{package} does not exist yet")
    result = subprocess.run(
        [sys.executable, "-c", WALK, package], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    if package in REQUIRED:
        assert REQUIRED[package] in found["modules"], found["modules"]
    assert found["ui"] == [], f"{found['culprit']} imported {', '.join(found['ui'][:5])}"
