"""A request as a curl command: what `--curl` prints and the app's `c` copies.

The key is written as `$HELICONE_API_KEY` inside double quotes, so the shell expands it when the
command runs and the key itself is never printed. The body goes in single quotes, shell-escaped.
"""

from __future__ import annotations

import shlex
from typing import Any

from tui.api import wirejson
from tui.api.models import ENDPOINTS, EndpointName, WireRequest

KEY_VARIABLE = "$HELICONE_API_KEY"


def curl_command(url: str, body: Any, *, indent: int | None = 2) -> str:
    """`curl --request POST` to `url` with the JSON `body`, one option per line."""
    # wirejson: any depth (a long filter chain: its levels past the 8th on one line, not
    # megabytes of indentation), and a lone surrogate written as its escape.
    payload = wirejson.dumps(body, indent=indent, ensure_ascii=False, indent_levels=8)
    lines = [
        "curl --request POST",
        f"  --url {shlex.quote(url)}",
        "  --header 'Content-Type: application/json'",
        f'  --header "Authorization: Bearer {KEY_VARIABLE}"',
        f"  --data {_single_quoted(payload)}",
    ]
    return " \\\n".join(lines)


def request_curl(
    base_url: str, endpoint: EndpointName | str, request: WireRequest, *, indent: int | None = 2
) -> str:
    """The curl command for `request` sent to `endpoint` at `base_url`."""
    spec = ENDPOINTS[EndpointName(endpoint)]
    return curl_command(base_url.rstrip("/") + spec.path, request.to_wire(), indent=indent)


def _single_quoted(text: str) -> str:
    # Always single quotes (shlex.quote leaves "safe" strings bare): inside them nothing expands,
    # and a ' is written as '"'"' (close, a double-quoted quote, reopen).
    return "'" + text.replace("'", "'\"'\"'") + "'"
