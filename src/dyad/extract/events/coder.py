"""The event coder: one decision path per sentence (see the package docstring)."""
from __future__ import annotations

import re
from typing import Optional

from spacy.tokens import Doc, Span, Token

from dyad.extract import actors as act
from dyad.extract.events.candidates import (
    _embedded_in,
    _has_infinitive,
    _in_purpose_clause,
    _obliges,
)
from dyad.extract.events.features import candidate_features, sentence_features
from dyad.extract.events.lexicon import OBLIGATION, Trigger, match_trigger
from dyad.extract.modality import DENY_VERBS
from dyad.extract.events.retype import _retype
from dyad.extract.events.roles import (
    VERBAL_TYPES,
    ACTOR_PREPS,
    FIRST_PERSON,
    GROUP_PRON,
    _carrier_and_anchor,
    _Ctx,
    _dedupe,
    _domestic_default,
    _located_actor,
    _nominal_roles,
    _prep_objects,
    _source,
    _unnamed_actor,
    _verbal_roles,
    parties,
)
from dyad.extract.modality import clause_modality, is_historical
from dyad.model import Document, Event, Evidence, Mention, Party
from dyad.resources import Resources
from dyad.resources.tables.eventmodel import CAMEO_ROOT


# The model decides whether a candidate is an event; it changes the lexicon's type only when
# it is fairly sure of another one (below this, the lexicon row and PLOVER's rules keep it).
MODEL_TYPE_MIN = 0.35
RECENT_SENTENCES = 3  # a partyless event of a type told with its parties this recently is that event


def extract_events(sdoc: Doc, document: Document, mentions: list[Mention], res: Resources) -> list[Event]:
    ctx = _Ctx(sdoc, res, act.DocActors.from_mentions(mentions), res.get("events.say", set()), res.get("events.light", set()), [], [])
    ref_year = _reference_year(sdoc, document)
    events: list[Event] = []
    recent: list[list[Event]] = []  # the events of the last few sentences
    for sent in sdoc.sents:
        for seg in _segments(sent):
            sent_events = _not_told_before(_sentence_events(seg, document, ctx, ref_year), recent)
            recent = (recent + [sent_events])[-RECENT_SENTENCES:]
            events.extend(sent_events)
            ctx.prior.extend(sent_events)
            subj = next((c for c in seg.root.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ != "PRON"), None)
            if subj is not None:
                ps = [p for p in parties(subj, ctx) if p.type != "PERSON"]
                if ps:
                    ctx.last_subject = ps
    return events


def _same_event(e: Event, o: Event) -> bool:
    """Is `e` the event `o` tells, told again with less? The one test of a re-mention:
    the same type, and `e` names no party `o` does not ("the visit" after "X visited
    Tehran"; "talks with the Taliban" after "Iran held talks with the Taliban")."""
    if e is o or e.event_type != o.event_type or not (o.actor or o.recipient):
        return False
    if not e.actor and not e.recipient:
        return True
    if e.actor:
        return False  # an event with its own actor is its own event (same-sentence: _sentence_events)
    own = {p.country for p in e.recipient}
    return bool(o.actor) and None not in own and own <= {p.country for p in o.recipient}


def _not_told_before(events: list[Event], recent: list[list[Event]]) -> list[Event]:
    """Drop the events of a sentence that re-mention one of the last RECENT_SENTENCES (or
    of this sentence) with fewer parties."""
    before = [o for evs in recent for o in evs]
    return [e for e in events if not any(_same_event(e, o) for o in before)
            and not (e.recipient and not e.actor and any(_same_event(e, o) for o in events if o.actor))]


def _segments(sent: Span) -> list[Span]:
    """Split a sentence at line breaks: headlines and link lists are not run-on sentences."""
    cuts = [t.i for t in sent if t.is_space and "\n" in t.text]
    if not cuts:
        return [sent]
    out, start = [], sent.start
    for c in cuts:
        if c > start:
            out.append(sent.doc[start:c])
        start = c + 1
    if start < sent.end:
        out.append(sent.doc[start : sent.end])
    return [s for s in out if any(not t.is_space for t in s)]


def _reference_year(sdoc: Doc, document: Document) -> Optional[int]:
    if document.published and document.published[:4].isdigit():
        return int(document.published[:4])
    inf = document.published_inferred
    if inf is not None and inf.end and inf.end[:4].isdigit():
        return int(inf.end[:4])
    # undated: articles are written after the latest year they mention
    years = [int(m) for m in re.findall(r"\b(19[5-9]\d|20[0-4]\d)\b", document.text)]
    return max(years) + 1 if years else None


def _sentence_events(sent: Span, document: Document, ctx: _Ctx, ref_year: Optional[int]) -> list[Event]:
    res = ctx.res
    cands: list[tuple[Token, Trigger]] = []
    for tok in sent:
        if tok.is_punct or tok.is_stop and tok.lemma_.lower() not in ("call", "back", "give", "take"):
            continue
        t = match_trigger(tok, res)
        if t is not None:
            cands.append((tok, t))
        elif tok.lemma_.lower() in ctx.say and tok.pos_ == "VERB" and _obliges(tok):
            cands.append((tok, OBLIGATION))  # "Russia said Sudan must return ...": a demand
    if not cands:
        return []
    cands = [(tok, t) for tok, t in cands if not _in_purpose_clause(tok)]
    # "Russia denied attacking the village": the event is the attack, told as denied (its
    # modality), not a rejection; a denial with no event under it stays a candidate
    denials = {tok.i for tok, _ in cands if tok.lemma_.lower() in DENY_VERBS}
    if denials:
        under = {t.head.i for t, _ in cands for t in [t] if t.head.i in denials and t.i not in denials}
        cands = [(tok, t) for tok, t in cands if tok.i not in under]
    ids = {tok.i for tok, _ in cands}
    out: list[Event] = []
    seen: set = set()
    for tok, trig in cands:
        if _embedded_in(tok, ids, ctx.say):
            continue
        ev = _code(tok, trig, sent, document, ctx, ref_year)
        if ev is None:
            continue
        key = (ev.event_type, tuple(sorted({p.country or "" for p in ev.actor})))
        if key in seen:
            # the same event told twice in one sentence ("a drone strike killed ..."): keep the fuller one
            i = next(k for k, o in enumerate(out) if (o.event_type, tuple(sorted({p.country or "" for p in o.actor}))) == key)
            if (len(ev.recipient), ev.confidence) > (len(out[i].recipient), out[i].confidence):
                out[i] = ev
            continue
        seen.add(key)
        out.append(ev)
    # an event with no party at all is kept only when the sentence tells it nowhere else
    # ("the visit" next to "visited Tehran" is the same visit)
    return [e for e in out if e.actor or e.recipient or not any(o.event_type == e.event_type for o in out if o is not e)]


def _confidence(anchor: Token, nominal: bool, light: Optional[Token], recipient: list[Party], negated: bool) -> float:
    """Verbal triggers in the main clause with both parties named are the surest."""
    depth, t = 0, anchor
    while t.head.i != t.i and depth < 6:
        t, depth = t.head, depth + 1
    conf = 0.55 + (0.1 if not nominal or light is not None else -0.05) + (0.1 if recipient else 0.0)
    conf += 0.1 if depth == 0 else (0.05 if depth == 1 else -0.03 * min(depth, 4))
    conf -= 0.1 if negated else 0.0
    return round(max(0.05, min(0.95, conf)), 2)


def _code(tok: Token, trig: Trigger, sent: Span, document: Document, ctx: _Ctx, ref_year: Optional[int]) -> Optional[Event]:
    """Code one candidate: roles, modality, then the decision (model, or the lexicon without one)."""
    model = ctx.res.get("events.model")
    etype, mode, context, cameo = trig.type, trig.mode, trig.context, trig.cameo
    nominal = trig.pos == "N"
    flags: list[str] = []  # what the rules noticed; without a model each one vetoes the event
    carrier, anchor, light = _carrier_and_anchor(tok, trig, ctx)
    if nominal and light is None and carrier.dep_ in ("dobj", "nsubjpass") and carrier.head.pos_ == "VERB" \
            and not _prep_objects(carrier, ACTOR_PREPS):
        flags.append("nominal_object")  # "facilitate talks", "highlighted this visit": not the event itself
    # --- roles
    if nominal and light is None:
        actor, recipient = _nominal_roles(tok, ctx)
        actor_tok, reciprocal = None, any(c.lower_ == "between" for c in tok.children)
    else:
        actor, actor_tok, recipient, reciprocal = _verbal_roles(tok, trig, carrier, anchor, light, ctx, etype, mode)
    if trig.pos == "V" and tok.lemma_.lower() == "meet" and len(actor) < 2 \
            and not any(c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ in ("with", "in", "at")) for c in tok.children) \
            and not any(c.dep_ == "conj" for c in (actor_tok.children if actor_tok is not None else [])):
        flags.append("internal_meeting")  # "the cabinet met": not a consultation between parties
    if etype == "PROTEST" and trig.phrase == "protest" and any(c.dep_ in ("ccomp", "parataxis") for c in tok.children):
        etype, mode, cameo = "ACCUSE", "disapprove", "111"  # "X protested that ...": a verbal complaint
    if trig.phrase == "call on" and not _has_infinitive(tok):
        etype, mode, context, cameo = "CONSULT", "visit", "diplomatic", "042"  # "called on X": a courtesy visit
    if not actor:
        actor = _located_actor(anchor, actor_tok, etype, ctx)
    lo, hi = sent.start_char, sent.end_char  # parties stay inside the sentence (or segment)
    actor = [p for p in _dedupe(actor) if p.start is None or (lo <= p.start < hi) or p.text.lower() in FIRST_PERSON | GROUP_PRON]
    if not any(p.country for p in actor):
        unnamed = _unnamed_actor(actor_tok, anchor, sent, ctx)
        if unnamed is not None:
            actor = [unnamed]  # "gunmen", "protesters", "a car bomb": a sector, and a country if the text gives one
    if not any(p.country for p in actor):
        flags.append("no_actor_country")
    if model is None and flags:
        return None  # without a model, precision first
    akeys = {(p.country, p.name) for p in actor}
    recipient = [p for p in _dedupe(recipient) if (p.start is None or lo <= p.start < hi) and (p.country, p.name) not in akeys]
    named_with = [p for c in _prep_objects(anchor, ("with", "to")) + _prep_objects(tok, ("with", "to")) for p in parties(c, ctx)]
    if etype == "CONSULT" and len({p.country for p in actor if p.country}) > 1 and not named_with:
        reciprocal = True  # "Iran and the Taliban held talks": both are actors
    if reciprocal:
        recipient = []
    elif not recipient and actor:
        recipient = _domestic_default(anchor, tok, actor, ctx)
    # --- modality
    mod = clause_modality(anchor, ctx.say)
    negated, modality = mod.negated, mod.modality
    if modality == "asserted" and is_historical(sent, anchor, ref_year):
        modality = "historical"
    # --- the decision: is it an event, of which type, how sure
    confidence = None
    if model is not None:
        shared = ctx.sentence_feats.get(sent.start)
        if shared is None:  # the sentence's own features, scored once for all its candidates
            sf = sentence_features(sent)
            shared = ctx.sentence_feats[sent.start] = (sf, model.partial(sf))
        feats = candidate_features(tok, trig.type, trig.mode, trig.pos, trig.phrase, anchor, light, sent, actor,
                                   recipient, negated, modality, flags, sentence=[])
        collect = ctx.res.get("events.collect")
        if collect is not None:  # training: remember what the model would see for this candidate
            collect.append((_label_spans(tok, anchor), feats + shared[0]))
        chosen, confidence = model.decide(feats, trig.type, base=shared[1])
        if chosen is None:
            return None
        if chosen not in (trig.type, etype) and confidence >= MODEL_TYPE_MIN:  # the model overrules the lexicon row
            etype, mode, cameo = chosen, model.mode_for(tok.lemma_.lower(), chosen), CAMEO_ROOT.get(chosen)
    if nominal and light is None and not actor and not recipient and etype in VERBAL_TYPES:
        # "cooperation", "the allegations" with no one named: talk about talk, no event. A
        # riot or a march with no party is still an event (it has a place and a date)
        return None
    # --- PLOVER's rules on who protests, and on modality
    if actor and etype == "PROTEST" and mode == "obstruct" and actor[0].sector in ("GOV", "MIL", "COP"):
        etype, mode, cameo = "COERCE", "restrict", "172"  # a state blocking is coercion, not protest
    elif actor and etype == "PROTEST" and trig.pos == "V" and (actor[0].sector == "GOV" or (actor[0].sector is None and actor[0].type == "GPE")):
        etype, mode, cameo = "ACCUSE", "disapprove", "111"  # "South Korea protested to Japan": states complain
    if etype == "PROTEST" and actor and not recipient and not reciprocal and actor[0].sector not in ("GOV", "MIL", "COP") \
            and actor[0].country not in ("IGO", "NGO", "IMG", None):
        # a protest with no named target is addressed to the country's own government (no text: implied)
        names = ctx.res.get("actors.country_names", {})
        recipient = [Party(text="", name=names.get(actor[0].country, actor[0].country), country=actor[0].country,
                           sector="GOV", type="GPE")]
    retyped = _retype(etype, mode, cameo, tok, trig, modality, negated, ctx, learned=model is not None)
    if retyped[0] == "REJECT" and trig.type != "REJECT" and negated:
        negated = False  # "will not accept" is the rejection itself
    etype, mode, cameo = retyped
    trigger_text = ctx.doc[min(anchor.i, tok.i) : max(anchor.i, tok.i) + 1].text if light is not None else tok.text
    return Event(
        event_id="",
        doc_id=document.doc_id,
        event_type=etype,
        actor=actor,
        recipient=recipient,
        evidence=Evidence(text=sent.text, start=sent.start_char, end=sent.end_char),
        trigger=trigger_text,
        mode=mode,
        contexts=[c.strip() for c in (context or "").split(",") if c.strip()],
        negated=negated,
        modality=modality,
        source_actor=_source(anchor, actor_tok, sent, ctx, actor),
        confidence=confidence if confidence is not None else _confidence(anchor, nominal, light, recipient, negated),
        cameo=cameo,
    )




_LABEL_DEPS = {"dobj", "nsubjpass", "prt", "attr", "oprd", "compound", "amod"}


def _label_spans(tok: Token, anchor: Token) -> list[tuple[int, int]]:
    """Character spans a gold trigger may overlap for this candidate to be that event: the
    token, its clause anchor, and the words that complete the phrase ("reached" + "accord",
    "pulled" + "back")."""
    toks = {tok, anchor, *(c for t in (tok, anchor) for c in t.children if c.dep_ in _LABEL_DEPS)}
    return sorted((t.idx, t.idx + len(t)) for t in toks)
