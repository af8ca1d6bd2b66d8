"""Secret detection for presets: a preset never stores an API key (DESIGN.md, "Presets file").

A key-like setting name or a value that looks like a Helicone key (or the key in the environment)
is refused when saved and reported, never echoed, when read.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from typing import Any

# Key names that mean a credential: `key`, `api_key`, `api-key`, `apikey`, `helicone_api_key`,
# `token`, `access_token`, `authorization`, `secret`, `password`...
_SECRET_KEY_RE = re.compile(
    r"(?:^|[_.-])(?:api[_-]?key|apikey|key|keys|token|tokens|authorization|auth|bearer|secret|"
    r"secrets|password|passwd)$",
    re.IGNORECASE,
)
# Helicone's keys start sk-, pk- (then helicone-, and eu- for the EU region).
_SECRET_VALUE_RE = re.compile(r"\b[sp]k-helicone-[A-Za-z0-9-]{6,}")


def is_secret_key(key: str) -> bool:
    """True for key names that mean a credential (api_key, token, authorization...)."""
    return bool(_SECRET_KEY_RE.search(key))


def looks_secret(value: str) -> bool:
    if _SECRET_VALUE_RE.search(value):
        return True
    current = os.environ.get("HELICONE_API_KEY", "").strip()
    return len(current) >= 8 and current in value


def secret_paths(value: Any, prefix: str = "") -> Iterator[str]:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if is_secret_key(str(key)):
                yield path
            else:
                yield from secret_paths(inner, path)
    elif isinstance(value, list):
        for inner in value:
            yield from secret_paths(inner, prefix)
