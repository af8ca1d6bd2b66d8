"""The filter text language: what parses to what, every error with its column, canonical
formatting, and round trips on the normal form (DESIGN.md, "Filter text language")."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.api.fields import FIELDS, OP_TEXT, OPERATORS, FieldInfo, FieldType, Op
from tui.filters.text import FilterSyntaxError, check_for_endpoint, format, parse
from tui.filters.tree import ALL, Condition, FilterError, Group, normal
from tui.filters.wire import to_wire

A = Condition("model", Op.EQUALS, "a")
B = Condition("status", Op.GTE, 500)
C = Condition("latency", Op.GT, 10000)


def prop(key: str, value: str, op: Op = Op.EQUALS) -> Condition:
    return Condition("properties", op, value, key=key)


# --------------------------------------------------------------------------- what parses to what

PARSES = [
    # empty and all
    ("", ALL),
    ("   ", ALL),
    ("all", ALL),
    ("ALL", ALL),
    (" All ", ALL),
    # precedence: and binds tighter than or
    ("model = 'a' or status >= 500 and latency > 10000", Group("or", (A, Group("and", (B, C))))),
    ("model = 'a' and status >= 500 or latency > 10000", Group("or", (Group("and", (A, B)), C))),
    # parentheses
    ("(model = 'a' or status >= 500) and latency > 10000", Group("and", (Group("or", (A, B)), C))),
    ("((model = 'a'))", A),
    ("model = 'a' and (status >= 500 and latency > 10000)", Group("and", (A, B, C))),
    ("(model='a')and(status>=500)", Group("and", (A, B))),
    # case-insensitive keywords
    ("model = 'a' AND status >= 500 Or latency > 10000", Group("or", (Group("and", (A, B)), C))),
    ("model ILIKE '%x%'", Condition("model", Op.ILIKE, "%x%")),
    ("model Like 'x%'", Condition("model", Op.LIKE, "x%")),
    ("model CONTAINS 'x'", Condition("model", Op.CONTAINS, "x")),
    ("model NOT   Contains 'x'", Condition("model", Op.NOT_CONTAINS, "x")),
    ("cached = TRUE", Condition("cached", Op.EQUALS, True)),
    ("threat = False", Condition("threat", Op.EQUALS, False)),
    # map keys, bare and quoted
    ("properties.environment = 'production'", prop("environment", "production")),
    ("properties.Helicone-Session-Name = 'x'", prop("Helicone-Session-Name", "x")),
    ("properties.'Helicone-Session-Name' = 'x'", prop("Helicone-Session-Name", "x")),
    ('properties."a b" = \'x\'', prop("a b", "x")),
    ("properties.'it\\'s' != 'x'", prop("it's", "x", Op.NOT_EQUALS)),
    ("properties.and = 'x'", prop("and", "x")),
    ("search_properties.q ilike '%a%'", Condition("search_properties", Op.ILIKE, "%a%", "q")),
    ("scores.accuracy = 80", Condition("scores", Op.EQUALS, 80, key="accuracy")),
    ("scores.'x-hcone-bool' != -1", Condition("scores", Op.NOT_EQUALS, -1, key="x-hcone-bool")),
    # string escapes, both quote styles
    ("model = 'it\\'s'", Condition("model", Op.EQUALS, "it's")),
    ('model = "say \\"hi\\""', Condition("model", Op.EQUALS, 'say "hi"')),
    ("model = \"it's\"", Condition("model", Op.EQUALS, "it's")),
    ("model = '\"'", Condition("model", Op.EQUALS, '"')),
    ("model = 'a\\\\b'", Condition("model", Op.EQUALS, "a\\b")),
    ("model = 'a\\nb\\tc\\rd'", Condition("model", Op.EQUALS, "a\nb\tc\rd")),
    ("model = '\\x41\\u00e9\\U0001f600'", Condition("model", Op.EQUALS, "Aé😀")),
    ("model = 'é 🚀 日本'", Condition("model", Op.EQUALS, "é 🚀 日本")),
    ("model = ''", Condition("model", Op.EQUALS, "")),
    # numbers: sign, fraction, exponent; integers stay int
    ("latency > -5", Condition("latency", Op.GT, -5)),
    ("cost > 0.5", Condition("cost", Op.GT, 0.5)),
    ("latency < 1e3", Condition("latency", Op.LT, 1000.0)),
    ("latency <= -2.5E-3", Condition("latency", Op.LTE, -0.0025)),
    ("latency != 1E+2", Condition("latency", Op.NOT_EQUALS, 100.0)),
    ("status = 007", Condition("status", Op.EQUALS, 7)),
    # timestamps: the ISO string as typed
    ("request_created_at >= '2026-11-01T00:00:00Z'",
     Condition("request_created_at", Op.GTE, "2026-11-01T00:00:00Z")),
    ("response_created_at < '2026-11-01'", Condition("response_created_at", Op.LT, "2026-11-01")),
    ("request_created_at = '2026-11-01T12:30:00.123+05:30'",
     Condition("request_created_at", Op.EQUALS, "2026-11-01T12:30:00.123+05:30")),
    # other field shapes
    ("helicone-score-feedback = true", Condition("helicone-score-feedback", Op.EQUALS, True)),
    ("property_key = 'environment'", Condition("property_key", Op.EQUALS, "environment")),
    ("session_tag = 'checkout' and cost > 0.5",
     Group("and", (Condition("session_tag", Op.EQUALS, "checkout"), Condition("cost", Op.GT, .5)))),
    ("model\t=\n'a'", A),
]


@pytest.mark.parametrize(("text", "tree"), PARSES, ids=[t for t, _ in PARSES])
def test_parses(text: str, tree) -> None:
    result = parse(text)
    assert result == tree
    # the same value kinds too (500 is not 500.0 on the wire)
    assert json.dumps(to_wire(result, sessions=True)) == json.dumps(to_wire(tree, sessions=True))


def test_integers_stay_integers_on_the_wire() -> None:
    assert json.dumps(to_wire(parse("status = 500"))) == (
        '{"request_response_rmt": {"status": {"equals": 500}}}'
    )
    assert to_wire(parse("scores.accuracy = 80")) == {
        "request_response_rmt": {"scores": {"accuracy": {"equals": "80"}}}
    }


# --------------------------------------------------------------------------- every operator


def _sample_value(info: FieldInfo) -> tuple[str, object]:
    if info.is_map and info.type is FieldType.NUMBER:
        return "80", 80
    return {
        FieldType.TEXT: ("'v'", "v"),
        FieldType.NUMBER: ("12.5", 12.5),
        FieldType.TIMESTAMP: ("'2026-11-01T00:00:00Z'", "2026-11-01T00:00:00Z"),
        FieldType.BOOLEAN: ("false", False),
    }[info.type]


def _field_text(info: FieldInfo) -> tuple[str, str | None]:
    return (f"{info.name}.k", "k") if info.is_map else (info.name, None)


EVERY_OP = [(info, op) for info in FIELDS for op in info.operators]
EVERY_WRONG_OP = [(info, op) for info in FIELDS for op in Op if not info.allows(op)]


@pytest.mark.parametrize(("info", "op"), EVERY_OP, ids=[f"{i.name} {o}" for i, o in EVERY_OP])
def test_every_operator_on_every_field(info: FieldInfo, op: Op) -> None:
    field, key = _field_text(info)
    text_value, value = _sample_value(info)
    tree = parse(f"{field} {OP_TEXT[op]} {text_value}")
    assert tree == Condition(info.name, op, value, key)
    wire = to_wire(tree, sessions=True)
    leaf = wire[info.table.value][info.name]
    if key is not None:
        leaf = leaf[key]
    assert list(leaf) == [op.value]


@pytest.mark.parametrize(
    ("info", "op"), EVERY_WRONG_OP, ids=[f"{i.name} {o}" for i, o in EVERY_WRONG_OP]
)
def test_every_wrong_operator_is_refused_at_its_column(info: FieldInfo, op: Op) -> None:
    field, _ = _field_text(info)
    text_value, _ = _sample_value(info)
    with pytest.raises(FilterSyntaxError) as caught:
        parse(f"{field} {OP_TEXT[op]} {text_value}")
    assert caught.value.column == len(field) + 2
    assert f"'{OP_TEXT[op]}'" in caught.value.message or "takes only" in caught.value.message


def test_operator_table_matches_the_design() -> None:
    spelled = {t: {OP_TEXT[op] for op in ops} for t, ops in OPERATORS.items()}
    assert spelled[FieldType.TEXT] == {"=", "!=", "like", "ilike", "contains", "not contains"}
    assert spelled[FieldType.NUMBER] == {"=", "!=", ">", ">=", "<", "<="}
    assert spelled[FieldType.TIMESTAMP] == {"=", ">", ">=", "<", "<="}
    assert spelled[FieldType.BOOLEAN] == {"="}


# --------------------------------------------------------------------------- errors

ERRORS = [
    # wrong operator for the type
    ("latency ilike 'x'", 9, "'latency' is a number field; 'ilike' takes text"),
    ("status >= 500 or latency ilike 'x'", 26, "'latency' is a number field; 'ilike' takes text"),
    ("model > 'x'", 7, "'model' is a text field; '>' takes numbers or timestamps"),
    ("request_created_at != '2026-11-01'", 20,
     "'request_created_at' is a timestamp field; '!=' takes text or numbers"),
    ("cached != true", 8, "'cached' is a boolean field; it takes only '= true' or '= false'"),
    ("property_key != 'x'", 14, "'property_key' takes only '='"),
    ("scores.accuracy > 80", 17, "'scores.accuracy' takes only '=' and '!=' with an integer"),
    # unknown field / map
    ("modle = 'x'", 1, "unknown field 'modle'; did you mean 'model'?"),
    ("Model = 'x'", 1, "unknown field 'Model'; did you mean 'model'?"),
    ("status = 1 and xyzzy = 'x'", 16, "unknown field 'xyzzy'"),
    ("propertie.env = 'x'", 1, "unknown map 'propertie'; did you mean 'properties'"),
    ("model.env = 'x'", 1,
     "'model' is not a map; the maps are properties, scores, search_properties"),
    ("properties = 'x'", 1, "'properties' needs a key: properties.<name>"),
    ("properties. = 'x'", 13,
     "expected a key after 'properties.': a name or a quoted string, found '='"),
    ("properties.2fa = 'x'", 12, "malformed number '2fa'"),
    # missing operator / value
    ("model 'x'", 7,
     "expected an operator after 'model' (= != like ilike contains not contains), "
     "found the string 'x'"),
    ("model", 6, "expected an operator after 'model'"),
    ("model =", 8,
     "expected a value after '=' (a quoted string, a number, true or false), found the end"),
    ("model = and status = 1", 9, "expected a value after '='"),
    ("model = gpt4", 9, "text goes in quotes: 'gpt4'"),
    ("model not like 'x'", 11, "expected 'contains' after 'not', found 'like'"),
    # strings
    ("model = 'abc", 9, "unterminated string: close it with '"),
    ('model = "abc', 9, 'unterminated string: close it with "'),
    ("model = 'abc\\'", 9, "unterminated string"),
    ("model = 'a\\qb'", 11, "unknown escape '\\q'"),
    ("model = '\\u12'", 10, "'\\u' needs 4 hex digits"),
    # trailing input and parentheses
    ("model = 'a' status = 1", 13, "expected 'and', 'or' or the end, found 'status'"),
    ("(model = 'a'", 13, "expected ')' to close the '(' at col 1, found the end"),
    ("((model = 'a')", 15, "expected ')' to close the '(' at col 1"),
    ("(model = 'a' status = 1)", 14, "expected ')' to close the '(' at col 1, found 'status'"),
    ("model = 'a')", 12, "')' without a matching '('"),
    ("()", 2, "expected a condition (field operator value), found ')'"),
    ("model = 'a' or", 15, "expected a condition (field operator value), found the end"),
    ("and model = 'a'", 1, "expected a condition before 'and'"),
    ("model = 'a' and or status = 1", 17, "expected a condition before 'or'"),
    ("all and model = 'a'", 5, "'all' stands alone"),
    ("model = 'a' and all", 17, "'all' can only be the whole filter"),
    # symbols
    ("model == 'a'", 7, "'==' is written '='"),
    ("model <> 'a'", 7, "'<>' is written '!='"),
    ("model ! 'a'", 7, "unexpected '!'; did you mean '!='?"),
    ("model = 'a' & status = 1", 13, "unexpected '&'"),
    ("latency > - 5", 11, "unexpected '-'"),
    # wrong value kinds
    ("user_id = 42", 11, "'user_id' is a text field: put the value in quotes, e.g. '42'"),
    ("model = true", 9, "'model' is a text field: put the value in quotes, e.g. 'true'"),
    ("latency > '5'", 11, "'latency' is a number field: write the number without quotes, 5"),
    ("latency > 'fast'", 11, "'latency' is a number field; expected a number"),
    ("latency > true", 11, "'latency' is a number field; expected a number"),
    ("cached = 'true'", 10, "'cached' is a boolean field: expected true or false"),
    ("cached = 1", 10, "'cached' is a boolean field: expected true or false"),
    ("request_created_at > 5", 22, "'request_created_at' is a timestamp field: expected an ISO"),
    ("request_created_at > 'yesterday'", 22, "'yesterday' is not an ISO 8601 date-time"),
    ("request_created_at > '2026-13-01'", 22, "'2026-13-01' is not an ISO 8601 date-time"),
    ("scores.accuracy = 80.5", 19, "score values are integers"),
    ("scores.accuracy = '80'", 19, "score values are integers"),
    ("scores.accuracy = 8e1", 19, "score values are integers"),
    # numbers
    ("latency > 5ms", 11, "malformed number '5ms'"),
    ("latency > 1.", 11, "malformed number '1.'"),
    ("latency > 1e999", 11, "too large"),
]


@pytest.mark.parametrize(("text", "column", "message"), ERRORS, ids=[t for t, _, _ in ERRORS])
def test_errors_name_the_column(text: str, column: int, message: str) -> None:
    with pytest.raises(FilterSyntaxError) as caught:
        parse(text)
    err = caught.value
    assert err.column == column, err.message
    assert message in err.message
    assert str(err) == f"col {err.column}: {err.message}"
    assert isinstance(err, FilterError)


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(FilterSyntaxError, match="nested parentheses"):
        parse("(" * 5000 + "model = 'a'" + ")" * 5000)
    assert parse("(" * 50 + "model = 'a'" + ")" * 50) == A


def test_session_fields_only_on_the_sessions_endpoint() -> None:
    tree = parse("session_tag = 'checkout' and cost > 0.5")
    check_for_endpoint(tree, sessions=True)
    check_for_endpoint(parse("cost > 0.5"), sessions=False)
    with pytest.raises(FilterError) as caught:
        check_for_endpoint(tree, sessions=False)
    assert str(caught.value) == (
        "this filter uses session fields, which only the Sessions tab can send"
    )


# --------------------------------------------------------------------------- format

FORMATS = [
    ("ALL", "all"),
    ("model ILIKE \"%x%\" AND cached = TRUE", "model ilike '%x%' and cached = true"),
    ("model NOT CONTAINS 'x'", "model not contains 'x'"),
    ("(model = 'a' or status >= 500) and latency > 10000",
     "(model = 'a' or status >= 500) and latency > 10000"),
    ("model = 'a' or (status >= 500 and latency > 10000)",
     "model = 'a' or status >= 500 and latency > 10000"),
    ("((model = 'a')) and ((status >= 500 and latency > 10000))",
     "model = 'a' and status >= 500 and latency > 10000"),
    ("properties.\"env\" = 'x'", "properties.env = 'x'"),
    ("properties.'Helicone-Session-Id' = 'x'", "properties.Helicone-Session-Id = 'x'"),
    ("properties.'a b' = 'x'", "properties.'a b' = 'x'"),
    ("properties.'2fa' = 'x'", "properties.'2fa' = 'x'"),
    ("properties.'' = 'x'", "properties.'' = 'x'"),
    ('model = "it\'s"', "model = 'it\\'s'"),
    ('model = "a\\\\b \\" "', "model = 'a\\\\b \" '"),
    ("model = 'a\\nb'", "model = 'a\\nb'"),
    ("model = '\\u2028\\x00'", "model = '\\u2028\\x00'"),
    ("model = 'é'", "model = 'é'"),
    ("latency > 1e3", "latency > 1000.0"),
    ("latency > 1E+20", "latency > 1e+20"),
    ("latency > -0", "latency > 0"),
    ("status = 500", "status = 500"),
]


@pytest.mark.parametrize(("text", "canonical"), FORMATS, ids=[t for t, _ in FORMATS])
def test_format_is_canonical(text: str, canonical: str) -> None:
    assert format(parse(text)) == canonical
    assert format(parse(canonical)) == canonical


def test_format_shows_the_normal_form() -> None:
    assert format(Group("or", ())) == "all"
    assert format(Group("and", (Group("or", (A,)), Group("and", ())))) == "model = 'a'"
    assert format(Group("and", (A, Group("or", (B, C))))) == (
        "model = 'a' and (status >= 500 or latency > 10000)"
    )
    assert format(Group("or", (A, Group("and", (B, C))))) == (
        "model = 'a' or status >= 500 and latency > 10000"
    )


# --------------------------------------------------------------------------- round trips

ZONES = st.sampled_from(
    [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=8))]
)


def _timestamps() -> st.SearchStrategy[str]:
    moments = st.datetimes(
        min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1), timezones=ZONES
    )
    return st.one_of(
        moments.map(lambda d: d.isoformat()),
        moments.map(lambda d: d.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")),
        moments.map(lambda d: d.date().isoformat()),
    )


def _values(info: FieldInfo) -> st.SearchStrategy[object]:
    if info.is_map and info.type is FieldType.NUMBER:
        return st.integers(-(10**12), 10**12)
    return {
        FieldType.TEXT: st.text(),
        FieldType.NUMBER: st.one_of(
            st.integers(-(10**15), 10**15), st.floats(allow_nan=False, allow_infinity=False)
        ),
        FieldType.TIMESTAMP: _timestamps(),
        FieldType.BOOLEAN: st.booleans(),
    }[info.type]


@st.composite
def _conditions(draw: st.DrawFn) -> Condition:
    info = draw(st.sampled_from(FIELDS))
    key = draw(st.one_of(st.text(), st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]*", fullmatch=True)))
    return Condition(
        info.name,
        draw(st.sampled_from(info.operators)),
        draw(_values(info)),
        key if info.is_map else None,
    )


TREES = st.recursive(
    _conditions(),
    lambda children: st.builds(
        Group, st.sampled_from(["and", "or"]), st.lists(children, max_size=4).map(tuple)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(TREES)
def test_round_trip_on_the_normal_form(tree) -> None:
    text = format(tree)
    parsed = parse(text)
    assert parsed == normal(tree)
    assert format(parsed) == text
    # the same wire JSON, value kinds included
    assert json.dumps(to_wire(parsed, sessions=True)) == json.dumps(to_wire(tree, sessions=True))
    assert "\n" not in text


# --------------------------------------------------------------------------- fuzz

_TOKENS = [
    *(f.name for f in FIELDS), "properties.", "scores.", "x", "'x'", '"y"', "'", '"', "\\",
    "and", "OR", "all", "not", "contains", "like", "ilike", "true", "FALSE", "(", ")", ".",
    *OP_TEXT.values(), "==", "!", "-", "1", "-2.5e3", "1e999", "0x1", "'2026-11-01T00:00:00Z'",
    "'\\u00e9'", "'\\q'", "é", "\t",
]
_SOUP = st.lists(
    st.tuples(st.sampled_from(_TOKENS), st.sampled_from(["", " ", "  "])), max_size=14
).map(lambda parts: "".join(token + space for token, space in parts))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), _SOUP))
def test_random_text_only_raises_filter_errors(text: str) -> None:
    try:
        tree = parse(text)
    except FilterSyntaxError as err:
        assert 1 <= err.column <= len(text) + 1
        assert str(err).startswith(f"col {err.column}: ")
        return
    # whatever parses formats canonically and parses back to itself
    assert parse(format(tree)) == tree


# --------------------------------------------------------------------------- lone surrogates


@pytest.mark.parametrize(("text", "column"), [
    ("model = '\\ud800'", 10),  # an escape of half a pair
    ("model = 'gpt-\ud800'", 14),  # the character itself (argv bytes that were not UTF-8)
    ("properties.'\udcff' = 'x'", 13),
    ("model = 'x' and user_id = '\\uDFFF'", 28),
])
def test_a_lone_surrogate_is_an_error_at_its_column(text: str, column: int) -> None:
    with pytest.raises(FilterSyntaxError, match="surrogate") as info:
        parse(text)
    assert info.value.column == column


def test_astral_characters_are_still_characters() -> None:
    assert parse("model = '\\U0001f600'") == Condition("model", "equals", "\U0001f600")
    assert parse("model = '\U0001f600'") == Condition("model", "equals", "\U0001f600")


def test_a_long_chain_parses_and_too_long_a_one_is_refused() -> None:
    from tui.filters.tree import MAX_CONDITIONS

    tree = parse(" or ".join(f"status = {i}" for i in range(1000)))
    assert isinstance(tree, Group) and len(tree.children) == 1000
    with pytest.raises(FilterError, match=f"at most {MAX_CONDITIONS}"):
        parse(" and ".join(f"status = {i}" for i in range(MAX_CONDITIONS + 1)))


# --------------------------------------------------------------------------- timestamps on the wire

NEW_YORK = "America/New_York"


def _sent(text: str, tz: object = None) -> str:
    wire = to_wire(parse(text), tz=tz)  # type: ignore[arg-type]
    assert isinstance(wire, dict)
    (ops,) = wire["request_response_rmt"].values()
    (value,) = ops.values()
    return value


@pytest.mark.parametrize(("typed", "sent"), [
    ("2026-11-15T06:00", "2026-11-15T11:00:00.000Z"),  # local time: EST is UTC-5
    ("2026-11-15 06:00:30", "2026-11-15T11:00:30.000Z"),
    ("2026-07-15T06:00:00.25", "2026-07-15T10:00:00.250Z"),  # EDT is UTC-4
    ("2026-11-15", "2026-11-15T05:00:00.000Z"),  # a date: local midnight, as --start
    ("2026-11-15T06:00:00Z", "2026-11-15T06:00:00.000Z"),
    ("2026-11-15T06:00:00+05:30", "2026-11-15T00:30:00.000Z"),
])
def test_a_timestamp_is_sent_as_utc_and_without_a_zone_it_is_local(
    monkeypatch: pytest.MonkeyPatch, typed: str, sent: str
) -> None:
    monkeypatch.setenv("TZ", NEW_YORK)
    assert _sent(f"request_created_at >= '{typed}'") == sent
    # the text keeps what was typed
    assert format(parse(f"request_created_at >= '{typed}'")) == (
        f"request_created_at >= '{typed}'")


def test_the_zone_can_be_given(monkeypatch: pytest.MonkeyPatch) -> None:
    from zoneinfo import ZoneInfo

    monkeypatch.setenv("TZ", "UTC")
    assert _sent("response_created_at < '2026-11-15T06:00'") == "2026-11-15T06:00:00.000Z"
    assert _sent("response_created_at < '2026-11-15T06:00'", ZoneInfo(NEW_YORK)) == (
        "2026-11-15T11:00:00.000Z")


@pytest.mark.parametrize("typed", ["20261115", "2026-W46", "2026-11-15T06Z", "2026-319",
                                   "2026-W46-1", "2026-11-15T0600", "2026-11"])
def test_forms_helicone_cannot_parse_are_errors_at_their_column(typed: str) -> None:
    with pytest.raises(FilterSyntaxError, match="not an ISO 8601 date-time Helicone") as info:
        parse(f"request_created_at > '{typed}'")
    assert info.value.column == 22


def test_start_and_filter_timestamps_read_the_same_forms() -> None:
    from tui.api.timerange import RangeError, parse_time

    with pytest.raises(RangeError):
        parse_time("2026-W46")
    assert parse_time("2026-11-15T06:00Z") == parse_time("2026-11-15T06:00:00.000Z")
