"""The INSERT statements that build the synthetic data set inside the engine
(`INSERT … SELECT … FROM numbers(n)`), from the world of `tui.demo.world`."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from tui.demo.schema import INSERT_SETTINGS, ZERO_UUID
from tui.demo.world import (
    COUNTRIES,
    CUSTOMERS,
    ENVIRONMENTS,
    HOUR_WEIGHTS,
    MODELS,
    SESSION_KINDS,
    SESSION_SHARE,
    SESSION_TAGS,
    STORM_CUSTOMER,
    STORM_SHARE,
    TARGET_URLS,
    TIERS,
    TOPICS,
    _array,
    _cumulative,
    _Gen,
    _ms,
    incidents_for,
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
