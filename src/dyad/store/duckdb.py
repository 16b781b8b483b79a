"""DuckDB backend: the default embedded store (one file, no server)."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence

import duckdb
import pyarrow as pa

from dyad.store.base import Store, StoreError
from dyad.store.schema import TABLES

MEMORY_LIMIT = "256MB"  # DuckDB's own memory per connection (DYAD_DUCKDB_MEMORY overrides)
# dyad runs offline: DuckDB must never fetch or load an extension on its own (it would
# download httpfs for an http:// path, or a scanner for a "mysql:" name). What dyad uses
# (parquet, json) is built into the wheel.
LOCK_WAIT = 5.0  # seconds to wait for a lock another process holds for one read
OFFLINE = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}

_ARROW = {"TEXT": pa.string(), "JSON": pa.string(), "INTEGER": pa.int64(),
          "DOUBLE PRECISION": pa.float64(), "BOOLEAN": pa.bool_()}


def _arrow_type(sql_type: str) -> pa.DataType:
    return _ARROW[sql_type.replace(" PRIMARY KEY", "")]


class DuckDBStore(Store):
    ph = "?"

    def _connect(self) -> Any:
        self._cursor_lock = threading.Lock()  # cursor() is called from the page's threads
        path = Path(self.url)
        if self.read_only and not path.exists():
            raise StoreError(f"no dyad store at {path}: run `dyad run INPUT --db {path}` first")
        if not self.read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        # DuckDB may cache up to 80% of RAM by default; a run needs far less, and index
        # builds and large scans spill to disk (`<store>.tmp`) past the limit
        config = {"memory_limit": os.environ.get("DYAD_DUCKDB_MEMORY", MEMORY_LIMIT), **OFFLINE}
        # a `dyad serve` opens the file for each request and closes it: a writer waits out a
        # lock held that briefly. A reader does not wait: the page forwards to a running writer
        deadline = time.monotonic() + (0.0 if self.read_only else LOCK_WAIT)
        while True:
            try:
                return duckdb.connect(str(path), read_only=self.read_only, config=config)
            except duckdb.IOException as exc:
                if "lock" in str(exc).lower() and time.monotonic() < deadline:
                    time.sleep(0.1)
                    continue
                raise StoreError(f"cannot open {path}: {exc}. Is another dyad process writing to it?") from exc
            except (duckdb.InvalidInputException, duckdb.ParserException) as exc:
                raise StoreError(f"DYAD_DUCKDB_MEMORY={config['memory_limit']!r}: {exc}") from exc

    def reader(self) -> "DuckDBStore":
        """A read connection on this store's own database instance, for another thread.

        DuckDB lets one process hold a file read-write and no other process open it; inside
        that process, connections share the instance and each read sees the last committed
        transaction (MVCC). This is how the page stays up while `dyad run` writes."""
        with self._cursor_lock:
            con = self.con.cursor()
        r = DuckDBStore.__new__(DuckDBStore)
        r.url, r.read_only, r.con = self.url, True, con
        r._cursor_lock = threading.Lock()
        return r

    def _insert(self, table: str, rows: list[dict[str, Any]], into: Optional[str] = None) -> None:
        # Bulk insert through Arrow: DuckDB's executemany is row-by-row and slow.
        cols = TABLES[table]
        schema = pa.schema([(c, _arrow_type(t)) for c, t in cols])
        data = pa.Table.from_pylist(rows, schema=schema)  # schema picks the columns; missing keys are null
        names = ", ".join(f'"{c}"' for c, _ in cols)
        self.con.register("_dyad_batch", data)
        try:
            self.con.execute(f"INSERT INTO {into or table} ({names}) SELECT {names} FROM _dyad_batch")
        finally:
            self.con.unregister("_dyad_batch")

    def _stream(self, sql: str, params: Sequence[Any] = (), batch: int = 2000) -> Iterator[dict[str, Any]]:
        cur = self.con.cursor()
        try:
            cur.execute(sql, tuple(params))
            names = [d[0] for d in cur.description]
            while True:
                chunk = cur.fetchmany(batch)
                if not chunk:
                    break
                for row in chunk:
                    yield dict(zip(names, row))
        finally:
            cur.close()
