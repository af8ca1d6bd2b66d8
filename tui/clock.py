""""Now" and the local zone, for the app: the clock itself lives in tui/api/clock.py.

It moved to the bottom layer because time ranges (tui/api/timerange.py) resolve against it and
`tui.api` imports nothing else of tui. Re-exported here so that the app's modules and the tests
keep their `from tui import clock`; `clock.fix(...)` fixes the one clock (the state is there).
"""

from tui.api.clock import (  # noqa: F401 (re-exported: the app and the tests import tui.clock)
    ENV_NOW,
    ClockError,
    fix,
    fixed,
    local_zone,
    now,
    parse_instant,
    zone_name,
)
