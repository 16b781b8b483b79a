"""Cross-document fusion over a store: read every DocResult, fuse, write the fusion tables.

The store's current ids are read back and passed to the fusion run, so entity and
cluster ids stay stable when documents are added (incremental runs).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any, Iterator, Optional

from dyad.fuse.engine import LocalFusion
from dyad.fuse.entities import Ref, ref_of
from dyad.model import Contradiction, Entity, InferredDate


def entity_row(e: Entity, n_mentions: int) -> dict[str, Any]:
    return {"entity_id": e.entity_id, "name": e.name, "type": e.type, "country": e.country,
            "sector": e.sector, "aliases": json.dumps(e.aliases, ensure_ascii=False), "n_mentions": n_mentions}


def mention_row(ref: Ref, entity_id: str) -> dict[str, Any]:
    doc_id, start, end, text = ref
    return {"entity_id": entity_id, "doc_id": doc_id, "start_char": start, "end_char": end, "text": text}


def cluster_row(event_id: str, cluster_id: str) -> dict[str, Any]:
    return {"event_id": event_id, "cluster_id": cluster_id}


def sources_row(cluster_id: str, sources: list[str]) -> dict[str, Any]:
    return {"cluster_id": cluster_id, "sources": json.dumps(list(sources)), "n_sources": len(sources)}


def contradiction_row(c: Contradiction) -> dict[str, Any]:
    claims = [asdict(k) for k in c.claims]
    key = c.subject + "|" + "|".join(sorted(k["claim_id"] for k in claims))
    return {"contradiction_id": hashlib.sha256(key.encode()).hexdigest()[:16],
            "subject": c.subject, "claims": json.dumps(claims, ensure_ascii=False)}


def doc_date_row(doc_id: str, inferred: InferredDate) -> dict[str, Any]:
    return {"doc_id": doc_id, "published_inferred": json.dumps(asdict(inferred), default=str)}


def fusion_tables(run: LocalFusion) -> dict[str, Iterator[dict[str, Any]]]:
    """Rows for entities, entity_mentions, event_clusters, clusters, contradictions, doc_dates
    from a finished fusion run, as streams (`Store.write_fusion` inserts them in chunks)."""
    return {
        "entities": (entity_row(e, n) for e, n in run.entity_summaries()),
        "entity_mentions": (mention_row(ref, eid) for ref, eid in run.entity_of()),
        "event_clusters": (cluster_row(e, c) for e, c in run.event_clusters()),
        "clusters": (sources_row(c, s) for c, s in run.clusters()),
        "contradictions": (contradiction_row(c) for c in run.contradictions()),
        "doc_dates": (doc_date_row(d, v) for d, v in run.doc_dates()),
    }


def fuse_into(store, workdir: Optional[Path] = None) -> None:
    """Fuse everything stored and replace the fusion tables. The store's current ids are
    read back so that groups which carry over keep them (incremental runs); results,
    ids and fusion rows all stream, so memory does not grow with the store."""
    previous_mentions = ((ref_of(r["doc_id"], r["start_char"], r["end_char"], r["text"]), r["entity_id"])
                         for r in store._stream("SELECT entity_id, doc_id, start_char, end_char, text FROM entity_mentions"))
    previous_clusters = ((r["event_id"], r["cluster_id"])
                         for r in store._stream("SELECT event_id, cluster_id FROM event_clusters"))
    with LocalFusion(workdir) as run:
        run.fuse(store.iter_results(), previous_mentions, previous_clusters)
        store.write_fusion(fusion_tables(run))
