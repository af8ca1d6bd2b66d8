"""The Overview split by a breakdown, against the demo server (seed 1, now 2026-11-20T12:00Z, last
7 days, daily buckets) through small real servers on 127.0.0.1: the error burst (Nov 15) is on
gpt-4o-mini's line only, the latency spike (Nov 18) on ANTHROPIC's only; a value whose request
fails keeps the others; the requests sent are bounded and never more than 6 in flight; changing
the breakdown cancels the old fan-out's requests; the table has a column group per value; and
enter from a split chart drills into the picked value's requests."""

from __future__ import annotations

import json
import select
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from app_servers import Recorded, RecordingProxy, _ProxyHandler
from apptools import make_app, screen_text, wait_for

from tui.query import breakdown as bd
from tui.query.overview_split import FANOUT_METRICS, SplitPanel

BURST_DAY = "2026-11-15"  # the error burst, 10:00-13:00 UTC (a local EST day too)
SPIKE_DAY = "2026-11-18"  # the latency spike


async def split_drawn(pilot, app, timeout: float = 90.0):
    """The Overview tab with every panel in and every chart in view drawn."""
    await wait_for(pilot, lambda: bool(app.screen.query("#overview-tab")))
    tab = app.screen.query_one("#overview-tab")
    await wait_for(pilot, lambda: tab.status in ("ready", "empty", "error"), timeout)
    await wait_for(pilot, tab.drawn_in_view, timeout)
    return tab


def day_index(panel: SplitPanel, day: str) -> int:
    return next(i for i, b in enumerate(panel.buckets) if b.astimezone().strftime("%Y-%m-%d")
                == day)


def line(panel: SplitPanel, label: str):
    return next(x for x in panel.lines if x.label == label)


# --------------------------------------------------------------------------- small servers


class _Handler(_ProxyHandler):
    """The recording proxy, plus: a count of the requests in flight (the most at once), chosen
    requests answered 500, and chosen ones held until the client hangs up (or `hold` s)."""

    def do_POST(self) -> None:
        proxy: SplitProxy = self.server.owner  # type: ignore[attr-defined]
        with proxy.lock:
            proxy.in_flight += 1
            proxy.most = max(proxy.most, proxy.in_flight)
        try:
            self._serve(proxy)
        finally:
            with proxy.lock:
                proxy.in_flight -= 1

    def _serve(self, proxy: SplitProxy) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        text = raw.decode()
        if proxy.fail_path and self.path.endswith(proxy.fail_path) and proxy.fail_text in text:
            proxy.record(Recorded(self.path, json.loads(raw or b"null"), True))
            self._reply(500, json.dumps({"data": None, "error": "value exploded (test)"})
                        .encode())
            return
        if proxy.holding and proxy.hold_text in text and self._held_until_hangup(proxy):
            with proxy.lock:
                proxy.hung_up += 1
            return
        self._raw = raw  # the forwarding below reads the body again
        super().do_POST()

    def _body(self) -> bytes:
        return self._raw

    def _held_until_hangup(self, proxy: SplitProxy) -> bool:
        """Wait up to `hold` s; True when the client closed the connection meanwhile."""
        with proxy.lock:
            proxy.held += 1
        deadline = time.monotonic() + proxy.hold
        while time.monotonic() < deadline and not proxy.stopping.is_set():
            readable, _, _ = select.select([self.connection], [], [], 0.05)
            if readable:
                try:
                    if self.connection.recv(1, socket.MSG_PEEK) == b"":
                        return True
                except OSError:
                    return True
        return False


class SplitProxy(RecordingProxy):
    def __init__(self, upstream: str) -> None:
        super().__init__(upstream)
        self.httpd.RequestHandlerClass = _Handler
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most = 0
        self.fail_path = ""
        self.fail_text = ""
        self.holding = False
        self.hold_text = ""
        self.hold = 20.0
        self.held = 0
        self.hung_up = 0


@pytest.fixture
def split_proxy(demo_url: str) -> Iterator[SplitProxy]:
    with SplitProxy(demo_url) as server:
        yield server  # type: ignore[misc]


# --------------------------------------------------------------------------- the incidents


async def test_by_model_the_error_burst_is_on_gpt_4o_mini_only(
    split_proxy: SplitProxy,
) -> None:
    app = make_app(split_proxy.url, since="7d", breakdown="model", tab="overview")
    async with app.run_test(size=(120, 40)) as pilot:
        tab = await split_drawn(pilot, app)
        errors = tab.panels["errors"][0]
        assert isinstance(errors, SplitPanel)
        labels = [x.label for x in errors.lines]
        assert labels[0] == "gpt-4o-mini" and labels[-1] == "(other)" and len(labels) == 7
        day = day_index(errors, BURST_DAY)
        assert line(errors, "gpt-4o-mini").values[day] > 20.0
        assert all(x.values[day] < 10.0 for x in errors.lines if x.label != "gpt-4o-mini")
        # Every chart is split; latency has no "(other)" (a p95 of unknown groups).
        for name in ("status", "latency", "cost", "ttft"):
            assert isinstance(tab.panels[name][0], SplitPanel)
        assert "(other)" not in [x.label for x in tab.panels["latency"][0].lines]
        text = screen_text(app)
        assert "by model: 6 values + other, top by requests" in text
        assert "Error rate % by model" in text and "the strip: unsplit totals" in text
        # m on the error chart: the cursor on the burst, gpt-4o-mini picked; the legend shows
        # every value's number at that bucket.
        await pilot.press("down")
        await wait_for(pilot, lambda: tab.first == 1)
        await pilot.press("m")
        await wait_for(pilot, lambda: tab.cursor == day and tab.selected == "gpt-4o-mini")
        await pilot.pause(0.2)
        legend = tab.query_one("#ov-errors-legend").render().plain.replace("\u00a0", " ")
        assert "▶■ gpt-4o-mini " in legend
        for x in errors.lines:
            assert f"{x.label} {x.values[day]:.1f}% n={x.n[day]}" in legend


async def test_by_provider_the_latency_spike_is_on_anthropic_only(
    split_proxy: SplitProxy,
) -> None:
    app = make_app(split_proxy.url, since="7d", breakdown="provider", tab="overview")
    async with app.run_test(size=(120, 40)) as pilot:
        tab = await split_drawn(pilot, app)
        latency = tab.panels["latency"][0]
        day = day_index(latency, SPIKE_DAY)
        for x in latency.lines:
            others = [v for i, v in enumerate(x.values) if i != day and v is not None]
            typical = sorted(others)[len(others) // 2]
            if x.label == "ANTHROPIC":
                assert x.values[day] > 2 * typical
            else:
                assert x.values[day] < 1.5 * typical, x.label
        assert "ANTHROPIC" in [x.label for x in latency.lines]
        # Provider has no ranking endpoint: the info line says the ranking was sampled.
        assert "top by requests in a random sample of 1000" in screen_text(app)


# --------------------------------------------------------------------------- failures, bounds


async def test_a_failing_value_keeps_the_other_series_and_says_so_on_its_own(
    split_proxy: SplitProxy, tmp_path,
) -> None:
    split_proxy.fail_path = "/v1/metrics/quantiles"
    split_proxy.fail_text = '"gpt-4o"'  # gpt-4o's p95 only (not gpt-4o-mini's)
    app = make_app(split_proxy.url, since="7d", breakdown="model", tab="overview")
    async with app.run_test(size=(120, 40)) as pilot:
        tab = await split_drawn(pilot, app)
        await pilot.press("down", "down")  # the latency chart on top
        await wait_for(pilot, lambda: tab.first == 2)
        await wait_for(pilot, tab.drawn_in_view)
        latency = tab.panels["latency"][0]
        failed = line(latency, "gpt-4o")
        assert failed.error and "value exploded (test)" in failed.error
        kept = [x for x in latency.lines if x.label != "gpt-4o"]
        assert len(kept) == 5 and all(x.error is None and any(x.values) for x in kept)
        box = tab.query_one("#ov-latency")
        assert box.query_one("TimeChart").display  # the chart still draws the others
        text = screen_text(app)
        assert "gpt-4o failed" in text.replace("\u00a0", " ")
        assert "gpt-4o: failed:" in text and "value exploded (test)" in text
        # The other charts of gpt-4o are whole.
        assert line(tab.panels["errors"][0], "gpt-4o").error is None
        # x writes the split series (the failed one with its error), c the ranking's curl.
        from tui.screens.answer_io import ExportRequest

        path = tmp_path / "split.json"
        said = tab.export_write()(ExportRequest(path, "json"))
        assert "breakdown's series by model" in said
        written = json.loads(path.read_text())
        assert written["dimension"] == "model" and written["top"]["values"][0]["value"] == \
            "gpt-4o-mini"
        p95 = {(x["label"], x["metric"]): x for x in written["series"]}
        assert "value exploded (test)" in p95[("gpt-4o", "latency_p95")]["error"]
        assert p95[("gpt-4o-mini", "latency_p95")]["error"] is None
        curl = tab.curl_text(split_proxy.url)
        assert "# the breakdown's ranking" in curl and "/v1/metrics/models" in curl


async def test_the_requests_sent_are_bounded_and_at_most_6_in_flight(
    no_findings: None, split_proxy: SplitProxy,
) -> None:
    app = make_app(split_proxy.url, since="7d", breakdown="model", tab="overview")
    async with app.run_test(size=(120, 40)) as pilot:
        tab = await split_drawn(pilot, app)
        split = tab.answer.split
        bound = bd.breakdown_count("overview", "model", 6, other=True, metrics=FANOUT_METRICS)
        assert split.requests_sent <= bound
        # Every request that reached the server: the unsplit strip and models, the breakdown.
        unsplit = len(tab.answer.plan.parts)
        assert len(split_proxy.requests) == unsplit + split.requests_sent
        assert split.requests_sent == bound  # 6 values and "(other)": all of it
        models = [r for r in split_proxy.requests if r.path.endswith("/v1/metrics/models")]
        assert len(models) == 2  # the ranking and the models table
        assert 2 <= split_proxy.most <= 6


async def test_changing_the_breakdown_cancels_the_old_fan_out(
    split_proxy: SplitProxy,
) -> None:
    """The by-model fan-out is held by the server; setting the breakdown to provider makes the
    tab ask again, and the held requests are hung up by the client (cancelled), not left to
    finish: the provider answer arrives long before they would have."""
    split_proxy.holding = True
    split_proxy.hold_text = '"model"'  # the model values' requests (not the ranking's)
    app = make_app(split_proxy.url, since="7d", breakdown="model", tab="overview")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#overview-tab")))
        tab = app.screen.query_one("#overview-tab")
        await wait_for(pilot, lambda: split_proxy.held >= 6, 60)
        held = split_proxy.held
        split_proxy.holding = False
        started = time.monotonic()
        app.screen.context = app.screen.context.with_breakdown("provider")
        await wait_for(pilot, lambda: split_proxy.hung_up >= min(held, 6), 10)
        tab = await split_drawn(pilot, app)
        assert time.monotonic() - started < split_proxy.hold
        assert split_proxy.most <= 6
        assert tab.panels["status"][0].dimension == "provider"
        assert "ANTHROPIC" in [x.label for x in tab.panels["status"][0].lines]


async def test_the_legends_list_the_values_while_their_lines_come_and_nothing_moves(
    split_proxy: SplitProxy,
) -> None:
    """The ranking in, the fan-out held by the server: each chart in view already lists the
    values (the lines' colours, "loading…") under the split's title; when the lines come, no
    legend or chart changes size (the screen is not laid out again under the plots)."""
    split_proxy.holding = True
    split_proxy.hold_text = '"model"'  # the model values' requests (not the ranking's)
    split_proxy.hold = 1.5
    app = make_app(split_proxy.url, since="7d", breakdown="model", tab="overview")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#overview-tab")))
        tab = app.screen.query_one("#overview-tab")
        await wait_for(pilot, lambda: split_proxy.held >= 6, 60)
        await pilot.pause(0.3)
        assert tab._split_panel() is None  # no line yet
        text = screen_text(app).replace("\u00a0", " ")
        assert "Requests per bucket by model  loading…  ■ gpt-4o-mini" in text
        assert "(other)" in text and "Error rate % by model" in text
        boxes = [b for b in tab.query("PanelBox") if b.display and b.panel != "models"]
        sizes = [(b.query_one("SplitLegend").size, b.query_one("TimeChart").size)
                 for b in boxes]
        split_proxy.holding = False
        tab = await split_drawn(pilot, app)
        assert isinstance(tab.panels["status"][0], SplitPanel)
        assert "loading…" not in screen_text(app)
        assert [(b.query_one("SplitLegend").size, b.query_one("TimeChart").size)
                for b in boxes] == sizes


# --------------------------------------------------------------------------- table, drill


async def test_the_table_has_a_column_group_per_value_and_scrolls_at_80_columns(
    split_proxy: SplitProxy,
) -> None:
    app = make_app(split_proxy.url, since="7d", breakdown="model", tab="overview")
    async with app.run_test(size=(80, 24)) as pilot:
        tab = await split_drawn(pilot, app)
        await pilot.press("t")
        await wait_for(pilot, tab.drawn_in_view)
        grid = tab.query_one("#overview-table")
        titles = [str(c.label) for c in grid.columns.values()]
        # time, 5 metrics for each of the 6 values, the 3 that add up for "(other)"
        assert len(titles) == 1 + 6 * 5 + 3
        assert titles[1:6] == ["gpt-4o-mini\nrequests", "gpt-4o-mini\nerror %",
                               "gpt-4o-mini\np95 ms", "gpt-4o-mini\ncost $",
                               "gpt-4o-mini\nTTFT ms"]
        assert titles[-1] == "(other)\ncost $"
        assert "left/right scroll" in screen_text(app)
        assert grid.virtual_size.width > grid.size.width  # wider than the screen: it scrolls
        later = "claude-3-5-haiku-20241022"  # the fourth value's group
        assert later not in screen_text(app)
        for _ in range(30):  # right scrolls: a later group comes into view, time stays
            await pilot.press(*["right"] * 10)
            await pilot.pause(0.05)
            if later in screen_text(app):
                break
        text = screen_text(app)
        assert grid.scroll_x > 0 and later in text
        assert "time (local)" in text and "2026-11-15 EST" in text


async def test_enter_from_a_split_chart_drills_into_the_picked_value(
    split_proxy: SplitProxy,
) -> None:
    app = make_app(split_proxy.url, since="7d", breakdown="model", tab="overview")
    async with app.run_test(size=(80, 24)) as pilot:
        tab = await split_drawn(pilot, app)
        await pilot.press("down")  # the error rate
        await wait_for(pilot, lambda: tab.first == 1)
        await pilot.press("m")  # the burst's day, gpt-4o-mini picked
        await wait_for(pilot, lambda: tab.selected == "gpt-4o-mini")
        place = tab.view_state()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.active_id == "requests")
        assert app.screen.context.filter_text == "model = 'gpt-4o-mini' and status != 200"
        await pilot.press("backspace")
        await wait_for(pilot, lambda: app.screen.active_id == "overview")
        await wait_for(pilot, lambda: tab.view_state() == place)
        assert app.screen.context.breakdown == "model"
        # l cycles the pick: every value (no condition), then each value in the legend's order.
        await pilot.press("l")
        await wait_for(pilot, lambda: tab.selected is not None
                       and tab.selected != "gpt-4o-mini")
        assert tab.selected == "gpt-4o"
        for _ in range(6):
            await pilot.press("l")
        await wait_for(pilot, lambda: tab.selected is None)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.active_id == "requests")
        assert app.screen.context.filter_text == "status != 200"


async def test_b_asks_only_what_the_split_adds_and_r_asks_everything_again(
    no_findings: None, split_proxy: SplitProxy,
) -> None:
    """The unsplit Overview's strip, users and models answers serve the split of the same
    question (same window): only the ranking and the fan-out go out. A refresh asks it all."""
    app = make_app(split_proxy.url, since="7d", tab="overview")
    async with app.run_test(size=(120, 40)) as pilot:
        tab = await split_drawn(pilot, app)
        unsplit = len(tab.answer.plan.parts)
        assert len(split_proxy.requests) == unsplit
        total = screen_text(app).splitlines()[3].split("%")[0]  # " requests 12,109 +3.3"
        split_proxy.clear()
        app.screen.context = app.screen.context.with_breakdown("model")
        await wait_for(pilot, lambda: tab.answer is not None and tab.answer.split is not None)
        tab = await split_drawn(pilot, app)
        split = tab.answer.split
        assert len(split_proxy.requests) == split.requests_sent  # nothing asked twice
        assert tab.answer.plan.window == tab.answer_window  # the window on screen kept
        assert screen_text(app).splitlines()[3].startswith(total + "%")  # the same totals
        asks = len(tab.answer.plan.parts) + split.requests_sent  # the split's unsplit parts too
        split_proxy.clear()
        await pilot.press("r")
        await wait_for(pilot, lambda: len(split_proxy.requests) >= asks)
