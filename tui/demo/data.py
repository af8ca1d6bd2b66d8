"""The demo server's data set: Helicone's tables in an in-process ClickHouse (chdb).

Synthetic traffic is generated inside the engine (`INSERT … SELECT … FROM numbers(n)`), from hashes
of (seed, purpose, row) and an anchor time, so the same seed and anchor give the same rows: no
`rand()` (it ignores its seed) and no `generateUUIDv4()`. `--data FILE` loads a user's own export
(Parquet or JSON lines with Helicone's column names) instead.

chdb holds one engine per process, so one `Engine` (one data set) per server process.
"""

from __future__ import annotations

import contextlib
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

# Re-exported: the data set's parts live in schema, world and generate; callers import them here.
from tui.demo.generate import generate_sql as generate_sql
from tui.demo.schema import INSERT_SETTINGS as INSERT_SETTINGS
from tui.demo.schema import QUERY_SETTINGS as QUERY_SETTINGS
from tui.demo.schema import RMT_COLUMNS as RMT_COLUMNS
from tui.demo.schema import TAGS_COLUMNS as TAGS_COLUMNS
from tui.demo.schema import ZERO_UUID as ZERO_UUID
from tui.demo.schema import create_tables_sql as create_tables_sql
from tui.demo.world import MODELS as MODELS
from tui.demo.world import Incidents as Incidents
from tui.demo.world import anchor_time as anchor_time
from tui.demo.world import incidents_for as incidents_for


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
