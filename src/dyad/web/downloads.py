"""CSV downloads of the event lists the pages show, with the columns of `dyad export`.

Each list page links `….csv` with its own filters: the same events (one per cluster, as
the page lists them), every row, streamed from the store as it is read."""
from __future__ import annotations

import csv
import io
import json
from typing import Any, Callable, Iterator

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import StreamingResponse

from dyad.export import columns, flat_event
from dyad.store import Store
from dyad.web import queries as Q
from dyad.web.app import get_store
from dyad.web.pages import dyad_sides, page_filter

router = APIRouter(include_in_schema=False)


def _rows(opener: Callable[[], Store], where: str, params: list[Any]) -> Iterator[str]:
    """CSV text in chunks. The request's own connection closes when the handler returns,
    so the stream opens one of its own for as long as it runs."""
    cols = columns("events")
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=cols)
    writer.writeheader()
    with opener() as store:
        for i, ev in enumerate(store.contract_events(where, params, with_document=True), 1):
            writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
                             for k, v in flat_event(ev).items()})
            if i % 500 == 0:
                yield buf.getvalue()
                buf.seek(0)
                buf.truncate()
    yield buf.getvalue()


def _download(request: Request, flt: Q.EventFilter, store: Store, name: str) -> StreamingResponse:
    where, params = flt.sql(store.ph)
    # one row per cluster, as the lists show them
    params = params + params
    where = (where + " AND " if where else "") + Q.dedupe_clause(where)
    return StreamingResponse(_rows(request.app.state.opener, where, params), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


def _safe(token: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in token)[:40] or "x"


@router.get("/events.csv")
def events_csv(request: Request, flt: Q.EventFilter = Depends(page_filter),
               store: Store = Depends(get_store)) -> StreamingResponse:
    return _download(request, flt, store, "events")


@router.get("/dyad/{a}/{b}/events.csv")
def dyad_csv(request: Request, a: str, b: str, flt: Q.EventFilter = Depends(page_filter),
             store: Store = Depends(get_store)) -> StreamingResponse:
    flt.dyad = dyad_sides(store, a, b)
    return _download(request, flt, store, f"events-{_safe(a)}-{_safe(b)}")


@router.get("/actor/{entity_id}/events.csv")
def actor_csv(request: Request, entity_id: str, store: Store = Depends(get_store)) -> StreamingResponse:
    ent = Q.get_entity(store, entity_id)
    if ent is None:
        raise HTTPException(404, "no such actor")
    side = Q.entity_side(store, ent)
    flt = Q.EventFilter(event_ids=side.actor_ids | side.recipient_ids)
    return _download(request, flt, store, f"events-{_safe(ent['name'])}")


@router.get("/doc/{doc_id}/events.csv")
def document_csv(request: Request, doc_id: str, store: Store = Depends(get_store)) -> StreamingResponse:
    if Q.document_text(store, doc_id) is None and not Q.get_document(store, doc_id):
        raise HTTPException(404, "no such document")
    return _download(request, Q.EventFilter(doc_id=doc_id), store, f"events-{_safe(doc_id)}")
