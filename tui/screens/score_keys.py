"""The score keys the filter editor offers as type-ahead, gathered from the tabs' last answers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tui.safe import is_safe

FEEDBACK_KEY = "helicone-score-feedback"  # a field of its own, not a `scores.` key


def known_score_keys(tabs: Iterable[Any]) -> list[str]:
    """Score keys from the tabs' last answers (Scores' series, Evals' names), for type-ahead."""
    found: dict[str, None] = {}
    for tab in tabs:
        answer = getattr(tab, "answer", None)
        keys = getattr(answer, "keys", None)
        if isinstance(keys, tuple | list):
            found.update(dict.fromkeys(k for k in keys if isinstance(k, str)))
        for row in getattr(answer, "rows", None) or ():
            name = getattr(row, "name", None)
            if isinstance(name, str):
                found[name] = None
    found.pop(FEEDBACK_KEY, None)
    found.pop("", None)
    # A suggestion is drawn raw in the input: a key with control characters is not offered
    # (it can still be typed, with the filter language's \x escapes).
    return sorted((k for k in found if is_safe(k)), key=str.lower)
