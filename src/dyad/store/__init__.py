"""Stores: DuckDB (a file path, the default) or PostgreSQL (a postgresql:// URL)."""
from __future__ import annotations

from dyad.store.base import Store, StoreError

DEFAULT_DB = "dyad.duckdb"


def open_store(url: str = DEFAULT_DB, read_only: bool = False) -> Store:
    """Open the store named by `url`: a postgresql:// URL or a DuckDB file path."""
    if url.startswith(("postgresql://", "postgres://")):
        try:
            from dyad.store.postgres import PostgresStore
        except ImportError as exc:  # pragma: no cover - psycopg is a dependency
            raise StoreError(f"PostgreSQL support needs psycopg: {exc}") from exc
        return PostgresStore(url, read_only=read_only)
    from dyad.store.duckdb import DuckDBStore

    return DuckDBStore(url, read_only=read_only)


__all__ = ["Store", "StoreError", "open_store", "DEFAULT_DB"]
