"""Trigger lexicon: which words can be events, and the table rows they carry.

Rows come from `resources/events/triggers.tsv` (and users' files); a phrase is a lemma,
verb + particle/preposition, verb + object lemma or modifier + noun. `match_trigger` is the
candidate step of the coder: it proposes a row for a token, the model decides."""
from __future__ import annotations

from typing import Optional

from spacy.tokens import Token

from dyad.resources import Resources
from dyad.resources.tables.events import (  # noqa: F401
    Trigger,
    _trigger_rows,
    load_tables,
)


PARTICLES = frozenset({"down", "up", "out", "off", "back", "away", "over", "in", "on", "aside"})


def forms(tok: Token) -> list[str]:
    """The lemma plus naive stems of the word: the small model's lemmatizer slips ("staged" -> "stag")."""
    low = tok.lower_
    out = [tok.lemma_.lower()]
    if tok.pos_ in ("VERB", "AUX"):
        for suf, add in (("ied", "y"), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("es", ""), ("s", "")):
            if low.endswith(suf) and len(low) - len(suf) >= 3:
                out.append(low[: -len(suf)] + add)
    return out


def is_in(tok: Token, words: set[str]) -> bool:
    return any(f in words for f in forms(tok))


def match_trigger(tok: Token, res: Resources) -> Optional[Trigger]:
    lem = tok.lemma_.lower()
    if tok.pos_ == "VERB":
        table = res.get("events.verbs", {})
        if lem not in table:
            lem = next((f for f in forms(tok)[1:] if f in table), lem)
        heads = res.get("events.verb_heads")
        if heads is not None and lem.split(" ", 1)[0] not in heads:
            return None  # every key tried below starts with `lem`: none can be in the table
        keys = []
        kids = list(tok.children)
        # the small parser often tags the particle of a phrasal verb as advmod ("stepped down")
        prts = [c.lower_ for c in kids if c.dep_ == "prt" or (c.dep_ == "advmod" and c.lower_ in PARTICLES)]
        objs = [c for c in kids if c.dep_ in ("dobj", "nsubjpass")]
        preps = [c.lower_ for c in kids if c.dep_ in ("prep", "agent") and c.i > tok.i
                 and not any(g.ent_type_ in ("DATE", "TIME") for g in c.children)]  # "fired ... on Sunday"
        for o in objs:
            keys += [f"{lem} {p} {o.lemma_.lower()}" for p in prts]
        keys += [f"{lem} {p}" for p in preps]  # "fire at", "call on", "arrive in"
        for o in objs:
            ol = o.lemma_.lower()
            keys.append(f"{lem} {ol}")
            for c in o.lefts:
                if c.dep_ in ("compound", "amod"):
                    keys.append(f"{lem} {c.lemma_.lower()} {ol}")
        keys += [f"{lem} {p}" for p in prts] + [lem]
        for k in keys:
            if k in table:
                return None if table[k].type == "NONE" else table[k]
        return None
    if tok.pos_ in ("NOUN", "PROPN") and not tok.ent_type_ in ("PERSON", "GPE", "ORG", "NORP"):
        table = res.get("events.nouns", {})
        for c in tok.lefts:
            if c.dep_ in ("compound", "amod"):
                t = table.get(f"{c.lemma_.lower()} {lem}") or table.get(f"{c.lower_} {tok.lower_}")
                if t:
                    return t
        t = table.get(lem) or table.get(tok.lower_)
        return None if t is None or t.type == "NONE" else t
    if tok.pos_ == "ADJ" and tok.dep_ in ("acomp", "ROOT", "amod", "xcomp"):
        # "willing/ready to ..." need their infinitive; "opposed to X" stands alone
        t = res.get("events.adjs", {}).get(lem)
        if t is not None and (any(c.dep_ == "xcomp" for c in tok.children) or any(c.dep_ == "prep" for c in tok.children)):
            return t
    return None


OBLIGATION = Trigger("must", "V", "REQUEST", None, None, "010")


