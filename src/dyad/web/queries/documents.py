"""Documents: listings, one document with its text and layers, brief cards."""
from __future__ import annotations

import json
from typing import Any, Iterable, Optional, Sequence

from dyad.store import Store
from dyad.store.rows import decode
from dyad.store.schema import columns
from dyad.web.queries.filters import MAX_LIMIT, MAX_OFFSET, add_search, clamp


LEAD = "SUBSTR(text, 1, 200)"  # enough of the text to title an untitled document
DOC_LIST_COLS = ("doc_id", "title", "url", "publisher", "author", "published", "published_inferred",
                 "language", "error", "n_events")


def list_documents(store: Store, *, limit: int = 100, offset: int = 0, q: Optional[str] = None,
                   errors: Optional[bool] = None) -> tuple[int, list[dict[str, Any]]]:
    limit = clamp(limit, 0, MAX_LIMIT, 100)
    offset = clamp(offset, 0, MAX_OFFSET, 0)
    w, p = [], []
    if q:
        add_search(store, ("title", "publisher"), q, w, p)
    if errors is True:
        w.append("error IS NOT NULL")
    elif errors is False:
        w.append("error IS NULL")
    wsql = (" WHERE " + " AND ".join(w)) if w else ""
    total = int(store.scalar(f"SELECT COUNT(*) AS n FROM documents{wsql}", p) or 0)
    cols = ", ".join(f'"{c}"' for c in DOC_LIST_COLS)
    rows = store.query(
        f"SELECT {cols}, {LEAD} AS lead FROM documents{wsql} "
        f"ORDER BY CASE WHEN published IS NULL THEN 1 ELSE 0 END, published DESC, doc_id "
        f"LIMIT {limit} OFFSET {offset}", p)
    inferred = _doc_dates(store, [r["doc_id"] for r in rows])
    out = []
    for r in rows:
        d = decode("documents", r)
        if d["doc_id"] in inferred:
            d["published_inferred"] = inferred[d["doc_id"]]
        out.append(d)
    return total, out


def _doc_dates(store: Store, ids: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    ids = list(ids)
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        if not chunk:
            continue
        marks = ", ".join([store.ph] * len(chunk))
        for r in store.query(f"SELECT doc_id, published_inferred FROM doc_dates WHERE doc_id IN ({marks})", chunk):
            v = r["published_inferred"]
            out[r["doc_id"]] = json.loads(v) if isinstance(v, str) else v
    return out


def get_document(store: Store, doc_id: str) -> Optional[dict[str, Any]]:
    cols = ", ".join(f'"{c}"' for c in columns("documents"))
    rows = store.query(f"SELECT {cols} FROM documents WHERE doc_id = {store.ph}", (doc_id,))
    if not rows:
        return None
    d = decode("documents", rows[0])
    d.pop("n_events", None)
    inferred = _doc_dates(store, [doc_id])
    if doc_id in inferred:
        d["published_inferred"] = inferred[doc_id]
    return d


def documents_brief(store: Store, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """doc_id → {title, publisher, published, url} for a handful of documents."""
    ids = sorted(set(ids))
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        marks = ", ".join([store.ph] * len(chunk))
        for r in store.query(f"SELECT doc_id, title, publisher, published, url, {LEAD} AS lead FROM documents "
                             f"WHERE doc_id IN ({marks})", chunk):
            out[r["doc_id"]] = r
    return out


def document_text(store: Store, doc_id: str) -> Optional[str]:
    return store.scalar(f"SELECT text FROM documents WHERE doc_id = {store.ph}", (doc_id,))


def document_layers(store: Store, doc_id: str) -> dict[str, list[dict[str, Any]]]:
    """Mentions (with entity ids), dates, claims and places of one document."""
    ph = store.ph
    ent = {(r["start_char"], r["end_char"]): r["entity_id"] for r in store.query(
        f"SELECT start_char, end_char, entity_id FROM entity_mentions WHERE doc_id = {ph}", (doc_id,))}
    mentions = store.query(
        f"SELECT start_char, end_char, text, type, name, country, sector, title FROM mentions "
        f"WHERE doc_id = {ph} ORDER BY start_char LIMIT 20000", (doc_id,))
    for m in mentions:
        m["entity_id"] = ent.get((m["start_char"], m["end_char"]))
    seen = {(m["start_char"], m["end_char"]) for m in mentions}
    extra = store.query(
        f"SELECT em.start_char, em.end_char, em.text, em.entity_id, en.name, en.type, en.country, en.sector "
        f"FROM entity_mentions em LEFT JOIN entities en ON en.entity_id = em.entity_id "
        f"WHERE em.doc_id = {ph} ORDER BY em.start_char LIMIT 20000", (doc_id,))
    mentions += [m for m in extra if (m["start_char"], m["end_char"]) not in seen]
    dates = store.query(
        f"SELECT start_char, end_char, text, resolved_start, resolved_end, granularity, kind FROM dates "
        f"WHERE doc_id = {ph} ORDER BY start_char LIMIT 20000", (doc_id,))
    claims = store.query(
        f"SELECT claim_id, subject, value, unit, text, start_char, end_char, sentence FROM claims "
        f"WHERE doc_id = {ph} ORDER BY start_char LIMIT 20000", (doc_id,))
    places = store.query(
        f"SELECT start_char, end_char, text, name, country, lat, lon FROM places "
        f"WHERE doc_id = {ph} ORDER BY start_char LIMIT 20000", (doc_id,))
    return {"mentions": mentions, "dates": dates, "claims": claims, "places": places}
