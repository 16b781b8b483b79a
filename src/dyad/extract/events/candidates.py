"""Which trigger tokens of a sentence are events of their own: not embedded in another
trigger's clause, not an aim ("visited Tehran to hold talks"), plus obligations in reported
speech ("said Sudan must return ...")."""
from __future__ import annotations

from spacy.tokens import Token

from dyad.extract.events.roles import _subject

# Dependencies through which a trigger sits *inside* another trigger's clause.
EMBED_DEPS = {"xcomp", "ccomp", "dobj", "pobj", "prep", "acomp", "attr", "oprd", "pcomp", "nsubjpass", "appos", "acl"}


MODAL_OBLIGATION = {"must", "should"}


def _embedded_in(tok: Token, cand_ids: set[int], say: set[str]) -> bool:
    """True if `tok` sits in the clause or object of another trigger in the same sentence."""
    t = tok
    while t.head.i != t.i and t.dep_ in EMBED_DEPS:
        t = t.head
        if t.i in cand_ids:
            return True
        if t.lemma_.lower() in say:
            return False
    return False


def _obliges(verb: Token) -> bool:
    """A reported clause saying what someone else must/should do."""
    subj = _subject(verb)
    for c in verb.children:
        if c.dep_ != "ccomp":
            continue
        csubj = next((g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")), None)
        if csubj is None or csubj.pos_ == "PRON" or (subj is not None and csubj.lower_ == subj.lower_):
            continue
        if any(g.dep_ == "aux" and g.lower_ in MODAL_OBLIGATION for g in c.children):
            return True
    return False


def _in_purpose_clause(tok: Token) -> bool:
    """'visited Tehran to hold talks': the infinitive of purpose is an aim, not an event of its own."""
    t = tok
    for _ in range(4):
        if t.dep_ in ("advcl", "acl") and t.head.pos_ in ("VERB", "NOUN") and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children):
            return True  # "to hold talks", "the responsibility to support": aims, not events
        if t.dep_ == "xcomp" and t.head.lemma_ == "be":
            return True  # "it is necessary to start negotiations": a judgement, not an event
        if t.dep_ not in ("dobj", "pobj", "prep", "conj") or t.head.i == t.i:
            return False
        t = t.head
    return False


def _has_infinitive(tok: Token) -> bool:
    for t in tok.subtree:
        if t.dep_ in ("xcomp", "advcl", "acl") and any(c.lower_ == "to" and c.dep_ == "aux" for c in t.children):
            return True
    return False


