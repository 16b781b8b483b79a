"""PLOVER event coding from the dependency parse. (stub: coder helper owns this)"""
from __future__ import annotations

from spacy.tokens import Doc

from dyad.model import Document, Event, Mention
from dyad.resources import Resources


def extract_events(sdoc: Doc, document: Document, mentions: list[Mention], res: Resources) -> list[Event]:
    return []


def finalize_events(events: list[Event], document: Document, res: Resources) -> None:
    """Date-dependent sectors, scores; runs after dates and places are attached."""
    return None
