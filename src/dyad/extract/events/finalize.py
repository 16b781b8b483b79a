"""After dates and places are attached: date-dependent sectors, PLOVER scores, event ids."""
from __future__ import annotations

import hashlib
import re
from typing import Any, Optional

from dyad.model import Document, Event, Party
from dyad.resources import Resources

MIL_WORDS = re.compile(r"\b(forces?|fighters?|troops?|soldiers?|guards?|army|commanders?)\b", re.I)


def finalize_events(events: list[Event], document: Document, res: Resources) -> None:
    """Date-dependent sectors, scores, ids; runs after dates and places are attached."""
    switch: dict[str, dict[str, Any]] = res.get("actors.switch", {})
    scores: dict[tuple[str, str], float] = res.get("events.scores", {})
    terms: dict[str, tuple] = res.get("actors.terms", {})
    cues: dict[str, str] = {}  # per switching actor, decided once from the text when no date is known
    for ev in events:
        lo, hi = _event_window(ev, document)
        for p in [*ev.actor, *ev.recipient, *([ev.source_actor] if ev.source_actor else [])]:
            if p.type == "PERSON" and p.name in terms:
                p.sector = term_sector(terms[p.name], lo, hi, p.sector)
            name, rule = _switch_rule(p, switch)
            if rule is None:
                continue
            if lo is not None and lo >= rule["date"]:
                phase = "after"
            elif hi is not None and hi < rule["date"]:
                phase = "before"
            else:
                if name not in cues:
                    cues[name] = _phase_from_cues(document.text, rule)
                phase = cues[name]
            _switch_sector(p, rule, phase)
        ev.score = scores.get((ev.event_type, (ev.mode or "").lower()), scores.get((ev.event_type, "")))
        ev.event_id = _event_id(ev)


def _phase_from_cues(text: str, rule: dict[str, Any]) -> str:
    """Undated text: 'Taliban-run government', 'acting minister' say after; 'the Kabul
    government' as another party, 'insurgents' say before (cue patterns are data)."""
    after = sum(len(re.findall(c, text, re.I)) for c in rule.get("cues_after", []))
    before = sum(len(re.findall(c, text, re.I)) for c in rule.get("cues_before", []))
    return "after" if after > before else "before"


def _switch_sector(p: Party, rule: dict[str, Any], phase: str) -> None:
    base, after = rule["before"], rule["after"]
    if phase == "before":
        # a rebel group's officials and fighters are the group; an explicit state title stays
        if p.sector in (None, after, "MIL") and not (p.sector == "GOV" and not _weak_role(p)):
            p.sector = base
    elif p.sector in (None, base):
        p.sector = "MIL" if after == "GOV" and MIL_WORDS.search(p.text) else after


def _weak_role(p: Party) -> bool:
    low = p.text.lower()
    return not re.search(r"minister|governor|president|ambassador|government", low)


def _switch_rule(p: Party, switch: dict[str, dict[str, Any]]) -> tuple[str, Optional[dict[str, Any]]]:
    for name, rule in switch.items():
        if p.name == name or re.search(rf"\b{re.escape(name)}\b", p.name or "", re.I) or re.search(rf"\b{re.escape(name)}\b", p.text, re.I):
            return name, rule
    return "", None


def _event_window(ev: Event, document: Document) -> tuple[Optional[str], Optional[str]]:
    """Earliest and latest day the event can have happened (ISO), None where unknown.

    An event date read from its own sentence is used as is; one stamped from an inferred
    document date is only a range ("not before 2001" says nothing about 2021)."""
    d = ev.date
    if ev.modality == "historical":
        years = re.findall(r"\b(1[89]\d\d|20\d\d)\b", ev.evidence.text)
        if years:
            return f"{min(years)}-01-01", f"{max(years)}-12-31"
    if d is not None and d.start and (document.published or (d.text and re.search(r"\b(1[89]|20)\d\d\b", d.text))):
        return d.start[:10], (d.end or d.start)[:10] if d.granularity == "day" or d.end else _period_end(d.start, d.granularity)
    if document.published:
        return document.published[:10], document.published[:10]
    inf = document.published_inferred
    if inf is not None:
        return (inf.start[:10] if inf.start else None), (inf.end[:10] if inf.end else None)
    return None, None


def _period_end(start: str, granularity: Optional[str]) -> str:
    if granularity == "year":
        return start[:4] + "-12-31"
    if granularity in ("month", "quarter", "week"):
        return start[:7] + "-31"
    return start[:10]


def _event_id(ev: Event) -> str:
    """Deterministic: document, sentence, trigger, type and the actors' countries. Within a
    sentence events are unique on (type, actor countries), so the id is unique too."""
    actors = ",".join(sorted({p.country or "" for p in ev.actor}))
    key = f"{ev.doc_id}|{ev.evidence.start}|{ev.evidence.end}|{ev.trigger}|{ev.event_type}|{actors}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]




def term_sector(spells: tuple, lo: Optional[str], hi: Optional[str], current: Optional[str]) -> Optional[str]:
    """A KB person's sector on the event's dates: the role they held then, `ELI` once every
    role had ended (a former official), unchanged when the date is unknown or before their
    first role, or when the text gave them a sector the KB does not know for them."""
    day = lo or hi
    if not day:
        return current
    known = {s for _, _, s, _ in spells}
    if current is not None and current not in known and current != "ELI":
        return current  # a title in the sentence says more than the table
    held = [s for start, end, s, _ in spells if (not start or start <= day) and (not end or day <= end)]
    if held:
        return held[-1]
    if any(end and end < day for _, end, _, _ in spells):
        return "ELI"  # out of office now, after a term (between two terms too: Lula in 2018)
    return current
