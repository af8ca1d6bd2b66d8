"""Property endpoints (SEMANTICS-MORE §5.1-5.3) and the session names list (§7.2).

Properties answer HTTP 200 whatever happens (jawn never sets a status there):
- /v1/property/query: every key ever seen (the organization_properties table, filled from the
  data at start-up), hidden keys removed;
- /{key}/search: at most 25 values containing the term (ILIKE, so % and _ are wildcards);
- /{key}/top-requests and /top-costs: the top 10 values by count / cost in the window (start,
  end) exclusive, where requests without the key are the "" value and compete for the top 10,
  then "Other" (total minus the top 10) when positive.
Session names: HTTP 500 on a bad time zone; 50 names; times shifted by -|tz| with no zone.

Deterministic where Helicone is not (its queries have no ORDER BY): keys, values and names come
sorted, and ties in the top 10 are broken by value.
"""

from __future__ import annotations

from typing import Any

from tui.demo.answer import Answer
from tui.demo.common import demo_now, jnum, jraw, number, tz_ok, window
from tui.demo.data import Engine, EngineError
from tui.demo.filter_sql import Args, FilterBuilder, and_tree, time_leaf
from tui.demo.jsvalues import InvalidTimeValue, JsDate

_RMT = "request_response_rmt"

SETUP_SQL = (
    "CREATE TABLE IF NOT EXISTS organization_properties (property_key String) ENGINE = Memory",
    "CREATE TABLE IF NOT EXISTS hidden_property_keys (key String, is_hidden UInt8) "
    "ENGINE = Memory",
    "INSERT INTO organization_properties SELECT DISTINCT arrayJoin(mapKeys(properties)) "
    f"FROM {_RMT}",
)


def setup(engine: Engine) -> None:
    with engine.locked():
        for statement in SETUP_SQL:
            engine.execute(statement)


def _ok(data: Any, ms: float, status: int = 200) -> Answer:
    return Answer(status, {"data": data, "error": None}, ms)


def _run(engine: Engine, text: str, args: Args) -> tuple[list[list[Any]] | None, str | None,
                                                          float]:
    try:
        rows, ms = engine.query(text, args.params())
    except InvalidTimeValue as exc:
        return None, str(exc), 0.0
    except EngineError as exc:
        return None, str(exc), 0.0
    return rows, None, ms


def keys(engine: Engine, raw: dict[str, Any]) -> Answer:
    text = (
        "SELECT DISTINCT op.property_key AS property FROM organization_properties AS op "
        "LEFT JOIN hidden_property_keys AS hp ON op.property_key = hp.key "
        "WHERE hp.is_hidden = 0 OR hp.is_hidden IS NULL ORDER BY property"
    )
    rows, error, ms = _run(engine, text, Args())
    if error is not None or rows is None:
        return Answer(200, {"data": None, "error": error}, ms)
    return _ok([{"property": r[0]} for r in rows], ms)


def search(engine: Engine, key: str, raw: dict[str, Any]) -> Answer:
    # Helicone ARRAY JOINs every key and value and keeps the values of `key`; the values of
    # the rows that have the key are the same set, without unfolding every map.
    args = Args()
    k1, k2, term = args.place(key), args.place(key), args.place(raw["searchTerm"])
    text = (
        f"SELECT DISTINCT properties[{k1}] AS property FROM {_RMT} "
        f"WHERE has(properties, {k2}) AND property ILIKE '%' || {term} || '%' "
        "ORDER BY property LIMIT 25"
    )
    rows, error, ms = _run(engine, text, args)
    if error is not None or rows is None:
        return Answer(200, {"data": None, "error": error}, ms)
    return _ok([r[0] for r in rows], ms)


def top(engine: Engine, key: str, raw: dict[str, Any], by_cost: bool) -> Answer:
    start, end = window(raw["timeFilter"])
    args = Args()
    where = FilterBuilder(args).node(and_tree([time_leaf("gt", start), time_leaf("lt", end)]))
    column = args.place(key)
    measure = "sum(cost) / 1000000000" if by_cost else "count(*)"
    name = "cost" if by_cost else "count"
    text = (
        f"SELECT properties[{column}] AS value, {measure} AS {name} FROM {_RMT} "
        f"WHERE ({where}) AND properties[{column}] IS NOT NULL GROUP BY value "
        f"ORDER BY {name} DESC, value ASC LIMIT 10"
    )
    rows, error, ms = _run(engine, text, args)
    if error is not None or rows is None:
        return Answer(200, {"data": None, "error": error}, ms)
    total_rows, error, total_ms = _run(
        engine, f"SELECT {measure} FROM {_RMT} WHERE ({where})", args)
    total = jnum(total_rows[0][0]) if total_rows else 0  # a failed total reads 0
    data = [{"value": r[0], name: jnum(r[1])} for r in rows]
    other = total - sum(d[name] for d in data)
    if other > 0:
        data.append({"value": "Other", name: other})
    return _ok(data, ms + total_ms)


def session_names(engine: Engine, raw: dict[str, Any]) -> Answer:
    tz = number(raw["timezoneDifference"])
    if not tz_ok(tz):
        return Answer(500, {"data": None, "error": "Invalid timezone difference"})
    shift = f"INTERVAL {int(abs(tz))} MINUTE" if float(abs(tz)).is_integer() else (
        f"INTERVAL {abs(tz) * 60:.0f} SECOND")
    builder = FilterBuilder()
    nodes: list[Any] = []
    time_filter = raw.get("timeFilter")
    if time_filter is not None:
        nodes += [time_leaf("gt", JsDate.from_ms(number(time_filter["startTimeUnixMs"]))),
                  time_leaf("lt", JsDate.from_ms(number(time_filter["endTimeUnixMs"])))]
    if raw.get("filter") is not None:
        nodes.append(raw["filter"])
    where = builder.node(and_tree(nodes))
    args = builder.args
    now = demo_now(engine.anchor)
    # mat_session_name / mat_session_id: the table's load-time copies of the two properties
    # (same values), so the names are grouped without a map lookup per row.
    name = "mat_session_name"
    conditions = [
        "has(properties, 'Helicone-Session-Id')", f"({where})",
        f"request_created_at > {args.place(now)} - INTERVAL 150 DAY",
    ]
    if raw["nameContains"]:
        conditions.append(f"{name} ILIKE '%' || {args.place(raw['nameContains'])} || '%'")
    text = (
        f"SELECT {name} AS name, toString(min(request_created_at) - {shift}) AS created_at, "
        f"avg(latency) AS avg_latency, toString(max(request_created_at) - {shift}) AS last_used, "
        f"count(DISTINCT toString(mat_session_id)) AS session_count FROM {_RMT} "
        f"WHERE {' AND '.join(conditions)} GROUP BY name ORDER BY name LIMIT 50"
    )
    rows, error, ms = _run(engine, text, args)
    if error is not None or rows is None:
        return Answer(500, {"data": None, "error": error}, ms)
    data = [
        {"name": r[0], "created_at": r[1], "avg_latency": jnum(r[2]), "last_used": r[3],
         "first_used": r[1], "session_count": jraw(r[4])}
        for r in rows
    ]
    return _ok(data, ms)
