"""Turning the result of cross-document fusion into rows of the store's fusion tables."""
from __future__ import annotations

import json
from typing import Any, Iterable

from dyad.model import DocResult


def fusion_tables(results: Iterable[DocResult]) -> dict[str, list[dict[str, Any]]]:
    """Rows for entities, entity_mentions, event_clusters, contradictions, doc_dates."""
    clusters = []
    for r in results:
        for e in r.events:
            clusters.append({"event_id": e.event_id, "cluster_id": e.event_id, "sources": json.dumps([e.doc_id])})
    return {"event_clusters": clusters}
