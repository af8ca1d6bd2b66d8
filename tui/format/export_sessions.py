"""What the session metrics are, in words: each metric with its unit, and the note under them
(DESIGN.md "Honest numbers"). One definition, read by the CSV and table writers here and by the
sessions view in tui/query (its note, from the options as sent)."""

from __future__ import annotations

#: Session metrics in the order they are written, with what their numbers are.
SESSION_METRICS: tuple[tuple[str, str, str], ...] = (
    ("session_count", "requests per session", "requests / session"),
    ("session_duration", "session duration (s)", "seconds / session"),
    ("session_cost", "session cost (USD)", "USD / session"),
)

#: Helicone's lower percentile for each p_size with `use_interquartile`.
_LOWER = {"p50": "p50", "p75": "p25", "p95": "p5", "p99": "p1", "p99.9": "p0.1"}


def sessions_note(p_size: str | None, interquartile: bool | None) -> str:
    """What the sessions histograms are, for the given options (p75 when none was sent)."""
    level = p_size or "p75"
    band = f" (interquartile: {_LOWER.get(level, '')}..{level})" if interquartile else ""
    return _note(level + band)


def _note(trimmed_at: str) -> str:
    return (
        f"histograms trimmed at {trimmed_at}; averages over all sessions; "
        "session counts are smoothed estimates"
    )


#: The note when the options are not known (a writer given only the answer).
SESSIONS_NOTE = _note("the chosen percentile (p75 unless set)")
