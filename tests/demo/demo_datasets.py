"""Tiny hand-built data sets for the demo server's semantics tests.

Each scenario sits in its own time window so that its answers can be worked out by hand; the
expected values live in the tests, next to the reasoning.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

_NS = uuid.UUID("6f1c2a52-3c1e-4d4e-9a51-2b4a9e0c0d11")


def _rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []

    def row(ts: str, **fields: Any) -> None:
        base: dict[str, Any] = {
            "request_created_at": ts,
            "request_id": str(uuid.uuid5(_NS, str(len(rows)))),
            "model": "test-model",
            "provider": "OPENAI",
            "status": 200,
            "latency": 100,
            "cost": 1_000_000,
            "properties": {},
            "scores": {},
        }
        base.update(fields)
        rows.append(base)

    # 1. Average per bucket and fill rows (2024-03-01 .. 2024-03-03).
    row("2024-03-01T10:00:00Z", scores={"quality": 2})
    row("2024-03-01T11:00:00Z", scores={"quality": 5})
    row("2024-03-01T12:00:00Z")  # no scores: drops out of the average
    row("2024-03-03T00:00:00.000Z", scores={"quality": 7})  # exactly the window's end

    # 2. Time zone shift (2024-03-10).
    row("2024-03-10T03:00:00Z", scores={"tzs": 10})
    row("2024-03-10T06:00:00Z", scores={"tzs": 20})

    # 3. Window ends per endpoint (2024-04-01T00:00:00Z .. 2024-04-02T00:00:00Z).
    row("2024-04-01T00:00:00.000Z", scores={"edge": 1},
        properties={"Helicone-Session-Id": "edge-start"})
    row("2024-04-01T05:00:00Z", scores={"neg": -4}, properties={"Helicone-Session-Id": "edge-mid"})
    row("2024-04-01T05:30:00Z", scores={"neg": -2}, properties={"Helicone-Session-Id": "edge-mid"})
    row("2024-04-01T12:00:00Z", cost=2_500_000, properties={"Helicone-Session-Id": "edge-mid"})
    row("2024-04-02T00:00:00.000Z", scores={"edge": 3},
        properties={"Helicone-Session-Id": "edge-end"})

    # 4. Only the first field / operator of a leaf counts (2024-05-01).
    row("2024-05-01T01:00:00Z", model="alpha", latency=100, scores={"ff": 1})
    row("2024-05-01T02:00:00Z", model="beta", latency=5000, scores={"ff": 2})
    row("2024-05-01T03:00:00Z", model="gamma", latency=50, scores={"ff": 4},
        properties={"env": "x"})

    # 5. contains / like / ilike on text (2024-05-10).
    row("2024-05-10T01:00:00Z", user_id="Alice_Smith", scores={"txt": 1})
    row("2024-05-10T02:00:00Z", user_id="alice-jones", scores={"txt": 2})
    row("2024-05-10T03:00:00Z", user_id="MALICE", scores={"txt": 4})
    row("2024-05-10T04:00:00Z", user_id="bob", scores={"txt": 8})

    # 6. A missing property (2024-05-20).
    row("2024-05-20T01:00:00Z", properties={"env": "prod"}, scores={"mp": 1})
    row("2024-05-20T02:00:00Z", properties={"env": "dev"}, scores={"mp": 2})
    row("2024-05-20T03:00:00Z", properties={}, scores={"mp": 4})

    # 7. cost is filtered in USD, bound as a 32-bit integer after x1e9 (2024-05-25).
    row("2024-05-25T01:00:00Z", cost=500_000_000, scores={"cu": 1})
    row("2024-05-25T02:00:00Z", cost=1_500_000_000, scores={"cu": 2})
    row("2024-05-25T03:00:00Z", cost=2_500_000_000, scores={"cu": 4})

    # 8. histogram(10) worked examples (2024-06-01).
    for value in (0, 0, 0, 1):
        row("2024-06-01T01:00:00Z", scores={"hb-hcone-bool": value})
    for _ in range(3):
        row("2024-06-01T02:00:00Z", scores={"single": 5})

    # 9. Percentile trimming: sessions of 1, 2, 3, 4 and 10 requests (2024-07-01).
    for name, size in (("s-a", 1), ("s-b", 2), ("s-c", 3), ("s-d", 4), ("s-e", 10)):
        for i in range(size):
            row(f"2024-07-01T{1 + i:02d}:00:00Z", properties={"Helicone-Session-Id": name})

    # 10. The '' pseudo-session, exact session names, tags (2024-07-10).
    for hour in (1, 2, 3):
        row(f"2024-07-10T{hour:02d}:00:00Z")  # no session id
    for hour in (4, 5):
        row(f"2024-07-10T{hour:02d}:00:00Z", properties={
            "Helicone-Session-Id": "s-x", "Helicone-Session-Name": "Checkout"})

    # 11. Special values for plain columns (2024-08-01).
    row("2024-08-01T01:00:00Z", country_code=None, scores={"sv": 1})
    row("2024-08-01T02:00:00Z", country_code="US", scores={"sv": 2})
    row("2024-08-01T03:00:00Z", country_code="", scores={"sv": 4})

    # 12. helicone-score-feedback = false also matches unscored requests (2024-08-05).
    row("2024-08-05T01:00:00Z", scores={"helicone-score-feedback": 1, "fbx": 1})
    row("2024-08-05T02:00:00Z", scores={"helicone-score-feedback": 0, "fbx": 2})
    row("2024-08-05T03:00:00Z", scores={"fbx": 4})

    # 13. cached = a non-zero cache_reference_id (2024-08-10).
    row("2024-08-10T01:00:00Z", scores={"ck": 1},
        cache_reference_id="00000000-0000-0000-0000-000000000000")
    row("2024-08-10T02:00:00Z", scores={"ck": 2},
        cache_reference_id="11111111-1111-4111-8111-111111111111")
    return rows


TAGS: list[dict[str, Any]] = [
    {"organization_id": "", "entity_type": "session", "entity_id": "s-x", "tag": "VIP",
     "created_at": "2024-07-10 00:00:00"},
]


def write_semantics(folder: Path) -> Path:
    """Write the data set (and its tags beside it); returns the data file."""
    path = folder / "semantics.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _rows()))
    (folder / "semantics.tags.jsonl").write_text("".join(json.dumps(t) + "\n" for t in TAGS))
    return path


#: Every score name in the data set, in the order the evals endpoint lists them (byte order).
SCORE_NAMES = sorted({k for r in _rows() for k in r["scores"]})
