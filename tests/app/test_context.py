"""The header's target label and the investigation context (pure)."""

from __future__ import annotations

from tui.api.timerange import TimeRange
from tui.context import Investigation, Target
from tui.filters.tree import ALL

KEY = "sk-helicone-abcdefgh-1234"


def test_target_labels_say_where_requests_go_and_never_show_the_key() -> None:
    assert Target("https://api.helicone.ai", KEY).label == "US"
    assert Target("https://eu.api.helicone.ai/", KEY).label == "EU"
    assert Target("http://127.0.0.1:8585", KEY, demo=True).label == "DEMO"
    assert Target("https://helicone.example.com/jawn", KEY).label == "helicone.example.com/jawn"
    assert KEY not in repr(Target("https://api.helicone.ai", KEY))


def test_a_refresh_makes_every_answer_stale_without_changing_the_question() -> None:
    ctx = Investigation(ALL, TimeRange.since("24h"))
    again = ctx.refreshed()
    assert again.key != ctx.key
    assert (again.filter_text, again.time_range) == (ctx.filter_text, ctx.time_range)
    assert ctx.with_range(TimeRange.since("7d")).key != ctx.key
