"""The app reads `max_answer_mb` from the config file and gives it to its client (the client
itself reads no file): an answer over a 1 MB cap set there is refused in the tab, naming the cap.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from apptools import SCORES, make_app, screen_text, wait_for


async def test_the_config_files_answer_cap_reaches_the_apps_client() -> None:
    sys.path.insert(0, str(Path(__file__).parents[1] / "integration"))
    from faultserver import FaultServer, Reply

    # conftest points XDG_CONFIG_HOME at an empty folder for every app test.
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "helicone-tui" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("max_answer_mb = 1\n", encoding="utf-8")
    try:
        with FaultServer() as server:
            # 2 MB of (gzip-compressed) zeros: under the default 32 MB cap, over the file's 1 MB.
            server.reply(SCORES, Reply(200, b"0" * (1 << 20), repeat=2, gzip=True))
            app = make_app(server.url)
            async with app.run_test(size=(100, 30)) as pilot:
                await wait_for(pilot, lambda: "MB size cap" in screen_text(app))
                assert "over the 1 MB size cap" in screen_text(app)
    finally:
        config.unlink()
