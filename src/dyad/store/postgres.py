"""PostgreSQL backend (psycopg 3): one store a team can share, same tables as DuckDB.

- Text columns use the "C" collation, so ORDER BY sorts by code point exactly as
  DuckDB and Python do (the streaming merge in `Store.iter_results` relies on it).
  JSON columns are TEXT, like DuckDB's, so rows decode the same on both backends.
- Bulk inserts go through COPY.
- The connection is in autocommit mode and `Store` brackets each batch with
  explicit BEGIN/COMMIT; a failure rolls the whole batch back.
- Streaming reads use server-side cursors (WITH HOLD, so they also work outside a
  transaction and several can be open at once, as `iter_results` needs): the client
  holds one fetch batch at a time, never a whole table.
- Read-only stores set `default_transaction_read_only`, so no statement can write.
- PostgreSQL text cannot hold NUL characters: they are stored as U+FFFD, one
  character for one, so every offset stays valid.
"""
from __future__ import annotations

import itertools
import os
import re
from typing import Any, Iterator, Optional, Sequence

import psycopg
from psycopg.rows import dict_row

from dyad.store.base import Store, StoreError
from dyad.store.schema import PER_DOCUMENT, TABLES

_LOCK_KEY = 0x6479_6164  # "dyad": serialises schema creation between concurrent writers
_FUSION_KEY = _LOCK_KEY + 1  # serialises fusions (they share the staging tables)
_cursor_ids = itertools.count()


def _clean(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", "\ufffd")
    return value


def _redact(url: str) -> str:
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


class PostgresStore(Store):
    ph = "%s"

    def __init__(self, url: str, read_only: bool = False) -> None:
        super().__init__(url, read_only=read_only)

    # --- backend hooks -------------------------------------------------
    def _connect(self) -> Any:
        try:
            con = psycopg.connect(self.url, autocommit=True, connect_timeout=int(os.environ.get("DYAD_PG_TIMEOUT", "10")))
        except psycopg.OperationalError as exc:
            raise StoreError(f"cannot connect to PostgreSQL at {_redact(self.url)}: {str(exc).strip()}") from exc
        if self.read_only:
            con.execute("SET default_transaction_read_only = on")
            found = con.execute("SELECT to_regclass('documents') IS NOT NULL").fetchone()
            if not found or not found[0]:
                con.close()
                raise StoreError(f"no dyad store in {_redact(self.url)}: run `dyad run INPUT --db URL` first")
        return con

    def _sql_type(self, t: str) -> str:
        if t == "JSON":
            return "TEXT"
        if t.startswith("TEXT"):
            return t.replace("TEXT", 'TEXT COLLATE "C"', 1)
        return t

    def init_schema(self) -> None:
        # two writers starting at once would race on CREATE TABLE IF NOT EXISTS
        self.con.execute("SELECT pg_advisory_lock(%s)", (_LOCK_KEY,))
        try:
            super().init_schema()
        finally:
            self.con.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_KEY,))

    def _insert(self, table: str, rows: list[dict[str, Any]], into: Optional[str] = None) -> None:
        cols = [c for c, _ in TABLES[table]]
        names = ", ".join(f'"{c}"' for c in cols)
        with self.con.cursor() as cur:
            with cur.copy(f"COPY {into or table} ({names}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row([_clean(r.get(c)) for c in cols])

    def _lock_fusion(self) -> None:
        # several runs may share this store: one fusion at a time fills the staging tables
        self.con.execute("SELECT pg_advisory_lock(%s)", (_FUSION_KEY,))

    def _unlock_fusion(self) -> None:
        self.con.execute("SELECT pg_advisory_unlock(%s)", (_FUSION_KEY,))

    def _stream(self, sql: str, params: Sequence[Any] = (), batch: int = 2000) -> Iterator[dict[str, Any]]:
        name = f"dyad_c{os.getpid()}_{next(_cursor_ids)}"
        cur = self.con.cursor(name=name, withhold=True, row_factory=dict_row)
        try:
            cur.itersize = batch
            cur.execute(sql, tuple(params) or None)
            while True:
                chunk = cur.fetchmany(batch)
                if not chunk:
                    break
                yield from chunk
        finally:
            try:
                cur.close()
            except psycopg.Error:  # the connection is gone or the transaction aborted
                pass

    # --- overrides for one round trip where base would stream ------------------
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        params = tuple(params)
        return self.con.execute(sql, params or None)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self.con.cursor(row_factory=dict_row) as cur:
            cur.execute(sql, tuple(params) or None)
            return cur.fetchall() if cur.description else []

    def stored_ids(self, ids) -> set[str]:
        ids = [_clean(i) for i in dict.fromkeys(ids)]
        if not ids:
            return set()
        with self.con.cursor() as cur:
            cur.execute("SELECT doc_id FROM documents WHERE doc_id = ANY(%s)", (ids,))
            return {r[0] for r in cur.fetchall()}

    def _delete_docs(self, ids: Sequence[str]) -> None:
        ids = [_clean(i) for i in ids]
        for table in PER_DOCUMENT:
            self.con.execute(f"DELETE FROM {table} WHERE doc_id = ANY(%s)", (ids,))

    def close(self) -> None:
        try:
            self.con.close()
        except Exception:
            pass

