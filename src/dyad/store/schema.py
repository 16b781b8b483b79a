"""The store's tables, shared by the DuckDB and PostgreSQL backends.

Per-document tables (documents, events, mentions, dates, claims, places) are
written once per document in the batch transaction that stores it. Fusion
tables (entities, entity_mentions, event_clusters, clusters, contradictions, doc_dates)
are derived from them and replaced as a whole each time fusion runs, so a
re-run or an incremental run never leaves stale cross-document rows behind.
Nested values are JSON text so both backends store them the same way.
"""
from __future__ import annotations

# (column, type) with portable SQL types; "JSON" marks JSON text columns.
TABLES: dict[str, list[tuple[str, str]]] = {
    "documents": [
        ("doc_id", "TEXT PRIMARY KEY"),
        ("title", "TEXT"),
        ("url", "TEXT"),
        ("publisher", "TEXT"),
        ("author", "TEXT"),
        ("published", "TEXT"),
        ("published_offset", "TEXT"),
        ("published_inferred", "JSON"),
        ("text", "TEXT"),
        ("removed", "JSON"),
        ("language", "TEXT"),
        ("source", "TEXT"),
        ("error", "TEXT"),
        ("n_events", "INTEGER"),
    ],
    "events": [
        ("event_id", "TEXT PRIMARY KEY"),
        ("doc_id", "TEXT"),
        ("event_type", "TEXT"),
        ("mode", "TEXT"),
        ("contexts", "JSON"),
        ("actor", "JSON"),
        ("recipient", "JSON"),
        ("source_actor", "JSON"),
        ("negated", "BOOLEAN"),
        ("modality", "TEXT"),
        ("date", "JSON"),
        ("location", "JSON"),
        ("evidence", "JSON"),
        ("trigger", "TEXT"),
        ("score", "DOUBLE PRECISION"),
        ("confidence", "DOUBLE PRECISION"),
        ("cameo", "TEXT"),
        # flattened copies for filtering and dyad queries
        ("date_start", "TEXT"),
        ("date_end", "TEXT"),
        ("date_granularity", "TEXT"),
        ("date_kind", "TEXT"),
        ("actor_countries", "TEXT"),  # "|AFG|IRN|" so LIKE '%|IRN|%' works on both backends
        ("recipient_countries", "TEXT"),
        ("actor_names", "TEXT"),
        ("recipient_names", "TEXT"),
    ],
    "mentions": [
        ("doc_id", "TEXT"),
        ("start_char", "INTEGER"),
        ("end_char", "INTEGER"),
        ("text", "TEXT"),
        ("type", "TEXT"),
        ("name", "TEXT"),
        ("country", "TEXT"),
        ("sector", "TEXT"),
        ("title", "TEXT"),
    ],
    "dates": [
        ("doc_id", "TEXT"),
        ("start_char", "INTEGER"),
        ("end_char", "INTEGER"),
        ("text", "TEXT"),
        ("resolved_start", "TEXT"),
        ("resolved_end", "TEXT"),
        ("granularity", "TEXT"),
        ("kind", "TEXT"),
    ],
    "claims": [
        ("claim_id", "TEXT PRIMARY KEY"),
        ("doc_id", "TEXT"),
        ("subject", "TEXT"),
        ("value", "DOUBLE PRECISION"),
        ("value_max", "DOUBLE PRECISION"),
        ("unit", "TEXT"),
        ("text", "TEXT"),
        ("start_char", "INTEGER"),
        ("end_char", "INTEGER"),
        ("sentence", "TEXT"),
    ],
    "places": [
        ("doc_id", "TEXT"),
        ("start_char", "INTEGER"),
        ("end_char", "INTEGER"),
        ("text", "TEXT"),
        ("name", "TEXT"),
        ("country", "TEXT"),
        ("lat", "DOUBLE PRECISION"),
        ("lon", "DOUBLE PRECISION"),
    ],
    # --- fusion tables ---
    "entities": [
        ("entity_id", "TEXT PRIMARY KEY"),
        ("name", "TEXT"),
        ("type", "TEXT"),
        ("country", "TEXT"),
        ("sector", "TEXT"),
        ("aliases", "JSON"),
        ("n_mentions", "INTEGER"),
    ],
    "entity_mentions": [
        ("entity_id", "TEXT"),
        ("doc_id", "TEXT"),
        ("start_char", "INTEGER"),
        ("end_char", "INTEGER"),
        ("text", "TEXT"),
    ],
    "event_clusters": [
        ("event_id", "TEXT PRIMARY KEY"),
        ("cluster_id", "TEXT"),
    ],
    # sources once per cluster, not per event: a story told by k outlets would otherwise
    # store k lists of k documents
    "clusters": [
        ("cluster_id", "TEXT PRIMARY KEY"),
        ("sources", "JSON"),
        ("n_sources", "INTEGER"),
    ],
    "contradictions": [
        ("contradiction_id", "TEXT PRIMARY KEY"),
        ("subject", "TEXT"),
        ("claims", "JSON"),
    ],
    "doc_dates": [
        ("doc_id", "TEXT PRIMARY KEY"),
        ("published_inferred", "JSON"),
    ],
    "meta": [
        ("key", "TEXT PRIMARY KEY"),
        ("value", "TEXT"),
    ],
}

PER_DOCUMENT = ("documents", "events", "mentions", "dates", "claims", "places")
FUSION = ("entities", "entity_mentions", "event_clusters", "clusters", "contradictions", "doc_dates")

INDEXES = [
    ("events", "doc_id"),
    ("events", "event_type"),
    ("events", "date_start"),
    ("mentions", "doc_id"),
    ("dates", "doc_id"),
    ("claims", "doc_id"),
    ("places", "doc_id"),
    ("entity_mentions", "doc_id"),
    ("entity_mentions", "entity_id"),
    ("event_clusters", "cluster_id"),
]


def columns(table: str) -> list[str]:
    return [c for c, _ in TABLES[table]]


def json_columns(table: str) -> set[str]:
    return {c for c, t in TABLES[table] if t == "JSON"}
