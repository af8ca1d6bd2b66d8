"""The curl command of a request to one of SEMANTICS-MORE's endpoints (requests, request, models,
users, properties, overview); the writers of those views' answers moved to tui.format, and are
re-exported here for the views that still import them from this module."""

from __future__ import annotations

from typing import Any

from tui.format.numbers import cell  # re-export (moved to tui.format.numbers)
from tui.format.times import iso_z, local_time  # re-export (moved to tui.format.times)
from tui.format.writers import (
    jsonable,  # re-export (moved to tui.format.writers)
    one_line_cell,  # re-export (moved to tui.format.writers)
    write_csv,  # re-export (moved to tui.format.writers)
    write_json,  # re-export (moved to tui.format.writers)
    write_jsonl,  # re-export (moved to tui.format.writers)
    write_table,  # re-export (moved to tui.format.writers)
)

__all__ = [
    "cell", "curl_for", "iso_z", "jsonable", "local_time", "one_line_cell",
    "write_csv", "write_json", "write_jsonl", "write_table",
]


def curl_for(base_url: str, name: Any, request: Any, path: dict[str, str] | None = None,
             params: dict[str, str] | None = None) -> str:
    """The curl command of one request to a SEMANTICS-MORE endpoint (a GET has no body)."""
    import shlex
    from urllib.parse import urlencode

    from tui.api.curl import KEY_VARIABLE, curl_command
    from tui.api.endpoints_client import endpoint_path
    from tui.api.wire_endpoints import MORE_ENDPOINTS

    spec = MORE_ENDPOINTS[name]
    url = base_url.rstrip("/") + endpoint_path(spec, path or {})
    if params:
        url += "?" + urlencode(params)
    if spec.method == "POST":
        return curl_command(url, request.to_wire() if request is not None else {})
    return " \\\n".join([
        "curl --request GET", f"  --url {shlex.quote(url)}",
        f'  --header "Authorization: Bearer {KEY_VARIABLE}"',
    ])
