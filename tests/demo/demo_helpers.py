"""Helpers shared by the demo server tests: the client, the strict-spec check, the paths."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from tui.demo.process import DemoServer

#: The default data set's anchor: fixed, so answers are reproducible.
NOW = "2026-11-20T12:00:00Z"
KEY = {"Authorization": "Bearer sk-helicone-demo-test"}
SPEC = Path(__file__).resolve().parents[2] / "tui" / "api" / "spec" / "openapi.strict.yaml"

SCORES = "/v1/dashboard/scores/query"
EVALS = "/v1/evals/query"
DISTRIBUTIONS = "/v1/evals/score-distributions/query"
SESSIONS = "/v1/session/metrics/query"
RESPONSE_SCHEMAS = {
    SCORES: "Result__score_key-string--score_sum-number--created_at_trunc-string_-Array.string_",
    EVALS: "Result_Eval-Array.string_",
    DISTRIBUTIONS: "Result_ScoreDistribution-Array.string_",
    SESSIONS: "Result_SessionMetrics.string_",
}


class Client:
    """A demo server and an httpx client to it."""

    def __init__(self, server: DemoServer) -> None:
        import httpx

        self.server = server
        self.http = httpx.Client(base_url=server.url, timeout=60)

    def post(self, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
        return self.http.post(path, json=body, headers=KEY if headers is None else headers)

    def data(self, path: str, body: Any) -> Any:
        """POST, insist on 200 and a body the strict spec accepts, return `data`."""
        response = self.post(path, body)
        assert response.status_code == 200, response.text
        payload = response.json()
        assert_matches_spec(path, payload)
        assert payload["error"] is None, payload
        return payload["data"]

    def close(self) -> None:
        self.http.close()


@functools.cache
def _spec() -> dict[str, Any]:
    import yaml

    return yaml.safe_load(SPEC.read_text())


def spec_validator(schema_name: str) -> Any:
    """An OpenAPI 3.0 validator for one component schema of the project's strict spec."""
    from openapi_schema_validator import OAS30Validator

    spec = _spec()
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": spec["components"]}
    return OAS30Validator(schema)


def assert_matches_spec(path: str, payload: Any) -> None:
    errors = list(spec_validator(RESPONSE_SCHEMAS[path]).iter_errors(payload))
    assert not errors, f"{path}: {errors[0].message} in {str(payload)[:300]}"
