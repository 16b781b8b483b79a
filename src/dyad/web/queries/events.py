"""Events as the page and API list them: filtered pages, one event, its cluster."""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterable, Optional

from dyad.store import Store
from dyad.store.rows import decode
from dyad.store.schema import columns
from dyad.web.queries.filters import EventFilter, MAX_LIMIT, MAX_OFFSET, clamp


@lru_cache(maxsize=1)
def _event_cols() -> str:
    return ", ".join(f'e."{c}"' for c in columns("events"))


def span_key(doc_id: str, start: Any, end: Any) -> tuple[str, int, int]:
    return (doc_id, -1 if start is None else int(start), -1 if end is None else int(end))


def _entity_index(store: Store, doc_ids: Iterable[str]) -> tuple[dict, dict]:
    """Entity ids of the mentions in some documents, by (doc, start, end, text) and by (doc, start, end)."""
    ids = sorted(set(doc_ids))
    by_text: dict[tuple, str] = {}
    by_span: dict[tuple, str] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        marks = ", ".join([store.ph] * len(chunk))
        for r in store.query(f"SELECT doc_id, start_char, end_char, text, entity_id FROM entity_mentions "
                             f"WHERE doc_id IN ({marks})", chunk):
            key = span_key(r["doc_id"], r["start_char"], r["end_char"])
            by_text[key + (r["text"],)] = r["entity_id"]
            if key[1] >= 0:
                by_span.setdefault(key, r["entity_id"])
    return by_text, by_span


def _party_entity(doc_id: str, p: dict[str, Any], index: tuple[dict, dict]) -> Optional[str]:
    key = span_key(doc_id, p.get("start"), p.get("end"))
    return index[0].get(key + (p.get("text"),)) or (index[1].get(key) if key[1] >= 0 else None)


def _contract(store: Store, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    index = _entity_index(store, (r["doc_id"] for r in rows))
    out = []
    for r in rows:
        row = decode("events", dict(r))
        for role in ("actor", "recipient"):
            for p in row.get(role) or []:
                if isinstance(p, dict) and not p.get("entity_id"):
                    p["entity_id"] = _party_entity(row["doc_id"], p, index)
        ev = Store._event_contract(row, {})
        ev["date_start"] = r.get("date_start")  # handy for sorting and charts
        out.append(ev)
    return out


def dedupe_clause(where: str) -> str:
    """Keep one event per cluster (the lowest event id among those matching the filter)."""
    inner = ("SELECT MIN(e.event_id) FROM events e LEFT JOIN event_clusters c ON c.event_id = e.event_id"
             + (f" WHERE {where}" if where else "")
             + " GROUP BY COALESCE(c.cluster_id, e.event_id)")
    return f"e.event_id IN ({inner})"


ORDER_TIME = "CASE WHEN e.date_start IS NULL THEN 1 ELSE 0 END, e.date_start, e.event_id"


def find_events(store: Store, flt: EventFilter, *, limit: int = 100, offset: int = 0,
                one_per_cluster: bool = False, order: str = ORDER_TIME) -> tuple[int, list[dict[str, Any]]]:
    """(total matching, one page of contract-shaped events)."""
    where, params = flt.sql(store.ph)
    if one_per_cluster:
        params = params + params
        where = (where + " AND " if where else "") + dedupe_clause(where)
    limit = clamp(limit, 0, MAX_LIMIT, 100)
    offset = clamp(offset, 0, MAX_OFFSET, 0)
    base = ("FROM events e LEFT JOIN event_clusters c ON c.event_id = e.event_id "
            "LEFT JOIN clusters k ON k.cluster_id = c.cluster_id")
    wsql = f" WHERE {where}" if where else ""
    total = int(store.scalar(f"SELECT COUNT(*) AS n {base}{wsql}", params) or 0)
    rows = store.query(
        f"SELECT {_event_cols()}, c.cluster_id AS cluster_id, k.sources AS sources {base}{wsql} "
        f"ORDER BY {order} LIMIT {limit} OFFSET {offset}", params)
    return total, _contract(store, rows)


def get_event(store: Store, event_id: str) -> Optional[dict[str, Any]]:
    rows = store.query(
        f"SELECT {_event_cols()}, c.cluster_id AS cluster_id, k.sources AS sources FROM events e "
        f"LEFT JOIN event_clusters c ON c.event_id = e.event_id "
        f"LEFT JOIN clusters k ON k.cluster_id = c.cluster_id WHERE e.event_id = {store.ph}", (event_id,))
    return _contract(store, rows)[0] if rows else None


def cluster_events(store: Store, event: dict[str, Any], cap: int = 200) -> list[dict[str, Any]]:
    """Every event of the event's cluster (one per reporting source), the event itself first."""
    rows = store.query(
        f"SELECT {_event_cols()}, c.cluster_id AS cluster_id, k.sources AS sources FROM events e "
        f"JOIN event_clusters c ON c.event_id = e.event_id "
        f"LEFT JOIN clusters k ON k.cluster_id = c.cluster_id WHERE c.cluster_id = {store.ph} "
        f"ORDER BY e.doc_id, e.event_id LIMIT {int(cap)}", (event["cluster_id"],))
    evs = _contract(store, rows)
    evs.sort(key=lambda e: e["event_id"] != event["event_id"])
    if not any(e["event_id"] == event["event_id"] for e in evs):
        evs.insert(0, event)
    return evs
