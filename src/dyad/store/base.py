"""The store interface, written once over portable SQL; backends supply the connection.

A backend implements `_connect`, `_insert` (bulk insert of rows into a table)
and `_stream` (iterate rows of a query in batches); everything else, from the
batch transactions to the contract-shaped reads, lives here.
"""
from __future__ import annotations

import json
from collections import defaultdict
from typing import Any, Iterable, Iterator, Optional, Sequence

from dyad.model import DocResult
from dyad.store import rows as R
from dyad.store.schema import FUSION, INDEXES, PER_DOCUMENT, TABLES, columns

SCHEMA_VERSION = "2"
STAGING = "__next"  # suffix of the tables a fusion fills before they replace the live ones


class StoreError(RuntimeError):
    pass


class Store:
    """A dyad store. Use as a context manager; every write method is one transaction."""

    ph = "?"  # parameter placeholder of the backend's driver
    url: str

    def __init__(self, url: str, read_only: bool = False) -> None:
        self.url = url
        self.read_only = read_only
        self.con = self._connect()
        if not read_only:
            self.init_schema()

    # --- backend hooks -------------------------------------------------
    def _connect(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _insert(self, table: str, rows: list[dict[str, Any]], into: Optional[str] = None) -> None:  # pragma: no cover
        """Bulk insert rows of schema table `table` into `into` (default: `table` itself)."""
        raise NotImplementedError

    def _stream(self, sql: str, params: Sequence[Any] = (), batch: int = 2000) -> Iterator[dict[str, Any]]:
        raise NotImplementedError  # pragma: no cover

    def _begin(self) -> None:
        self.con.execute("BEGIN")

    def _commit(self) -> None:
        self.con.execute("COMMIT")

    def _rollback(self) -> None:
        self.con.execute("ROLLBACK")

    def _sql_type(self, t: str) -> str:
        return "TEXT" if t == "JSON" else t

    # --- lifecycle -----------------------------------------------------
    def close(self) -> None:
        try:
            self.con.close()
        except Exception:  # closing twice is harmless
            pass

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def transaction(self) -> "_Tx":
        return _Tx(self)

    def _create_table(self, name: str, table: str) -> None:
        """Create `name` (if missing) with the columns of schema table `table`."""
        defs = ", ".join(f'"{c}" {self._sql_type(t)}' for c, t in TABLES[table])
        self.con.execute(f"CREATE TABLE IF NOT EXISTS {name} ({defs})")

    def _add_missing_columns(self, table: str) -> None:
        """A store written by an older dyad gains the columns added since (empty for its rows)."""
        # on this connection: the schema transaction is not visible to other cursors yet
        have = {r[0] for r in self.con.execute(
            f"SELECT column_name FROM information_schema.columns WHERE table_name = {self.ph} "
            "AND table_schema = current_schema()", (table,)).fetchall()}
        for col, sql_type in TABLES[table]:
            if col not in have:  # ALTER only when needed: it locks the table against readers
                self.con.execute(f'ALTER TABLE {table} ADD COLUMN "{col}" {self._sql_type(sql_type)}')

    def _create_indexes(self, tables: Iterable[str]) -> None:
        for table, col in INDEXES:
            if table in tables:
                self.con.execute(f"CREATE INDEX IF NOT EXISTS idx_{table}_{col} ON {table} ({col})")

    def init_schema(self) -> None:
        with self.transaction():
            for table in TABLES:
                self._create_table(table, table)
                self._add_missing_columns(table)
            self._create_indexes(TABLES)
            self.execute(f"DELETE FROM meta WHERE key = {self.ph}", ("schema_version",))
            self.execute(f"INSERT INTO meta (key, value) VALUES ({self.ph}, {self.ph})",
                         ("schema_version", SCHEMA_VERSION))

    # --- generic SQL -----------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.con.execute(sql, tuple(params))

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return list(self._stream(sql, params))

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self.query(sql, params)
        return next(iter(rows[0].values())) if rows else None

    def count(self, table: str) -> int:
        if table not in TABLES:
            raise StoreError(f"unknown table {table!r}")
        return int(self.scalar(f"SELECT COUNT(*) AS n FROM {table}") or 0)

    def counts(self) -> dict[str, int]:
        out = {t: self.count(t) for t in ("documents", "events", "entities", "claims", "contradictions")}
        out["rejected"] = int(self.scalar("SELECT COUNT(*) FROM documents WHERE error IS NOT NULL") or 0)
        out["clusters"] = int(self.scalar("SELECT COUNT(DISTINCT cluster_id) FROM event_clusters") or 0)
        return out

    def get_meta(self, key: str) -> Optional[str]:
        return self.scalar(f"SELECT value FROM meta WHERE key = {self.ph}", (key,))

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self.execute(f"DELETE FROM meta WHERE key = {self.ph}", (key,))
            self.execute(f"INSERT INTO meta (key, value) VALUES ({self.ph}, {self.ph})", (key, value))

    # --- writes ----------------------------------------------------------
    def stored_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of these doc ids are already stored (resumable runs skip them)."""
        ids = list(dict.fromkeys(ids))
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            marks = ", ".join([self.ph] * len(chunk))
            found.update(r["doc_id"] for r in self.query(
                f"SELECT doc_id FROM documents WHERE doc_id IN ({marks})", chunk))
        return found

    def write_results(self, results: Sequence[DocResult]) -> None:
        """Store a batch of DocResults in one transaction, replacing earlier rows of the same docs."""
        if not results:
            return
        tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for res in results:
            for table, rows in R.result_rows(res).items():
                tables[table].extend(rows)
        ids = [r.document.doc_id for r in results]
        # an event id can repeat if a document yields the same event twice; keep the first
        tables["events"] = list({r["event_id"]: r for r in reversed(tables["events"])}.values())[::-1]
        tables["claims"] = list({r["claim_id"]: r for r in reversed(tables["claims"])}.values())[::-1]
        with self.transaction():
            # a document's rows are written together with its documents row, so only ids
            # stored before (re-runs with --force, a resumed batch) have rows to replace
            stored = self.stored_ids(ids)
            if stored:
                self._delete_docs([i for i in ids if i in stored])
            for table in PER_DOCUMENT:
                if tables.get(table):
                    self._insert(table, tables[table])

    def _delete_docs(self, ids: Sequence[str]) -> None:
        for i in range(0, len(ids), 500):
            chunk = list(ids[i:i + 500])
            marks = ", ".join([self.ph] * len(chunk))
            for table in PER_DOCUMENT:
                self.execute(f"DELETE FROM {table} WHERE doc_id IN ({marks})", chunk)

    def write_fusion(self, tables: dict[str, Iterable[dict[str, Any]]], chunk: int = 10_000) -> None:
        """Replace every fusion table; rows may stream (any iterable).

        The new rows fill staging tables (`<table>__next`) in transactions of `chunk` rows,
        then one transaction swaps them in for the live tables. Readers see the old fusion
        or the new one, never a mix; an interrupted fusion leaves the old one in place; and
        no transaction holds millions of rows (DuckDB keeps a transaction's rows in memory)."""
        self._lock_fusion()
        try:
            for table in FUSION:
                stage = table + STAGING
                self.execute(f"DROP TABLE IF EXISTS {stage}")  # left by an interrupted fusion
                self._create_table(stage, table)
                buf: list[dict[str, Any]] = []
                for row in tables.get(table) or ():
                    buf.append(row)
                    if len(buf) >= chunk:
                        with self.transaction():
                            self._insert(table, buf, into=stage)
                        buf = []
                if buf:
                    with self.transaction():
                        self._insert(table, buf, into=stage)
            with self.transaction():
                for table in FUSION:
                    self.execute(f"DROP TABLE {table}")
                    self.execute(f"ALTER TABLE {table}{STAGING} RENAME TO {table}")
                self._create_indexes(FUSION)
        finally:
            self._unlock_fusion()

    def _lock_fusion(self) -> None:
        """Backends with several writers serialise fusions here (one set of staging tables)."""

    def _unlock_fusion(self) -> None:
        pass

    # --- reads -----------------------------------------------------------
    def iter_table(self, table: str, order_by: Optional[str] = None) -> Iterator[dict[str, Any]]:
        cols = ", ".join(f'"{c}"' for c in columns(table))
        order = f" ORDER BY {order_by}" if order_by else ""
        for row in self._stream(f"SELECT {cols} FROM {table}{order}"):
            yield R.decode(table, row)

    def iter_results(self, chunk: int = 2000) -> Iterator[DocResult]:
        """Rebuild every stored DocResult (fusion input) in doc_id order, `chunk` documents
        at a time: each query sorts one chunk's rows only, so memory stays flat however
        large the store (one sorted query per table would hold every row at once)."""
        ids = [r["doc_id"] for r in self._stream("SELECT doc_id FROM documents ORDER BY doc_id")]
        orders = {"events": "doc_id, event_id", "mentions": "doc_id, start_char", "dates": "doc_id, start_char",
                  "claims": "doc_id, claim_id", "places": "doc_id, start_char"}
        where = f" WHERE doc_id >= {self.ph} AND doc_id <= {self.ph}"
        for i in range(0, len(ids), chunk):
            bounds = (ids[i], ids[min(i + chunk, len(ids)) - 1])
            rows: dict[str, dict[str, list[dict]]] = {}
            for table, order in orders.items():
                cols = ", ".join(f'"{c}"' for c in columns(table))
                per_doc: dict[str, list[dict]] = defaultdict(list)
                for r in self._stream(f"SELECT {cols} FROM {table}{where} ORDER BY {order}", bounds):
                    per_doc[r["doc_id"]].append(r)
                rows[table] = per_doc
            cols = ", ".join(f'"{c}"' for c in columns("documents"))
            for drow in self._stream(f"SELECT {cols} FROM documents{where} ORDER BY doc_id", bounds):
                doc_id = drow["doc_id"]
                yield DocResult(
                    document=R.document_from_row(drow),
                    events=[R.event_from_row(r) for r in rows["events"].pop(doc_id, ())],
                    mentions=[R.mention_from_row(r) for r in rows["mentions"].pop(doc_id, ())],
                    dates=[R.date_from_row(r) for r in rows["dates"].pop(doc_id, ())],
                    claims=[R.claim_from_row(r) for r in rows["claims"].pop(doc_id, ())],
                    places=[R.place_from_row(r) for r in rows["places"].pop(doc_id, ())],
                )

    # --- the output contract ---------------------------------------------
    def contract_documents(self) -> Iterator[dict[str, Any]]:
        narrowed = {r["doc_id"]: r["published_inferred"] for r in self.iter_table("doc_dates")}
        for r in self.iter_table("documents", "doc_id"):
            r.pop("n_events", None)
            if r["doc_id"] in narrowed:
                r["published_inferred"] = narrowed[r["doc_id"]]
            yield r

    def _entity_index(self, lo: str, hi: str) -> dict[tuple[str, int, int, str], str]:
        """Entity ids of the mentions in the documents lo..hi (one chunk, not the store)."""
        return {(r["doc_id"], r["start_char"], r["end_char"], r["text"]): r["entity_id"]
                for r in self._stream("SELECT doc_id, start_char, end_char, text, entity_id FROM entity_mentions "
                                      f"WHERE doc_id >= {self.ph} AND doc_id <= {self.ph}", (lo, hi))}

    DOC_FIELDS = ("title", "url", "publisher", "published", "published_offset", "language")

    def contract_events(self, where: str = "", params: Sequence[Any] = (), with_document: bool = False,
                        chunk: int = 2000) -> Iterator[dict[str, Any]]:
        """Events as in the output contract, with cluster ids, sources and entity ids, in
        (doc_id, event_id) order. `where` filters on the events table as `e`.

        Read `chunk` documents at a time, with only those documents' entity mentions in
        memory, so an export of any size runs in flat memory. `with_document` adds the
        document's fields (`document`) and the evidence's `sentence_index` for flat exports."""
        cols = ", ".join(f'e."{c}"' for c in columns("events"))
        doc_cols = "".join(f', d."{c}" AS "doc_{c}"' for c in self.DOC_FIELDS) if with_document else ""
        sql = (f"SELECT {cols}, c.cluster_id AS cluster_id, k.sources AS sources{doc_cols} FROM events e "
               "LEFT JOIN event_clusters c ON c.event_id = e.event_id "
               "LEFT JOIN clusters k ON k.cluster_id = c.cluster_id"
               + (" LEFT JOIN documents d ON d.doc_id = e.doc_id" if with_document else "")
               + f" WHERE e.doc_id >= {self.ph} AND e.doc_id <= {self.ph}"
               + (f" AND ({where})" if where else "") + " ORDER BY e.doc_id, e.event_id")
        ids = [r["doc_id"] for r in self._stream("SELECT DISTINCT doc_id FROM events ORDER BY doc_id")]
        for i in range(0, len(ids), chunk):
            lo, hi = ids[i], ids[min(i + chunk, len(ids)) - 1]
            ent = self._entity_index(lo, hi)
            for r in self._stream(sql, (lo, hi, *params)):
                doc = {f: r.pop(f"doc_{f}", None) for f in self.DOC_FIELDS} if with_document else None
                ev = self._event_contract(r, ent, flat=with_document)
                if doc is not None:
                    ev["document"] = doc
                yield ev

    @staticmethod
    def _event_contract(r: dict[str, Any], ent: dict[tuple[str, int, int, str], str],
                        flat: bool = False) -> dict[str, Any]:
        r = R.decode("events", r)
        sources = r.pop("sources", None)
        r["sources"] = json.loads(sources) if isinstance(sources, str) else (sources or [r["doc_id"]])
        r["cluster_id"] = r.get("cluster_id") or r["event_id"]
        for role in ("actor", "recipient"):
            for p in r[role] or []:
                if not p.get("entity_id"):
                    start, end = p.get("start"), p.get("end")
                    key = (r["doc_id"], -1 if start is None else start, -1 if end is None else end, p.get("text"))
                    p["entity_id"] = ent.get(key)
        for k in ("date_start", "date_end", "date_granularity", "date_kind", "actor_countries",
                  "recipient_countries", "actor_names", "recipient_names"):
            r.pop(k, None)
        sentence = None
        if isinstance(r.get("evidence"), dict):  # the contract's evidence is text, start, end
            sentence = r["evidence"].pop("sentence_index", None)
        order = ["event_id", "doc_id", "cluster_id", "sources", "event_type", "mode", "contexts",
                 "actor", "recipient", "source_actor", "negated", "modality", "date", "location",
                 "evidence", "trigger", "score", "confidence", "cameo"]
        out = {k: r.get(k) for k in order}
        if flat:
            out["sentence_index"] = sentence
        return out

    def contract_entities(self) -> Iterator[dict[str, Any]]:
        mentions: dict[str, list[dict]] = defaultdict(list)
        # parties without a span (implied by the coder) link events to entities but are not mentions
        for m in self._stream("SELECT entity_id, doc_id, text, start_char, end_char FROM entity_mentions "
                              "WHERE start_char >= 0 ORDER BY entity_id, doc_id, start_char"):
            mentions[m["entity_id"]].append(
                {"doc_id": m["doc_id"], "text": m["text"], "start": m["start_char"], "end": m["end_char"]})
        for r in self.iter_table("entities", "entity_id"):
            r.pop("n_mentions", None)
            r["mentions"] = mentions.get(r["entity_id"], [])
            yield r

    def contract_claims(self) -> Iterator[dict[str, Any]]:
        for r in self.iter_table("claims", "doc_id, start_char"):
            r["start"] = r.pop("start_char")
            r["end"] = r.pop("end_char")
            yield r

    def contract_contradictions(self) -> Iterator[dict[str, Any]]:
        for r in self.iter_table("contradictions", "subject"):
            yield {"subject": r["subject"], "claims": r["claims"]}


class _Tx:
    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self) -> Store:
        self.store._begin()
        return self.store

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        if exc_type is None:
            self.store._commit()
        else:
            self.store._rollback()
