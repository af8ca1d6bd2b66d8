"""The Overview tab against the demo server (seed 1, now 2026-11-20T12:00Z, last 7 days): every
panel draws, its requests are what the spec wants, the error burst and the latency spike stand out,
a failed request blanks only its own panel, and c / x cover every request."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from app_servers import RecordingProxy
from apptools import post, screen_text, wait_for
from openapi_schema_validator import OAS30Validator
from overview_tools import FailingProxy, overview_app, overview_drawn

from tui.query import overview_shaping as shaping

SPEC_PATH = Path(__file__).resolve().parents[2] / "tui" / "api" / "spec" / "openapi.strict.yaml"
METRICS = ("totalRequests", "totalCost", "averageLatency", "averageTimeToFirstToken",
           "activeUsers", "requestStatusOverTime", "errorOverTime", "latencyOverTime",
           "quantiles", "costOverTime", "timeToFirstToken", "models")
USERS = "/v1/user/metrics/query"


def local_day(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d")


async def show_each_panel(pilot, app, tab) -> set[str]:
    """Walk the charts with `down` (from the top): each panel in view is drawn; which were."""
    seen: set[str] = set()
    for _ in range(len(shaping.PANELS) + 1):
        await overview_drawn(pilot, app)
        for box in tab.query("PanelBox"):
            if box.display:
                assert box.complete, box.panel
                seen.add(box.panel)
        await pilot.press("down")
    return seen


async def test_every_panel_renders_and_the_strip_shows_the_servers_totals(
    proxy: RecordingProxy, demo_url: str
) -> None:
    app = overview_app(proxy.url)
    async with app.run_test(size=(120, 40)) as pilot:
        tab = await overview_drawn(pilot, app)
        # More than one chart at 120x40; the strip and the first charts in view.
        shown = [b.panel for b in tab.query("PanelBox") if b.display]
        assert len(shown) >= 3 and shown[0] == "status"
        text = screen_text(app)
        body = next(r.body for r in proxy.to("/v1/metrics/totalRequests"))
        total = post(demo_url, "/v1/metrics/totalRequests", body)["data"]
        cost = post(demo_url, "/v1/metrics/totalCost", body)["data"]
        assert f"requests {total:,}" in text and f"cost ${cost:,.2f}" in text
        assert "error: status ≠ 200" in text and "avg lat: missing = 0" in text
        assert "Requests by status class" in text
        assert set(await show_each_panel(pilot, app, tab)) == set(shaping.PANELS)
        # The models table: the server's models, most requests first.
        models = post(demo_url, "/v1/metrics/models", next(
            r.body for r in proxy.to("/v1/metrics/models")))["data"]
        top = max(models, key=lambda m: m["total_requests"])
        grid = tab.query_one("#ov-models-table")
        assert grid.row_count == min(10, len(models))
        assert str(grid.get_row_at(0)[0]) == (top["model"] or "(none)")
        assert top["model"] in screen_text(app)


async def test_at_80x24_one_chart_and_up_down_move_between_them(proxy: RecordingProxy) -> None:
    app = overview_app(proxy.url)
    async with app.run_test(size=(80, 24)) as pilot:
        tab = await overview_drawn(pilot, app)

        def shown() -> list[str]:
            return [b.panel for b in tab.query("PanelBox") if b.display]

        assert shown() == ["status"]
        assert "Next chart" in screen_text(app).splitlines()[-1]  # the footer says how
        await pilot.press("down")
        await wait_for(pilot, lambda: shown() == ["errors"])
        await pilot.press("down", "down", "down", "down", "down")  # the last: the users
        await wait_for(pilot, lambda: shown() == ["users"])
        await pilot.press("up")
        await wait_for(pilot, lambda: shown() == ["models"])
        await pilot.press("question_mark")  # the help lists the tab's keys first
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "HelpScreen")
        text = screen_text(app)
        assert "Overview tab" in text and "Next chart" in text and "Bucket before" in text


def _schema(spec: dict[str, Any], path: str) -> OAS30Validator:
    schema = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    return OAS30Validator({**schema, "components": spec["components"]})


def _window(body: dict[str, Any]) -> tuple[datetime, datetime]:
    tf = body["timeFilter"]
    return (datetime.fromisoformat(tf["start"].replace("Z", "+00:00")),
            datetime.fromisoformat(tf["end"].replace("Z", "+00:00")))


@pytest.mark.usefixtures("no_findings")  # counts the Overview's requests
async def test_request_bodies_are_what_the_spec_wants(proxy: RecordingProxy) -> None:
    spec = yaml.safe_load(SPEC_PATH.read_text())
    app = overview_app(proxy.url)
    async with app.run_test(size=(80, 24)) as pilot:
        tab = await overview_drawn(pilot, app)
        sent = proxy.requests
        for r in sent:
            errors = list(_schema(spec, r.path).iter_errors(r.body))
            assert not errors, (r.path, [e.message for e in errors])
        users = proxy.to(USERS)  # the users panel's two (by requests, by errors): seconds
        assert len(users) == 2
        sent = [r for r in sent if not r.path.endswith(USERS)]
        assert {r.path.rsplit("/", 1)[-1] for r in sent} == set(METRICS)
        windows = sorted({_window(r.body) for r in sent})
        assert len(windows) == 2  # the window and the previous period's, nothing else
        (p_start, p_end), (start, end) = windows
        assert end - start == timedelta(days=7) and end.isoformat().startswith("2026-11-20T12")
        # The previous period ends a second before the window: both ends are inclusive.
        assert p_end == start - timedelta(seconds=1) and p_start == start - timedelta(days=7)
        over_time = [r.body for r in sent if r.path.endswith("OverTime")]
        assert {b["dbIncrement"] for b in over_time} == {"day"}
        assert {b["timeZoneDifference"] for b in over_time} == {300}  # New York in November
        quantiles = [r.body for r in proxy.to("/v1/metrics/quantiles")]
        assert sorted(b["dbIncrement"] for b in quantiles) == ["day", "year", "year"]
        assert {b["metric"] for b in quantiles} == {"latency"}
        current = [r for r in sent if _window(r.body) == (start, end)]
        assert len(current) == 13 and len(sent) == 20
        assert {(u.body["timeFilter"]["startTimeUnixSeconds"],
                 u.body["timeFilter"]["endTimeUnixSeconds"]) for u in users} == {
            (int(start.timestamp()), int(end.timestamp()))}

        # v: the previous period's series too, for every chart. Only what the compare adds
        # is asked: the answers on screen serve the parts that ask the same.
        asked = {part.asks for part in tab.answer.plan.parts}
        proxy.clear()
        await pilot.press("v")
        await wait_for(pilot, lambda: tab.compare and tab.answer.plan.compare)
        await overview_drawn(pilot, app)
        plan = tab.answer.plan
        assert len(plan.parts) == 27  # the users panel is the window's only: still two
        added = [part for part in plan.parts if part.asks not in asked]
        again = proxy.requests
        assert len(again) == len(added) == 5
        for r in again:
            assert not list(_schema(spec, r.path).iter_errors(r.body))
            assert _window(r.body) == (p_start, p_end)
        series = {"requestStatusOverTime", "errorOverTime", "latencyOverTime", "quantiles",
                  "costOverTime", "timeToFirstToken"}
        # The previous error rate's series was asked already, for the strip's trend.
        assert {r.path.rsplit("/", 1)[-1] for r in again} == series - {"errorOverTime"}
        assert {p.base for p in plan.parts if p.name.startswith("previous.")} >= series


async def test_the_error_burst_and_the_latency_spike_are_the_largest_values(
    proxy: RecordingProxy,
) -> None:
    app = overview_app(proxy.url)
    async with app.run_test(size=(120, 40)) as pilot:
        tab = await overview_drawn(pilot, app)
        errors = tab.panels["errors"][0]
        rates = errors.columns["error rate"]
        worst = max(range(len(rates)), key=lambda i: rates[i] or -1)
        assert local_day(errors.buckets[worst]) == "2026-11-15"
        latency = tab.panels["latency"][0]
        p99 = latency.columns["p99"]
        spike = max(range(len(p99)), key=lambda i: p99[i] or -1)
        assert local_day(latency.buckets[spike]) == "2026-11-18"
        # What the chart draws is those numbers: its highest point is at that bucket.
        series = next(s for s in tab.panels["errors"][1].series if s.label == "error rate")
        assert series.ys.index(max(y for y in series.ys if y is not None)) == worst
        # The rate is Helicone's errors over the bucket's requests, n shown beside it.
        burst = (errors.buckets[worst], rates[worst], errors.n[worst])
        assert burst[2] > 1000 and rates[worst] > 3 * sorted(r for r in rates if r)[len(rates) // 2]

        # The cursor on the burst's bucket: its value and n in the legend.
        await pilot.press("right")  # the first press lands on the newest bucket
        for _ in range(len(rates) - 1 - worst):
            await pilot.press("left")
        await pilot.pause()
        text = screen_text(app)
        assert f"error rate {burst[1]:.1f}%" in text and f"n={burst[2]}" in text
        assert "2026-11-15 EST" in text


async def test_the_first_screen_at_80x24_shows_the_burst_and_the_spike_in_the_strip(
    proxy: RecordingProxy,
) -> None:
    """No key pressed: the error rate's trend peaks on the burst's day and p95 latency's on the
    spike's, each the highest cell of its spark, and nothing past the first screen is needed."""
    from tui.format.spark import BARS

    app = overview_app(proxy.url)
    async with app.run_test(size=(80, 24)) as pilot:
        tab = await overview_drawn(pilot, app)
        lines = screen_text(app).splitlines()[:24]

        def spark_of(label: str) -> str:
            line = next(li for li in lines if label in li)
            rest = line[line.index(label):].split("   ")[0]
            return "".join(ch for ch in rest if ch in BARS or ch == " ").strip()

        for label, panel, column, day in (("error rate", "errors", "error rate", "2026-11-15"),
                                          ("p95 lat", "latency", "p95", "2026-11-18")):
            cells = spark_of(label)
            assert BARS[-1] in cells, (label, cells)
            data = tab.panels[panel][0]
            full = [i for i, cut in enumerate(data.partial) if not cut]
            peak = full[cells.index(BARS[-1])]  # one cell per full bucket at 7 days
            assert local_day(data.buckets[peak]) == day, (label, cells)
            values = data.columns[column]
            assert values[peak] == max(values[i] or 0 for i in full)
            assert cells.count(BARS[-1]) == 1


async def test_table_view_shows_exact_numbers_with_n_and_the_partial_bucket(
    proxy: RecordingProxy,
) -> None:
    app = overview_app(proxy.url)
    async with app.run_test(size=(120, 40)) as pilot:
        tab = await overview_drawn(pilot, app)
        await pilot.press("t")
        grid = tab.query_one("#overview-table")
        await wait_for(pilot, lambda: grid.row_count > 0)
        status = tab.panels["status"][0]
        errors = tab.panels["errors"][0]
        buckets = len(status.buckets)  # then the top users' rows (test_overview_users.py)
        assert grid.row_count == buckets + len(tab.user_rows())
        keys = [c.key.value for c in grid.columns.values()]
        assert keys[:2] == ["time", "n"] and "rate" in keys and "p99" in keys
        for i in range(buckets):
            row = [str(c) for c in grid.get_row_at(i)]
            n = status.n[i]
            assert row[1] == str(n)
            errors_i = errors.columns["error rate"][i]
            assert row[keys.index("rate")] == ("-" if errors_i is None else f"{errors_i:.2f}")
        # The current day is cut by the window's end: marked partial; the others are not.
        last = [str(c) for c in grid.get_row_at(buckets - 1)]
        assert "partial" in last[0] and "EST" in last[0]
        assert "partial" not in str(grid.get_row_at(1)[0])

        await pilot.press("v")  # compare: the previous period's value beside each
        await wait_for(pilot, lambda: tab.status == "ready" and tab.compare)
        await wait_for(pilot, lambda: "(prev)" in str(grid.columns[grid.ordered_columns[2].key]
                                                     .label))
        row = [str(c) for c in grid.get_row_at(2)]
        assert "(" in row[2]
        # ... and on the charts, a dimmer line of the previous period under each current one.
        labels = [s.label for s in tab.panels["errors"][1].series]
        assert labels == ["error rate (prev)", "error rate"]


@pytest.mark.usefixtures("no_findings")  # counts the Overview's requests
async def test_an_empty_answer_says_whether_the_filter_or_the_range_is_why(
    proxy: RecordingProxy,
) -> None:
    app = overview_app(proxy.url, filter_text="model = 'no-such-model'")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#overview-tab")))
        tab = app.screen.query_one("#overview-tab")
        await wait_for(pilot, lambda: tab.status == "empty")
        assert "Nothing matches the filter in this range." in screen_text(app)
        sent = proxy.requests
        assert sent and all(r.body["filter"] != "all" for r in sent)


async def test_each_panel_draws_when_its_own_answers_arrive(demo_url: str) -> None:
    """One slow endpoint (costOverTime, 30 s) holds back its panel only: the strip and the other
    charts draw meanwhile, and the cost chart says it is loading."""
    with FailingProxy(demo_url, slow=("/v1/metrics/costOverTime",), delay=30.0) as proxy:
        app = overview_app(proxy.url)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: bool(app.screen.query("#overview-tab")))
            tab = app.screen.query_one("#overview-tab")
            await wait_for(pilot, lambda: len(tab.query("PanelBox")) == len(shaping.PANELS))
            boxes = {b.panel: b for b in tab.query("PanelBox")}
            await wait_for(pilot, lambda: all(boxes[n].complete for n in ("status", "errors",
                                                                          "latency")))
            await wait_for(pilot, lambda: "strip" in tab.panels
                           and not tab.panels["strip"][0][0].pending)
            assert tab.status == "loading" and "cost" not in tab.panels
            text = screen_text(app)
            assert "Requests by status class" in text and "requests …" not in text
            await pilot.press("down", "down", "down")  # the cost chart: still on its way
            await wait_for(pilot, lambda: boxes["cost"].display)
            await pilot.pause()
            assert "Cost USD per bucket  loading…" in screen_text(app)


async def test_a_failed_request_shows_in_its_panel_only(demo_url: str) -> None:
    with FailingProxy(demo_url, ("/v1/metrics/costOverTime",)) as proxy:
        app = overview_app(proxy.url)
        async with app.run_test(size=(80, 24)) as pilot:
            tab = await overview_drawn(pilot, app)
            assert tab.status == "ready"
            cost = tab.query_one("#ov-cost")
            assert cost.value[0].error
            for _ in range(3):
                await pilot.press("down")
            await wait_for(pilot, lambda: cost.display)
            text = screen_text(app)
            assert "failed: costOverTime:" in text and "quantiles exploded (test)" in text
            assert "requests " in text and "error rate " in text  # the strip is still there
            for name in ("status", "errors", "latency", "ttft"):
                series, data = tab.panels[name]
                assert series.error is None and data.has_points, name
            rows, error = tab.panels["models"]
            assert rows and error is None


async def test_failed_quantiles_leave_the_average_line_and_say_what_is_missing(
    demo_url: str,
) -> None:
    with FailingProxy(demo_url, ("/v1/metrics/quantiles",)) as proxy:
        app = overview_app(proxy.url)
        async with app.run_test(size=(80, 24)) as pilot:
            tab = await overview_drawn(pilot, app)
            text = screen_text(app)
            assert "p95 lat failed" in text and "requests " in text
            await pilot.press("down", "down")
            await overview_drawn(pilot, app)
            text = screen_text(app)
            assert "p75-p99 missing: quantiles:" in text
            series, _ = tab.panels["latency"]
            assert any(v is not None for v in series.columns["avg"])
            assert all(v is None for v in series.columns["p99"])


async def test_all_requests_failing_says_so_once(demo_url: str) -> None:
    with FailingProxy(demo_url, ("",), message="the server is down (test)") as proxy:
        app = overview_app(proxy.url)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: bool(app.screen.query("#overview-tab")))
            tab = app.screen.query_one("#overview-tab")
            await wait_for(pilot, lambda: tab.status == "error")
            text = screen_text(app)
            assert "the server is down (test)" in text
            assert "Traceback" not in text


@pytest.mark.usefixtures("no_findings")  # counts the Overview's requests
async def test_curl_and_export_cover_every_request(
    proxy: RecordingProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = overview_app(proxy.url)
    async with app.run_test(size=(80, 24)) as pilot:
        tab = await overview_drawn(pilot, app)
        sent = sorted((r.path, json.dumps(r.body, sort_keys=True)) for r in proxy.requests)
        await pilot.press("c")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "CurlView")
        command = app.screen.command
        assert command.count("curl --request POST") == len(sent) == 22  # 20 metrics, 2 users
        assert "sk-helicone" not in command and "$HELICONE_API_KEY" in command
        assert "The 22 overview requests as curl" in screen_text(app)
        for path, _ in sent:
            assert f"{proxy.url}{path}'" in command or f"{proxy.url}{path}" in command
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "MainScreen")

        await pilot.press("x")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "ExportDialog")
        await pilot.press("down")  # JSON
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "MainScreen")
        written = list(tmp_path.glob("helicone-overview-*.json"))
        assert len(written) == 1
        doc = json.loads(written[0].read_text())
        assert set(doc["answers"]) == set(tab.answer.plan.names())
        assert doc["answers"]["totalRequests"] == tab.answer.outcomes["totalRequests"]

        await pilot.press("x")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "ExportDialog")
        await pilot.press("enter", "enter")  # CSV
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "MainScreen")
        lines = next(tmp_path.glob("helicone-overview-*.csv")).read_text().splitlines()
        assert lines[0] == "section,period,time,name,value"
        assert any(line.startswith("series,current,") and ",error rate," in line
                   for line in lines)
        assert len(proxy.requests) == 22  # nothing asked again


def test_the_tab_loads_without_the_wire_models() -> None:
    """The app's first frame imports every tab's module: the Overview's must not bring in
    pydantic or httpx (the client and the wire models load off the UI thread)."""
    import subprocess
    import sys

    code = ("import sys, tui.screens.overview; "
            "print(sorted(m for m in ('pydantic', 'httpx') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip() == "[]"
