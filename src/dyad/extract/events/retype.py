"""PLOVER's modality rules, applied after the type is decided: future cooperation is AGREE,
intended or hypothetical conflict THREATEN, a refused acceptance REJECT."""
from __future__ import annotations

from typing import Optional

from spacy.tokens import Token

from dyad.extract.events.lexicon import Trigger, match_trigger
from dyad.extract.events.roles import _Ctx
from dyad.resources import Resources

# Acceptances whose negation is a refusal (the event is then coded REJECT, not negated).
REFUSALS = {"accept", "agree"}


COOP_FUTURE = {"CONSULT", "SUPPORT", "COOPERATE", "AID"}


CONFLICT_FUTURE = {"SANCTION": "relations", "COERCE": "restrict", "ASSAULT": "violence", "PROTEST": None, "ACCUSE": None}


def _retype(etype: str, mode: Optional[str], cameo: Optional[str], tok: Token, trig: Trigger,
            modality: str, negated: bool, ctx: _Ctx, learned: bool = False) -> tuple[str, Optional[str], Optional[str]]:
    """PLOVER's modality rules: future cooperation is AGREE, intended or hypothetical conflict THREATEN.

    With a model (`learned`), the last rule is left to it: it reads the modality as a feature,
    and a planned march or a conditional sanction is not always a threat. Cross-validated,
    each of the other rules is neutral (within 0.001) and this one cost 0.006 of type accuracy."""
    if etype == "AGREE" and _commits_to_conflict(tok, ctx.res):
        return "THREATEN", None, "130"  # "vowed to continue the struggle"
    if negated and etype in ("AGREE", "CONCEDE") and trig.phrase in REFUSALS:
        return "REJECT", None, "120"  # "would not accept", "has never allowed": a refusal
    if modality == "intended" and etype == "RETREAT" and mode == "withdraw" and trig.pos != "A":
        return "THREATEN", "relations", cameo  # "will withdraw its peacekeepers from X"
    if modality == "intended" and (etype in COOP_FUTURE or etype in ("CONCEDE", "RETREAT")) and not negated:
        # PLOVER 3.1 names CONSULT/SUPPORT/COOPERATE/AID; the gold data codes promised concessions the same way
        return "AGREE", None, cameo
    if not learned and modality in ("intended", "hypothetical") and etype in CONFLICT_FUTURE:
        return "THREATEN", CONFLICT_FUTURE[etype], cameo
    return etype, mode, cameo


CONFLICT_LEMMAS = {"struggle", "fight", "resist", "resistance", "revenge", "retaliate", "retaliation", "war", "jihad", "punish"}


def _commits_to_conflict(tok: Token, res: Resources) -> bool:
    """'vowed to continue the struggle' promises conflict, not cooperation."""
    for c in tok.children:
        if c.dep_ not in ("xcomp", "ccomp"):
            continue
        heads = [c] + [g for g in c.children if g.dep_ in ("dobj", "xcomp")]
        for t in heads:
            if t.lemma_.lower() in CONFLICT_LEMMAS:
                return True
            trig = match_trigger(t, res) if t.pos_ in ("VERB", "NOUN") else None
            if trig is not None and trig.type in ("ASSAULT", "COERCE", "THREATEN", "SANCTION", "MOBILIZE") and not any(g.dep_ == "neg" for g in t.children):
                return True
            if trig is not None:
                return False
    return False


