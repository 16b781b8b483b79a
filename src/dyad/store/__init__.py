"""Stores: DuckDB (a file path or `duckdb:PATH`, the default) or PostgreSQL (a postgresql:// URL).

The `--db` value is parsed, never guessed: anything that looks like a URL of some
other kind (`mysql://…`, a typo such as `postgres:/x`) is refused before anything is
created, so a mistake never leaves folders named `mysql:` behind.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from dyad.store.base import Store, StoreError

DEFAULT_DB = "dyad.duckdb"

ACCEPTED = "a DuckDB file path (e.g. dyad.duckdb or duckdb:out/dyad.duckdb) or a postgresql://user@host/db URL"
_PG_SCHEMES = ("postgresql://", "postgres://")
# "name:" at the start: a URL scheme (one letter is a Windows drive, not a scheme)
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]+):")


class StoreURLError(StoreError):
    """A `--db` value that names no store dyad can open (a usage error)."""


@dataclass(frozen=True)
class StoreURL:
    kind: str  # "duckdb" | "postgresql"
    target: str  # the DuckDB file path, or the PostgreSQL URL as given


def parse_store_url(url: str) -> StoreURL:
    """What `url` names; StoreURLError (listing the accepted forms) when it names nothing dyad opens."""
    text = url.strip()
    if not text:
        raise StoreURLError(f"--db is empty: give {ACCEPTED}")
    if text.lower().startswith(_PG_SCHEMES):
        return StoreURL("postgresql", text)
    m = _SCHEME.match(text)
    if m is None:
        return StoreURL("duckdb", text)
    scheme = m.group(1).lower()
    if scheme == "duckdb":
        path = text[m.end():]
        path = path[2:] if path.startswith("//") else path  # duckdb://rel/path and duckdb:///abs/path
        if not path.strip():
            raise StoreURLError(f"--db {url!r} names no file: give {ACCEPTED}")
        return StoreURL("duckdb", path)
    hint = " (did you mean postgresql://…?)" if scheme.startswith("postg") else ""
    raise StoreURLError(
        f"--db {url!r}: dyad cannot store into '{scheme}:'{hint}. Accepted: {ACCEPTED}. "
        "A file path that contains ':' can be written as duckdb:PATH."
    )


def open_store(url: str = DEFAULT_DB, read_only: bool = False) -> Store:
    """Open the store named by `url` (see `parse_store_url`)."""
    parsed = parse_store_url(url)
    if parsed.kind == "postgresql":
        try:
            from dyad.store.postgres import PostgresStore
        except ImportError as exc:  # pragma: no cover - psycopg is a dependency
            raise StoreError(f"PostgreSQL support needs psycopg: {exc}") from exc
        return PostgresStore(parsed.target, read_only=read_only)
    from dyad.store.duckdb import DuckDBStore

    return DuckDBStore(parsed.target, read_only=read_only)


def store_exists(url: str) -> bool:
    """Does the store exist? A PostgreSQL server is asked when opened, so it counts as existing."""
    from pathlib import Path

    parsed = parse_store_url(url)
    return parsed.kind == "postgresql" or Path(parsed.target).exists()


__all__ = ["Store", "StoreError", "StoreURL", "StoreURLError", "open_store", "parse_store_url", "store_exists",
           "DEFAULT_DB", "ACCEPTED"]
