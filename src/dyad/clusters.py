"""One row per real-world event: the cluster of event records that several sources report.

Analysts count events, not reports: a visit told by five outlets is one visit. A cluster
row carries the date range its reports give, the type and dyad of its best report (the
most confident one), every source and that report's evidence sentence.
"""
from __future__ import annotations

import itertools
import json
from typing import Any, Iterator, Optional, Sequence

from dyad.store import Store

CLUSTER_COLUMNS = (
    "cluster_id", "event_type", "quad_class", "date_first", "date_last",
    "actor_name", "actor_country", "actor_sector", "recipient_name", "recipient_country", "recipient_sector",
    "dyad", "n_events", "n_sources", "sources",
    "best_event_id", "doc_id", "doc_title", "doc_url", "doc_published",
    "evidence", "evidence_start", "evidence_end", "intensity", "confidence", "cameo", "location",
)

_KEY = "COALESCE(c.cluster_id, e.event_id)"  # an unfused event is a cluster of its own


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def cluster_rows(store: Store, where: str = "", params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
    """Cluster rows in cluster_id order, built from the events matching `where` (SQL on
    `e`). Streams: the query sorts by cluster, and only one cluster is in memory."""
    from dyad.export import QUAD_CLASS, _primary

    sql = (f"SELECT {_KEY} AS cid, e.event_id, e.doc_id, e.event_type, e.actor, e.recipient, e.date_start, "
           "e.date_end, e.date_kind, e.evidence, e.score, e.confidence, e.cameo, e.location, k.sources, "
           "d.title AS doc_title, d.url AS doc_url, d.published AS doc_published FROM events e "
           "LEFT JOIN event_clusters c ON c.event_id = e.event_id "
           "LEFT JOIN clusters k ON k.cluster_id = c.cluster_id "
           "LEFT JOIN documents d ON d.doc_id = e.doc_id"
           + (f" WHERE {where}" if where else "")
           + f" ORDER BY {_KEY}, e.confidence DESC NULLS LAST, e.event_id")
    for cid, group in itertools.groupby(store._stream(sql, params), key=lambda r: r["cid"]):
        members = list(group)
        best = members[0]
        starts = [m["date_start"] for m in members if m["date_start"]]
        # an open range ("on or after 2021-08-15") bounds only the start: it gives no last date
        ends = [m["date_end"] or m["date_start"] for m in members
                if m["date_end"] or (m["date_start"] and m["date_kind"] != "range")]
        sources = _json(best["sources"]) or sorted({m["doc_id"] for m in members})
        actor, recipient = _primary(_json(best["actor"])), _primary(_json(best["recipient"]))
        evidence = _json(best["evidence"]) or {}
        location: Optional[dict] = _json(best["location"])
        a, b = actor.get("country"), recipient.get("country")
        yield {
            "cluster_id": cid, "event_type": best["event_type"], "quad_class": QUAD_CLASS.get(best["event_type"]),
            "date_first": min(starts) if starts else None, "date_last": max(ends) if ends else None,
            "actor_name": actor.get("name"), "actor_country": a, "actor_sector": actor.get("sector"),
            "recipient_name": recipient.get("name"), "recipient_country": b,
            "recipient_sector": recipient.get("sector"),
            "dyad": f"{a}:{b}" if a and b else None,
            "n_events": len(members), "n_sources": len(sources), "sources": list(sources),
            "best_event_id": best["event_id"], "doc_id": best["doc_id"], "doc_title": best["doc_title"],
            "doc_url": best["doc_url"], "doc_published": best["doc_published"],
            "evidence": evidence.get("text"), "evidence_start": evidence.get("start"),
            "evidence_end": evidence.get("end"), "intensity": best["score"], "confidence": best["confidence"],
            "cameo": best["cameo"], "location": (location or {}).get("name"),
        }
