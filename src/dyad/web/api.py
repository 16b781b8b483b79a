"""The JSON API under /api/: the store's contract records, filtered and paged."""
from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends, HTTPException, Query

from dyad.store import Store
from dyad.web import queries as Q
from dyad.web.app import get_store
from dyad.web.pages import dyad_sides

router = APIRouter(prefix="/api", tags=["api"])

DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
LIMIT = Query(100, ge=1, le=Q.MAX_LIMIT, description=f"Rows per page (at most {Q.MAX_LIMIT}).")
OFFSET = Query(0, ge=0, le=Q.MAX_OFFSET, description="Rows to skip.")


def event_filter(
    type: Optional[str] = Query(None, pattern=r"^[A-Z_]{2,24}$", description="PLOVER event type, e.g. CONSULT."),
    actor: Optional[str] = Query(None, min_length=1, max_length=200,
                                 description="Actor: canonical name or ISO alpha-3 country code."),
    recipient: Optional[str] = Query(None, min_length=1, max_length=200,
                                     description="Recipient: canonical name or ISO alpha-3 country code."),
    country: Optional[str] = Query(None, pattern=r"^[A-Z]{3}$", description="Country on either side (ISO alpha-3)."),
    date_from: Optional[str] = Query(None, pattern=DATE, description="Event date on or after (YYYY, YYYY-MM or YYYY-MM-DD)."),
    date_to: Optional[str] = Query(None, pattern=DATE, description="Event date on or before (YYYY, YYYY-MM or YYYY-MM-DD)."),
    modality: Optional[str] = Query(None, pattern=r"^[a-z_]{2,24}$", description="asserted, intended, hypothetical, denied, historical."),
    doc_id: Optional[str] = Query(None, min_length=1, max_length=200, description="Only events of this document."),
    entity: Optional[str] = Query(None, min_length=1, max_length=200,
                                  description="A resolved entity (entity_id) on either side, however it is written."),
    store: Store = Depends(get_store),
) -> Q.EventFilter:
    if date_from and date_to and date_from > Q.date_upper(date_to):
        raise HTTPException(422, "date_from is after date_to")
    ids = None
    if entity:
        if Q.get_entity(store, entity) is None:
            raise HTTPException(404, "no such entity")
        a_ids, r_ids = Q.entity_event_ids(store, entity)
        ids = a_ids | r_ids
    return Q.EventFilter(event_type=type, actor=actor, recipient=recipient, country=country,
                         date_from=date_from, date_to=date_to, modality=modality, doc_id=doc_id, event_ids=ids)


def page(total: int, limit: int, offset: int, key: str, items: list[Any]) -> dict[str, Any]:
    return {"total": total, "limit": limit, "offset": offset, key: items}


@router.get("/events", summary="Events, filtered and paged")
def api_events(flt: Q.EventFilter = Depends(event_filter), limit: int = LIMIT, offset: int = OFFSET,
               one_per_cluster: bool = Query(False, description="One event per cluster (the same event told by several sources)."),
               store: Store = Depends(get_store)) -> dict[str, Any]:
    total, events = Q.find_events(store, flt, limit=limit, offset=offset, one_per_cluster=one_per_cluster)
    for e in events:
        e.pop("date_start", None)
    return page(total, limit, offset, "events", events)


@router.get("/events/{event_id:path}", summary="One event, with the events of its cluster")
def api_event(event_id: str, store: Store = Depends(get_store)) -> dict[str, Any]:
    ev = Q.get_event(store, event_id)
    if ev is None:
        raise HTTPException(404, "no such event")
    cluster = Q.cluster_events(store, ev)
    ev.pop("date_start", None)
    ev["cluster"] = [{"event_id": e["event_id"], "doc_id": e["doc_id"], "evidence": e["evidence"]} for e in cluster]
    return ev


@router.get("/documents", summary="Documents (without their text), paged")
def api_documents(limit: int = LIMIT, offset: int = OFFSET,
                  q: Optional[str] = Query(None, max_length=200, description="Words in the title or publisher."),
                  errors: Optional[bool] = Query(None, description="true: only rejected documents; false: only read ones."),
                  store: Store = Depends(get_store)) -> dict[str, Any]:
    total, docs = Q.list_documents(store, limit=limit, offset=offset, q=q, errors=errors)
    for d in docs:
        d.pop("lead", None)  # the page's title for untitled documents, not a contract field
    return page(total, limit, offset, "documents", docs)


@router.get("/documents/{doc_id:path}", summary="One document as in the data contract, with its text")
def api_document(doc_id: str, store: Store = Depends(get_store)) -> dict[str, Any]:
    doc = Q.get_document(store, doc_id)
    if doc is None:
        raise HTTPException(404, "no such document")
    doc.pop("source", None)  # a path on the machine that ran `dyad run`
    return doc


@router.get("/entities", summary="Resolved actors (entities), paged")
def api_entities(limit: int = LIMIT, offset: int = OFFSET,
                 q: Optional[str] = Query(None, max_length=200, description="Words in the name or an alias."),
                 country: Optional[str] = Query(None, pattern=r"^[A-Z]{3}$"),
                 store: Store = Depends(get_store)) -> dict[str, Any]:
    total, ents = Q.list_entities(store, limit=limit, offset=offset, q=q, country=country)
    return page(total, limit, offset, "entities", ents)


@router.get("/entities/{entity_id:path}", summary="One entity with its mentions (paged) and dyads")
def api_entity(entity_id: str, limit: int = LIMIT, offset: int = OFFSET,
               store: Store = Depends(get_store)) -> dict[str, Any]:
    ent = Q.get_entity(store, entity_id)
    if ent is None:
        raise HTTPException(404, "no such entity")
    total, mentions = Q.entity_mentions(store, entity_id, limit=limit, offset=offset)
    ent["mentions"] = [{"doc_id": m["doc_id"], "text": m["text"], "start": m["start_char"], "end": m["end_char"]}
                       for m in mentions]
    ent["mentions_total"] = total
    ent["dyads"] = Q.actor_dyads(store, Q.entity_side(store, ent))
    return ent


@router.get("/dyads", summary="The most active country pairs")
def api_dyads(limit: int = Query(50, ge=1, le=Q.MAX_LIMIT), store: Store = Depends(get_store)) -> dict[str, Any]:
    return {"dyads": Q.top_dyads(store, limit)}


@router.get("/dyads/{a}/{b}/series", summary="Cooperation and conflict over time for one dyad")
def api_dyad_series(a: str, b: str, per: str = Query("month", pattern=r"^(week|month|year)$"),
                    flt: Q.EventFilter = Depends(event_filter), store: Store = Depends(get_store)) -> dict[str, Any]:
    sa, sb = flt.dyad = dyad_sides(store, a, b)
    ser, coarse = Q.series_and_coarse(store, flt, per)
    return {"a": sa.public(), "b": sb.public(), "per": per, "series": ser, "not_plotted": coarse}


@router.get("/contradictions", summary="Claims that disagree across sources, paged")
def api_contradictions(limit: int = LIMIT, offset: int = OFFSET, store: Store = Depends(get_store)) -> dict[str, Any]:
    total, rows = Q.list_contradictions(store, limit=limit, offset=offset)
    return page(total, limit, offset, "contradictions", rows)


@router.get("/stats", summary="Counts, date ranges, event types and modalities")
def api_stats(store: Store = Depends(get_store)) -> dict[str, Any]:
    return Q.stats(store)
