"""Negation and modality of an event clause, from auxiliaries and governing verbs.

Cue-based on purpose: the parse gives the clause, closed word classes give the cue.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from spacy.tokens import Span, Token

NEG_WORDS = {"not", "n't", "never", "no", "neither", "nor"}
FUTURE_AUX = {"will", "'ll", "shall", "would", "wo"}
HYPO_AUX = {"may", "might", "could"}
# Verbs whose infinitive complement is something not (yet) done.
INTENT_VERBS = {"plan", "intend", "want", "vow", "pledge", "promise", "prepare", "aim", "hope",
                "expect", "seek", "agree", "offer", "wish", "threaten", "propose"}
HYPO_VERBS = {"consider", "mull", "weigh", "contemplate"}
DENY_VERBS = {"deny", "dismiss"}
# Dependencies along which a governing verb's modality reaches the event clause.
UP_DEPS = {"xcomp", "ccomp", "conj", "acomp", "dobj", "pobj", "prep", "pcomp"}


@dataclass(frozen=True)
class Modality:
    negated: bool
    modality: str  # asserted | intended | hypothetical | denied | historical


def _aux_cues(verb: Token) -> tuple[bool, Optional[str]]:
    neg = False
    mod: Optional[str] = None
    for c in verb.children:
        low = c.lower_
        if c.dep_ == "neg" or (c.dep_ == "advmod" and low in ("never",)):
            neg = True
        if c.dep_ in ("aux", "auxpass"):
            if low in FUTURE_AUX:
                mod = mod or "intended"
            elif low in HYPO_AUX:
                mod = "hypothetical"
            elif low == "going" or (low in ("is", "are", "was", "were", "am") and verb.tag_ == "VBG" and False):
                mod = mod or "intended"
    return neg, mod


def clause_modality(anchor: Token, say: set[str]) -> Modality:
    """Walk from the event's verb up through its governors (not past a reporting verb)."""
    neg, mod = _aux_cues(anchor)
    t = anchor
    steps = 0
    while t.dep_ in UP_DEPS and t.head.i != t.i and steps < 4:
        child, t = t, t.head
        steps += 1
        lem = t.lemma_.lower()
        if lem in say:
            break
        hneg, hmod = _aux_cues(t)
        if child.dep_ == "conj":
            # coordinated verbs share auxiliaries written once: "will meet and sign"
            mod = mod or hmod
            continue
        if lem in DENY_VERBS:
            return Modality(neg or hneg, "denied")
        if hneg:
            neg = not neg if neg else True
        if hmod == "hypothetical":
            mod = "hypothetical"
        elif hmod and not mod:
            mod = hmod
        if child.dep_ == "xcomp" and lem in INTENT_VERBS and not mod:
            mod = "intended"
        if child.dep_ == "xcomp" and lem in HYPO_VERBS:
            mod = "hypothetical"
        if lem == "force" and any(c.dep_ == "auxpass" for c in t.children) and not mod:
            mod = "hypothetical"
    return Modality(neg, mod or "asserted")


YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


MONTH_RE = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b", re.I)


def is_historical(sent: Span, anchor: Token, ref_year: Optional[int]) -> bool:
    """A past-tense sentence dated to an earlier year than the article's ("In 1973, ...",
    "between 1996 and 2001"), and naming no recent date."""
    if ref_year is None or anchor.tag_ not in ("VBD", "VBN", "NN", "NNS", "VBG"):
        return False
    old = recent = False
    for ent in sent.ents:
        if ent.label_ != "DATE":
            continue
        years = [int(y) for y in YEAR_RE.findall(ent.text)]
        if not years:
            continue
        bare = not MONTH_RE.search(ent.text)
        closed_range = len(years) > 1 and max(years) <= ref_year
        if closed_range or (bare and max(years) < ref_year) or max(years) < ref_year - 1:
            old = True
        else:
            recent = True
    return old and not recent
