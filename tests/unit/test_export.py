"""--format json, csv and table for each endpoint, on answers shaped as Helicone sends them."""

from __future__ import annotations

import csv
import io
import json
from zoneinfo import ZoneInfo

import pytest

from tui.api.models import EvalsResponse, SessionMetricsResponse
from tui.format import export
from tui.format.export_sessions import sessions_note

NEW_YORK = ZoneInfo("America/New_York")

# The reference example response of /v1/evals/query (Helicone's docs).
EVALS_REFERENCE = {
    "data": [{
        "name": "accuracy", "averageScore": 0.85, "minScore": 0.65, "maxScore": 0.98,
        "count": 150,
        "overTime": [{"date": "2024-01-01", "count": 10}, {"date": "2024-01-02", "count": 15}],
        "averageOverTime": [
            {"date": "2024-01-01", "value": 0.82}, {"date": "2024-01-02", "value": 0.87},
        ],
    }],
    "error": None,
}

# Scores as WITH FILL returns them: an empty bucket is one filler row (score_key "", 0).
SCORES = [
    {"created_at_trunc": "2026-11-20T05:00:00.000Z", "score_key": "accuracy", "score_sum": 81.5},
    {"created_at_trunc": "2026-11-20T05:00:00.000Z", "score_key": "helpful-hcone-bool",
     "score_sum": 0.75},
    {"created_at_trunc": "2026-11-20T06:00:00.000Z", "score_key": "", "score_sum": 0},
    {"created_at_trunc": "2026-11-20T07:00:00.000Z", "score_key": "accuracy", "score_sum": 79},
]

# Evals as Helicone computes them: a name with no data in the window has averageScore null.
EVALS_QUIRKS = [
    {"name": "accuracy", "averageScore": 0.5, "minScore": 0, "maxScore": 5, "count": 20,
     "overTime": [{"date": "2026-11-20T05:00:00.000Z", "count": 10},
                  {"date": "2026-11-20T06:00:00.000Z", "count": 0},
                  {"date": "2026-11-20T07:00:00.000Z", "count": 10}],
     "averageOverTime": [{"date": "2026-11-20T05:00:00.000Z", "value": 5},
                         {"date": "2026-11-20T06:00:00.000Z", "value": 0},
                         {"date": "2026-11-20T07:00:00.000Z", "value": 5}]},
    {"name": "old-score", "averageScore": None, "minScore": 0, "maxScore": 0, "count": 0,
     "overTime": [{"date": "2026-11-20T05:00:00.000Z", "count": 0}],
     "averageOverTime": [{"date": "2026-11-20T05:00:00.000Z", "value": 0}]},
]

DISTRIBUTIONS = [
    {"name": "helpful-hcone-bool", "distribution": [
        {"lower": 0, "upper": 0.5, "value": 2.75}, {"lower": 0.5, "upper": 1, "value": 1.25},
    ]},
    {"name": "accuracy", "distribution": [{"lower": 80, "upper": 80, "value": 3}]},
]

SESSIONS = {
    "session_count": [
        {"range_start": "1", "range_end": "2.5", "value": 10.25},
        {"range_start": "2.5", "range_end": "4", "value": 3.75},
    ],
    "session_duration": [],
    "session_cost": [{"range_start": "1e-7", "range_end": "0.00012", "value": 4}],
    "average": {
        "session_cost": [{"average": 0.00004}],
        "session_duration": [{"average": None}],
        "session_count": [{"average": 2.2}],
    },
}


def render(endpoint: str, data: object, fmt: str, **kwargs: object) -> str:
    out = io.StringIO()
    export.write(endpoint, data, fmt, out, **kwargs)  # type: ignore[arg-type]
    return out.getvalue()


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


# --------------------------------------------------------------------------- csv


def test_scores_csv_drops_filler_rows() -> None:
    assert rows(render("scores", SCORES, "csv")) == [
        ["created_at_trunc", "score_key", "score_sum"],
        ["2026-11-20T05:00:00.000Z", "accuracy", "81.5"],
        ["2026-11-20T05:00:00.000Z", "helpful-hcone-bool", "0.75"],
        ["2026-11-20T07:00:00.000Z", "accuracy", "79"],
    ]


def test_evals_csv_on_the_reference_example() -> None:
    data = EvalsResponse.model_validate(EVALS_REFERENCE).data
    assert rows(render("evals", data, "csv")) == [
        ["name", "average_score", "true_mean", "min_score", "max_score", "count"],
        # true mean = (0.82 x 10 + 0.87 x 15) / 25
        ["accuracy", "0.85", "0.85", "0.65", "0.98", "150"],
    ]


def test_evals_csv_true_mean_differs_from_helicones_average_and_blanks_no_data() -> None:
    assert rows(render("evals", EVALS_QUIRKS, "csv"))[1:] == [
        # Helicone: (5 + 0 + 5) / 20 = 0.5; the true mean is 5.
        ["accuracy", "0.5", "5", "0", "5", "20"],
        ["old-score", "", "", "0", "0", "0"],
    ]


def test_distributions_csv_one_row_per_bin() -> None:
    assert rows(render("distributions", DISTRIBUTIONS, "csv")) == [
        ["name", "lower", "upper", "value"],
        ["helpful-hcone-bool", "0", "0.5", "2.75"],
        ["helpful-hcone-bool", "0.5", "1", "1.25"],
        ["accuracy", "80", "80", "3"],
    ]


def test_sessions_csv_keeps_range_strings_and_adds_averages() -> None:
    assert rows(render("sessions", SESSIONS, "csv")) == [
        ["metric", "range_start", "range_end", "value"],
        ["session_count", "1", "2.5", "10.25"],
        ["session_count", "2.5", "4", "3.75"],
        ["session_cost", "1e-7", "0.00012", "4"],
        ["average_session_count", "", "", "2.2"],
        ["average_session_duration", "", "", ""],
        ["average_session_cost", "", "", "4e-05"],
    ]


# --------------------------------------------------------------------------- json


def test_json_is_the_data_unchanged() -> None:
    raw = EVALS_REFERENCE["data"]
    data = EvalsResponse.model_validate(EVALS_REFERENCE).data
    text = render("evals", data, "json", raw=raw)
    assert json.loads(text) == raw
    assert '"count": 150,' in text and text.startswith("[\n  {")


def test_json_without_raw_serialises_the_models_in_wire_form() -> None:
    data = SessionMetricsResponse.model_validate({"data": SESSIONS, "error": None}).data
    out = json.loads(render("sessions", data, "json"))
    assert out["session_cost"][0]["range_start"] == "1e-7"
    assert out["average"]["session_duration"] == [{"average": None}]
    evals = json.loads(render("evals", EVALS_QUIRKS, "json"))
    assert evals[1]["averageScore"] is None and "averageOverTime" in evals[0]


# --------------------------------------------------------------------------- table


def test_scores_table_local_times_zone_named_gaps_shown() -> None:
    text = render("scores", SCORES, "table", tz=NEW_YORK)
    lines = text.splitlines()
    assert lines[0].split() == [
        "bucket", "start", "(America/New_York)", "accuracy", "helpful-hcone-bool",
    ]
    assert "2026-11-20 00:00 EST" in lines[2] and "81.5" in lines[2] and "0.75" in lines[2]
    # The filler bucket is a gap, not a zero.
    empty = next(line for line in lines if "01:00 EST" in line)
    assert "0" not in empty.replace("2026-11-20 01:00", "") and "–" in empty
    assert "average score per bucket" in text


def test_scores_table_with_no_data() -> None:
    filler = [{"created_at_trunc": "2026-11-20T05:00:00.000Z", "score_key": "", "score_sum": 0}]
    assert "no scores in this range" in render("scores", filler, "table", tz=NEW_YORK)


def test_evals_table_labels_helicones_quirks() -> None:
    text = render("evals", EVALS_QUIRKS, "table")
    header = text.splitlines()[0]
    assert header.split() == ["name", "count", "mean", "Helicone", "avg", "min*", "max*"]
    accuracy = next(line for line in text.splitlines() if line.startswith("accuracy"))
    assert accuracy.split() == ["accuracy", "20", "5", "0.5", "0", "5"]
    assert "no data" in next(line for line in text.splitlines() if line.startswith("old-score"))
    assert "clamped toward 0 by empty hours" in text


def test_distributions_table_says_bins_are_estimates() -> None:
    text = render("distributions", DISTRIBUTIONS, "table")
    assert "2.75" in text and "helpful-hcone-bool" in text
    assert "adaptive, unequal widths" in text and "total is exact" in text


def test_sessions_table_sections_and_note() -> None:
    note = sessions_note("p95", True)
    text = render("sessions", SESSIONS, "table", note=note)
    assert "requests per session: average 2.2 requests / session" in text
    assert "session duration (s): average no data" in text
    assert "no sessions in this range" in text  # duration histogram is empty
    assert "1e-07" in text or "1e-7" in text
    assert "histograms trimmed at p95 (interquartile: p5..p95)" in text


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render("scores", SCORES, "xml")
