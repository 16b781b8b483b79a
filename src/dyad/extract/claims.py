"""Quantitative claims (lengths, money, people, percentages). (stub: fuse helper owns this)"""
from __future__ import annotations

from spacy.tokens import Doc

from dyad.model import Claim, Document
from dyad.resources import Resources


def extract_claims(sdoc: Doc, document: Document, res: Resources) -> list[Claim]:
    return []
