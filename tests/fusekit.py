"""Builders for hand-made DocResults used by the fusion tests (no NLP needed)."""
from __future__ import annotations

from typing import Optional

from dyad.model import (Claim, DocResult, Document, Event, EventDate, Evidence, InferredDate,
                        Location, Mention, Party)


def make_doc(doc_id: str, names: list[tuple], published: Optional[str] = None,
             inferred: Optional[InferredDate] = None, filler: str = " said something. ") -> DocResult:
    """names: (text, type[, country[, title]]) in reading order; offsets are real."""
    text, mentions = "", []
    for spec in names:
        name, typ = spec[0], spec[1]
        country = spec[2] if len(spec) > 2 else None
        title = spec[3] if len(spec) > 3 else None
        start = len(text)
        text += name + filler
        mentions.append(Mention(doc_id=doc_id, text=name, start=start, end=start + len(name),
                                type=typ, country=country, title=title))
    doc = Document(doc_id=doc_id, text=text, published=published, published_inferred=inferred)
    return DocResult(document=doc, mentions=mentions)


def party(text: str, country: Optional[str] = None, typ: str = "GPE", name: Optional[str] = None) -> Party:
    return Party(text=text, name=name or text, country=country, type=typ)


def make_event(res: DocResult, event_id: str, event_type: str, actor: list[Party], recipient: list[Party],
               day: Optional[str] = None, granularity: str = "day",
               location: Optional[Location] = None) -> Event:
    date = EventDate(text=day, start=day, end=None, granularity=granularity, kind="exact") if day else None
    ev = Event(event_id=event_id, doc_id=res.document.doc_id, event_type=event_type, actor=actor,
               recipient=recipient, evidence=Evidence(text="(evidence)", start=0, end=1),
               date=date, location=location)
    res.events.append(ev)
    return ev


def make_claim(res: DocResult, subject: str, value: float, unit: str = "km",
               value_max: Optional[float] = None) -> Claim:
    c = Claim(claim_id=f"{res.document.doc_id}-{len(res.claims)}", doc_id=res.document.doc_id,
              subject=subject, value=value, unit=unit, text=f"{value:g} {unit}", start=0, end=1,
              value_max=value_max)
    res.claims.append(c)
    return c
