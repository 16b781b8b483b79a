"""Actor mentions: who is named in the document, with country and sector. (stub: coder helper owns this)"""
from __future__ import annotations

from spacy.tokens import Doc

from dyad.model import Document, Mention
from dyad.resources import Resources


def find_mentions(sdoc: Doc, document: Document, res: Resources) -> list[Mention]:
    return []
