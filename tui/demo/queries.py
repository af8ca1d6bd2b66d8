"""The four query endpoints (scores, evals, score distributions, session metrics), quirks included.

What Helicone does and this copies (SEMANTICS.md):
- the body as tsoa passes it on (tui/demo/validation.py: its validation and coercions, from the
  strict spec), else 422;
- scores: errors are HTTP 200 `{data: null, error}`; evals, distributions, sessions: HTTP 500;
  a filter Helicone's builder throws on (empty operator object, `{"request_response_rmt": {}}`, an
  empty `properties`) is the generic 500 `{"message": "Internal Server Error", ...}`;
- evals: hour buckets always, `offset`/`limit` ignored, every all-time score name (in byte order:
  Helicone's order is ClickHouse's DISTINCT order, unspecified), averageScore = Σ hourly averages /
  count, min/max clamped toward 0 by hours without the score, NaN -> null;
- sessions: no session-id guard (requests without one form the '' session), nameContains is an
  exact match, timezoneDifference only validated, ranges as JavaScript Number#toString strings.

Beyond Helicone: a scores/evals window of more than `sql.MAX_BUCKETS` buckets is answered at once
with a timeout error instead of running for a minute; groups nested past `sql.MAX_GROUP_DEPTH` are
the endpoint's error, as ClickHouse's parser-depth error is Helicone's.
"""

from __future__ import annotations

import functools
import json
import math
import operator
import sys
import traceback
from collections.abc import Callable
from typing import Any

from tui.api.models import EndpointName
from tui.demo import sql
from tui.demo.answer import INTERNAL_ERROR, Answer
from tui.demo.data import Engine, EngineError, tsv_unescape
from tui.demo.filter_sql import FilterThrow, FilterTooDeep
from tui.demo.jsvalues import InvalidTimeValue, js_json_number, js_number_str, parse_js_date
from tui.demo.sql import TooManyBuckets, bucket_iso
from tui.demo.validation import Invalid, load_spec, validate_body

PATHS: dict[str, EndpointName] = {
    "/v1/dashboard/scores/query": EndpointName.SCORES,
    "/v1/evals/query": EndpointName.EVALS,
    "/v1/evals/score-distributions/query": EndpointName.DISTRIBUTIONS,
    "/v1/session/metrics/query": EndpointName.SESSIONS,
}


def _num(x: float | int | None) -> str:
    """A number as JSON.stringify writes it (integral doubles without '.0'; NaN/±Inf null)."""
    if x is None:
        return "null"
    if isinstance(x, int):
        return str(x)
    if x != x or x in (math.inf, -math.inf):
        return "null"
    if x.is_integer() and abs(x) < 1e21:
        return str(int(x))
    return repr(x)


def _json_float_text(text: str) -> str:
    """ClickHouse's text of a Float64 as a JSON value (it writes NaN and infinities as words)."""
    return "null" if text in ("nan", "inf", "-inf", "-nan", "+inf", "+nan") else text


@functools.lru_cache(maxsize=4096)
def _jstr(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _ok_text(data_json: str, engine_ms: float) -> Answer:
    """A success whose `data` is already JSON text: big answers skip building dicts."""
    return Answer(200, None, engine_ms, '{"data":' + data_json + ',"error":null}')


def _fail(endpoint: EndpointName, message: str, engine_ms: float = 0.0) -> Answer:
    """A manager's error: HTTP 200 on scores (the controller never sets a status), else 500."""
    status = 200 if endpoint is EndpointName.SCORES else 500
    return Answer(status, {"data": None, "error": message}, engine_ms)


def _ok(data: Any, engine_ms: float) -> Answer:
    return Answer(200, {"data": data, "error": None}, engine_ms)


def _number(value: Any) -> float:
    """A number of a validated body (tsoa has made it one)."""
    return float(value)


def _tz_ok(tz: float) -> bool:
    return not math.isnan(tz) and -1440 <= tz <= 1440


# --------------------------------------------------------------------------- validation (422)

_PATH_OF = {endpoint: path for path, endpoint in PATHS.items()}


def validate(endpoint: EndpointName, raw: Any) -> Any:
    """The body as Helicone's tsoa layer passes it on (coerced), or Invalid (422)."""
    return validate_body(_PATH_OF[endpoint], raw)


# --------------------------------------------------------------------------- the endpoints


class DemoApi:
    """The four endpoints over one engine; each method runs on the engine thread."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        with engine.locked():
            rows, _ = engine.query(sql.SCORE_NAMES_SQL)
            engine.execute(sql.SESSION_SCRATCH_DDL)
        # EvalManager caches these for 60 s; the data never change here.
        self.score_names: list[str] = [r[0] for r in rows]
        load_spec()

    def answer(self, endpoint: EndpointName, raw: dict[str, Any]) -> Answer:
        try:
            raw = validate(endpoint, raw)
        except Invalid as exc:
            return Answer(422, {"message": "Validation Failed", "details": exc.details})
        try:
            handler = {
                EndpointName.SCORES: self.scores,
                EndpointName.EVALS: self.evals,
                EndpointName.DISTRIBUTIONS: self.distributions,
                EndpointName.SESSIONS: self.sessions,
            }[endpoint]
            return handler(raw)
        except FilterThrow:
            return Answer(500, dict(INTERNAL_ERROR))
        except FilterTooDeep as exc:  # where Helicone's ClickHouse gives up on parser depth
            return _fail(endpoint, str(exc))
        except Exception:  # a bug here: answer as Helicone's express error handler does
            traceback.print_exc(file=sys.stderr)
            return Answer(500, dict(INTERNAL_ERROR))

    # -- scores ------------------------------------------------------------------------

    def _over_time(self, raw_time: dict[str, Any], user_filter: Any, increment: str,
                   tz: float, build: Callable[..., sql.Query]
                   ) -> tuple[list[list[str]] | None, str | None, float]:
        """getXOverTime's checks then its query: (rows as text fields, error, engine ms)."""
        start = parse_js_date(raw_time["start"])
        end = parse_js_date(raw_time["end"])
        if start.ms is None or end.ms is None or start.ms > end.ms:
            return None, "Invalid time filter", 0.0
        if not _tz_ok(tz):
            return None, "Invalid time zone difference", 0.0
        count = sql.bucket_count(start, end, increment)
        if count > sql.MAX_BUCKETS:
            return None, str(TooManyBuckets(count)), 0.0
        query = build(start, end, user_filter, tz)
        try:
            params = query.args.params()
        except InvalidTimeValue as exc:
            return None, str(exc), 0.0
        try:
            rows, ms = self.engine.query_text(query.sql, params, query.settings)
        except EngineError as exc:
            return None, str(exc), 0.0
        return rows, None, ms

    def scores(self, raw: dict[str, Any]) -> Answer:
        increment = raw["dbIncrement"]
        tz = _number(raw["timeZoneDifference"])
        rows, error, ms = self._over_time(
            raw["timeFilter"], raw["userFilter"], increment, tz,
            lambda s, e, f, t: sql.scores_query(s, e, f, increment, t),
        )
        if error is not None or rows is None:
            return _fail(EndpointName.SCORES, error or "no data", ms)
        items = ",".join(
            f'{{"created_at_trunc":"{bucket_iso(t, tz)}","score_key":{_jstr(tsv_unescape(key))},'
            f'"score_sum":{_json_float_text(value)}}}'
            for t, key, value in rows
        )
        return _ok_text(f"[{items}]", ms)

    # -- evals -------------------------------------------------------------------------

    def evals(self, raw: dict[str, Any]) -> Answer:
        tz = _number(raw.get("timeZoneDifference", 0))
        rows, error, ms = self._over_time(
            raw["timeFilter"], raw["filter"], "hour", tz,
            lambda s, e, f, t: sql.evals_query(s, e, f, t),  # hour buckets, always
        )
        if error is not None or rows is None:
            return _fail(EndpointName.EVALS, error or "no data", ms)
        # Rows: (hour, score, avg, min, max, count) as text, hour then score ascending; an hour
        # with no score at all is one filler row with score "". Columns at C speed, then per
        # name a lookup per hour. ClickHouse writes a Float64 as its shortest round-trip
        # decimal, valid JSON, so the averages' text goes out as it came.
        t_col, k_col, avg_col, low_col, high_col, n_col = (
            zip(*rows, strict=True) if rows else ((),) * 6)
        where = {(t, tsv_unescape(k)): i for i, (t, k) in enumerate(zip(t_col, k_col, strict=True))}
        lows, highs = list(map(int, low_col)), list(map(int, high_col))
        ns, avgs = list(map(int, n_col)), list(map(float, avg_col))
        hours = list(dict.fromkeys(t_col))
        dates = [bucket_iso(t, tz) for t in hours]
        items = []
        for name in self.score_names:
            at = [where.get((t, name)) for t in hours]
            present = [i for i in at if i is not None]
            clamp = [0] if len(present) < len(hours) else []  # an hour without it counts as 0
            low = min([lows[i] for i in present] + clamp, default=math.inf)
            high = max([highs[i] for i in present] + clamp, default=-math.inf)
            count = sum([ns[i] for i in present])
            # Σ of hourly averages in hour order, one addition at a time as JavaScript's
            # reduce does (absent hours add 0, which changes nothing).
            total = functools.reduce(operator.add, [avgs[i] for i in present], 0.0)
            if count:
                average = total / count
            else:  # JavaScript: 0/0 is NaN (null in JSON)
                average = math.nan if total == 0 else math.copysign(math.inf, total)
            over_time = ",".join([
                f'{{"date":"{d}","count":{"0" if i is None else n_col[i]}}}'
                for d, i in zip(dates, at, strict=True)])
            average_over_time = ",".join([
                f'{{"date":"{d}","value":{"0" if i is None else _json_float_text(avg_col[i])}}}'
                for d, i in zip(dates, at, strict=True)])
            items.append(
                f'{{"name":{_jstr(name)},"averageScore":{_num(average)},'
                f'"minScore":{_num(low)},"maxScore":{_num(high)},"count":{count},'
                f'"overTime":[{over_time}],"averageOverTime":[{average_over_time}]}}'
            )
        return _ok_text(f"[{','.join(items)}]", ms)

    # -- distributions -----------------------------------------------------------------

    def distributions(self, raw: dict[str, Any]) -> Answer:
        endpoint = EndpointName.DISTRIBUTIONS
        start = parse_js_date(raw["timeFilter"]["start"])
        end = parse_js_date(raw["timeFilter"]["end"])
        query = sql.distributions_query(start, end, raw["filter"])
        try:
            params = query.args.params()
        except InvalidTimeValue as exc:
            return _fail(endpoint, str(exc))
        try:
            rows, ms = self.engine.query(query.sql, params, query.settings)
        except EngineError as exc:
            return _fail(endpoint, str(exc))
        data = [
            {"name": name, "distribution": [
                {"lower": js_json_number(float(lo)), "upper": js_json_number(float(hi)),
                 "value": js_json_number(float(h))}
                for lo, hi, h in bins
            ]}
            for name, bins in rows
        ]
        return _ok(data, ms)

    # -- session metrics ---------------------------------------------------------------

    def sessions(self, raw: dict[str, Any]) -> Answer:
        endpoint = EndpointName.SESSIONS
        if not _tz_ok(_number(raw["timezoneDifference"])):
            return _fail(endpoint, "Invalid timezone difference")
        where, args = sql.session_where(raw.get("timeFilter"), raw.get("filter"),
                                        raw["nameContains"])
        p_size = raw.get("pSize") or "p75"
        interquartile = bool(raw.get("useInterquartile", False))
        try:
            params = args.params()
        except InvalidTimeValue:
            return _fail(endpoint, "No request count found")
        total = 0.0
        try:
            with self.engine.locked():
                total += self.engine.execute("TRUNCATE TABLE session_scratch")
                scan = sql.session_scan_query(where, args)
                _, ms = self.engine.query(scan.sql, params)
                total += ms
                rows, ms = self.engine.query(sql.session_metrics_sql(p_size, interquartile))
                total += ms
        except EngineError:
            # getHistogramRowOnKeys turns any failure of its query into this message.
            return _fail(endpoint, "No request count found", total)
        (count, duration, cost, avg_cost, avg_duration, avg_count), = rows

        def histogram(bins: list[list[float]]) -> list[dict[str, Any]]:
            return [
                {"range_start": js_number_str(lo), "range_end": js_number_str(hi),
                 "value": js_json_number(float(h))}
                for lo, hi, h in bins
            ]

        def average(value: float | None) -> list[dict[str, Any]]:
            return [{"average": None if value is None else js_json_number(float(value))}]

        data = {
            "session_count": histogram(count),
            "session_duration": histogram(duration),
            "session_cost": histogram(cost),
            "average": {
                "session_cost": average(avg_cost),
                "session_duration": average(avg_duration),
                "session_count": average(avg_count),
            },
        }
        return _ok(data, total)
