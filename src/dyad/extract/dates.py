"""Date mentions in a document, event dates, document date inference. (stub: dates helper owns this)"""
from __future__ import annotations

from typing import Optional

from spacy.tokens import Doc

from dyad.model import DateMention, Document, Event, InferredDate


def find_dates(sdoc: Doc, document: Document) -> list[DateMention]:
    return []


def infer_document_date(document: Document, mentions: list[DateMention]) -> Optional[InferredDate]:
    return None


def attach_event_dates(events: list[Event], sdoc: Doc, document: Document, mentions: list[DateMention]) -> None:
    return None
