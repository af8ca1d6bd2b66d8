"""`tui.api` imports only itself (DESIGN.md "Layers and layout"; issue 14): every module of it
loads in a fresh interpreter without bringing in any other module of tui (tui.clock, tui.config,
...). The import-linter contracts in pyproject.toml say the same statically, and also forbid the
package's own __init__ (tui.__version__), which any import of tui.api loads as the parent."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]

WALK = """
import importlib, json, pkgutil, sys
import tui.api
names = []
for info in pkgutil.walk_packages(tui.api.__path__, "tui.api."):
    importlib.import_module(info.name)
    names.append(info.name)
others = sorted(m for m in sys.modules
                if m.startswith("tui.") and not (m == "tui.api" or m.startswith("tui.api.")))
print(json.dumps({"modules": names, "others": others}))
"""


def test_every_module_of_tui_api_loads_no_other_module_of_tui() -> None:
    result = subprocess.run(
        [sys.executable, "-c", WALK], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert {"tui.api.client", "tui.api.timerange", "tui.api.models"} <= set(found["modules"])
    assert found["others"] == []
