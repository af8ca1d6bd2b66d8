"""A long body in the request detail: its first screen is drawn before the rest is rendered
(the detail renders the lines on screen first), and the rest follows, so scrolling reaches the
end of the request body and the response body below it. Against a small real server on
127.0.0.1 answering the list and the GET with a 300-turn chat."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from apptools import screen_text, wait_for
from requests_apptools import REQUESTS, requests_app, requests_ready

sys.path.insert(0, str(Path(__file__).parents[1] / "integration"))
from faultserver import FaultServer, Reply

ID = "6a0c1f0e-5d7b-4f55-9d0e-2f4c3b1a9e77"


def long_row() -> dict[str, Any]:
    turns = [{"role": "user" if i % 2 else "assistant", "content": f"turn {i}: " + "why? " * 30}
             for i in range(300)]
    return {
        "request_id": ID, "request_created_at": "2026-11-20T11:59:59.999Z",
        "request_body": {"model": "gpt-4o", "messages": turns},
        "response_body": {"choices": [{"message": {"role": "assistant",
                                                   "content": "the last word"}}]},
        "request_user_id": "user-1", "request_properties": {}, "request_model": "gpt-4o",
        "response_status": 200, "provider": "OPENAI", "model": "gpt-4o", "delay_ms": 900,
        "properties": {}, "scores": {}, "storage_location": "clickhouse",
    }


@asynccontextmanager
async def long_detail_open() -> AsyncIterator[tuple[Any, Any, Any]]:
    """The app on the Requests tab (a long-body row), its detail open and settled: (app,
    pilot, detail)."""
    row = long_row()
    with FaultServer() as server:
        server.reply(REQUESTS, Reply(200, {"data": [row], "error": None}))
        server.reply(f"/v1/request/{ID}", Reply(200, {"data": row, "error": None}))
        app = requests_app(server.url)
        async with app.run_test(size=(100, 40)) as pilot:
            await requests_ready(pilot, app)
            await pilot.press("enter")
            await wait_for(pilot, lambda: type(app.screen).__name__ == "RequestDetail")
            detail = app.screen
            await wait_for(pilot, lambda: detail.settled)
            yield app, pilot, detail


async def test_a_long_body_is_drawn_from_its_top_and_scrolls_to_the_response() -> None:
    async with long_detail_open() as (app, pilot, detail):
        await pilot.pause()
        view = detail.query_one("#detail-bodies")
        text = screen_text(app)
        assert "request body" in text and '"turn 0: why?' in text
        # Every line rendered, not only the first screen's (the view shows 200 lines of
        # the chat, folded, and the response): the end is reachable.
        assert len(view.strips) > 4 * view.size.height, (len(view.strips), view.size)
        view.focus()
        await pilot.press("end")
        await pilot.pause()
        text = screen_text(app)
        assert "response body" in text and '"the last word"' in text, text


async def test_a_terminal_resize_lays_the_open_detail_out_again_and_rewraps_the_bodies() -> None:
    # The detail skips the Resize its first layout sends it (same size); a real resize, to
    # another size, must still lay it out and wrap the bodies at the new width.
    async with long_detail_open() as (app, pilot, detail):
        view = detail.query_one("#detail-bodies")
        wide = view.rendered_width
        lines = len(view.strips)
        await pilot.resize_terminal(70, 30)
        await wait_for(pilot, lambda: view.rendered_width < wide)
        await pilot.pause()
        assert detail.size.width == 70 and view.size.width <= 70
        assert view.rendered_width == view.text_width
        assert max(s.cell_length for s in view.strips) <= view.rendered_width
        assert len(view.strips) > lines  # narrower: the same text on more lines
        text = screen_text(app)
        assert "request body" in text and '"turn 0: why?' in text

