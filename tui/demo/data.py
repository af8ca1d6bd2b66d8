"""The demo server's data set: Helicone's tables in an in-process ClickHouse (chdb).

Synthetic traffic is generated inside the engine (`INSERT … SELECT … FROM numbers(n)`), from hashes
of (seed, purpose, row) and an anchor time, so the same seed and anchor give the same rows: no
`rand()` (it ignores its seed) and no `generateUUIDv4()`. `--data FILE` loads a user's own export
(Parquet or JSON lines with Helicone's column names) instead.

chdb holds one engine per process, so one `Engine` (one data set) per server process.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

#: Helicone's `request_response_rmt` columns and types (migrations schema_41 and later ALTERs).
#: Storage differs on purpose: a Memory table (Helicone's is a ReplacingMergeTree) filled in
#: (request_created_at, request_id) order, so it builds fast and a one-thread read yields rows in
#: that order, the histogram feed order.
RMT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("response_id", "Nullable(UUID)"),
    ("response_created_at", "Nullable(DateTime64(3))"),
    ("latency", "Nullable(Int64)"),
    ("status", "Int64"),
    ("completion_tokens", "Nullable(Int64)"),
    ("prompt_tokens", "Nullable(Int64)"),
    ("prompt_cache_write_tokens", "Int64"),
    ("prompt_cache_read_tokens", "Int64"),
    ("model", "LowCardinality(String)"),
    ("request_id", "UUID"),
    ("request_created_at", "DateTime64(3)"),
    ("user_id", "LowCardinality(String)"),
    ("organization_id", "UUID"),
    ("proxy_key_id", "Nullable(UUID)"),
    ("threat", "Nullable(Bool)"),
    ("time_to_first_token", "Nullable(Int64)"),
    ("provider", "LowCardinality(String)"),
    ("target_url", "Nullable(String)"),
    ("country_code", "Nullable(String)"),
    ("cache_enabled", "Bool"),
    ("cache_reference_id", "UUID"),
    ("properties", "Map(LowCardinality(String), String)"),
    ("scores", "Map(LowCardinality(String), Int64)"),
    ("request_body", "String"),
    ("response_body", "String"),
    ("assets", "Array(String)"),
    ("cost", "Nullable(UInt64)"),
    ("prompt_id", "String"),
    ("prompt_version", "String"),
    ("request_referrer", "String"),
    ("is_passthrough_billing", "Bool"),
    ("updated_at", "DateTime64(3, 'UTC')"),
    # SEMANTICS-MORE §10: what query-clickhouse and GET /v1/request/{id} also send.
    ("reasoning_tokens", "Int64"),
    ("ai_gateway_body_mapping", "String"),
    ("storage_location", "LowCardinality(String)"),
    ("size_bytes", "UInt32"),
)
TAGS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("organization_id", "String"),
    ("entity_type", "String"),
    ("entity_id", "String"),
    ("tag", "String"),
    ("created_at", "DateTime"),
)

ZERO_UUID = "00000000-0000-0000-0000-000000000000"
#: Every query sees UTC, as Helicone's ClickHouse does; 64-bit integers come out as JSON numbers.
QUERY_SETTINGS = (
    "session_timezone = 'UTC', output_format_json_quote_64bit_integers = 0, "
    "output_format_json_quote_denormals = 0, max_execution_time = 20"
)

# --------------------------------------------------------------------------- the synthetic world

#: (model, provider, weight, price in nano-USD per prompt token, per completion token,
#:  base latency ms, ms per completion token)
MODELS: tuple[tuple[str, str, int, int, int, int, int], ...] = (
    ("gpt-4o-mini", "OPENAI", 30, 150, 600, 300, 8),
    ("gpt-4o", "OPENAI", 20, 2500, 10000, 500, 15),
    ("o3-mini", "OPENAI", 5, 1100, 4400, 2500, 25),
    ("claude-3-5-sonnet-20241022", "ANTHROPIC", 18, 3000, 15000, 700, 18),
    ("claude-3-5-haiku-20241022", "ANTHROPIC", 10, 800, 4000, 350, 9),
    ("gemini-1.5-pro", "GOOGLE", 7, 1250, 5000, 600, 14),
    ("llama-3.1-70b-versatile", "GROQ", 5, 590, 790, 150, 3),
    ("mistral-large-latest", "MISTRAL", 5, 2000, 6000, 450, 12),
)
TARGET_URLS = {
    "OPENAI": "https://api.openai.com/v1/chat/completions",
    "ANTHROPIC": "https://api.anthropic.com/v1/messages",
    "GOOGLE": "https://generativelanguage.googleapis.com/v1beta/models",
    "GROQ": "https://api.groq.com/openai/v1/chat/completions",
    "MISTRAL": "https://api.mistral.ai/v1/chat/completions",
}
COUNTRIES: tuple[tuple[str, int], ...] = (
    ("US", 35), ("GB", 10), ("DE", 9), ("IN", 9), ("FR", 6), ("BR", 6), ("CA", 5), ("JP", 5),
    ("AU", 4), ("NL", 3), ("ES", 3), ("SE", 2), ("MX", 2), ("", 1),  # "": unknown (logger)
)
#: The `customer` property: which account sent the request ("" -> no property).
CUSTOMERS: tuple[tuple[str, int], ...] = (
    ("acme-corp", 24), ("initech", 18), ("globex", 14), ("umbrella", 12), ("hooli", 10),
    ("stark-industries", 8), ("wayne-enterprises", 6), ("", 8),
)
#: The error burst comes with a retry storm from one customer: its client retries the failing
#: model, so in the burst window that customer's requests (and its users) jump to the top.
STORM_CUSTOMER = "globex"
STORM_SHARE = 0.004  # extra requests, as a share of `requests`, all inside the burst window
ENVIRONMENTS: tuple[tuple[str, int], ...] = (
    ("production", 78), ("staging", 12), ("development", 5), ("", 5),  # "" -> no property
)
TIERS: tuple[tuple[str, int], ...] = (("free", 40), ("pro", 22), ("enterprise", 8), ("", 30))
#: Session kinds: (Helicone-Session-Name, weight, min size, extra size, min gap ms, extra gap ms,
#:  paths the requests walk through).
SESSION_KINDS: tuple[tuple[str, int, int, int, int, int, tuple[str, ...]], ...] = (
    ("Support Chat", 35, 1, 9, 8_000, 80_000,
     ("/chat", "/chat/retrieve", "/chat/answer", "/chat/followup")),
    ("Research Agent", 25, 4, 14, 1_500, 15_000,
     ("/agent/plan", "/agent/tool/search", "/agent/tool/browse", "/agent/summarize")),
    ("Checkout Assistant", 20, 3, 4, 4_000, 30_000,
     ("/checkout/cart", "/checkout/recommend", "/checkout/confirm")),
    ("Onboarding Flow", 20, 4, 5, 15_000, 100_000,
     ("/onboarding/welcome", "/onboarding/profile", "/onboarding/tips")),
)
SESSION_TAGS: tuple[str, ...] = ("checkout", "vip", "escalated", "beta", "refund", "priority")
TOPICS: tuple[str, ...] = (
    "reset my password", "summarize this contract", "refund for order", "translate to German",
    "classify this ticket", "write a haiku about rain", "explain the invoice",
    "compare two laptops", "draft a follow-up email", "find flights to Lisbon",
    "debug this stack trace", "recommend a book",
)
#: UTC hour-of-day weights: the daily rhythm.
HOUR_WEIGHTS: tuple[int, ...] = (
    3, 2, 2, 2, 2, 3, 4, 6, 8, 10, 11, 12, 12, 13, 14, 14, 13, 12, 10, 9, 8, 6, 5, 4,
)
SESSION_SHARE = 0.62  # of requests that belong to a session; the rest have no session id


@dataclass(frozen=True, slots=True)
class Incidents:
    """The three findable incidents (UTC instants), so docs and tests can point at them."""

    error_model: str
    error_customer: str  # the retry storm's customer (property `customer`)
    error_start: datetime
    error_end: datetime
    latency_provider: str
    latency_start: datetime
    latency_end: datetime
    prompt_id: str
    prompt_change: datetime  # prompt_version v3 -> v4; accuracy drops after it


def anchor_time(now: datetime | None) -> datetime:
    """The data's anchor: `now` as given (made UTC), or now rounded down to the hour."""
    if now is None:
        return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    if now.tzinfo is None:
        now = now.astimezone()  # a naive time is local time, as on the command line
    return now.astimezone(UTC)


def incidents_for(now: datetime, days: int) -> Incidents:
    """Place the incidents at fixed fractions of the window, hour-aligned."""
    hours = days * 24

    def ago(fraction: float, minimum: int) -> datetime:
        return now - timedelta(hours=max(minimum, round(hours * fraction)))

    span = max(1, min(4, hours // 8))
    err0, lat0 = ago(0.17, 3), ago(0.07, 2)
    return Incidents(
        error_model="gpt-4o-mini",
        error_customer=STORM_CUSTOMER,
        error_start=err0,
        error_end=err0 + timedelta(hours=min(3, span)),
        latency_provider="ANTHROPIC",
        latency_start=lat0,
        latency_end=lat0 + timedelta(hours=span),
        prompt_id="support-reply",
        prompt_change=ago(0.27, 4),
    )


def _ms(t: datetime) -> int:
    return int(t.timestamp() * 1000)


def _array(values: Any) -> str:
    """An SQL array literal of our own constants (never user input)."""
    items = []
    for v in values:
        if isinstance(v, str):
            items.append("'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'")
        else:
            items.append(repr(v))
    return "[" + ", ".join(items) + "]"


def _cumulative(weights: Any) -> list[float]:
    total = float(sum(weights))
    acc, out = 0.0, []
    for w in weights:
        acc += w
        out.append(round(acc / total, 6))
    return out


def _tag_constant(tag: str) -> int:
    """A fixed 64-bit constant per purpose, so each purpose draws its own stream."""
    import hashlib

    return int.from_bytes(hashlib.blake2b(tag.encode(), digest_size=8).digest(), "little")


class _Gen:
    """SQL snippets for deterministic randomness.

    Each row has one base hash, `cityHash64(seed, key)`; each purpose mixes a fixed constant into
    it with `intHash64`, which is far cheaper than hashing (seed, purpose, key) every time.
    """

    def __init__(self, seed: int) -> None:
        self.seed = int(seed) & 0xFFFFFFFFFFFFFFFF

    def base(self, key: str, domain: str = "") -> str:
        if domain:
            return f"cityHash64(toUInt64({self.seed}), '{domain}', {key})"
        return f"cityHash64(toUInt64({self.seed}), {key})"

    def h(self, tag: str, base: str) -> str:
        return f"intHash64(bitXor({base}, toUInt64({_tag_constant(tag)})))"

    def u(self, tag: str, base: str) -> str:
        """Uniform in [0, 1)."""
        return f"({self.h(tag, base)} / 18446744073709551616.)"

    def z(self, tag: str, base: str) -> str:
        """About N(0, 1): Irwin-Hall of 4 uniforms, rescaled."""
        parts = " + ".join(self.u(f"{tag}{i}", base) for i in range(4))
        return f"(({parts}) - 2) * 1.7320508075688772"

    @staticmethod
    def pick(cum: list[float], u: str) -> str:
        """A 0-based index drawn by the uniform column `u` with cumulative shares `cum`."""
        branches = ", ".join(f"{u} < {c!r}, {i}" for i, c in enumerate(cum[:-1]))
        return f"multiIf({branches}, {len(cum) - 1})" if branches else "0"

    def uuid(self, tag: str, base: str) -> str:
        """A version-4-shaped UUID from two derived hashes."""
        hi = f"bitOr(bitAnd({self.h(tag + 'a', base)}, 0xFFFFFFFFFFFF0FFF), 0x4000)"
        lo = (
            f"bitOr(bitAnd({self.h(tag + 'b', base)}, 0x3FFFFFFFFFFFFFFF), "
            "0x8000000000000000)"
        )
        return (
            f"reinterpretAsUUID(concat(reinterpretAsFixedString(toUInt64({hi})), "
            f"reinterpretAsFixedString(toUInt64({lo}))))"
        )


def _ddl_columns(columns: tuple[tuple[str, str], ...]) -> str:
    return ",\n  ".join(f"`{name}` {ctype}" for name, ctype in columns)


#: Not Helicone's: copies of two properties computed once at load time (MATERIALIZED columns
#: are left out of `SELECT *` and of inserts), so the session metrics group by a plain column
#: instead of looking the keys up in the map a million times. Same values, same answers.
SESSION_COLUMNS = (
    "`mat_session_id` LowCardinality(String) MATERIALIZED properties['Helicone-Session-Id']",
    "`mat_session_name` LowCardinality(String) MATERIALIZED properties['Helicone-Session-Name']",
)


def create_tables_sql() -> list[str]:
    return [
        "CREATE TABLE request_response_rmt (\n  " + _ddl_columns(RMT_COLUMNS) + ",\n  "
        + ",\n  ".join(SESSION_COLUMNS) + "\n) ENGINE = Memory",
        "CREATE TABLE tags (\n  " + _ddl_columns(TAGS_COLUMNS) + "\n) ENGINE = Memory",
    ]


#: Insert settings: one insert stream (rows land in the SELECT's ORDER BY order), blocks small
#: enough that queries still read in parallel.
INSERT_SETTINGS = (
    "max_insert_threads = 1, min_insert_block_size_rows = 65536, "
    "min_insert_block_size_bytes = 0, max_block_size = 65536"
)


def generate_sql(seed: int, now: datetime, days: int, requests: int) -> list[str]:
    """The INSERT statements that build the synthetic data set.

    Built in layers of subqueries (rows -> uniforms -> attributes -> columns) whose expressions
    refer to the previous layer's columns only: ClickHouse's analyzer inlines aliases, and chains
    of aliases referring to aliases make it spend far longer planning than running.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    if requests < 0:
        raise ValueError("requests must be >= 0")
    g = _Gen(seed)
    inc = incidents_for(now, days)
    end_ms = _ms(now)
    start_ms = end_ms - days * 86_400_000
    start_hour = datetime.fromtimestamp(start_ms / 1000, UTC).hour
    n_sess = round(requests * SESSION_SHARE)
    n_free = requests - n_sess
    n_storm = round(requests * STORM_SHARE)
    kinds = SESSION_KINDS
    mean_size = sum(k[1] * (k[2] + k[3] / 2) for k in kinds) / sum(k[1] for k in kinds)
    n_sessions = math.ceil(n_sess / (mean_size * 0.8)) + 1 if n_sess else 0
    org = g.uuid("org", g.base("0", "org"))
    hour_cum = _cumulative(HOUR_WEIGHTS)

    def when(tag: str, key: str) -> tuple[str, str]:
        """(draws, timestamp): a ms timestamp in the window following the daily rhythm.

        `draws` defines the columns w_d, w_h, w_m that `timestamp` reads (one layer down).
        """
        draws = (
            f"{g.u(tag + 'd', key)} AS w_d, {g.u(tag + 'h', key)} AS w_h, "
            f"{g.u(tag + 'm', key)} AS w_m"
        )
        hour = g.pick(hour_cum, "w_h")
        stamp = (
            f"({start_ms} + toInt64(floor(w_d * {days})) * 86400000"
            f" + ((({hour}) - {start_hour} + 24) % 24) * 3600000"
            f" + toInt64(floor(w_m * 3600000)))"
        )
        return draws, stamp

    def col(values: Any, index: str) -> str:
        return f"{_array(values)}[{index} + 1]"

    def drawn(table: tuple[tuple[str, int], ...], u: str) -> str:
        """One of `table`'s values, drawn with its weights by the uniform column `u`."""
        return col([v[0] for v in table], g.pick(_cumulative([v[1] for v in table]), u))

    models = MODELS
    paths = [",".join(k[6]) for k in kinds]
    err_mi = [mm[0] for mm in models].index(inc.error_model)
    err0, err1 = _ms(inc.error_start), _ms(inc.error_end)
    lat0, lat1 = _ms(inc.latency_start), _ms(inc.latency_end)
    change = _ms(inc.prompt_change)
    pid = inc.prompt_id

    # 1. Rows: one per request, with its time, its session (or none) and its base hash `hk`.
    s_draws, s_when = when("s", "hs")
    r_draws, r_when = when("r", "hk0")
    sessions = f"""
        SELECT s, hs, kind, sid, k, offs, sstart,
               sum(k) OVER (ORDER BY s ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - k
                 AS base
        FROM (
          SELECT s, hs, kind, sid, k, offs,
                 least(start0, {end_ms - 1} - offs[-1]) AS sstart
          FROM (
            SELECT s, hs, kind, sid, k, start0,
                   arrayCumSum(arrayMap(j -> if(j = 1, 0, {col([k[4] for k in kinds], "kind")}
                     + toInt64(floor({g.u("gap", "(hs + j)")}
                       * {col([k[5] for k in kinds], "kind")}))), range(1, k + 1))) AS offs
            FROM (
              SELECT s, hs, kind, sid, start0,
                     toUInt32({col([k[2] for k in kinds], "kind")}
                       + floor(pow({g.u("size", "hs")}, 1.4)
                               * ({col([k[3] for k in kinds], "kind")} + 1))) AS k
              FROM (
                SELECT s, hs, {g.pick(_cumulative([k[1] for k in kinds]), "w_k")} AS kind,
                       toString({g.uuid("sid", "hs")}) AS sid, {s_when} AS start0
                FROM (
                  SELECT s, hs, {s_draws}, {g.u("kind", "hs")} AS w_k
                  FROM (SELECT number AS s, {g.base("number", "session")} AS hs
                        FROM numbers({n_sessions}))
                )
              )
            )
          )
        )
    """
    # Materialised on its own: planning a UNION under the layers below costs more than running.
    rows = f"""
        SELECT rk, hk0 AS hk, {r_when} AS ts_ms,
               toInt8(-1) AS kind, '' AS sid, toUInt32(0) AS j, '' AS suser
        FROM (
          SELECT rk, hk0, {r_draws}
          FROM (SELECT number AS rk, {g.base("number")} AS hk0 FROM numbers({n_free}))
        )
        UNION ALL
        SELECT rk, {g.base("rk")} AS hk, ts_ms, kind, sid, j, suser
        FROM (
          SELECT toUInt64({n_free} + base + j - 1) AS rk, sstart + off AS ts_ms,
                 toInt8(kind) AS kind, sid, toUInt32(j) AS j,
                 concat('user-', toString(floor(pow({g.u("suser", "hs")}, 2.2) * 3000))) AS suser
          FROM ({sessions}) ARRAY JOIN offs AS off, arrayEnumerate(offs) AS j
          WHERE base + j - 1 < {n_sess}
        )
        UNION ALL
        SELECT toUInt64({n_free + n_sess} + number) AS rk, {g.base("number", "storm")} AS hk,
               {err0} + toInt64(floor({g.u("storm_t", g.base("number", "storm"))}
                                      * {max(1, err1 - err0)})) AS ts_ms,
               toInt8(-2) AS kind, '' AS sid, toUInt32(0) AS j, '' AS suser
        FROM numbers({n_storm})
    """
    # 2. Uniforms: every random draw a request needs, as plain columns.
    draws = (
        "model", "ct", "pt", "spike", "hit", "ce", "hitlat", "nolat", "burst", "st", "cw",
        "cwn", "cr", "nouser", "user", "thn", "th", "stream", "ttft", "cc", "env", "tier",
        "acc_q", "rel_q", "hal_q", "hal", "fb_q", "fb", "pr", "pv", "gw", "pb", "cust", "rs",
    )
    uniforms = ",\n".join(f"{g.u(d, 'hk')} AS u_{d}" for d in draws)
    normals = ",\n".join(f"{g.z(d, 'hk')} AS z_{d}" for d in ("lat", "acc", "rel"))
    layer_u = f"""
        SELECT rk, hk, ts_ms, kind, sid, j, suser, {g.h("topic", "hk")} % {len(TOPICS)} AS ti,
               {uniforms},
               {normals}
        FROM gen_rows
    """
    # 3. Attributes that later columns share.
    layer_a = f"""
        SELECT *,
          if(kind = -2, {err_mi},
             {g.pick(_cumulative([mm[2] for mm in models]), "u_model")}) AS mi,
          u_ce < 0.25 AS cache_enabled,
          cache_enabled AND kind < 0 AND u_hit < 0.2 AS cached,
          5 + toInt64(floor(pow(u_ct, 1.8) * 700)) AS ct_raw,
          40 + toInt64(floor(pow(u_pt, 2) * 2500)) + if(kind = 1, 800, 0) AS pt,
          multiIf(kind = -2, '', kind = 0 OR (kind < 0 AND u_pr < 0.1), '{pid}',
                  u_pr < 0.25, 'summarize-doc',
                  u_pr < 0.35, 'classify-intent', '') AS prompt,
          ts_ms >= {change} AS after_change
        FROM ({layer_u})
    """
    layer_b = f"""
        SELECT *,
          multiIf(cached, 200, kind = -2, if(u_rs < 0.8, 500, 429),
                  mi = {err_mi} AND ts_ms >= {err0} AND ts_ms < {err1} AND u_burst < 0.45, 500,
                  u_st < 0.008, 500, u_st < 0.015, 429, u_st < 0.018, 400, 200) AS status,
          if(cached, 5 + toInt64(floor(u_hitlat * 35)),
             toInt64(round(({col([mm[5] for mm in models], "mi")} * exp(0.35 * z_lat)
                            + ct_raw * {col([mm[6] for mm in models], "mi")})
                           * if({col([mm[1] for mm in models], "mi")} = '{inc.latency_provider}'
                                AND ts_ms >= {lat0} AND ts_ms < {lat1},
                                4 + 3 * u_spike, 1)))) AS latency_raw,
          {col([mm[0] for mm in models], "mi")} AS model
        FROM ({layer_a})
    """
    # 4. Bodies: short chat messages, stored inline (storage_location 'clickhouse').
    layer_c = f"""
        SELECT *,
          concat('{{"model":"', model, '","messages":[{{"role":"user","content":"',
                 {col(list(TOPICS), "ti")}, '"}}]}}') AS req_body,
          multiIf(status = 200,
                  concat('{{"choices":[{{"message":{{"role":"assistant","content":"Sure: ',
                         {col(list(TOPICS), "ti")}, '"}}}}]}}'),
                  status = 429,
                  '{{"error":{{"message":"Rate limit reached for requests","code":429}}}}',
                  '{{"error":{{"message":"upstream error"}}}}') AS resp_body
        FROM ({layer_b})
    """
    insert = f"""
    INSERT INTO request_response_rmt (
      response_id, response_created_at, latency, status, completion_tokens, prompt_tokens,
      prompt_cache_write_tokens, prompt_cache_read_tokens, model, request_id,
      request_created_at, user_id, organization_id, proxy_key_id, threat, time_to_first_token,
      provider, target_url, country_code, cache_enabled, cache_reference_id, properties, scores,
      request_body, response_body, assets, cost, prompt_id, prompt_version, request_referrer,
      is_passthrough_billing, updated_at, reasoning_tokens, ai_gateway_body_mapping,
      storage_location, size_bytes)
    SELECT
      {g.uuid("resp", "hk")},
      if(u_nolat < 0.002, NULL, fromUnixTimestamp64Milli(ts_ms + latency_raw, 'UTC')),
      if(u_nolat < 0.002, NULL, latency_raw),
      status,
      if(status = 200, ct_raw, 0),
      pt,
      if(u_cw < 0.05, toInt64(floor(u_cwn * 1024)), 0),
      if(u_cr < 0.15, toInt64(floor(pt * 0.6)), 0),
      model,
      {g.uuid("rid", "hk")},
      fromUnixTimestamp64Milli(ts_ms, 'UTC'),
      multiIf(kind >= 0, suser, kind = -2, concat('user-', toString(3000 + floor(u_user * 25))),
         u_nouser < 0.08, '', concat('user-', toString(floor(pow(u_user, 2.2) * 3000)))),
      {org},
      CAST(NULL AS Nullable(UUID)),
      if(u_thn < 0.02, NULL, u_th < 0.004),
      if(u_nolat < 0.002, NULL, if(u_stream < 0.6,
         toInt64(round(latency_raw * (0.08 + 0.25 * u_ttft))), 0)),
      {col([mm[1] for mm in models], "mi")},
      {col([TARGET_URLS[mm[1]] for mm in models], "mi")},
      {drawn(COUNTRIES, "u_cc")},
      cache_enabled,
      if(cached, {g.uuid("ref", "hk")}, toUUID('{ZERO_UUID}')),
      mapFilter((k, v) -> v != '', map(
        'environment',
          {drawn(ENVIRONMENTS, "u_env")},
        'customer-tier',
          {drawn(TIERS, "u_tier")},
        'customer', if(kind = -2, '{STORM_CUSTOMER}', {drawn(CUSTOMERS, "u_cust")}),
        'Helicone-Session-Id', sid,
        'Helicone-Session-Name', if(kind >= 0, {col([k[0] for k in kinds], "kind")}, ''),
        'Helicone-Session-Path', if(kind >= 0,
           splitByChar(',', {col(paths, "kind")})[
             least(j, length(splitByChar(',', {col(paths, "kind")})))], ''))),
      mapFilter((k, v) -> v != -1, map(
        'accuracy', if(prompt = '{pid}' AND u_acc_q < 0.7,
           toInt64(greatest(0, least(100, round(if(after_change, 61, 84)
             + if(after_change, 12, 7) * z_acc)))), -1),
        'relevance', if(u_rel_q < 0.15,
           toInt64(greatest(1, least(10, round(7.4 + 1.6 * z_rel)))), -1),
        'hallucination-hcone-bool', if(u_hal_q < 0.12,
           toInt64(u_hal < if(prompt = '{pid}' AND after_change, 0.18, 0.07)), -1),
        'helicone-score-feedback', if(u_fb_q < 0.06,
           toInt64(u_fb < if(prompt = '{pid}' AND after_change, 0.55, 0.8)), -1))),
      req_body,
      resp_body,
      CAST([] AS Array(String)),
      toUInt64(if(status = 200 AND NOT cached,
         pt * {col([mm[3] for mm in models], "mi")}
         + ct_raw * {col([mm[4] for mm in models], "mi")}, 0)),
      prompt,
      multiIf(prompt = '{pid}', if(after_change, 'v4', 'v3'), prompt = '', '',
              if(u_pv < 0.5, 'v1', 'v2')),
      if(u_gw < 0.3, 'ai-gateway', ''),
      u_pb < 0.08,
      fromUnixTimestamp64Milli(ts_ms, 'UTC'),
      if(model = 'o3-mini' AND status = 200, toInt64(floor(ct_raw * 1.5)), 0),
      '',
      'clickhouse',
      toUInt32(length(req_body) + length(resp_body))
    FROM ({layer_c})
    ORDER BY ts_ms, rk
    SETTINGS {INSERT_SETTINGS}
    """
    tags = f"""
    INSERT INTO tags (organization_id, entity_type, entity_id, tag, created_at)
    SELECT toString({org}), 'session', toString({g.uuid("sid", "hs")}),
           {_array(list(SESSION_TAGS))}[1 + (({g.h("tag", "hs")} + t) % {len(SESSION_TAGS)})],
           fromUnixTimestamp64Milli({end_ms}, 'UTC')
    FROM (SELECT {g.base("number", "session")} AS hs FROM numbers({n_sessions})) ARRAY JOIN range(
           toUInt8(multiIf({g.u("tag?", "hs")} < 0.2, 1, {g.u("tag?", "hs")} < 0.27, 2, 0))) AS t
    """
    return [
        "DROP TABLE IF EXISTS gen_rows",
        f"CREATE TABLE gen_rows ENGINE = Memory AS {rows}",
        insert,
        tags,
        "DROP TABLE gen_rows",
    ]


def _sql_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


class EngineError(Exception):
    """The engine refused a query (ClickHouse's message)."""


class Engine:
    """One chdb session holding one data set; queries run one at a time."""

    def __init__(self) -> None:
        from chdb import session as chs  # heavy: imported where used

        self._session = chs.Session()
        # Re-entrant: an endpoint that runs several statements holds it across all of them.
        self._lock = threading.RLock()
        self.incidents: Incidents | None = None
        #: The synthetic data's anchor (None for a loaded file): the clock of the endpoints that
        #: read Helicone's now(), so that a data set gives the same answers on any day.
        self.anchor: datetime | None = None
        self.rows = 0
        self.build_seconds = 0.0
        self._unique_ids: bool | None = None
        for stmt in create_tables_sql():
            self._session.query(stmt)

    # ------------------------------------------------------------------ building

    def generate(self, *, seed: int = 1, now: datetime | None = None, days: int = 30,
                 requests: int = 300_000) -> None:
        t0 = time.perf_counter()
        anchor = anchor_time(now)
        for stmt in generate_sql(seed, anchor, days, requests):
            self._session.query(stmt)
        self.incidents = incidents_for(anchor, days)
        self.anchor = anchor
        self._finish(t0)

    def load(self, path: str | Path) -> None:
        """Load a Parquet or JSON lines export (Helicone's column names; missing ones default).

        A sibling file `<stem>.tags.jsonl` (or `.tags.parquet`) fills the tags table.
        """
        t0 = time.perf_counter()
        file = Path(path).expanduser().resolve()
        if not file.is_file():
            raise FileNotFoundError(f"no such data file: {file}")
        self._load_into("request_response_rmt", RMT_COLUMNS, file)
        for suffix in (".tags.jsonl", ".tags.parquet"):
            sibling = file.with_name(file.name.split(".")[0] + suffix)
            if sibling.is_file():
                self._load_into("tags", TAGS_COLUMNS, sibling)
        self._finish(t0)

    def _load_into(self, table: str, columns: tuple[tuple[str, str], ...], file: Path) -> None:
        fmt = "Parquet" if file.suffix.lower() in (".parquet", ".pq") else "JSONEachRow"
        structure = ", ".join(f"`{n}` {t}" for n, t in columns)
        names = ", ".join(f"`{n}`" for n, _ in columns)
        is_rmt = table == "request_response_rmt"
        order = " ORDER BY request_created_at, request_id" if is_rmt else ""
        statement = (
            f"INSERT INTO {table} ({names}) SELECT {names} FROM "
            f"file({_sql_string(str(file))}, '{fmt}', {_sql_string(structure)}){order} "
            "SETTINGS date_time_input_format = 'best_effort', session_timezone = 'UTC', "
            "input_format_skip_unknown_fields = 1, input_format_parquet_allow_missing_columns = 1,"
            f" {INSERT_SETTINGS}"
        )
        try:
            self._session.query(statement)
        except Exception as exc:
            raise ValueError(f"cannot load {file}: {_clean_message(str(exc))}") from None

    def _finish(self, t0: float) -> None:
        rows, _ = self.query("SELECT count() FROM request_response_rmt")
        self.rows = int(rows[0][0])
        self.build_seconds = time.perf_counter() - t0

    # ------------------------------------------------------------------ querying

    def query(self, sql: str, params: dict[str, Any] | None = None,
              settings: str = "") -> tuple[list[list[Any]], float]:
        """Rows (JSON-compact) and the engine time in ms. Raises EngineError."""
        import json

        text = f"{sql}\nSETTINGS {QUERY_SETTINGS}" + (f", {settings}" if settings else "")
        with self._lock:
            t0 = time.perf_counter()
            try:
                result = self._session.query(text, "JSONCompactEachRow", params=params or {})
                raw = result.bytes()
            except Exception as exc:  # chdb raises its own error type
                raise EngineError(_clean_message(str(exc))) from None
            elapsed = (time.perf_counter() - t0) * 1000
        rows = json.loads(b"[" + b",".join(raw.splitlines()) + b"]") if raw else []
        return rows, elapsed

    def query_text(self, sql: str, params: dict[str, Any] | None = None,
                   settings: str = "") -> tuple[list[list[str]], float]:
        """Rows as TabSeparated text fields (numbers as ClickHouse writes them), engine ms.

        For big answers: the text of a Float64 is already valid JSON (bar nan/inf), so it can be
        passed on without parsing and formatting it again. String fields stay TSV-escaped
        (see `tsv_unescape`)."""
        text = f"{sql}\nSETTINGS {QUERY_SETTINGS}" + (f", {settings}" if settings else "")
        with self._lock:
            t0 = time.perf_counter()
            try:
                raw = self._session.query(text, "TabSeparated", params=params or {}).bytes()
            except Exception as exc:
                raise EngineError(_clean_message(str(exc))) from None
            elapsed = (time.perf_counter() - t0) * 1000
        lines = raw.decode().split("\n")
        return [line.split("\t") for line in lines if line], elapsed

    def request_ids_unique(self) -> bool:
        """True when no request id appears twice (no row versions in the data), so that
        count(DISTINCT request_id) is count(*): the data never change once loaded."""
        if self._unique_ids is None:
            rows, _ = self.query(
                "SELECT count() = uniqExact(request_id) FROM request_response_rmt")
            self._unique_ids = bool(rows[0][0])
        return self._unique_ids

    def locked(self) -> threading.RLock:
        """Hold the engine across several statements (`with engine.locked(): ...`)."""
        return self._lock

    def execute(self, sql: str) -> float:
        """Run a statement with no result; the engine time in ms."""
        with self._lock:
            t0 = time.perf_counter()
            try:
                self._session.query(sql)
            except Exception as exc:
                raise EngineError(_clean_message(str(exc))) from None
            return (time.perf_counter() - t0) * 1000

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._session.close()


_TSV_ESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f",
                "0": "\0", "'": "'", "a": "\a", "v": "\v"}


def tsv_unescape(field: str) -> str:
    """A TabSeparated string field back to its value."""
    if "\\" not in field:
        return field
    out, i = [], 0
    while i < len(field):
        ch = field[i]
        if ch == "\\" and i + 1 < len(field):
            out.append(_TSV_ESCAPES.get(field[i + 1], field[i + 1]))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _clean_message(message: str) -> str:
    """ClickHouse's message without the query echo and stack trace."""
    text = message.strip().splitlines()[0] if message.strip() else "engine error"
    for cut in (": In scope", ". In scope", " In scope ", ". In query ", " In query "):
        if cut in text:
            text = text.split(cut, 1)[0].rstrip(".:") + "."
            break
    return text
