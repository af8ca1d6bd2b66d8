"""The request detail (`enter` on Requests): against the demo server through a recording proxy
(fields, bodies, the web link, `=` / `!` adding a condition, `c`, escape), and against a small
hostile server on 127.0.0.1 (a write-only key, escape sequences, 5 MB bodies, 10,000 levels of
nesting): nothing raw reaches the screen and the app keeps answering keys."""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import pytest
from app_servers import RecordingProxy
from apptools import screen_text, wait_for
from requests_apptools import REQUESTS, requests_app, requests_ready

sys.path.insert(0, str(Path(__file__).parents[1] / "integration"))
from faultserver import FaultServer, Reply

HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b[bold]x[/]"
RAW = ("\x1b", "\x07", "\x9b")
ID = "1f2b96a6-2a6e-4e13-999a-91bc0ec91c35"

ROW: dict[str, Any] = {
    "request_id": ID, "request_created_at": "2026-11-20T11:59:59.999Z",
    "request_body": {"model": "o3-mini", "messages": [{"role": "user", "content": "hi"}]},
    "request_user_id": "user-344", "request_properties": {"environment": "production"},
    "request_model": "o3-mini", "request_referrer": "", "response_id": None,
    "response_created_at": "2026-11-20T12:00:03.636Z",
    "response_body": {"choices": [{"message": {"role": "assistant", "content": "hello"}}]},
    "response_status": 200, "provider": "OPENAI", "model": "o3-mini", "delay_ms": 3637,
    "time_to_first_token": 0, "total_tokens": 137, "prompt_tokens": 87,
    "completion_tokens": 20, "cost": 0.0001837, "country_code": "FR",
    "target_url": "https://api.openai.com/v1/chat/completions", "scores": {"relevance": 6},
    "properties": {"environment": "production"}, "cache_enabled": False,
    "storage_location": "clickhouse",
}


async def open_detail(pilot, app, row: int = 0):
    """enter on the list's `row`; the detail once its bodies are drawn."""
    tab = await requests_ready(pilot, app)
    for _ in range(row):
        await pilot.press("down")
    await pilot.press("enter")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "RequestDetail")
    await wait_for(pilot, lambda: app.screen.settled)
    await pilot.pause()
    return tab, app.screen


async def to_field(pilot, detail, label: str) -> None:
    """Move the field cursor to the row labelled `label`."""
    index = [f.label for f in detail.fields].index(label)
    table = detail.query_one("#detail-fields")
    table.focus()
    while table.cursor_row != index:
        await pilot.press("down" if table.cursor_row < index else "up")


def shown_link(detail) -> set[str]:
    """The OSC 8 targets the detail's link line carries."""
    text = detail.query_one("#detail-link").render()
    spans = getattr(text, "spans", [])
    return {str(getattr(s.style, "link", None) or "") for s in spans} - {""}


def body_text(detail, which: str) -> str:
    """What the detail shows of one body ("request" or "response"), scrolled into view or not."""
    plain = detail.query_one("#detail-bodies").plain
    request, _, response = plain.partition("\nresponse body\n")
    return request if which == "request" else response


def assert_safe(app) -> str:
    text = screen_text(app)
    for raw in RAW:
        assert raw not in text, f"raw {raw!r} reached the screen:\n{text}"
    assert not any(raw in app.export_screenshot() for raw in RAW)
    return text


# --------------------------------------------------------------------------- demo server


async def test_the_detail_shows_every_field_the_bodies_and_the_web_link(
    proxy: RecordingProxy,
) -> None:
    app = requests_app(proxy.url)
    async with app.run_test(size=(100, 40)) as pilot:
        tab, detail = await open_detail(pilot, app)
        row = tab.answer.rows[0]
        assert detail.request.request_id == row.request_id
        assert not detail.notes  # the demo key reads single requests: no "why" line
        [got] = proxy.to(f"/v1/request/{row.request_id}?includeBody=true")
        assert got.authorized
        labels = [f.label for f in detail.fields]
        for label in ("request_id", "status", "model", "provider", "user_id", "latency (ms)",
                      "cost (USD)", "country_code", "updated_at"):
            assert label in labels
        assert any(label.startswith("properties.") for label in labels)
        assert any(label.startswith("scores.") for label in labels)
        text = screen_text(app)
        assert "request body" in text and "response body" in text
        content = row.request_body["messages"][0]["content"]
        assert f'"content": "{content}"' in text  # the body, pretty-printed
        url = f"https://us.helicone.ai/requests?requestId={row.request_id}"
        assert url in text and shown_link(detail) == {url}
        await pilot.press("c")
        assert app.clipboard == row.request_id
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        assert app.screen.context.filter_text == "all"
        assert len(proxy.to(REQUESTS)) == 1  # closing asks nothing


async def test_equals_and_bang_add_the_field_under_the_cursor_to_the_filter(
    proxy: RecordingProxy,
) -> None:
    app = requests_app(proxy.url)
    async with app.run_test(size=(100, 40)) as pilot:
        tab, detail = await open_detail(pilot, app)
        model = detail.request.model
        await to_field(pilot, detail, "model")
        await pilot.press("equals_sign")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        assert app.screen.context.filter_text == f"model = '{model}'"
        await wait_for(pilot, lambda: len(proxy.to(REQUESTS)) == 2)
        tab = await requests_ready(pilot, app)
        assert {r.model for r in tab.answer.rows} == {model}  # the list follows the filter
        assert "'equals': '" + model + "'" in str(proxy.to(REQUESTS)[1].body["filter"])

        _, detail = await open_detail(pilot, app)
        key = next(f for f in detail.fields if f.label.startswith("properties."))
        await to_field(pilot, detail, key.label)
        await pilot.press("exclamation_mark")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        wanted = f"model = '{model}' and {key.label} != '{key.value}'"
        assert app.screen.context.filter_text == wanted
        await wait_for(pilot, lambda: len(proxy.to(REQUESTS)) == 3)
        tab = await requests_ready(pilot, app)
        prop = key.label.split(".", 1)[1]
        assert all(r.properties.get(prop) != key.value for r in tab.answer.rows)

        # A field the filter has no name for says so and stays open.
        _, detail = await open_detail(pilot, app)
        await to_field(pilot, detail, "updated_at")
        await pilot.press("equals_sign")
        await pilot.pause(0.2)
        assert type(app.screen).__name__ == "RequestDetail"
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        assert app.screen.context.filter_text == wanted


# --------------------------------------------------------------------------- a hostile server


@pytest.fixture
def fault():
    with FaultServer() as server:
        yield server


def serve(fault: FaultServer, listed: dict[str, Any], by_id: Reply,
          body: Reply | None = None) -> None:
    fault.reply(REQUESTS, Reply(200, {"data": [listed], "error": None}))
    fault.reply(f"/v1/request/{ID}", by_id)
    if body is not None:
        fault.reply("/body", body)


async def responsive(pilot, app) -> None:
    """escape closes the detail and the list still answers a key (o asks again)."""
    await pilot.press("escape")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen", timeout=10)
    tab = app.screen.query_one("#requests-tab")
    await pilot.press("o")
    await wait_for(pilot, lambda: tab.status == "ready" and tab.answer.sort == "latency:desc",
                   timeout=10)


async def test_a_write_only_key_shows_the_list_row_and_says_why(fault: FaultServer) -> None:
    serve(fault, ROW, Reply(403, {"error": "Unauthorized: this key cannot read"}))
    app = requests_app(fault.url)
    async with app.run_test(size=(100, 40)) as pilot:
        _, detail = await open_detail(pilot, app)
        assert detail.request.request_id == ID
        text = " ".join(screen_text(app).split())
        assert "cannot read single requests" in text and "write-only" in text
        assert '"content": "hello"' in body_text(detail, "response")  # the list row's bodies
        gets = [r for r in fault.requests if r.method == "GET"]
        assert gets and gets[0].path == f"/v1/request/{ID}"
        await responsive(pilot, app)


async def test_escape_sequences_in_fields_and_bodies_never_reach_the_terminal(
    fault: FaultServer,
) -> None:
    hostile = copy.deepcopy(ROW)
    hostile["model"] = hostile["request_model"] = HOSTILE
    hostile["properties"] = hostile["request_properties"] = {HOSTILE: HOSTILE}
    hostile["scores"] = {HOSTILE: 1}
    hostile["request_body"] = {HOSTILE: [HOSTILE, {"deeper": HOSTILE}]}
    hostile["response_body"] = "plain text " + HOSTILE + "\nsecond line\x7f"
    serve(fault, ROW, Reply(200, {"data": hostile, "error": None}))
    app = requests_app(fault.url)
    async with app.run_test(size=(100, 40)) as pilot:
        _, detail = await open_detail(pilot, app)
        assert detail.request.model == HOSTILE  # the GET's row is on screen
        text = assert_safe(app)
        assert "\\x1b]0;pwned" in text or "\\u001b]0;pwned" in text
        assert "[bold]x[/]" in text  # markup shown as typed
        await responsive(pilot, app)
        assert_safe(app)


async def test_a_5_mb_body_at_the_signed_url_is_refused_and_the_app_answers(
    fault: FaultServer,
) -> None:
    signed = dict(ROW, request_body="preview of the request", response_body="preview",
                  storage_location="s3", signed_body_url=None)
    signed["signed_body_url"] = fault.url + "/body?X-Amz-Signature=secret"
    big = b'{"request": "' + b"x" * (5 << 20) + b'", "response": {}}'
    serve(fault, signed, Reply(200, {"data": signed, "error": None}),
          Reply(200, big, content_type="application/json"))
    app = requests_app(fault.url)
    async with app.run_test(size=(100, 40)) as pilot:
        _, detail = await open_detail(pilot, app)
        text = " ".join(screen_text(app).split())
        assert "over 2 MB" in text and "secret" not in text
        assert "preview of the request" in body_text(detail, "request")
        body = next(r for r in fault.requests if r.path == "/body")
        assert "authorization" not in {k.lower() for k in body.headers}  # no key to S3
        await responsive(pilot, app)


async def test_a_5_mb_inline_body_is_not_drawn_whole(fault: FaultServer) -> None:
    big = dict(ROW, request_body={"messages": [{"content": "y" * (5 << 20)}]})
    serve(fault, ROW, Reply(200, {"data": big, "error": None}))
    app = requests_app(fault.url)
    async with app.run_test(size=(100, 40)) as pilot:
        _, detail = await open_detail(pilot, app)
        assert "5.0 MB, over the 2 MB the detail shows" in body_text(detail, "request")
        assert '"content": "hello"' in body_text(detail, "response")  # the other one is shown
        await responsive(pilot, app)


async def test_a_body_nested_10000_levels_deep_is_shown_folded_as_text(
    fault: FaultServer,
) -> None:
    signed = dict(ROW, request_body="preview", response_body="preview", storage_location="s3")
    signed["signed_body_url"] = fault.url + "/body"
    deep = "[" * 10_000 + "]" * 10_000
    serve(fault, signed, Reply(200, {"data": signed, "error": None}),
          Reply(200, deep, content_type="application/json"))
    app = requests_app(fault.url)
    async with app.run_test(size=(100, 40)) as pilot:
        _, detail = await open_detail(pilot, app)
        assert detail.bodies[0] == deep  # past the nesting cap: kept as the text it is
        text = " ".join(screen_text(app).split())
        assert "The body URL did not answer Helicone's {request, response}" in text
        shown = body_text(detail, "request")
        assert "[[[[[[[[" in shown and "20,000 bytes" in shown
        await pilot.press("e")  # unfolding more stays bounded, and responsive
        await responsive(pilot, app)


async def test_a_deeply_nested_answer_to_the_get_falls_back_to_the_list_row(
    fault: FaultServer,
) -> None:
    deep = '{"data": ' + '{"a": ' * 10_000 + "1" + "}" * 10_000 + ', "error": null}'
    serve(fault, ROW, Reply(200, deep, content_type="application/json"))
    app = requests_app(fault.url)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_detail(pilot, app)
        text = " ".join(screen_text(app).split())
        assert "could not be read" in text and "showing the row from the list" in text
        await responsive(pilot, app)


def test_the_web_link_quotes_the_id_and_follows_the_region() -> None:
    from tui.screens.requests_rows import web_link

    url, text = web_link(HOSTILE + "/../x", "EU")
    assert url.startswith("https://eu.helicone.ai/requests?requestId=")
    assert not any(raw in url or raw in text.plain for raw in RAW)
    assert "%1B%5D0%3Bpwned%07" in url and "/../" not in url
    assert text.style.link == url  # OSC 8 (Rich writes it when the terminal shows it)
    assert web_link("abc", "DEMO")[0] == "https://us.helicone.ai/requests?requestId=abc"
