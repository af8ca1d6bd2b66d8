"""The Scores tab under a breakdown, against the demo server (seed 1, clock fixed): by
prompt_version over 14 days the accuracy drop is on v4's line only; the bucket cursor shows every
value's number; `k` cycles the score key; the table has a column group per value; `enter` drills
into the bucket AND the value's condition; a value whose request fails (a small real proxy on
127.0.0.1 that fails it) shows its error on its line while the others stay; changing the
breakdown asks again."""

from __future__ import annotations

import json

from app_servers import RecordingProxy, _ProxyHandler, _Server
from apptools import SCORES, make_app, requests_to, scores_ready, screen_text, wait_for


def split_answer(tab):
    from tui.screens.scores_split import ScoresSplitAnswer

    answer = tab.answer
    return answer if isinstance(answer, ScoresSplitAnswer) else None


async def split_ready(pilot, app, dimension: str):
    tab = app.screen.query_one("#scores-tab")
    await wait_for(pilot, lambda: split_answer(tab) is not None
                   and split_answer(tab).dimension == dimension)
    await scores_ready(pilot, app)
    return tab, split_answer(tab)


def accuracy(answer, value: str) -> list[float]:
    part = next(p for p in answer.parts if p.value == value)
    return [v for v in part.values.get("accuracy", ()) if v is not None]


def legend_line(app) -> str:
    return next(line for line in screen_text(app).splitlines() if "■" in line)


async def test_by_prompt_version_the_accuracy_drop_is_on_v4s_line_only(demo_url: str) -> None:
    app = make_app(demo_url, since="14d", tab="scores")
    async with app.run_test(size=(120, 36)) as pilot:
        await scores_ready(pilot, app)
        await pilot.press("b", *"prompt", "down", "down", "enter")  # prompt_id, prompt_version
        tab, answer = await split_ready(pilot, app, "prompt_version")
        assert app.screen.context.breakdown == "prompt_version"
        assert "by prompt_version" in screen_text(app).splitlines()[1]  # the header
        assert tab.shown_key(answer) == "accuracy"  # the first numeric key
        text = screen_text(app)
        assert "accuracy by prompt_version, average per bucket" in text
        labels = [p.label for p in answer.parts]
        assert {"v3", "v4"} <= set(labels)
        assert all(f"■ {label}" in legend_line(app) for label in labels)
        assert min(accuracy(answer, "v3")) > 80
        assert accuracy(answer, "v4") and max(accuracy(answer, "v4")) < 65
        assert all(not accuracy(answer, p.value) for p in answer.parts
                   if p.value not in ("v3", "v4"))  # only support-reply's versions have one
        # The bucket cursor on a bucket where both versions ran: both numbers in the legend.
        both = [i for i in range(len(answer.buckets))
                if answer.value_at(answer.parts[labels.index("v3")], "accuracy", i) is not None
                and answer.value_at(answer.parts[labels.index("v4")], "accuracy", i) is not None]
        assert both
        await pilot.press("right", *["left"] * (len(answer.buckets) - 1 - both[-1]))
        await wait_for(pilot, lambda: tab.cursor == both[-1])
        line = legend_line(app)
        v3 = answer.display_value("accuracy", answer.value_at(answer.parts[labels.index("v3")],
                                                              "accuracy", both[-1]))
        v4 = answer.display_value("accuracy", answer.value_at(answer.parts[labels.index("v4")],
                                                              "accuracy", both[-1]))
        assert f"v3 {v3}" in line and f"v4 {v4}" in line and float(v4) < 65 < 80 < float(v3)
        # k: the next score key, split the same way.
        await pilot.press("k")
        await wait_for(pilot, lambda: tab.shown_key(answer) != "accuracy")
        assert f"{tab.shown_key(answer).removesuffix('-hcone-bool')} by prompt_version" in (
            screen_text(app))


async def test_enter_drills_into_the_bucket_and_the_values_condition(demo_url: str) -> None:
    app = make_app(demo_url, since="14d", tab="scores", breakdown="prompt_version")
    async with app.run_test(size=(120, 36)) as pilot:
        _tab, answer = await split_ready(pilot, app, "prompt_version")
        labels = [p.label for p in answer.parts]
        await pilot.press("right", *["down"] * labels.index("v4"))  # the value: v4
        await wait_for(pilot, lambda: "requests of v4" in screen_text(app))
        await pilot.press("enter")
        screen = app.screen
        await wait_for(pilot, lambda: "prompt_version = 'v4'" in screen.context.filter_text)
        await wait_for(pilot, lambda: screen.active_id == "requests")
        assert "drill:" in screen_text(app).splitlines()[1]
        await pilot.press("backspace")
        await wait_for(pilot, lambda: screen.active_id == "scores")
        assert screen.context.filter_text == "all"


async def test_the_table_has_a_column_group_per_value(demo_url: str) -> None:
    app = make_app(demo_url, since="14d", tab="scores", breakdown="prompt_version")
    async with app.run_test(size=(160, 40)) as pilot:
        tab, answer = await split_ready(pilot, app, "prompt_version")
        await pilot.press("t")
        table = tab.query_one("#scores-table")
        await wait_for(pilot, lambda: table.row_count == len(answer.buckets))
        titles = [str(c.label) for c in table.columns.values()]
        for part in answer.parts:  # every value, every key
            for key in ("accuracy", "relevance"):
                if key in answer.keys:
                    assert f"{part.label}\n{key} avg" in titles, titles
        assert len(titles) == 1 + len(answer.parts) * len(answer.keys)
        # enter on a cell: its bucket's requests of its column's value.
        v4 = [p.value for p in answer.parts].index("v4")
        await pilot.press(*["right"] * (1 + v4 * len(answer.keys)), "enter")
        screen = app.screen
        await wait_for(pilot, lambda: screen.active_id == "requests")
        assert "prompt_version = 'v4'" in screen.context.filter_text


class _FailV4(_ProxyHandler):
    """The demo server's answers, except a scores request for prompt_version v4: a 500."""

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self.path.endswith(SCORES) and b'"v4"' in raw:
            self._reply(500, json.dumps({"error": "v4 scores are unavailable"}).encode())
            return
        self._body = lambda: raw  # type: ignore[method-assign]  # already read
        super().do_POST()


class FailingProxy(RecordingProxy):
    def __init__(self, upstream: str) -> None:
        super().__init__(upstream)
        _Server.__init__(self, _FailV4)


async def test_a_failing_value_shows_its_error_and_the_others_stay(demo_url: str) -> None:
    with FailingProxy(demo_url) as proxy:
        app = make_app(proxy.url, since="14d", tab="scores", breakdown="prompt_version")
        async with app.run_test(size=(120, 36)) as pilot:
            _tab, answer = await split_ready(pilot, app, "prompt_version")
            failed = [p for p in answer.parts if p.error is not None]
            assert [p.value for p in failed] == ["v4"]
            assert "v4 scores are unavailable" in (failed[0].error or "")
            assert min(accuracy(answer, "v3")) > 80  # the other values are drawn
            line = legend_line(app)
            assert "v4 (failed:" in line and "■ v3" in line
            assert "1 failed" in screen_text(app)


async def test_a_new_breakdown_asks_again_and_none_clears_it(proxy: RecordingProxy) -> None:
    app = make_app(proxy.url, since="14d", tab="scores", breakdown="prompt_version")
    async with app.run_test(size=(120, 36)) as pilot:
        tab, answer = await split_ready(pilot, app, "prompt_version")
        asked = len(proxy.to(SCORES))
        assert asked == len(answer.parts)  # one scores request per value
        await pilot.press("b", *"provider", "enter")
        tab, answer = await split_ready(pilot, app, "provider")
        assert {"OPENAI", "ANTHROPIC"} <= {p.value for p in answer.parts}
        sent = await requests_to(pilot, proxy, SCORES, asked + len(answer.parts))
        assert all("provider" in json.dumps(r.body["userFilter"]) for r in sent[asked:])
        await pilot.press("b", *"none", "enter")
        await wait_for(pilot, lambda: app.screen.context.breakdown is None)
        await wait_for(pilot, lambda: tab.answer is not None and split_answer(tab) is None)
        await scores_ready(pilot, app)
        assert "by " not in screen_text(app).splitlines()[1]
        assert "Numeric scores, average per bucket" in screen_text(app)


async def test_export_under_a_breakdown_writes_its_series(
    demo_url: str, tmp_path, monkeypatch, capfd
) -> None:
    import csv

    monkeypatch.chdir(tmp_path)
    with FailingProxy(demo_url) as proxy:
        app = make_app(proxy.url, since="14d", tab="scores", breakdown="prompt_version")
        async with app.run_test(size=(120, 36)) as pilot:
            _tab, answer = await split_ready(pilot, app, "prompt_version")
            await pilot.press("x")
            await wait_for(pilot, lambda: type(app.screen).__name__ == "ExportDialog")
            await pilot.press("enter", "enter")  # CSV, under the proposed name
            await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
    written = (tmp_path / "helicone-scores-20261120-070000.csv").read_text()
    rows = list(csv.DictReader(written.splitlines()))
    assert list(rows[0]) == ["time", "series", "metric", "value"]
    v3 = [float(r["value"]) for r in rows if (r["series"], r["metric"]) == ("v3", "score:accuracy")]
    assert v3 == accuracy(answer, "v3")
    assert not [r for r in rows if r["series"] == "v4"]  # its request failed: nothing to write
    assert "v4" not in capfd.readouterr().err  # said in the notification, not over the screen
