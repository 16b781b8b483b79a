"""The per-document step: one Document plus its spaCy parse in, one DocResult out.

`process_document` is pure (it reads only the document, its parse and the
read-only resources), so the same call runs in a loop, a process pool or a
Spark partition.
"""
from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc

from dyad.model import DocResult, Document, Event
from dyad.resources import Resources


def process_document(document: Document, sdoc: Doc, res: Resources) -> DocResult:
    from dyad.extract import actors, claims, dates, events, places

    if document.error:
        return DocResult(document=document)
    date_mentions = dates.find_dates(sdoc, document)
    mentions = actors.find_mentions(sdoc, document, res)
    if not document.published:
        document.published_inferred = dates.infer_document_date(document, date_mentions, res, mentions)
    evs = events.extract_events(sdoc, document, mentions, res)
    dates.attach_event_dates(evs, sdoc, document, date_mentions)
    found_places = places.find_places(sdoc, document, res)
    places.attach_event_locations(evs, sdoc, document, found_places, res)
    events.finalize_events(evs, document, res)  # date-dependent sectors, scores, ids
    _number_sentences(evs, sdoc)
    return DocResult(
        document=document,
        events=evs,
        mentions=mentions,
        dates=date_mentions,
        claims=claims.extract_claims(sdoc, document, res),
        places=found_places,
    )


def _number_sentences(evs: list[Event], sdoc: Doc) -> None:
    """Each event's sentence number (ICEWS and POLECAT rows carry one): the evidence is a
    sentence of the parse, so it is the sentence starting at or before the evidence start."""
    if not evs:
        return
    starts = [s.start_char for s in sdoc.sents]
    for ev in evs:
        ev.evidence.sentence_index = max(bisect_right(starts, ev.evidence.start) - 1, 0)
