"""Phrases around a name that are not parties: a span of time the parser makes the head of
a name ("the Taliban months after ..."), and things named with a country in them ("the
Helmand River", "Afghan assets"; resources/actors/things.txt)."""
from __future__ import annotations

import re

from spacy.tokens import Token

from dyad.dates.lexicon import UNIT
from dyad.extract import actors as act
from dyad.resources import Resources

# "ties with the Taliban months after ...": the parser may make a span of time the head
# of the name before it; the party is the name, the time is when
TIME_SPAN = re.compile(UNIT)
THING_MODIFIERS = ("compound", "amod", "poss", "nmod")
REPORTING = {"say", "tell", "announce", "report", "state", "add", "claim", "declare"}


def is_thing(tok: Token, res: Resources) -> bool:
    """"the Helmand River", "Afghan assets", "ISIS influence": a thing, though a place or a
    group in it has a country. The subject of a main or reported verb ("the Warsaw Pact
    condemned") and a name the tables hold whole are parties."""
    if tok.pos_ not in ("NOUN", "PROPN") or tok.lemma_.lower() not in res.get("actors.things", ()):
        return False
    if tok.dep_ == "nsubj" and (tok.head.dep_ == "ROOT" or tok.head.head.lemma_.lower() in REPORTING):
        return False
    words = [t.text for t in tok.doc[tok.left_edge.i:tok.i + 1] if t.dep_ not in ("det", "punct")]
    e = act.lookup(" ".join(words), res)
    return e is None or e.kind not in ("org", "person")


def past_time_head(t: Token) -> Token:
    """The proper name a time noun wrongly heads ("the Taliban months"), else the token."""
    if t.pos_ == "NOUN" and TIME_SPAN.fullmatch(t.lower_):
        names = [c for c in t.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
        if names:
            return names[-1]
    return t
