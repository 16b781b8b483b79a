"""Conversions between the data contract (dataclasses) and table rows."""
from __future__ import annotations

import json
from typing import Any, Iterable, Optional

from dyad.model import (
    Claim,
    DateMention,
    DocResult,
    Document,
    Event,
    EventDate,
    Evidence,
    InferredDate,
    Location,
    Mention,
    Party,
    Removed,
)
from dyad.store.schema import json_columns


def _dump(value: Any) -> Optional[str]:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, default=str)


def _codes(parties: Iterable[Party], attr: str) -> str:
    vals = sorted({getattr(p, attr) for p in parties if getattr(p, attr)})
    return "|" + "|".join(vals) + "|" if vals else ""


def document_row(doc: Document, n_events: int) -> dict[str, Any]:
    d = doc.to_dict()
    return {
        "doc_id": d["doc_id"],
        "title": d["title"],
        "url": d["url"],
        "publisher": d["publisher"],
        "author": d["author"],
        "published": d["published"],
        "published_offset": d["published_offset"],
        "published_inferred": _dump(d["published_inferred"]),
        "text": d["text"],
        "removed": _dump(d["removed"]),
        "language": d["language"],
        "source": d["source"],
        "error": d["error"],
        "n_events": n_events,
    }


def event_row(ev: Event) -> dict[str, Any]:
    d = ev.to_dict()
    date = d["date"] or {}
    row = {k: d.get(k) for k in (
        "event_id", "doc_id", "event_type", "mode", "negated", "modality",
        "trigger", "score", "confidence", "cameo",
    )}
    for k in ("contexts", "actor", "recipient", "source_actor", "date", "location", "evidence"):
        row[k] = _dump(d[k])
    row.update(
        date_start=date.get("start"),
        date_end=date.get("end"),
        date_granularity=date.get("granularity"),
        date_kind=date.get("kind"),
        actor_countries=_codes(ev.actor, "country"),
        recipient_countries=_codes(ev.recipient, "country"),
        actor_names=_codes(ev.actor, "name"),
        recipient_names=_codes(ev.recipient, "name"),
    )
    return row


def result_rows(res: DocResult) -> dict[str, list[dict[str, Any]]]:
    """All per-document table rows for one DocResult."""
    doc_id = res.document.doc_id
    return {
        "documents": [document_row(res.document, len(res.events))],
        "events": [event_row(e) for e in res.events],
        "mentions": [
            {"doc_id": doc_id, "start_char": m.start, "end_char": m.end, "text": m.text,
             "type": m.type, "name": m.name, "country": m.country, "sector": m.sector, "title": m.title}
            for m in res.mentions
        ],
        "dates": [
            {"doc_id": doc_id, "start_char": m.start, "end_char": m.end, "text": m.text,
             "resolved_start": m.resolved_start, "resolved_end": m.resolved_end,
             "granularity": m.granularity, "kind": m.kind}
            for m in res.dates
        ],
        "claims": [
            {"claim_id": c.claim_id, "doc_id": doc_id, "subject": c.subject, "value": c.value,
             "value_max": c.value_max, "unit": c.unit, "text": c.text, "start_char": c.start, "end_char": c.end,
             "sentence": c.sentence}
            for c in res.claims
        ],
        "places": [
            {"doc_id": doc_id, "start_char": p.start, "end_char": p.end, "text": p.text,
             "name": p.name, "country": p.country, "lat": p.lat, "lon": p.lon}
            for p in res.places
        ],
    }


def decode(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """Parse the JSON text columns of a row read from the store."""
    out = dict(row)
    for col in json_columns(table):
        if col in out and isinstance(out[col], str):
            out[col] = json.loads(out[col])
    return out


# --- rows back to dataclasses (fusion works on DocResults) ---

def _party(d: Optional[dict]) -> Optional[Party]:
    return Party(**d) if d else None


def document_from_row(r: dict[str, Any]) -> Document:
    r = decode("documents", r)
    inferred = r.get("published_inferred")
    return Document(
        doc_id=r["doc_id"], text=r["text"] or "", title=r["title"], url=r["url"],
        publisher=r["publisher"], author=r["author"], published=r["published"],
        published_offset=r.get("published_offset"), published_inferred=InferredDate(**inferred) if inferred else None,
        removed=[Removed(**x) for x in (r.get("removed") or [])],
        language=r["language"] or "en", source=r["source"], error=r["error"],
    )


def event_from_row(r: dict[str, Any]) -> Event:
    r = decode("events", r)
    return Event(
        event_id=r["event_id"], doc_id=r["doc_id"], event_type=r["event_type"],
        actor=[Party(**p) for p in r["actor"] or []],
        recipient=[Party(**p) for p in r["recipient"] or []],
        evidence=Evidence(**r["evidence"]),
        trigger=r["trigger"], mode=r["mode"], contexts=r["contexts"] or [],
        negated=bool(r["negated"]), modality=r["modality"],
        source_actor=_party(r.get("source_actor")),
        date=EventDate(**r["date"]) if r.get("date") else None,
        location=Location(**r["location"]) if r.get("location") else None,
        score=r["score"], confidence=r["confidence"], cameo=r["cameo"],
    )


def mention_from_row(r: dict[str, Any]) -> Mention:
    return Mention(doc_id=r["doc_id"], text=r["text"], start=r["start_char"], end=r["end_char"],
                   type=r["type"], name=r["name"], country=r["country"], sector=r["sector"],
                   title=r["title"])


def date_from_row(r: dict[str, Any]) -> DateMention:
    return DateMention(doc_id=r["doc_id"], text=r["text"], start=r["start_char"], end=r["end_char"],
                       resolved_start=r["resolved_start"], resolved_end=r["resolved_end"],
                       granularity=r["granularity"], kind=r["kind"])


def claim_from_row(r: dict[str, Any]) -> Claim:
    return Claim(claim_id=r["claim_id"], doc_id=r["doc_id"], subject=r["subject"], value=r["value"],
                 value_max=r.get("value_max"), unit=r["unit"], text=r["text"], start=r["start_char"], end=r["end_char"],
                 sentence=r["sentence"])


def place_from_row(r: dict[str, Any]) -> Location:
    return Location(name=r["name"], country=r["country"], lat=r["lat"], lon=r["lon"], text=r["text"],
                    start=r["start_char"], end=r["end_char"])
