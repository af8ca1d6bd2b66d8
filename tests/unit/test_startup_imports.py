"""Start-up stays light (issue 16): parsing the app's command line does not load what only
`--help` prints (the views' registry imports every query module)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]

CHILD = """
import json, sys
from tui.cli.app_launch import build_parser
build_parser().parse_args(["--since", "7d"])
parsed = "tui.query.registry" in sys.modules
help_text = build_parser().format_help()
print(json.dumps({"parsed": parsed, "help": help_text}))
"""


def test_the_app_parser_leaves_the_views_registry_unloaded_until_help() -> None:
    result = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert got["parsed"] is False
    from tui.query.registry import VIEWS

    assert f"query ENDPOINT   answer one question ({'|'.join(VIEWS)})" in got["help"]
    assert "exit status: 0 ok, 2 usage, 3 API error, 4 network" in got["help"]
