"""The demo server's tables: Helicone's `request_response_rmt` and `tags` columns and types, how
the engine stores them, and the settings every query and insert runs with."""

from __future__ import annotations

#: Helicone's `request_response_rmt` columns and types (migrations schema_41 and later ALTERs).
#: Storage differs on purpose: a Memory table (Helicone's is a ReplacingMergeTree) filled in
#: (request_created_at, request_id) order, so it builds fast and a one-thread read yields rows in
#: that order, the histogram feed order.
RMT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("response_id", "Nullable(UUID)"),
    ("response_created_at", "Nullable(DateTime64(3, 'UTC'))"),
    ("latency", "Nullable(Int64)"),
    ("status", "Int64"),
    ("completion_tokens", "Nullable(Int64)"),
    ("prompt_tokens", "Nullable(Int64)"),
    ("prompt_cache_write_tokens", "Int64"),
    ("prompt_cache_read_tokens", "Int64"),
    ("model", "LowCardinality(String)"),
    ("request_id", "UUID"),
    ("request_created_at", "DateTime64(3, 'UTC')"),
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
    ("created_at", "DateTime('UTC')"),
)

ZERO_UUID = "00000000-0000-0000-0000-000000000000"
#: Every query sees UTC, as Helicone's ClickHouse does; 64-bit integers come out as JSON numbers.
QUERY_SETTINGS = (
    "session_timezone = 'UTC', output_format_json_quote_64bit_integers = 0, "
    "output_format_json_quote_denormals = 0, max_execution_time = 20"
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
