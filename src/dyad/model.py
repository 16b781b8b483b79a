"""The data contract: plain dataclasses shared by every stage.

Everything the pipeline produces for one document is a `DocResult`; everything
that needs several documents (entities, clusters, contradictions) is computed
from DocResults by `dyad.fuse`. Field names follow ../DESIGN.md's output
contract so `to_dict()` is exactly what lands in the JSONL files.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional


def plain(value: Any) -> Any:
    """A dataclass (and the lists and dicts in it) as plain dicts and lists, fields in order.

    What `dataclasses.asdict` gives, without its deep copy of every leaf: the contract's
    leaves are strings, numbers and None, which are shared safely. The store calls this
    for every event, so the copy was a visible cost."""
    fields = getattr(type(value), "__dataclass_fields__", None)
    if fields is not None:
        return {name: plain(getattr(value, name)) for name in fields}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


@dataclass
class Removed:
    """A span of page clutter the cleaner removed; offsets into `Document.raw_text`."""

    kind: str  # e.g. "related_links", "comment_prompt", "byline", "source_line", "duplicate_title"
    text: str
    start: int
    end: int


@dataclass
class InferredDate:
    """A document date range inferred when the input has no publication date."""

    start: Optional[str]  # ISO date or None (open)
    end: Optional[str]
    granularity: Optional[str]
    basis: str
    # what the range rests on: {kind, text, start, end (offsets in the clean text, or None),
    # after, before (the bound it gives)}; kinds: latest_date, relative, landmark, office, cluster
    evidence: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Document:
    doc_id: str
    text: str  # clean body text; every offset in the output points into this
    title: Optional[str] = None
    url: Optional[str] = None
    publisher: Optional[str] = None
    author: Optional[str] = None
    published: Optional[str] = None  # ISO date (YYYY-MM-DD) when known: the local calendar date
    published_offset: Optional[str] = None  # UTC offset of the publication time ("+04:30") when given
    published_inferred: Optional[InferredDate] = None
    removed: list[Removed] = field(default_factory=list)
    language: str = "en"
    source: Optional[str] = None  # file path (and line/record) the document came from
    raw_text: Optional[str] = None  # text before cleaning (not exported)
    error: Optional[str] = None  # why the document could not be processed

    def to_dict(self) -> dict[str, Any]:
        d = plain(self)
        d.pop("raw_text", None)
        return d


@dataclass
class Party:
    """One actor or recipient of an event."""

    text: str  # as written in the sentence
    name: str  # canonical name
    country: Optional[str] = None  # ISO 3166 alpha-3, or "IGO"
    sector: Optional[str] = None  # PLOVER sector code (GOV, MIL, REB, ...)
    entity_id: Optional[str] = None  # filled by fusion
    start: Optional[int] = None  # char offsets of `text` in Document.text
    end: Optional[int] = None
    type: Optional[str] = None  # PERSON, ORG, GPE, GROUP


@dataclass
class EventDate:
    text: Optional[str]
    start: Optional[str]
    end: Optional[str]
    granularity: Optional[str]
    kind: str  # exact | approximate | range | unresolved


@dataclass
class Location:
    name: str
    country: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    text: Optional[str] = None
    start: Optional[int] = None
    end: Optional[int] = None
    geonameid: Optional[int] = None
    admin1: Optional[str] = None  # first-level region (state, province) by name
    feature: Optional[str] = None  # GeoNames feature code: PCLI country, ADM1 region, PPL populated place
    basis: Optional[str] = None  # how an event's place was found: clause, sentence, dateline


@dataclass
class Evidence:
    text: str
    start: int
    end: int
    # 0-based number of the sentence in Document.text (flat exports' sentence_index; the
    # JSONL contract leaves it out, so its evidence object is unchanged)
    sentence_index: Optional[int] = None


@dataclass
class Event:
    event_id: str
    doc_id: str
    event_type: str  # one of the 16 PLOVER types
    actor: list[Party]
    recipient: list[Party]
    evidence: Evidence
    trigger: Optional[str] = None  # the trigger words as written
    mode: Optional[str] = None
    contexts: list[str] = field(default_factory=list)
    negated: bool = False
    modality: str = "asserted"  # asserted | intended | hypothetical | denied | historical
    source_actor: Optional[Party] = None  # who said it, for reported speech
    date: Optional[EventDate] = None
    location: Optional[Location] = None
    score: Optional[float] = None
    confidence: float = 0.5
    cameo: Optional[str] = None
    cluster_id: Optional[str] = None  # filled by fusion
    sources: list[str] = field(default_factory=list)  # filled by fusion

    def to_dict(self) -> dict[str, Any]:
        return plain(self)


@dataclass
class Mention:
    """A named entity mention in one document (input to entity resolution)."""

    doc_id: str
    text: str
    start: int
    end: int
    type: str  # PERSON, ORG, GPE, NORP, FAC, LOC
    name: Optional[str] = None  # canonical name if the actor tables know it
    country: Optional[str] = None
    sector: Optional[str] = None
    title: Optional[str] = None  # "acting Foreign Minister", "spokesman", ...
    entity_id: Optional[str] = None  # filled by fusion


@dataclass
class DateMention:
    doc_id: str
    text: str
    start: int
    end: int
    resolved_start: Optional[str]
    resolved_end: Optional[str]
    granularity: Optional[str]
    kind: str


@dataclass
class Claim:
    claim_id: str
    doc_id: str
    subject: str  # normalised subject key, e.g. "border length|AFG|IRN"
    value: float
    unit: str  # normalised unit: km, USD, people, percent, ...
    text: str  # the quantity as written
    start: int
    end: int
    sentence: Optional[str] = None
    value_max: Optional[float] = None  # upper end when the text gives a range ("2.1 to 2.6 million")


@dataclass
class Contradiction:
    subject: str
    claims: list[Claim]


@dataclass
class Entity:
    entity_id: str
    name: str
    type: str
    country: Optional[str] = None
    sector: Optional[str] = None
    aliases: list[str] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)  # {doc_id,text,start,end}


@dataclass
class DocResult:
    """Everything the per-document step produces; the unit fusion and storage work on."""

    document: Document
    events: list[Event] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    places: list[Location] = field(default_factory=list)
