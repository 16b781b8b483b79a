"""Cross-document fusion over a store: read every DocResult, fuse, write the fusion tables.

The previous fusion is read back from the store and passed to `fuse`, so entity
and cluster ids stay stable when documents are added (incremental runs).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any, Iterable, Optional

from dyad.fuse import Fusion, apply, fuse
from dyad.model import DocResult


def previous_fusion(store) -> Optional[Fusion]:
    """The ids the store holds now, as a Fusion that `fuse(previous=...)` can carry over."""
    entity_of = {(r["doc_id"], r["start_char"], r["end_char"], r["text"]): r["entity_id"]
                 for r in store._stream("SELECT entity_id, doc_id, start_char, end_char, text FROM entity_mentions")}
    clusters = {r["event_id"]: (r["cluster_id"], json.loads(r["sources"]))
                for r in store._stream("SELECT event_id, cluster_id, sources FROM event_clusters")}
    if not entity_of and not clusters:
        return None
    return Fusion(entity_of=entity_of, event_clusters=clusters)


def fusion_tables(results: Iterable[DocResult], previous: Optional[Fusion] = None) -> dict[str, list[dict[str, Any]]]:
    """Rows for entities, entity_mentions, event_clusters, contradictions, doc_dates."""
    results = list(results)
    fusion = fuse(results, previous=previous)
    apply(fusion, results)
    counts: dict[str, int] = {}
    mentions = []
    for (doc_id, start, end, text), eid in sorted(fusion.entity_of.items(), key=lambda kv: (kv[1], kv[0])):
        counts[eid] = counts.get(eid, 0) + 1
        mentions.append({"entity_id": eid, "doc_id": doc_id, "start_char": start, "end_char": end, "text": text})
    entities = [{"entity_id": e.entity_id, "name": e.name, "type": e.type, "country": e.country,
                 "sector": e.sector, "aliases": json.dumps(e.aliases, ensure_ascii=False),
                 "n_mentions": counts.get(e.entity_id, len(e.mentions))} for e in fusion.entities]
    contradictions = []
    for c in fusion.contradictions:
        claims = [asdict(k) for k in c.claims]
        key = c.subject + "|" + "|".join(sorted(k["claim_id"] for k in claims))
        contradictions.append({"contradiction_id": hashlib.sha256(key.encode()).hexdigest()[:16],
                               "subject": c.subject, "claims": json.dumps(claims, ensure_ascii=False)})
    return {
        "entities": entities,
        "entity_mentions": mentions,
        "event_clusters": [{"event_id": e, "cluster_id": c, "sources": json.dumps(list(s))}
                           for e, (c, s) in sorted(fusion.event_clusters.items())],
        "contradictions": contradictions,
        "doc_dates": [{"doc_id": d, "published_inferred": json.dumps(asdict(v), default=str)}
                      for d, v in sorted(fusion.doc_dates.items())],
    }
