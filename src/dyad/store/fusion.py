"""Cross-document fusion over a store: read every DocResult, fuse, write the fusion tables.

The previous fusion is read back from the store and passed to `fuse`, so entity
and cluster ids stay stable when documents are added (incremental runs).
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict
from typing import Any, Iterable, Iterator, Optional

from dyad.fuse import Fusion, fuse
from dyad.fuse.entities import Ref
from dyad.model import Contradiction, DocResult, Entity, InferredDate


def previous_fusion(store) -> Optional[Fusion]:
    """The ids the store holds now, as a Fusion that `fuse(previous=...)` can carry over."""
    entity_of = {(r["doc_id"], r["start_char"], r["end_char"], r["text"]): r["entity_id"]
                 for r in store._stream("SELECT entity_id, doc_id, start_char, end_char, text FROM entity_mentions")}
    # carrying ids over needs each event's old cluster only, not its sources
    clusters = {r["event_id"]: (r["cluster_id"], [])
                for r in store._stream("SELECT event_id, cluster_id FROM event_clusters")}
    if not entity_of and not clusters:
        return None
    return Fusion(entity_of=entity_of, event_clusters=clusters)


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


def _sources_rows(event_clusters: dict[str, tuple[str, list[str]]]) -> Iterator[dict[str, Any]]:
    seen: set[str] = set()
    for cid, sources in event_clusters.values():
        if cid not in seen:
            seen.add(cid)
            yield sources_row(cid, sources)


def contradiction_row(c: Contradiction) -> dict[str, Any]:
    claims = [asdict(k) for k in c.claims]
    key = c.subject + "|" + "|".join(sorted(k["claim_id"] for k in claims))
    return {"contradiction_id": hashlib.sha256(key.encode()).hexdigest()[:16],
            "subject": c.subject, "claims": json.dumps(claims, ensure_ascii=False)}


def doc_date_row(doc_id: str, inferred: InferredDate) -> dict[str, Any]:
    return {"doc_id": doc_id, "published_inferred": json.dumps(asdict(inferred), default=str)}


def fusion_tables(results: Iterable[DocResult], previous: Optional[Fusion] = None) -> dict[str, Iterator[dict[str, Any]]]:
    """Rows for entities, entity_mentions, event_clusters, clusters, contradictions, doc_dates, as
    streams (`Store.write_fusion` inserts them in chunks: no table is built as one list)."""
    fusion = fuse(results, previous=previous)
    counts = Counter(fusion.entity_of.values())
    return {
        "entities": (entity_row(e, counts.get(e.entity_id, len(e.mentions))) for e in fusion.entities),
        "entity_mentions": (mention_row(ref, eid) for ref, eid in fusion.entity_of.items()),
        "event_clusters": (cluster_row(e, c) for e, (c, _) in fusion.event_clusters.items()),
        "clusters": _sources_rows(fusion.event_clusters),
        "contradictions": (contradiction_row(c) for c in fusion.contradictions),
        "doc_dates": (doc_date_row(d, v) for d, v in sorted(fusion.doc_dates.items())),
    }
