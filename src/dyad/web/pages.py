"""The HTML pages: server-rendered Jinja2 templates with autoescaping everywhere."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
import re
from typing import Any, Optional
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from dyad.store import Store
from dyad.web import charts, fmt
from dyad.web import queries as Q
from dyad.web.app import get_store
from dyad.web.highlight import MAX_TEXT, Span, layer, locate, window

router = APIRouter(include_in_schema=False)
PAGE = 100  # rows per page of a listing
NEWEST = "CASE WHEN e.date_start IS NULL THEN 1 ELSE 0 END, e.date_start DESC, e.event_id"

# Page forms send empty strings for untouched fields: those mean "no filter".
_CHECKS = {
    "type": (r"^[A-Z_]{2,24}$", "a PLOVER event type such as CONSULT"),
    "modality": (r"^[a-z_]{2,24}$", "a modality such as asserted"),
    "date_from": (Q.DATE_RE.pattern, "a date as YYYY, YYYY-MM or YYYY-MM-DD"),
    "date_to": (Q.DATE_RE.pattern, "a date as YYYY, YYYY-MM or YYYY-MM-DD"),
    "country": (r"^[A-Z]{3}$", "an ISO alpha-3 country code"),
    "per": (r"^(auto|week|month|year)$", "auto, week, month or year"),
}


def _clean(name: str, value: Optional[str]) -> Optional[str]:
    if value is None or not value.strip():
        return None
    value = value.strip()
    if len(value) > 200:
        raise HTTPException(422, f"{name}: too long")
    check = _CHECKS.get(name)
    if check and not re.match(check[0], value):
        raise HTTPException(422, f"{name}: expected {check[1]}")
    return value


def render(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(request, name, ctx, status_code=status)


def page_filter(
    type: Optional[str] = Query(None, max_length=200),
    date_from: Optional[str] = Query(None, max_length=200),
    date_to: Optional[str] = Query(None, max_length=200),
    modality: Optional[str] = Query(None, max_length=200),
    country: Optional[str] = Query(None, max_length=200),
    actor: Optional[str] = Query(None, max_length=200),
    recipient: Optional[str] = Query(None, max_length=200),
) -> Q.EventFilter:
    flt = Q.EventFilter(event_type=_clean("type", type), date_from=_clean("date_from", date_from),
                        date_to=_clean("date_to", date_to), modality=_clean("modality", modality),
                        country=_clean("country", country), actor=_clean("actor", actor),
                        recipient=_clean("recipient", recipient))
    if flt.date_from and flt.date_to and flt.date_from > Q.date_upper(flt.date_to):
        raise HTTPException(422, "date_from is after date_to")
    return flt


def _filter_params(flt: Q.EventFilter) -> dict[str, Any]:
    return {"type": flt.event_type, "date_from": flt.date_from, "date_to": flt.date_to,
            "modality": flt.modality, "country": flt.country, "actor": flt.actor, "recipient": flt.recipient}


def _auto_per(first: Optional[str], last: Optional[str]) -> str:
    try:
        span = (dt.date.fromisoformat(last[:10]) - dt.date.fromisoformat(first[:10])).days  # type: ignore[index]
    except (TypeError, ValueError):
        return "month"
    return "week" if span <= 120 else "month"


def _dyad_url(a: str, b: str) -> str:
    return f"/dyad/{quote(a, safe='')}/{quote(b, safe='')}"


def dyad_sides(store: Store, a: str, b: str) -> tuple[Q.Side, Q.Side]:
    """Both sides of /dyad/A/B, or a 404 that says which code is unknown."""
    sa, sb = Q.resolve_side(store, a), Q.resolve_side(store, b)
    for token, side in ((a, sa), (b, sb)):
        problem = known_side(store, token, side)
        if problem:
            raise HTTPException(404, problem)
    assert sa is not None and sb is not None
    return sa, sb


def known_side(store: Store, token: str, side: Optional[Q.Side]) -> Optional[str]:
    """Why a dyad side names nothing (a message for the 404 page), or None when it is fine.
    Any three capitals parse as a country code, so a code is checked against the country
    table and the store before the page says "no events"."""
    if side is None:
        return f"no actor or country called {token!r} in this store"
    if side.kind != "country" or side.value in Q.country_names():
        return None
    pat = "%|" + Q.like_escape(side.value) + "|%"
    used = store.scalar(f"SELECT COUNT(*) FROM events WHERE actor_countries LIKE {store.ph} ESCAPE '\\' "
                        f"OR recipient_countries LIKE {store.ph} ESCAPE '\\'", (pat, pat))
    if used:
        return None
    return (f"unknown code {side.value!r}: not an ISO 3166 alpha-3 country code, and no actor in this store "
            "is coded with it")


# ------------------------------------------------------------------ home
@router.get("/")
def home(request: Request, store: Store = Depends(get_store)) -> Response:
    st = Q.stats(store)
    dyads = Q.top_dyads(store, 12)
    top = next((d for d in dyads if d["a"] != d["b"]), dyads[0] if dyads else None)
    chart = None
    if top:
        flt = Q.EventFilter(dyad=(Q.Side("country", top["a"], top["a_name"]),
                                  Q.Side("country", top["b"], top["b_name"])))
        per = _auto_per(top["first"], top["last"])
        ser = Q.series(store, flt, per)
        if ser:
            chart = charts.relationship(ser, per, _dyad_url(top["a"], top["b"]))
    types_chart = charts.event_types(st["event_types"]) if st["event_types"] else None
    _, latest = Q.find_events(store, Q.EventFilter(), limit=10, one_per_cluster=True,
                              order=NEWEST)
    return render(request, "home.html", {
        "stats": st, "dyads": dyads, "top": top, "chart": chart, "types_chart": types_chart,
        "latest": latest, "db": fmt.redact(request.app.state.db), "nav": "home"})


@router.get("/dyad")
def dyad_form(a: str = Query(..., min_length=1, max_length=200), b: str = Query(..., min_length=1, max_length=200)
              ) -> Response:
    return RedirectResponse(_dyad_url(a.strip(), b.strip()), status_code=303)


# ------------------------------------------------------------------ dyad
@router.get("/dyad/{a}/{b}")
def dyad(request: Request, a: str, b: str, flt: Q.EventFilter = Depends(page_filter),
         per: Optional[str] = Query(None, max_length=10), offset: int = Query(0, ge=0, le=Q.MAX_OFFSET),
         store: Store = Depends(get_store)) -> Response:
    sa, sb = dyad_sides(store, a, b)
    flt.dyad = (sa, sb)
    per = _clean("per", per) or "auto"
    total, events = Q.find_events(store, flt, limit=PAGE, offset=offset, one_per_cluster=True)
    all_flt = Q.EventFilter(dyad=(sa, sb))
    span = store.query(
        "SELECT MIN(e.date_start) AS first, MAX(e.date_start) AS last FROM events e WHERE "
        + all_flt.sql(store.ph)[0], all_flt.sql(store.ph)[1])
    first, last = (span[0]["first"], span[0]["last"]) if span else (None, None)
    if per == "auto":
        per = _auto_per(flt.date_from or first, flt.date_to and Q.date_upper(flt.date_to) or last)
    ser, coarse = Q.series_and_coarse(store, flt, per)
    params = _filter_params(flt)
    here = _dyad_url(sa.key, sb.key)
    spans = Q.ranges(store, flt)
    chart = charts.relationship(ser, per, here, params, spans) if ser or spans else None
    totals = {"events": sum(s["events"] for s in ser), "cooperation": round(sum(s["cooperation"] for s in ser), 1),
              "conflict": round(sum(s["conflict"] for s in ser), 1)}
    docs = Q.documents_brief(store, (e["doc_id"] for e in events))
    directions = []
    for x, y in ((sa, sb), (sb, sa)):
        d = replace(flt, dyad=(x, y), directed=True)
        directions.append({"from": x, "to": y, **Q.summary(store, d)})
    return render(request, "dyad.html", {
        "a": sa, "b": sb, "events": events, "total": total, "offset": offset, "page": PAGE,
        "chart": chart, "per": per, "totals": totals, "params": params, "here": here,
        "first": first, "last": last, "docs": docs, "directions": directions, "coarse": coarse,
        "types": Q.event_types(store), "modalities": Q.modalities(store), "nav": "dyad"})


# ------------------------------------------------------------------ events
@router.get("/events")
def events_page(request: Request, flt: Q.EventFilter = Depends(page_filter),
                sort: Optional[str] = Query(None, pattern=r"^(|newest|oldest)$"),
                offset: int = Query(0, ge=0, le=Q.MAX_OFFSET), store: Store = Depends(get_store)) -> Response:
    sort = sort or "newest"
    total, events = Q.find_events(store, flt, limit=PAGE, offset=offset, one_per_cluster=True,
                                  order=NEWEST if sort == "newest" else Q.ORDER_TIME)
    docs = Q.documents_brief(store, (e["doc_id"] for e in events))
    params = _filter_params(flt)
    params["sort"] = None if sort == "newest" else sort
    return render(request, "events.html", {
        "events": events, "total": total, "offset": offset, "page": PAGE, "params": params, "sort": sort,
        "docs": docs, "types": Q.event_types(store), "modalities": Q.modalities(store), "nav": "events"})


def _evidence_view(store: Store, ev: dict[str, Any], texts: dict[str, Optional[str]]) -> dict[str, Any]:
    """The document text around an event's evidence, cut into pieces with the evidence marked."""
    text = texts.get(ev["doc_id"])
    if text is None:
        texts[ev["doc_id"]] = text = Q.document_text(store, ev["doc_id"]) or ""
    evd = ev.get("evidence") or {}
    where = locate(text, evd.get("start"), evd.get("end"), evd.get("text"))
    if where is None:
        return {"blocks": None, "clipped_before": False, "clipped_after": False}
    lo, hi = (0, len(text)) if len(text) <= 12_000 else window(text, where[0], where[1], 2500, 2500)
    blocks = layer(text[lo:hi], [Span(where[0] - lo, where[1] - lo, "evidence", ev)])
    return {"blocks": blocks, "clipped_before": lo > 0, "clipped_after": hi < len(text)}


@router.get("/event/{event_id:path}")
def event_page(request: Request, event_id: str, store: Store = Depends(get_store)) -> Response:
    ev = Q.get_event(store, event_id)
    if ev is None:
        raise HTTPException(404, "no such event")
    cluster = Q.cluster_events(store, ev)
    docs = Q.documents_brief(store, [e["doc_id"] for e in cluster] + list(ev.get("sources") or []))
    texts: dict[str, Optional[str]] = {}
    views = [(e, docs.get(e["doc_id"], {}), _evidence_view(store, e, texts)) for e in cluster]
    a = next((p for p in ev["actor"] or [] if p.get("country")), None)
    r = next((p for p in ev["recipient"] or [] if p.get("country")), None)
    dyad_link = _dyad_url(a["country"], r["country"]) if a and r else None
    return render(request, "event.html", {"ev": ev, "views": views, "docs": docs, "dyad_link": dyad_link,
                                          "nav": "events"})


# ------------------------------------------------------------------ documents
@router.get("/documents")
def documents_page(request: Request, q: Optional[str] = Query(None, max_length=200),
                   errors: Optional[str] = Query(None, pattern=r"^(|yes|no)$"),
                   offset: int = Query(0, ge=0, le=Q.MAX_OFFSET), store: Store = Depends(get_store)) -> Response:
    err = {"yes": True, "no": False}.get(errors or "")
    total, docs = Q.list_documents(store, limit=PAGE, offset=offset, q=(q or "").strip() or None, errors=err)
    return render(request, "documents.html", {"docs": docs, "total": total, "offset": offset, "page": PAGE,
                                              "params": {"q": q, "errors": errors}, "nav": "documents"})


@router.get("/doc/{doc_id:path}")
def document_page(request: Request, doc_id: str, store: Store = Depends(get_store)) -> Response:
    doc = Q.get_document(store, doc_id)
    if doc is None:
        raise HTTPException(404, "no such document")
    text = doc.get("text") or ""
    _, events = Q.find_events(store, Q.EventFilter(doc_id=doc_id), limit=Q.MAX_LIMIT,
                              order="e.event_id")
    layers = Q.document_layers(store, doc_id)
    outer = []
    for e in events:
        evd = e.get("evidence") or {}
        where = locate(text, evd.get("start"), evd.get("end"), evd.get("text"))
        if where:
            outer.append(Span(where[0], where[1], "evidence", e))
    events.sort(key=lambda e: ((e.get("evidence") or {}).get("start") or 0, e["event_id"]))
    inner = []
    for m in layers["mentions"]:
        inner.append(Span(m["start_char"], m["end_char"], "mention", m))
    for d in layers["dates"]:
        inner.append(Span(d["start_char"], d["end_char"], "date", d))
    for c in layers["claims"]:
        inner.append(Span(c["start_char"], c["end_char"], "claim", c))
    blocks = layer(text, outer, inner)
    removed = doc.get("removed") or []
    return render(request, "document.html", {
        "doc": doc, "blocks": blocks, "events": events, "layers": layers, "removed": removed,
        "truncated": len(text) > MAX_TEXT, "max_text": MAX_TEXT, "nav": "documents"})


# ------------------------------------------------------------------ actors
@router.get("/actors")
def actors_page(request: Request, q: Optional[str] = Query(None, max_length=200),
                offset: int = Query(0, ge=0, le=Q.MAX_OFFSET), store: Store = Depends(get_store)) -> Response:
    total, ents = Q.list_entities(store, limit=PAGE, offset=offset, q=(q or "").strip() or None)
    return render(request, "actors.html", {"entities": ents, "total": total, "offset": offset, "page": PAGE,
                                           "params": {"q": q}, "nav": "actors"})


@router.get("/actor/{entity_id:path}")
def actor_page(request: Request, entity_id: str, offset: int = Query(0, ge=0, le=Q.MAX_OFFSET),
               store: Store = Depends(get_store)) -> Response:
    ent = Q.get_entity(store, entity_id)
    if ent is None:
        raise HTTPException(404, "no such actor")
    total, mentions = Q.entity_documents(store, entity_id, limit=PAGE, offset=offset)
    side = Q.entity_side(store, ent)
    dyads = Q.actor_dyads(store, side)
    n_events, events = Q.find_events(store, Q.EventFilter(event_ids=side.actor_ids), limit=25,
                                     one_per_cluster=True, order=NEWEST)
    n_events_r, events_r = Q.find_events(store, Q.EventFilter(event_ids=side.recipient_ids), limit=25,
                                         one_per_cluster=True, order=NEWEST)
    return render(request, "actor.html", {
        "ent": ent, "mentions": mentions, "total": total, "offset": offset, "page": PAGE, "dyads": dyads,
        "events": events, "n_events": n_events, "events_r": events_r, "n_events_r": n_events_r,
        "sector_spans": _sector_spans(store, side, entity_id), "params": {}, "nav": "actors"})


def _sector_spans(store: Store, side: Any, entity_id: str) -> list[dict[str, Any]]:
    """The sectors the actor's own events give it, each with its first and last date: a
    movement is REB in 2018 and GOV in 2022, and the page says so instead of one sector."""
    ids = list(side.actor_ids or []) + list(side.recipient_ids or [])
    spans: dict[str, list[str]] = {}
    for start in range(0, len(ids), Q.MAX_LIMIT):
        _, evs = Q.find_events(store, Q.EventFilter(event_ids=frozenset(ids[start:start + Q.MAX_LIMIT])),
                               limit=Q.MAX_LIMIT)
        for ev in evs:
            day = ev.get("date_start") or (ev.get("date") or {}).get("start")
            for p in [*(ev.get("actor") or []), *(ev.get("recipient") or [])]:
                if p.get("entity_id") == entity_id and p.get("sector") and day:
                    spans.setdefault(p["sector"], []).append(str(day)[:10])
    out = [{"sector": k, "first": min(v), "last": max(v), "n": len(v)} for k, v in spans.items()]
    return sorted(out, key=lambda x: x["first"])


# ------------------------------------------------------------------ contradictions
def _claim_view(c: dict[str, Any]) -> dict[str, Any]:
    sentence = c.get("sentence") or ""
    needle = c.get("text") or ""
    if not sentence:
        return {**c, "pre": "", "mid": needle, "post": ""}
    i = sentence.find(needle) if needle else -1
    if i < 0:
        return {**c, "pre": sentence, "mid": "", "post": ""}
    return {**c, "pre": sentence[:i], "mid": needle, "post": sentence[i + len(needle):]}


@router.get("/contradictions")
def contradictions_page(request: Request, offset: int = Query(0, ge=0, le=Q.MAX_OFFSET),
                        store: Store = Depends(get_store)) -> Response:
    total, rows = Q.list_contradictions(store, limit=PAGE, offset=offset)
    ids = [c.get("doc_id") for r in rows for c in r["claims"] if c.get("doc_id")]
    docs = Q.documents_brief(store, ids)
    items = [{**r, "claims": [_claim_view(c) for c in r["claims"]]} for r in rows]
    return render(request, "contradictions.html", {"items": items, "total": total, "offset": offset,
                                                   "page": PAGE, "docs": docs, "params": {},
                                                   "nav": "contradictions"})


# ------------------------------------------------------------------ API help (Swagger UI needs a CDN)
@router.get("/api-docs")
def api_docs(request: Request) -> Response:
    spec = request.app.openapi()
    endpoints = []
    for path, ops in spec.get("paths", {}).items():
        op = ops.get("get")
        if not op:
            continue
        params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                   "description": p.get("description") or "",
                   "schema": p.get("schema", {})} for p in op.get("parameters", [])]
        endpoints.append({"path": path, "summary": op.get("summary", ""), "params": params,
                          "example": None if "{" in path else path})
    return render(request, "api_docs.html", {"endpoints": endpoints, "nav": "api"})
