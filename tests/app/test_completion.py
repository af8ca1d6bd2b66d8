"""Completion in the `/` filter line, the condition editor and Sessions' `N` input: against the
demo server (seed 1, fixed now) behind a recording proxy, and a small failing server."""

from __future__ import annotations

from app_servers import ScriptedServer
from apptools import (
    footer_shows,
    main_ready,
    make_app,
    post,
    scores_ready,
    screen_text,
    settle,
    wait_for,
)

MODELS_PATH = "/v1/metrics/models"
PROPS = "/v1/property/query"


def _search(key: str) -> str:
    return f"/v1/property/{key}/search"


def _dropdown(app, selector: str = "#filter-completion"):
    return app.screen.query_one(selector)


def _line(app):
    return app.screen.query_one("#filter-line")


def _offered(completer) -> list[str]:
    options = completer.option_list
    return [options.get_option_at_index(i).prompt.plain for i in range(options.option_count)]


async def _open_line(pilot, app):
    await pilot.press("slash")
    await wait_for(pilot, lambda: bool(app.screen.query("#filter-input")))
    field = app.screen.query_one("#filter-input")
    await wait_for(pilot, lambda: app.focused is field)
    return field


async def _type(pilot, text: str) -> None:
    await pilot.press(*[c if c.isalnum() else _name(c) for c in text])


def _name(char: str) -> str:
    from textual.keys import _character_to_key

    return _character_to_key(char)


def _demo_models(demo_url: str) -> list[str]:
    body = {"filter": "all", "offset": 0, "limit": 50, "timeFilter": {
        "start": "2026-11-19T12:00:00.000Z", "end": "2026-11-20T12:00:00.000Z"}}
    answer = post(demo_url, MODELS_PATH, body)
    return sorted({row["model"] for row in answer["data"]})


async def test_models_are_offered_after_model_equals_quote_and_picked_spelled(
        demo_url: str, proxy) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await scores_ready(pilot, app)
        field = await _open_line(pilot, app)
        await _type(pilot, "model = '")
        completer = _dropdown(app)
        await wait_for(pilot, lambda: completer.showing)
        offered = _offered(completer)
        models = _demo_models(demo_url)
        assert sorted(offered) == sorted(f"'{m}'" for m in models)
        assert len(models) >= 2
        await pilot.pause()
        assert completer.option_list.region.height == min(len(models), 12)  # not cut to a row
        await pilot.press("down", "enter")  # the second model
        picked = offered[1]
        assert field.value == f"model = {picked} "
        assert not completer.showing
        await pilot.press("enter")  # a whole filter now: enter applies it
        await wait_for(pilot, lambda: app.screen.context.filter_text == f"model = {picked}")


async def test_field_names_at_the_start_and_a_property_s_values(demo_url: str, proxy) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await scores_ready(pilot, app)
        field = await _open_line(pilot, app)
        await _type(pilot, "pro")
        completer = _dropdown(app)
        await wait_for(pilot, lambda: completer.showing)
        from tui.api.fields import fields_for

        names = [f"{f.name}." if f.is_map else f.name for f in fields_for(False)]
        first = [n for n in names if n.startswith("pro")]
        assert _offered(completer)[: len(first)] == first  # then those containing it
        assert "session_tag" not in names  # the Scores tab cannot send session fields
        index = _offered(completer).index("properties.")
        await pilot.press(*["down"] * index, "tab")  # tab picks too
        assert field.value == "properties."
        keys = sorted(row["property"] for row in post(demo_url, PROPS, {})["data"])
        await wait_for(pilot, lambda: completer.showing)
        assert sorted(_offered(completer)) == sorted(f"properties.{k}" for k in keys)
        key = keys[0]
        field.value = ""
        await _type(pilot, f"properties.{key} = '")
        await wait_for(pilot, lambda: completer.showing)
        wanted = post(demo_url, _search(key), {"searchTerm": ""})["data"]
        assert wanted and sorted(_offered(completer)) == sorted(f"'{w}'" for w in wanted)
        await pilot.press("enter")
        assert field.value == f"properties.{key} = {_offered_first(wanted)} "


def _offered_first(values: list[str]) -> str:
    return f"'{sorted(values, key=str.lower)[0]}'"


async def test_a_second_ask_sends_no_request(proxy) -> None:
    app = make_app(proxy.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await scores_ready(pilot, app)
        field = await _open_line(pilot, app)
        await _type(pilot, "model = '")
        completer = _dropdown(app)
        await wait_for(pilot, lambda: completer.showing)
        sent = len([r for r in proxy.requests if r.path == MODELS_PATH])
        assert sent == 1
        await pilot.press("escape")  # the dropdown closes first, the line stays open
        assert not completer.showing and _line(app).display and app.focused is field
        field.value = ""
        await _type(pilot, "model != 'g")
        await wait_for(pilot, lambda: completer.showing)
        await settle(pilot)
        assert len([r for r in proxy.requests if r.path == MODELS_PATH]) == 1
        await pilot.press("escape", "escape")  # then the line
        assert not _line(app).display


async def test_a_failing_values_endpoint_offers_nothing_and_typing_goes_on() -> None:
    with ScriptedServer(500, {"error": "boom"}) as server:
        app = make_app(server.url)
        async with app.run_test(size=(100, 30)) as pilot:
            await main_ready(pilot, app)
            field = await _open_line(pilot, app)
            await _type(pilot, "model = '")
            await wait_for(pilot, lambda: server.hits >= 2)  # the tab's and the completion's
            await settle(pilot)
            completer = _dropdown(app)
            assert not completer.showing
            await _type(pilot, "gpt' and status >= 500")
            assert field.value == "model = 'gpt' and status >= 500"
            assert not app.query("Toast")  # no error popup
            await pilot.press("enter")
            await wait_for(pilot, lambda: not _line(app).display)


# --------------------------------------------------------------------------- the condition editor


async def _condition_editor(pilot, app):
    await pilot.press("f")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "FilterEditor")
    await pilot.press("a")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "ConditionEditor")
    await wait_for(pilot, lambda: app.focused is app.screen.query_one("#condition-field"))
    return app.screen


async def test_the_condition_editor_lists_fields_on_one_key_and_offers_values(
        demo_url: str, proxy) -> None:
    from tui.api.fields import fields_for

    app = make_app(proxy.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await scores_ready(pilot, app)
        editor = await _condition_editor(pilot, app)
        fields = editor.query_one("#condition-field-completion")
        dialog = editor.query_one("#condition-dialog").region
        await pilot.press("ctrl+l")  # the field list, one key away
        await wait_for(pilot, lambda: fields.showing)
        await pilot.pause()
        assert fields.option_list.region.height > 5  # drawn over the dialog, not cut to a row
        assert editor.query_one("#condition-dialog").region == dialog  # which stays put
        assert _offered(fields) == [f"{f.name}." if f.is_map else f.name
                                    for f in fields_for(False)]
        assert "Field list" in screen_text(app)  # the dialog's keys line names it
        await pilot.press("escape")  # the list closes, the dialog stays
        assert not fields.showing and type(app.screen).__name__ == "ConditionEditor"
        await _type(pilot, "mod")
        await pilot.press("enter")  # picks `model` and moves on to the operators
        assert editor.query_one("#condition-field").value == "model"
        await pilot.press("enter")  # `=`: on to the value
        values = editor.query_one("#condition-value-completion")
        await _type(pilot, "gpt")
        await wait_for(pilot, lambda: values.showing)
        models = _demo_models(demo_url)
        wanted = [m for m in models if "gpt" in m.lower()]
        assert sorted(_offered(values)) == sorted(wanted)  # plain: the value input takes text
        await pilot.press("enter")  # picks
        picked = editor.query_one("#condition-value").value
        assert picked in wanted and type(app.screen).__name__ == "ConditionEditor"
        await pilot.press("enter")  # confirms
        await wait_for(pilot, lambda: type(app.screen).__name__ == "FilterEditor")
        assert app.screen.model.text == f"model = '{picked}'"


async def test_sessions_n_offers_the_window_s_session_names(demo_url: str, proxy) -> None:
    app = make_app(proxy.url, tab="sessions")
    async with app.run_test(size=(100, 30)) as pilot:
        await main_ready(pilot, app, "sessions")
        tab = app.screen.query_one("#sessions-tab")
        await wait_for(pilot, lambda: tab.status == "ready")
        await pilot.press("N")
        field = app.screen.query_one("#sessions-name")
        await wait_for(pilot, lambda: app.focused is field)
        await _type(pilot, "s")
        sent = await _requests(pilot, proxy, "/v1/session/name/query")
        answer = post(demo_url, "/v1/session/name/query", sent[0].body)["data"]
        wanted = [row["name"] for row in answer if row["name"] and "s" in row["name"].lower()]
        completer = app.screen.query_one("#sessions-name-completion")
        await wait_for(pilot, lambda: completer.showing)
        assert wanted and sorted(_offered(completer)) == sorted(wanted)
        first = _offered(completer)[0]
        await pilot.press("enter")  # picks
        assert field.value == first and field.display
        await pilot.press("enter")  # applies: the tab asks for that session name
        await wait_for(pilot, lambda: tab.session_name == first)
        assert len(proxy.to("/v1/session/name/query")) == 1


async def _requests(pilot, proxy, path: str):
    await wait_for(pilot, lambda: bool(proxy.to(path)))
    return proxy.to(path)


async def test_down_on_the_empty_line_lists_the_fields_and_the_footer_names_it(proxy) -> None:
    from tui.api.fields import fields_for

    app = make_app(proxy.url)
    async with app.run_test(size=(120, 30)) as pilot:
        await scores_ready(pilot, app)
        field = await _open_line(pilot, app)
        completer = _dropdown(app)
        assert not completer.showing  # nothing typed: nothing pops up by itself
        await footer_shows(pilot, "Complete")
        await pilot.press("down")
        await wait_for(pilot, lambda: completer.showing)
        assert _offered(completer) == [f"{f.name}." if f.is_map else f.name
                                       for f in fields_for(False)]
        await pilot.press("down", "enter")
        assert field.value == f"{fields_for(False)[1].name} "


async def test_a_burst_with_a_value_and_enter_lands_whole_and_applies(proxy) -> None:
    from test_keys_input import burst

    app = make_app(proxy.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await scores_ready(pilot, app)
        # the models are asked for after the quote, and may arrive while the burst is typed
        burst(app, "/model = 'gpt-4o' and status >= 500", "enter")
        wanted = "model = 'gpt-4o' and status >= 500"
        await wait_for(pilot, lambda: app.screen.context.filter_text == wanted)
        assert not _line(app).display
