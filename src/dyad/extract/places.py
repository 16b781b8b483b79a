"""Place mentions resolved to a gazetteer; event locations. (stub: dates helper owns this)"""
from __future__ import annotations

from spacy.tokens import Doc

from dyad.model import Document, Event, Location
from dyad.resources import Resources


def find_places(sdoc: Doc, document: Document, res: Resources) -> list[Location]:
    return []


def attach_event_locations(events: list[Event], sdoc: Doc, document: Document, places: list[Location]) -> None:
    return None
