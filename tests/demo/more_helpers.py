"""Helpers of the tests of the SEMANTICS-MORE endpoints: calls that check every answer against
the strict spec, and the same data set built in this process for hand-written SQL."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from demo_helpers import KEY, NOW, SPEC, Client

from tui.api.wire_endpoints import MORE_ENDPOINTS, More

RMT = "request_response_rmt"


@functools.cache
def _spec() -> dict[str, Any]:
    import yaml

    return yaml.safe_load(SPEC.read_text())


@functools.cache
def response_validator(name: More) -> Any:
    from openapi_schema_validator import OAS30Validator

    spec = _spec()
    endpoint = MORE_ENDPOINTS[name]
    operation = spec["paths"][endpoint.path][endpoint.method.lower()]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    return OAS30Validator({**schema, "components": spec["components"]})


def assert_spec(name: More, payload: Any) -> None:
    errors = list(response_validator(name).iter_errors(payload))
    assert not errors, f"{name}: {errors[0].message} in {str(payload)[:300]}"


def path_of(name: More, **params: str) -> str:
    return MORE_ENDPOINTS[name].path.format(**params)


def call(client: Client, name: More, body: Any, **params: str) -> Any:
    """POST (or GET) one endpoint; the answer's body always matches the strict spec."""
    endpoint = MORE_ENDPOINTS[name]
    path = path_of(name, **params)
    if endpoint.method == "GET":
        response = client.http.get(path, headers=KEY, params=body or None)
    else:
        response = client.post(path, body)
    payload = response.json()
    if isinstance(payload, dict) and "error" in payload and "trace" not in payload:
        assert_spec(name, payload)  # {data, error} answers; not 401/422/generic 500
    return response


def data(client: Client, name: More, body: Any, **params: str) -> Any:
    """Insist on Helicone's success status and no error; return `data`."""
    response = call(client, name, body, **params)
    assert response.status_code == MORE_ENDPOINTS[name].status, response.text[:300]
    payload = response.json()
    assert payload["error"] is None, payload
    return payload["data"]


class Hand:
    """The default demo data set (seed 1 at NOW) in this process, for SQL written by hand."""

    def __init__(self) -> None:
        from tui.demo.data import Engine

        self.engine = Engine()
        self.engine.generate(seed=1, now=datetime.fromisoformat(NOW.replace("Z", "+00:00")))

    def rows(self, sql: str) -> list[list[Any]]:
        return self.engine.query(sql)[0]

    def one(self, sql: str) -> Any:
        return self.rows(sql)[0][0]



@functools.cache
def hand_data() -> Hand:
    """One in-process copy per test session (chdb holds one engine per process)."""
    return Hand()


def window_sql(start: str, end: str, low: str = ">=", high: str = "<=") -> str:
    """request_created_at within a window of ISO instants (DateTime seconds, as Helicone binds)."""
    def ch(text: str) -> str:
        return text.replace("T", " ").replace("Z", "").split(".")[0]

    return (f"request_created_at {low} toDateTime('{ch(start)}', 'UTC') AND "
            f"request_created_at {high} toDateTime('{ch(end)}', 'UTC')")
