"""Roles from the dependency parse: actor (subject, passive agent, "between A and B"),
recipient (objects, prepositional and complement-clause parties), source (who said it)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Optional

from spacy.tokens import Doc, Span, Token

from dyad.extract import actors as act
from dyad.extract.events.lexicon import Trigger, is_in, match_trigger
from dyad.extract.events.nonparties import THING_MODIFIERS, is_thing, past_time_head
from dyad.model import Event, Party
from dyad.resources import Resources

# Passive forms that describe a stance, not something done to the subject ("is opposed to").
STATIVE_PASSIVES = {"oppose", "commit", "prepare", "determine", "engage", "involve", "dedicate", "resolve"}


CONFLICT_TYPES = {"ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "SANCTION"}


SITUATION_NOUNS = {"coup", "violence", "crackdown", "unrest", "conflict", "war", "fighting", "crisis", "situation",
                   "election", "killing", "massacre", "abuse", "atrocity", "bombing", "explosion", "occupation"}


# Types whose target is a party, never the place where it was said or done.
VERBAL_TYPES = {"AGREE", "SUPPORT", "REQUEST", "REJECT", "ACCUSE", "THREATEN", "COOPERATE", "CONSULT"}


# Prepositional phrases that set the scene rather than name a target.
BACKGROUND_PREPS = {"after", "before", "despite", "since", "until", "during", "following", "amid", "albeit",
                    "because", "as", "like", "without", "including", "unlike", "besides"}


# Recipient prepositions, most telling first (the place, "in", is tried last and only for some types).
RECIPIENT_PREPS = ("with", "to", "against", "on", "upon", "from", "for", "over", "into", "toward", "towards", "at")


ACTOR_PREPS = ("by", "between", "among")


FIRST_PERSON = {"we", "i", "our", "us", "my", "me"}


GROUP_PRON = {"it", "they", "its", "their", "them"}


DEMONSTRATIVE = {"this", "that", "the", "these", "those", "such"}


@dataclass
class _Ctx:
    doc: Doc
    res: Resources
    da: act.DocActors
    say: set[str]
    light: set[str]
    prior: list[Event]
    last_subject: list[Party]
    # token index -> resolve_phrase(token, res, da): pure for one document, since doc, res and
    # da (built once from the mentions, never changed) are fixed for the life of the context
    resolved: dict[int, Optional[act.Resolved]] = field(default_factory=dict)
    _dominant: list[Optional[str]] = field(default_factory=list)
    # sentence start -> (the sentence's model features, their summed scores)
    sentence_feats: dict[int, tuple[list[str], list[float]]] = field(default_factory=dict)

    def dominant_country(self) -> Optional[str]:
        """The country the document names most (a weak prior for unnamed local actors)."""
        if not self._dominant:
            self._dominant.append(self.da.dominant_country())
        return self._dominant[0]

    def resolve(self, tok: Token) -> Optional[act.Resolved]:
        try:
            return self.resolved[tok.i]
        except KeyError:
            r = None if is_thing(tok, self.res) else act.resolve_phrase(tok, self.res, self.da)
            self.resolved[tok.i] = r
            return r


def _conjuncts(tok: Token) -> list[Token]:
    out = [tok]
    stack = [tok]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.dep_ == "conj" or (c.dep_ == "appos" and any(g.dep_ == "conj" for g in c.children)):
                if c.dep_ == "conj":
                    out.append(c)
                stack.append(c)
    return out


def _say_ancestor(tok: Token, say: set[str]) -> Optional[Token]:
    t = tok
    while t.head.i != t.i:
        if t.dep_ not in ("ccomp", "xcomp", "conj", "advcl", "parataxis", "dobj", "pobj", "prep", "acomp", "relcl", "nsubj", "nsubjpass", "attr"):
            return None
        t = t.head
        if t.lemma_.lower() in say and t.pos_ == "VERB":
            return t
    if t.lemma_.lower() in say and t.pos_ == "VERB" and t.i != tok.i:
        return t
    return None


def _subject(verb: Token) -> Optional[Token]:
    """The verb's subject; the nearest one when a run-on parse (headline + body) gives two."""
    subs = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    return min(subs, key=lambda c: abs(verb.i - c.i)) if subs else None


def _according_to(sent: Span) -> Optional[Token]:
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to":
            for c in t.doc[t.i + 1].children:
                if c.dep_ == "pobj":
                    return c
    return None


def parties(tok: Optional[Token], ctx: _Ctx, clause: Optional[Token] = None) -> list[Party]:
    """Parties named by the phrase headed by `tok` (coordination expanded, pronouns resolved)."""
    if tok is None:
        return []
    out: list[Party] = []
    for t in _conjuncts(tok):
        t = past_time_head(t)
        low = t.lower_
        if t.pos_ == "PRON" and low in act.PRONOUNS_PERSON:
            sa = _say_ancestor(clause or t, ctx.say)
            subj = _subject(sa) if sa is not None else None
            if subj is not None and subj.i != t.i and subj.pos_ != "PRON":
                # "Odinga said he would ...": he is the speaker; an unknown speaker is not guessed
                out.extend(parties(subj, ctx)[:1])
                continue
        if t.pos_ == "PRON" and (low in FIRST_PERSON or low in GROUP_PRON):
            sa = _say_ancestor(clause or t, ctx.say) if clause is not None else _say_ancestor(t, ctx.say)
            if sa is None and low in FIRST_PERSON:
                root = t.sent.root
                sa = root if root.lemma_.lower() in ctx.say else None
            if sa is not None:
                subj = _subject(sa)
                if subj is not None and subj.i != t.i and subj.pos_ != "PRON":
                    out.extend(parties(subj, ctx))
                    continue
                if subj is not None and subj.lower_ in act.PRONOUNS_PERSON:
                    r = ctx.resolve(subj)
                    if r:
                        out.append(act.to_party(t, r))
                        continue
            if low in GROUP_PRON:
                ante = _subject_antecedent(t, ctx)
                out.extend(Party(text=t.text, name=a.name, country=a.country, sector=a.sector, start=t.idx,
                                 end=t.idx + len(t), type=a.type) for a in ante[:1 if low in ("it", "its") else 4])
            continue
        r = ctx.resolve(t)
        if r is None:
            r = _possessed_role(t, ctx)
        if r is not None and (r.country or (r.kind == "person" and r.sector)):  # a titled person, country unknown
            out.append(act.to_party(t, r))
            for m in t.lefts:  # "Hungarian and Romanian officials": one party per country
                if m.dep_ in ("amod", "compound") and any(c.dep_ == "conj" for c in m.children):
                    for c in [m, *(c for c in m.children if c.dep_ == "conj")]:
                        e = act.lookup(c.text, ctx.res)
                        if e is not None and e.country and e.country not in {p.country for p in out}:
                            out.append(Party(text=c.text, name=e.name, country=e.country, sector=r.sector,
                                             start=c.idx, end=c.idx + len(c), type="GROUP"))
    return out


def _possessed_role(t: Token, ctx: _Ctx) -> Optional[act.Resolved]:
    """'its troops', 'their leaders': the role belongs to whoever the possessive pronoun names."""
    if t.dep_ not in ("nsubj", "nsubjpass"):
        return None  # as an object, "its ambassador" is the actor's own, never a recipient
    poss = next((c for c in t.children if c.dep_ == "poss" and c.lower_ in ("its", "their")), None)
    sector, role = act.role_sector([t], ctx.res)
    if poss is None or role is None:
        return None
    owner = parties(poss, ctx)
    if not owner:
        return None
    return act.Resolved(f"{owner[0].name} {t.text}", owner[0].country, sector or owner[0].sector, "GROUP", "role", role)


def _subject_antecedent(pron: Token, ctx: _Ctx) -> list[Party]:
    """'it'/'they' -> the nearest earlier non-person subject in the sentence, else the last sentence's."""
    sent = pron.sent
    for t in reversed(sent[: pron.i - sent.start]):
        if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ != "PRON" and t.ent_type_ != "PERSON":
            ps = [p for p in parties(t, ctx) if p.type != "PERSON"]
            if ps:
                return ps
    return [p for p in ctx.last_subject if p.type != "PERSON"]


def _prep_objects(tok: Token, preps: Iterable[str]) -> list[Token]:
    found = []
    kids = [c for c in tok.children if c.dep_ in ("prep", "agent", "dative")]  # one walk of the children
    if not kids:
        return found
    for p in preps:
        for c in kids:
            if c.lower_ == p:
                found.extend(g for g in c.children if g.dep_ == "pobj")
    return found


def _recipient_from(tok: Token, ctx: _Ctx, actor_keys: set, depth: int = 0, skip: Optional[Token] = None,
                    verbal: bool = False, own: frozenset = frozenset()) -> list[Party]:
    """Objects, then prepositional objects, then the complement clause's parties."""
    objs = [c for c in tok.children if c.dep_ in ("dobj", "dative", "iobj") and (skip is None or c.i != skip.i)
            and not any(g.dep_ == "poss" and g.pos_ == "PRON" for g in c.children)]  # "recalled its ambassador"
    cands: list[Token] = list(objs)
    for c in tok.children:
        if c.dep_ == "dative":
            cands.extend(g for g in c.children if g.dep_ == "pobj")
    # the verb's prepositions ("handed the keys to X"), then the object's ("aid for Romania")
    cands.extend(_prep_objects(tok, RECIPIENT_PREPS))
    for c in objs:
        # "condemned the coup in Niger": where the condemned event happened is its target
        ct = match_trigger(c, ctx.res)
        located = not verbal or c.lemma_.lower() in SITUATION_NOUNS or (ct is not None and ct.type in CONFLICT_TYPES)
        cands.extend(_prep_objects(c, ("to", "for", "against", "on", "of", "among", "between", "with", "from") + (("in",) if located else ())))
    if not verbal:  # where a protest or raid happened is its target; where a statement was made is not
        cands.extend(_prep_objects(tok, ("in",)))
    for c in cands:
        ps = [p for p in parties(c, ctx) if (p.start, p.end) not in actor_keys]
        if ps:
            return ps
        if c.dep_ == "dobj" and c.pos_ == "NOUN" and act.role_sector([c], ctx.res)[1] is not None and verbal is False \
                and own:
            return []  # "police arrested 14 protesters in Nairobi": the protesters, not Nairobi (filled at home)
        if c.dep_ == "dobj":
            anaphor = _event_anaphor(c, ctx)
            if anaphor:
                return anaphor
    if any(_unnamed_party(c, ctx) for c in cands if c.dep_ == "pobj" and c.head.lower_ in ("on", "to", "with")):
        return []  # "called on regional countries to ...": the recipient is there, just not named
    if depth < 2:
        for c in tok.children:
            if c.dep_ in ("xcomp", "ccomp", "advcl") and (c.dep_ != "advcl" or depth == 0 and any(m.lower_ == "to" for m in c.children)):
                subj = next((g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")), None)
                if subj is not None and c.dep_ == "ccomp":
                    # "warned that Pakistan would act": a clause about the actor's own side names no recipient
                    ps = [p for p in parties(subj, ctx) if (p.start, p.end) not in actor_keys and not _same_side(p, own)]
                    if ps:
                        return ps
                ps = _recipient_from(c, ctx, actor_keys, depth + 1, verbal=verbal, own=own)
                if ps:
                    return ps
    if depth == 0:
        return _nearest_party(tok, ctx, actor_keys, skip, verbal, own)
    return []


def _domestic_default(anchor: Token, tok: Token, actor: list[Party], ctx: _Ctx) -> list[Party]:
    """'Egyptian police dispersed demonstrators': an unnamed group acted on at home belongs to
    the actor's country (PLOVER codes domestic targets with the country and a sector)."""
    if not actor or not actor[0].country or actor[0].country in ("IGO", "NGO", "IMG"):
        return []
    objs = [c for t in {anchor, tok} for c in t.children if c.dep_ in ("dobj",)
            and not any(g.dep_ == "poss" and g.pos_ == "PRON" for g in c.children)]
    objs += _prep_objects(anchor, ("with", "against", "on")) + _prep_objects(tok, ("against", "on"))  # "clashed with riot police"
    objs += [g for o in list(objs) for p in o.children if p.dep_ == "prep" and p.lower_ in ("from", "by", "of")
             for g in p.children if g.dep_ == "pobj"]
    for c in tok.children:
        if c.dep_ in ("xcomp", "advcl"):
            objs += [g for g in c.children if g.dep_ == "dobj"]
    for o in objs:
        sector, role = act.role_sector([o], ctx.res)
        if role is not None and o.pos_ == "NOUN":
            start = o.left_edge.idx
            return [Party(text=ctx.doc[o.left_edge.i : o.i + 1].text, name=o.text, country=actor[0].country,
                          sector=sector or None, start=start, end=o.idx + len(o), type="GROUP")]
    return []


UNNAMED_PARTIES = {"country", "nation", "follower", "side", "community", "people", "neighbour", "neighbor",
                   "state", "government", "party", "group", "member", "partner", "ally"}


def _unnamed_party(tok: Token, ctx: _Ctx) -> bool:
    """'called on regional countries to ...': the recipient is there but not named; do not guess one."""
    if tok.pos_ == "PRON":
        return True
    if tok.lemma_.lower() in UNNAMED_PARTIES:
        return True
    return tok.pos_ == "NOUN" and act.role_sector([tok], ctx.res)[1] is not None


def _same_side(p: Party, own: frozenset) -> bool:
    """Same country and no different sector: "Pakistan" after a Pakistani minister, not the
    Turkish government after Kurdish rebels."""
    return any(p.country == c and (p.sector is None or s is None or p.sector == s) for c, s in own)


def _nearest_party(tok: Token, ctx: _Ctx, actor_keys: set, skip: Optional[Token], verbal: bool = False,
                   own: frozenset = frozenset()) -> list[Party]:
    """Last resort: the closest named party below the trigger (breadth first), outside the
    subject, reported-speech and relative clauses."""
    skip_preps = BACKGROUND_PREPS | ({"in", "at", "near"} if verbal else set())
    frontier = [c for c in tok.children if c.dep_ not in ("nsubj", "nsubjpass", "csubj", "agent", "punct", "cc", "mark", "aux", "auxpass", "neg")
                and not (c.dep_ == "prep" and c.lower_ in skip_preps)]
    seen = 0
    while frontier and seen < 40:
        nxt = []
        for t in frontier:
            seen += 1
            if t.dep_ in ("relcl", "parataxis") or t.lemma_.lower() in ctx.say or (t.dep_ == "advcl" and t.i < tok.i):
                continue
            if t.dep_ == "compound" and t.ent_type_ == "ORG" and t.head.ent_type_ == "ORG":
                continue  # "Georgetown" in "Georgetown University": part of a name, not a place
            if t.pos_ in ("NOUN", "PROPN") and (skip is None or t.i != skip.i) and t.lemma_.lower() not in act.GROUP_ANAPHORS:
                ps = [p for p in parties(t, ctx) if (p.start, p.end) not in actor_keys
                      and not (t.dep_ in ("nsubj", "nsubjpass") and _same_side(p, own))]  # the actor's own side acting
                if ps:
                    return ps
            thing = is_thing(t, ctx.res)  # "a UN fund": the fund's modifiers name no party either
            nxt.extend(c for c in t.children if c.dep_ not in ("punct", "cc", "relcl") and not (c.dep_ == "prep" and c.lower_ in skip_preps)
                       and not (thing and c.dep_ in THING_MODIFIERS))
        frontier = nxt
    return []


def _event_anaphor(noun: Token, ctx: _Ctx) -> list[Party]:
    """'condemned this attack': the recipient is whoever carried out the attack described earlier."""
    t = match_trigger(noun, ctx.res)
    if t is None or not any(c.lower_ in DEMONSTRATIVE for c in noun.lefts):
        return []
    for ev in reversed(ctx.prior):
        if ev.event_type == t.type and ev.actor:
            # offsets stay empty: the party is named in an earlier sentence
            return [Party(text=p.text, name=p.name, country=p.country, sector=p.sector, type=p.type) for p in ev.actor]
    return []


def _nominal_roles(noun: Token, ctx: _Ctx) -> tuple[list[Party], list[Party]]:
    """Roles of a free-standing event noun: 'a visit by A to B', 'talks between A and B', 'Iran's attack on B'."""
    actor: list[Party] = []
    for c in _prep_objects(noun, ACTOR_PREPS):
        actor.extend(parties(c, ctx))
    for c in noun.children:
        if c.dep_ == "acl":  # "the attack launched by the Taliban"
            for a in _prep_objects(c, ("by",)):
                actor.extend(parties(a, ctx))
    if not actor:
        for c in noun.lefts:
            if c.dep_ in ("poss", "compound", "amod", "nmod"):
                actor.extend(parties(c, ctx))
    if not actor and noun.dep_ == "pobj" and noun.head.lower_ in ("during", "on", "throughout") and noun.head.head.pos_ == "VERB" \
            and noun.head.head.lemma_.lower() not in ctx.say:
        actor = _actor_of_verb(noun.head.head, ctx)[0]
    keys = {(p.start, p.end) for p in actor}
    recip: list[Party] = []
    preps = ("to", "with", "against", "on", "upon", "into", "in")
    if actor:  # "the killing of migrants by guards", "Tehran's recognition of the Taliban"
        preps = ("of",) + preps
    for c in _prep_objects(noun, preps):
        recip = [p for p in parties(c, ctx) if (p.start, p.end) not in keys]
        if recip:
            break
    if not recip:
        for a in _prep_objects(noun, ACTOR_PREPS):
            for c in [g for t in a.subtree if t.dep_ == "prep" and t.lower_ in ("to", "with") for g in t.children if g.dep_ == "pobj"]:
                recip = [p for p in parties(c, ctx) if (p.start, p.end) not in keys]
                if recip:
                    break
    for c in noun.children:
        if not recip and c.dep_ == "acl":
            recip = _recipient_from(c, ctx, keys, depth=1)
    return actor, recip


def _actor_of_verb(verb: Token, ctx: _Ctx) -> tuple[list[Party], Optional[Token]]:
    """Subject of the verb, following control (xcomp), coordination and passive agents."""
    agents = _prep_objects(verb, ("by",)) if any(c.dep_ == "agent" for c in verb.children) else []
    if agents:
        ps = [p for a in agents for p in parties(a, ctx, clause=verb)]
        if ps or any(c.dep_ == "auxpass" for c in verb.children):
            return ps, agents[0]
        if agents[0].lemma_.lower() in act.EVENT_NOUNS:
            return [], agents[0]
    if verb.lemma_.lower() in STATIVE_PASSIVES:
        sp = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if sp is not None:
            return parties(sp, ctx, clause=verb), sp
    t = verb
    if verb.lemma_.lower() not in STATIVE_PASSIVES and (any(c.dep_ == "auxpass" for c in verb.children) or (
            verb.dep_ == "conj" and any(c.dep_ == "auxpass" for c in verb.head.children) and _subject(verb) is None)):
        return [], None  # "was released": the subject is the patient and the agent is unnamed
    prev = None
    for step in range(4):
        subs = sorted((c for c in t.children if c.dep_ in ("nsubj", "csubj")), key=lambda c: abs(t.i - c.i))
        if not subs and step > 0 and prev is not None and prev.dep_ == "xcomp":
            # control: "Tehran may be forced to launch ..." -> Tehran launches
            subs = [c for c in t.children if c.dep_ == "nsubjpass"]
        for subj in subs:  # a run-on parse can give two subjects: take the nearest that names someone
            ps = parties(subj, ctx, clause=t)
            if ps or subj is subs[-1]:
                return ps + _headline_coactors(t, subj, ctx), subj
        if t.dep_ in ("xcomp", "conj", "advcl", "acomp") and t.head.i != t.i:
            prev, t = t, t.head
            continue
        passive = any(c.dep_ == "auxpass" for c in t.children)
        if t.dep_ in ("relcl", "acl") and t.head.pos_ in ("NOUN", "PROPN") and not passive and t.tag_ != "VBN":
            ps = parties(t.head, ctx, clause=t)
            if ps or t.dep_ == "relcl" or t.head.dep_ not in ("dobj", "pobj") :
                return ps, t.head
            # "issued a declaration demanding ...": the declaration's issuer demands
            g = t.head.head if t.head.dep_ == "dobj" else t.head.head.head
            if g.pos_ == "VERB":
                prev, t = t, g
                continue
        break
    return [], None


def _carrier_and_anchor(tok: Token, trig: Trigger, ctx: _Ctx) -> tuple[Token, Token, Optional[Token]]:
    """(carrier noun, clause anchor, light verb). A nominal trigger's clause is the light verb
    that carries it ("held talks", "launched ten days of war games", "engaged in talks")."""
    if trig.pos == "A":
        return tok, (tok.head if tok.dep_ == "acomp" else tok), None
    if trig.pos != "N":
        return tok, tok, None
    carrier = tok.head if tok.dep_ == "compound" and tok.head.pos_ == "NOUN" else tok  # "a mediation effort"
    h = carrier.head
    light = None
    if carrier.dep_ in ("dobj", "attr", "nsubjpass") and h.pos_ in ("VERB", "AUX") and is_in(h, ctx.light):
        light = h
    elif carrier.dep_ == "pobj" and h.dep_ == "prep" and h.lower_ in ("in", "for") and is_in(h.head, ctx.light | {"engage", "take"}):
        light = h.head
    elif carrier.dep_ == "pobj" and h.lower_ == "of" and h.head.dep_ == "dobj" and is_in(h.head.head, ctx.light):
        light = h.head.head
    return carrier, (light if light is not None else tok), light


def _headline_coactors(verb: Token, subj: Token, ctx: _Ctx) -> list[Party]:
    """'Kenya, Uganda agree to ...': a headline's comma list parses as a modifier plus the
    subject; the names before the comma act too."""
    out: list[Party] = []
    for c in verb.children:
        if c.dep_ == "npadvmod" and c.pos_ == "PROPN" and c.i < subj.i and ctx.doc[c.i + 1].text == ",":
            out += [p for p in parties(c, ctx) if p.type == "GPE" or p.sector is None]
    return out


# Verbs whose subject receives: "X received arms from Y" (Y acts), "X hosted / welcomed Y" (Y visits)
RECEIVING = {"receive", "get", "obtain", "accept", "welcome", "host", "greet"}


def _verbal_roles(tok: Token, trig: Trigger, carrier: Token, anchor: Token, light: Optional[Token], ctx: _Ctx,
                  etype: str, mode: Optional[str]) -> tuple[list[Party], Optional[Token], list[Party], bool]:
    """(actor, actor token, recipient, reciprocal) for a verb or a light-verb-carried noun."""
    actor, actor_tok = _actor_of_verb(anchor, ctx)
    recipient: list[Party] = []
    between = _prep_objects(carrier, ("between", "among")) if trig.pos == "N" else []
    if between and trig.phrase.startswith("mediat"):  # a mediator's parties are its recipients
        recipient, between = [p for b in between for p in parties(b, ctx)], []
    if between:
        actor = [p for b in between for p in parties(b, ctx)] or actor
    keys = {(p.start, p.end) for p in actor}
    passive_subj = next((c for c in anchor.children if c.dep_ == "nsubjpass"), None)
    if not recipient and passive_subj is not None and anchor.lemma_.lower() not in STATIVE_PASSIVES:
        # "X was detained (by Y)": X is done to, named or not ("three journalists")
        recipient = [p for p in parties(passive_subj, ctx) if (p.start, p.end) not in keys]
        if not recipient:
            unnamed = _unnamed_actor(passive_subj, anchor, anchor.sent, ctx)
            recipient = [unnamed] if unnamed is not None and unnamed.country else []
    if not recipient and trig.pos == "N":
        recipient = [p for c in _prep_objects(tok, ("to", "with", "against", "on", "upon", "into"))
                     for p in parties(c, ctx) if (p.start, p.end) not in keys][:4]
    if not recipient:
        recipient = _recipient_from(anchor, ctx, keys, skip=tok if light is not None else None,
                                    verbal=etype in VERBAL_TYPES and mode != "visit",
                                    own=frozenset((p.country, p.sector) for p in actor if p.country))
    if trig.pos == "V" and tok.lemma_.lower() in RECEIVING and not between:
        objs = [c for c in tok.children if c.dep_ == "dobj"]
        givers = [p for c in _prep_objects(tok, ("from",)) + [g for o in objs for g in _prep_objects(o, ("from",))]
                  for p in parties(c, ctx)]
        if givers:  # "Taiwan received fighters from the United States": the US gives
            actor, recipient = givers, actor
        elif etype == "CONSULT" and recipient:  # the host receives, the visitor is the actor
            actor, recipient = recipient, actor
    return actor, actor_tok, recipient, bool(between)


def _located_actor(anchor: Token, actor_tok: Optional[Token], etype: str, ctx: _Ctx) -> list[Party]:
    """An unnamed actor coded to where it acted: 'farmers blocked roads across France',
    'a roadside bomb near Samarra killed ...' (as the PLOVER gold data does)."""
    if actor_tok is None:
        return []
    if _popular_role(actor_tok, ctx):
        objs = [c for c in anchor.children if c.dep_ == "dobj"]
        for c in [*anchor.children, *(g for o in objs for g in o.children)]:  # "blocked roads in Algiers"
            if c.dep_ == "prep" and c.lower_ in ("in", "across", "throughout", "around"):
                found = _nearest_party(c, ctx, set(), None)
                if found:
                    sector = act.role_sector([actor_tok], ctx.res)[0] or None
                    return [replace(found[0], text=actor_tok.text, name=actor_tok.text, sector=sector,
                                    start=actor_tok.idx, end=actor_tok.idx + len(actor_tok), type="GROUP")]
    if etype == "ASSAULT" and actor_tok.lemma_.lower() in act.EVENT_NOUNS:
        for c in [*anchor.children, *actor_tok.children]:
            if c.dep_ == "prep" and c.lower_ in ("in", "near", "outside", "at", "inside"):
                found = _nearest_party(c, ctx, set(), None)
                if found:
                    return found
    return []


UNNAMED_PLACE_PREPS = ("in", "near", "at", "outside", "inside", "across", "throughout", "around", "on")


def _unnamed_actor(actor_tok: Optional[Token], anchor: Token, sent: Span, ctx: _Ctx) -> Optional[Party]:
    """'Gunmen', 'protesters', 'police', 'a car bomb': an actor the text does not name. Its
    sector comes from the role table (`UNK` for a weapon as agent); its country from a place
    in the clause or the phrase ("gunmen in Kano"), else the document's dominant country."""
    if actor_tok is None or actor_tok.pos_ not in ("NOUN", "PROPN"):
        return None
    head = actor_tok
    for _ in range(3):  # "thousands of protesters"
        if head.lemma_.lower() not in act.QUANTITY_HEADS:
            break
        head = next((g for c in head.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
                     if g.dep_ == "pobj"), head)
    sector, role = act.role_sector([head], ctx.res)
    if role is None:
        if head.lemma_.lower() not in act.EVENT_NOUNS:
            return None
        sector = "UNK"
    elif sector in (None, "", "GOV", "LEG", "JUD", "PTY"):
        return None  # "the leader", "officials": a state's people are named by the context, not guessed
    country = None
    objs = [c for c in anchor.children if c.dep_ == "dobj"]
    for c in [*head.children, *anchor.children, *(g for o in objs for g in o.children)]:
        if c.dep_ == "prep" and c.lower_ in UNNAMED_PLACE_PREPS:
            found = [p for p in _nearest_party(c, ctx, set(), None) if p.country not in ("IGO", "NGO")]
            if found:
                country = found[0].country
                break
    country = country or ctx.dominant_country()
    first = actor_tok.left_edge if actor_tok.left_edge.i >= sent.start else actor_tok
    while first.i < actor_tok.i and first.dep_ == "det":
        first = ctx.doc[first.i + 1]
    text = ctx.doc[first.i : actor_tok.i + 1].text
    return Party(text=text, name=text, country=country, sector=sector or "UNK", start=first.idx,
                 end=actor_tok.idx + len(actor_tok), type="GROUP")


def _source(anchor: Token, actor_tok: Optional[Token], sent: Span, ctx: _Ctx, actor: list[Party]) -> Optional[Party]:
    """Who reported the event: the subject of a governing reporting verb, or 'according to X'
    (None when that is the actor itself: "we will ...", the spokesman said)."""
    src = _reporter(anchor, actor_tok, sent, ctx)
    if src is not None and any((src.start, src.name) == (p.start, p.name) or src.name == p.name for p in actor):
        return None
    return src


def _reporter(anchor: Token, actor_tok: Optional[Token], sent: Span, ctx: _Ctx) -> Optional[Party]:
    sa = _say_ancestor(anchor, ctx.say)
    if sa is not None:
        subj = _subject(sa)
        if subj is not None and (actor_tok is None or subj.i != actor_tok.i):
            sp = parties(subj, ctx)
            if sp:
                return sp[0]
    acc = _according_to(sent)
    if acc is not None:
        sp = parties(acc, ctx)
        return sp[0] if sp else None
    return None


POPULAR_SECTORS = {"CVL", "OPP", "LAB", "EDU", "REB", "REL", "MED", "BUS", "REF", ""}


def _popular_role(tok: Token, ctx: _Ctx) -> bool:
    t = tok
    for _ in range(3):  # "tens of thousands of farmers"
        if t.lemma_.lower() not in act.QUANTITY_HEADS:
            break
        t = next((g for c in t.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"), t)
    sector, role = act.role_sector([t], ctx.res)
    return role is not None and (sector or "") in POPULAR_SECTORS


def _dedupe(ps: list[Party]) -> list[Party]:
    seen = set()
    out = []
    for p in ps:
        k = (p.start, p.end, p.country)
        if k in seen:
            continue
        seen.add(k)
        out.append(p)
    return out


