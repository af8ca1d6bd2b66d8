"""What the answer writer prints is terminal-safe (issue 12, item 2): a `table` shows the
server's control characters as escapes, JSON escapes them and reads back to the same values, CSV
keeps the raw values in a file and makes them visible only on a terminal."""

from __future__ import annotations

import csv
import io
import json
import os
from zoneinfo import ZoneInfo

import pytest

from tui.format import export
from tui.safe import visible

NEW_YORK = ZoneInfo("America/New_York")
#: Sets the title, clears the screen, a C1 CSI, a bidi override, DEL, a newline in a name.
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b\u202eevil\x7f\nsecond line"
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\x7f")


def _eval(name: str) -> dict:
    return {
        "name": name, "averageScore": 0.5, "minScore": 0.1, "maxScore": 0.9, "count": 4,
        "overTime": [{"date": "2026-11-20T10:00:00.000Z", "count": 4}],
        "averageOverTime": [{"date": "2026-11-20T10:00:00.000Z", "value": 0.5}],
    }


ANSWERS = {
    "scores": [
        {"created_at_trunc": "2026-11-20T05:00:00.000Z", "score_key": HOSTILE, "score_sum": 1.5},
        {"created_at_trunc": "2026-11-20T05:00:00.000Z", "score_key": "plain", "score_sum": 2},
    ],
    "evals": [_eval(HOSTILE), _eval("plain")],
    "distributions": [
        {"name": HOSTILE, "distribution": [{"lower": 0, "upper": 1, "value": 3}]},
    ],
    "sessions": {
        "session_count": [{"range_start": HOSTILE, "range_end": "2", "value": 3}],
        "session_duration": [], "session_cost": [],
        "average": {"session_cost": [], "session_duration": [], "session_count": []},
    },
}


def _write(endpoint: str, fmt: str, out=None, **kw) -> str:
    out = out if out is not None else io.StringIO()
    export.write(endpoint, ANSWERS[endpoint], fmt, out, tz=NEW_YORK, **kw)
    return out.getvalue() if isinstance(out, io.StringIO) else ""


@pytest.mark.parametrize("endpoint", list(ANSWERS))
def test_a_table_shows_control_characters_as_escapes_one_line_per_row(endpoint: str) -> None:
    text = _write(endpoint, "table", note=f"note {HOSTILE}")
    for raw in RAW:
        assert raw not in text, (raw, text)
    assert visible(HOSTILE) in text  # what was sent, readable: \x1b]0;pwned\x07...
    assert f"note {visible(HOSTILE, block=True)}" in text  # a note may have lines
    # A cell holding the hostile text stays on its row: its newline is an escape too.
    assert f"{visible(HOSTILE)}" in text.split("note ")[0]


def test_table_columns_line_up_with_the_escaped_text() -> None:
    lines = _write("evals", "table").splitlines()
    _header, rule, first, second = lines[:4]
    # The name column is as wide as the name as printed, so the numbers line up under it.
    assert len(rule.split("  ")[0]) == len(visible(HOSTILE))
    assert first.startswith(visible(HOSTILE)) and second.startswith("plain")
    assert len(first) == len(second)  # right-aligned numbers end in the same column


@pytest.mark.parametrize("endpoint", list(ANSWERS))
def test_json_escapes_control_characters_and_reads_back_the_same_values(endpoint: str) -> None:
    raw = ANSWERS[endpoint]
    text = _write(endpoint, "json", raw=raw)
    for char in RAW:
        assert char not in text, (char, text)
    assert "\\u001b" in text and "\\u009b" in text and "\\u202e" in text
    assert json.loads(text) == raw  # the very values: a reader sees no difference


def test_json_with_a_lone_surrogate_is_valid_json_and_printable() -> None:
    raw = [dict(ANSWERS["scores"][0], score_key="bad \ud800 key")]
    out = io.StringIO()
    export.write("scores", raw, "json", out, raw=raw)
    text = out.getvalue()
    text.encode("utf-8")  # no UnicodeEncodeError on a UTF-8 stdout
    assert json.loads(text) == raw


def test_csv_to_a_file_keeps_the_raw_values() -> None:
    text = _write("evals", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["name"] == HOSTILE  # a file or a pipe gets the data as the server sent it


def test_csv_straight_to_a_terminal_makes_control_characters_visible() -> None:
    leader, follower = os.openpty()
    try:
        with open(follower, "w", encoding="utf-8", closefd=False) as terminal:
            assert terminal.isatty()
            export.write("evals", ANSWERS["evals"], "csv", terminal)
        os.set_blocking(leader, False)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except BlockingIOError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
        os.close(follower)
    text = shown.decode("utf-8")
    for raw in RAW:
        assert raw not in text, (raw, text)
    assert "\\x1b]0;pwned\\x07" in text
