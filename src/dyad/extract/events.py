"""PLOVER event coding from the dependency parse.

Per sentence: find trigger words (verbs, nouns carried by light verbs, a few adjectives)
from `resources/events/triggers.tsv`, drop triggers embedded under another trigger
("agreed to provide aid" is one AGREE), take roles from the parse (subject / passive
agent -> actor; object, prepositional and complement-clause parties -> recipient;
"between A and B" -> both actors), resolve parties with `dyad.extract.actors`, then set
negation and modality from auxiliaries and governing verbs. Future cooperation becomes
AGREE and hypothetical/intended conflict becomes THREATEN, as PLOVER asks.
"""
from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Optional

from spacy.tokens import Doc, Span, Token

from dyad.extract import actors as act
from dyad.extract.modality import clause_modality, is_historical
from dyad.model import Document, Event, Evidence, Mention, Party
from dyad.resources import Resources
from dyad.resources.yamlfile import read_yaml

# Dependencies through which a trigger sits *inside* another trigger's clause.
EMBED_DEPS = {"xcomp", "ccomp", "dobj", "pobj", "prep", "acomp", "attr", "oprd", "pcomp", "nsubjpass", "appos", "acl"}
# Passive forms that describe a stance, not something done to the subject ("is opposed to").
STATIVE_PASSIVES = {"oppose", "commit", "prepare", "determine", "engage", "involve", "dedicate", "resolve"}
MODAL_OBLIGATION = {"must", "should"}
# Acceptances whose negation is a refusal (the event is then coded REJECT, not negated).
REFUSALS = {"accept", "agree"}
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
COOP_FUTURE = {"CONSULT", "SUPPORT", "COOPERATE", "AID"}
CONFLICT_FUTURE = {"SANCTION": "relations", "COERCE": "restrict", "ASSAULT": "violence", "PROTEST": None, "ACCUSE": None}
FIRST_PERSON = {"we", "i", "our", "us", "my", "me"}
GROUP_PRON = {"it", "they", "its", "their", "them"}
DEMONSTRATIVE = {"this", "that", "the", "these", "those", "such"}


@dataclass(frozen=True)
class Trigger:
    phrase: str
    pos: str  # V | N | A
    type: str
    mode: Optional[str]
    context: Optional[str]
    cameo: Optional[str]


# --------------------------------------------------------------------------- loading


def _trigger_rows(path: Path) -> Iterable[dict[str, str]]:
    if path.suffix in (".yaml", ".yml"):
        for d in read_yaml(path) or []:
            if isinstance(d, dict):
                yield {k: ("" if v is None else str(v)) for k, v in d.items()}
        return
    delim = "\t" if path.suffix == ".tsv" else ","
    names = ["phrase", "pos", "type", "mode", "context", "cameo"]
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    for row in csv.reader(lines, delimiter=delim):
        if row and row[0].strip().lower() == "phrase":
            continue  # header
        yield dict(zip(names, [c.strip() for c in row]))


def load_tables(resource_dir: Path, extra_dirs: list[Path]) -> dict[str, Any]:
    verbs: dict[str, Trigger] = {}
    nouns: dict[str, Trigger] = {}
    adjs: dict[str, Trigger] = {}
    light: set[str] = set()
    say: set[str] = set()
    dirs = [resource_dir / "events", *extra_dirs, *[d / "events" for d in extra_dirs]]
    for d in dirs:
        for ext in ("tsv", "csv", "yaml", "yml"):
            p = d / f"triggers.{ext}"
            if not p.is_file():
                continue
            for row in _trigger_rows(p):
                phrase = re.sub(r"\s+", " ", row.get("phrase", "").strip().lower())
                pos = (row.get("pos") or "V").strip().upper()[:1]
                if not phrase:
                    continue
                if pos == "L":
                    light.add(phrase)
                    continue
                if pos == "S":
                    say.add(phrase)
                    continue
                typ = (row.get("type") or "").strip().upper()
                if not typ:
                    continue
                t = Trigger(phrase, pos, typ, row.get("mode") or None, row.get("context") or None, row.get("cameo") or None)
                {"V": verbs, "N": nouns, "A": adjs}.get(pos, verbs)[phrase] = t
    scores: dict[tuple[str, str], float] = {}
    p = resource_dir / "events" / "scores.tsv"
    for line in p.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            typ, mode, score = (line.split("\t") + ["", ""])[:3]
            scores[(typ.strip(), mode.strip().lower())] = float(score)
    return {"events.verbs": verbs, "events.nouns": nouns, "events.adjs": adjs, "events.light": light,
            "events.say": say, "events.scores": scores,
            # first word of every verb phrase: a verb whose lemma heads none has no trigger
            "events.verb_heads": {k.split(" ", 1)[0] for k in verbs}}


# --------------------------------------------------------------------------- triggers


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
        prts = [c.lower_ for c in kids if c.dep_ == "prt"]
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


# --------------------------------------------------------------------------- roles


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

    def resolve(self, tok: Token) -> Optional[act.Resolved]:
        try:
            return self.resolved[tok.i]
        except KeyError:
            r = self.resolved[tok.i] = act.resolve_phrase(tok, self.res, self.da)
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
        if r is not None and r.country:
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
            if t.pos_ in ("NOUN", "PROPN") and (skip is None or t.i != skip.i) and t.lemma_.lower() not in act.GROUP_ANAPHORS:
                ps = [p for p in parties(t, ctx) if (p.start, p.end) not in actor_keys
                      and not (t.dep_ in ("nsubj", "nsubjpass") and _same_side(p, own))]  # the actor's own side acting
                if ps:
                    return ps
            nxt.extend(c for c in t.children if c.dep_ not in ("punct", "cc", "relcl") and not (c.dep_ == "prep" and c.lower_ in skip_preps))
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
                return ps, subj
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


# --------------------------------------------------------------------------- events


def extract_events(sdoc: Doc, document: Document, mentions: list[Mention], res: Resources) -> list[Event]:
    ctx = _Ctx(sdoc, res, act.DocActors.from_mentions(mentions), res.get("events.say", set()), res.get("events.light", set()), [], [])
    ref_year = _reference_year(sdoc, document)
    events: list[Event] = []
    for sent in sdoc.sents:
        for seg in _segments(sent):
            sent_events = _sentence_events(seg, document, ctx, ref_year)
            events.extend(sent_events)
            ctx.prior.extend(sent_events)
            subj = next((c for c in seg.root.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ != "PRON"), None)
            if subj is not None:
                ps = [p for p in parties(subj, ctx) if p.type != "PERSON"]
                if ps:
                    ctx.last_subject = ps
    return events


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
    return out


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
    if not recipient and passive_subj is not None and any(c.dep_ == "agent" for c in anchor.children):
        recipient = [p for p in parties(passive_subj, ctx) if (p.start, p.end) not in keys]
    if not recipient and trig.pos == "N":
        recipient = [p for c in _prep_objects(tok, ("to", "with", "against", "on", "upon", "into"))
                     for p in parties(c, ctx) if (p.start, p.end) not in keys][:4]
    if not recipient:
        recipient = _recipient_from(anchor, ctx, keys, skip=tok if light is not None else None,
                                    verbal=etype in VERBAL_TYPES and mode != "visit",
                                    own=frozenset((p.country, p.sector) for p in actor if p.country))
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


def _retype(etype: str, mode: Optional[str], cameo: Optional[str], tok: Token, trig: Trigger,
            modality: str, negated: bool, ctx: _Ctx) -> tuple[str, Optional[str], Optional[str]]:
    """PLOVER's modality rules: future cooperation is AGREE, intended or hypothetical conflict THREATEN."""
    if etype == "AGREE" and _commits_to_conflict(tok, ctx.res):
        return "THREATEN", None, "130"  # "vowed to continue the struggle"
    if negated and etype in ("AGREE", "CONCEDE") and trig.phrase in REFUSALS:
        return "REJECT", None, "120"  # "would not accept", "has never allowed": a refusal
    if modality == "intended" and etype == "RETREAT" and mode == "withdraw" and trig.pos != "A":
        return "THREATEN", "relations", cameo  # "will withdraw its peacekeepers from X"
    if modality == "intended" and (etype in COOP_FUTURE or etype in ("CONCEDE", "RETREAT")) and not negated:
        # PLOVER 3.1 names CONSULT/SUPPORT/COOPERATE/AID; the gold data codes promised concessions the same way
        return "AGREE", None, cameo
    if modality in ("intended", "hypothetical") and etype in CONFLICT_FUTURE:
        return "THREATEN", CONFLICT_FUTURE[etype], cameo
    return etype, mode, cameo


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
    etype, mode, context, cameo = trig.type, trig.mode, trig.context, trig.cameo
    nominal = trig.pos == "N"
    carrier, anchor, light = _carrier_and_anchor(tok, trig, ctx)
    if nominal and light is None and carrier.dep_ in ("dobj", "nsubjpass") and carrier.head.pos_ == "VERB" \
            and not _prep_objects(carrier, ACTOR_PREPS):
        return None  # "facilitate talks", "highlighted this visit": not the event itself (unless "a meeting between A and B")
    # --- roles
    if nominal and light is None:
        actor, recipient = _nominal_roles(tok, ctx)
        actor_tok, reciprocal = None, any(c.lower_ == "between" for c in tok.children)
    else:
        actor, actor_tok, recipient, reciprocal = _verbal_roles(tok, trig, carrier, anchor, light, ctx, etype, mode)
    if trig.pos == "V" and tok.lemma_.lower() == "meet" and len(actor) < 2 \
            and not any(c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ in ("with", "in", "at")) for c in tok.children) \
            and not any(c.dep_ == "conj" for c in (actor_tok.children if actor_tok is not None else [])):
        return None  # "the cabinet met": an internal meeting, not a consultation between parties
    if etype == "PROTEST" and trig.phrase == "protest" and any(c.dep_ in ("ccomp", "parataxis") for c in tok.children):
        etype, mode, cameo = "ACCUSE", "disapprove", "111"  # "X protested that ...": a verbal complaint
    if trig.phrase == "call on" and not _has_infinitive(tok):
        etype, mode, context, cameo = "CONSULT", "visit", "diplomatic", "042"  # "called on X": a courtesy visit
    if not actor:
        actor = _located_actor(anchor, actor_tok, etype, ctx)
    lo, hi = sent.start_char, sent.end_char  # parties stay inside the sentence (or segment)
    actor = [p for p in _dedupe(actor) if p.start is None or (lo <= p.start < hi) or p.text.lower() in FIRST_PERSON | GROUP_PRON]
    if not any(p.country for p in actor):
        return None  # precision first: no named actor, no event
    akeys = {(p.country, p.name) for p in actor}
    recipient = [p for p in _dedupe(recipient) if (p.start is None or lo <= p.start < hi) and (p.country, p.name) not in akeys]
    named_with = [p for c in _prep_objects(anchor, ("with", "to")) + _prep_objects(tok, ("with", "to")) for p in parties(c, ctx)]
    if etype == "CONSULT" and len({p.country for p in actor}) > 1 and not named_with:
        reciprocal = True  # "Iran and the Taliban held talks": both are actors
    if reciprocal:
        recipient = []
    elif not recipient:
        recipient = _domestic_default(anchor, tok, actor, ctx)
    if etype == "PROTEST" and mode == "obstruct" and actor[0].sector in ("GOV", "MIL", "COP"):
        etype, mode, cameo = "COERCE", "restrict", "172"  # a state blocking is coercion, not protest
    elif etype == "PROTEST" and trig.pos == "V" and (actor[0].sector == "GOV" or (actor[0].sector is None and actor[0].type == "GPE")):
        etype, mode, cameo = "ACCUSE", "disapprove", "111"  # "South Korea protested to Japan": states complain
    if etype == "PROTEST" and not recipient and not reciprocal and actor[0].sector not in ("GOV", "MIL", "COP") \
            and actor[0].country not in ("IGO", "NGO", "IMG", None):
        # a protest with no named target is addressed to the country's own government (no text: implied)
        names = ctx.res.get("actors.country_names", {})
        recipient = [Party(text="", name=names.get(actor[0].country, actor[0].country), country=actor[0].country,
                           sector="GOV", type="GPE")]
    # --- modality
    mod = clause_modality(anchor, ctx.say)
    negated, modality = mod.negated, mod.modality
    if modality == "asserted" and is_historical(sent, anchor, ref_year):
        modality = "historical"
    retyped = _retype(etype, mode, cameo, tok, trig, modality, negated, ctx)
    if retyped[0] == "REJECT" and etype != "REJECT" and negated:
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
        confidence=_confidence(anchor, nominal, light, recipient, negated),
        cameo=cameo,
    )


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


OBLIGATION = Trigger("must", "V", "REQUEST", None, None, "010")


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


POPULAR_SECTORS = {"CVL", "OPP", "LAB", "EDU", "REB", "REL", "MED", "BUS", "REF", ""}


def _popular_role(tok: Token, ctx: _Ctx) -> bool:
    t = tok
    for _ in range(3):  # "tens of thousands of farmers"
        if t.lemma_.lower() not in act.QUANTITY_HEADS:
            break
        t = next((g for c in t.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"), t)
    sector, role = act.role_sector([t], ctx.res)
    return role is not None and (sector or "") in POPULAR_SECTORS


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


# --------------------------------------------------------------------------- finalize


MIL_WORDS = re.compile(r"\b(forces?|fighters?|troops?|soldiers?|guards?|army|commanders?)\b", re.I)


def finalize_events(events: list[Event], document: Document, res: Resources) -> None:
    """Date-dependent sectors, scores, ids; runs after dates and places are attached."""
    switch: dict[str, dict[str, Any]] = res.get("actors.switch", {})
    scores: dict[tuple[str, str], float] = res.get("events.scores", {})
    cues: dict[str, str] = {}  # per switching actor, decided once from the text when no date is known
    for ev in events:
        lo, hi = _event_window(ev, document)
        for p in [*ev.actor, *ev.recipient, *([ev.source_actor] if ev.source_actor else [])]:
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
