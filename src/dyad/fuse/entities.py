"""Entity resolution across documents: one entity per real person, organisation or place.

Two passes, both linear with blocking:
1. per document, mentions group locally (a surname alone joins the full name it
   echoes; an acronym joins the name it abbreviates);
2. local groups are blocked by a key (surname skeleton, organisation head word,
   acronym, place key) and compared only inside their block.
"""
from __future__ import annotations

import hashlib
from functools import cached_property
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Optional

from dyad.fuse.countries import country_table, fold
from dyad.fuse.names import (OrgName, PersonName, is_subsequence, looks_like_org, org_name, person_name,
                             skeleton)
from dyad.model import DocResult, Entity

Ref = tuple[str, int, int, str]  # (doc_id, start, end, text); -1 when a party has no span
_FAMILY = {"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "GROUP": "ORG", "NORP": "NORP",
           "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}


@dataclass(slots=True)  # one per mention: slots keep a 100k-document fusion in memory
class Item:
    """One mention or event party, the unit that gets an entity_id."""

    ref: Ref
    family: str
    text: str
    name: Optional[str]
    country: Optional[str]
    sector: Optional[str]
    title: Optional[str]
    following: str = ""  # document text right after the mention (for "(NRF)")


@dataclass
class Local:
    """The mentions of one entity inside one document."""

    family: str
    doc_id: str
    items: list[Item] = field(default_factory=list)
    person: Optional[PersonName] = None
    org: Optional[OrgName] = None
    place_key: str = ""
    acronym: Optional[str] = None  # set for an acronym-only organisation group

    @cached_property  # read only after local grouping, when items are final
    def country(self) -> Optional[str]:
        if self.org and self.org.country:  # written in the name: "Iranian Foreign Ministry"
            return self.org.country
        counts: dict[str, int] = {}
        for i in self.items:
            if i.country:
                counts[i.country] = counts.get(i.country, 0) + 1
        if counts:
            return max(sorted(counts), key=counts.__getitem__)
        return self.org.country if self.org else None

    @cached_property
    def titles(self) -> set[str]:
        return {w for i in self.items if i.title for w in fold(i.title).split()}


def ref_of(doc_id: str, start: Optional[int], end: Optional[int], text: str) -> Ref:
    return (doc_id, -1 if start is None else start, -1 if end is None else end, text)


def collect_items(res: DocResult) -> list[Item]:
    """Mentions plus event parties not already covered by a mention span."""
    doc = res.document
    items: dict[Ref, Item] = {}
    spans: dict[tuple[int, int], Item] = {}
    for m in res.mentions:
        fam = _FAMILY.get(m.type)
        if not fam:
            continue
        it = Item(ref_of(m.doc_id, m.start, m.end, m.text), fam, m.text, m.name, m.country,
                  m.sector, m.title, doc.text[m.end:m.end + 12] if doc.text else "")
        items[it.ref] = it
        spans[(m.start, m.end)] = it
    for ev in res.events:
        parties = [*ev.actor, *ev.recipient] + ([ev.source_actor] if ev.source_actor else [])
        for p in parties:
            ref = ref_of(doc.doc_id, p.start, p.end, p.text)
            if ref in items:
                continue
            twin = spans.get((p.start, p.end)) if p.start is not None else None
            fam = twin.family if twin else _FAMILY.get(p.type or "", None)
            if fam is None:
                fam = "PLACE" if country_table().country(p.name or p.text) else "ORG"
            items[ref] = Item(ref, fam, p.text, p.name, p.country, p.sector, None,
                              doc.text[p.end:p.end + 12] if (doc.text and p.end) else "")
    return list(items.values())


def _person_local(doc_id: str, items: list[Item]) -> list[Local]:
    full: dict[tuple, Local] = {}  # (name key, country): one doc may name two ministers "Karimi"
    singles: list[tuple[Item, PersonName]] = []
    for it in sorted(items, key=lambda i: i.ref[1]):
        pn = _person_label(it)
        if not pn.key:
            continue
        if len(pn.key) == 1:
            singles.append((it, pn))
            continue
        loc = full.setdefault((pn.key, it.country), Local("PERSON", doc_id, person=pn))
        loc.items.append(it)
    alone: dict[tuple, Local] = {}
    for it, pn in singles:
        cands = [l for l in full.values() if pn.joined in l.person.tails]
        if cands:  # surname echoes a full name: the most-mentioned, then the nearest before
            def rank(l: Local) -> tuple[int, int]:
                before = [i.ref[1] for i in l.items if i.ref[1] <= it.ref[1]]
                return (len(l.items), max(before) if before else -1)
            max(cands, key=rank).items.append(it)
        else:
            alone.setdefault((pn.joined, it.country), Local("PERSON", doc_id, person=pn)).items.append(it)
    return [*full.values(), *alone.values()]


_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "they", "them", "their", "it", "its", "i", "we"}


def _person_label(it: Item) -> PersonName:
    """The mention's own words, or the actor table's name when it agrees with them (a
    surname, a transliteration, a pronoun); a table name adding a given name that the text
    does not have (text Ahmad Shah Massoud, name Ahmad Massoud) is not trusted."""
    own = person_name(it.text)
    if not it.name or fold(it.text) in _PRONOUNS:
        return person_name(it.name) if it.name else own
    named = person_name(it.name)
    if not own.key or own.joined == named.joined or (len(own.key) == 1 and own.joined in named.tails):
        return named
    it.name = None  # our Item copy: the display name must not come from a rejected label
    return own


def _is_person_surname(it: Item) -> bool:
    named = person_name(it.name)
    own = person_name(it.text)
    return (len(named.key) > 1 and len(own.key) == 1 and own.joined in named.tails
            and not looks_like_org(named) and not country_table().country(it.text, capitals=True))


def _org_local(doc_id: str, items: list[Item]) -> list[Local]:
    groups: dict[tuple[str, ...], Local] = {}
    acr: dict[str, Local] = {}
    for it in items:
        on = org_name(it.text, it.following)
        if it.name:  # trust the table's name unless the text names another country
            named = org_name(it.name, it.following)
            theirs = named.country or it.country
            if not (on.country and theirs and on.country != theirs):
                on = named
            else:
                it.name, it.country = None, on.country  # our Item copy, not the Mention
        if on.acronym_only:
            acr.setdefault(on.acronym_only, Local("ORG", doc_id, org=on, acronym=on.acronym_only)).items.append(it)
        elif on.key:
            loc = groups.setdefault(on.key, Local("ORG", doc_id, org=on))
            loc.items.append(it)
            if on.given_acronym and not loc.org.given_acronym:
                loc.org = on
    out = list(groups.values())
    for a, loc in acr.items():  # "NRF" joins the name written with "(NRF)", else its initials
        owner = ([g for g in out if g.org.given_acronym == a] or [g for g in out if a in g.org.acronyms])
        if len({g.org.key for g in owner}) == 1:
            owner[0].items.extend(loc.items)
        else:
            out.append(loc)
    return out


def _place_local(doc_id: str, family: str, items: list[Item]) -> list[Local]:
    countries = country_table()
    groups: dict[str, Local] = {}
    for it in items:
        label = it.name or it.text
        iso = countries.country(label) or (countries.demonym(label) if family == "NORP" else None)
        if iso:
            key = iso
        else:
            words = [w for w in fold(label).split() if w not in ("the", "of")]
            key = " ".join(skeleton(w) for w in words) + (f"|{it.country}" if it.country else "")
        if key:
            groups.setdefault(key, Local(family, doc_id, place_key=key)).items.append(it)
    return list(groups.values())


def local_groups(res: DocResult) -> list[Local]:
    by_family: dict[str, list[Item]] = defaultdict(list)
    for it in collect_items(res):
        if it.family == "PERSON" and looks_like_org(person_name(it.text)) and fold(it.text) not in _PRONOUNS:
            it.family = "ORG"
        elif it.family != "PERSON" and it.name and _is_person_surname(it):
            it.family = "PERSON"  # NER called "Muttaqi" a place; the actor table knows better
        by_family[it.family].append(it)
    doc_id = res.document.doc_id
    out = _person_local(doc_id, by_family["PERSON"]) + _org_local(doc_id, by_family["ORG"])
    for fam in ("PLACE", "NORP"):
        out += _place_local(doc_id, fam, by_family[fam])
    return out


class _UF:
    def __init__(self, n: int) -> None:
        self.p = list(range(n))

    def find(self, x: int) -> int:
        while self.p[x] != x:
            self.p[x] = self.p[self.p[x]]
            x = self.p[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[max(ra, rb)] = min(ra, rb)


def _compatible(a: Optional[str], b: Optional[str]) -> bool:
    return a is None or b is None or a == b


def _union_equal(uf: _UF, locals_: list[Local], idx: list[int], key) -> None:
    """Union groups with the same key unless their countries disagree. Each key keeps one
    slot per country, so a country-less mention cannot chain two countries together."""
    seen: dict = {}
    for i in sorted(idx, key=lambda j: locals_[j].country is None):  # countried first
        me = locals_[i].country
        slots = seen.setdefault(key(locals_[i]), [])
        for slot in slots:
            if _compatible(slot[1], me):
                uf.union(slot[0], i)
                break
        else:
            slots.append([i, me])


def _resolve_people(uf: _UF, locals_: list[Local], idx: list[int]) -> None:
    multi = [i for i in idx if len(locals_[i].person.key) > 1]
    single = [i for i in idx if len(locals_[i].person.key) == 1]
    _union_equal(uf, locals_, multi, lambda l: l.person.joined)
    countries: dict[int, set] = defaultdict(set)
    titles: dict[int, set[str]] = defaultdict(set)
    by_tail: dict[str, set[int]] = defaultdict(set)  # surname skeleton -> candidate people
    for i in multi:  # per candidate person: the countries and titles seen with them
        r = uf.find(i)
        countries[r] |= {locals_[i].country} - {None}
        titles[r] |= locals_[i].titles
        for tail in locals_[i].person.tails:
            by_tail[tail].add(r)
    # candidates with the same countries and titles score alike: a surname is scored once
    # per such signature (not per candidate), and equal surnames in equal contexts once,
    # so a block of thousands of "Mohammad ... Karimi" stays linear
    signatures: dict[str, dict[tuple, list[int]]] = {}
    for tail, roots in by_tail.items():
        sig: dict[tuple, list[int]] = defaultdict(list)
        for r in roots:
            sig[(frozenset(countries[r]), frozenset(titles[r]))].append(r)
        signatures[tail] = sig
    decided: dict[tuple, Optional[int]] = {}  # context -> root to join, -1 none fits, None tie
    unmatched = []
    for i in single:  # a surname alone: pick the full name that context favours
        me = locals_[i]
        ctx = (me.person.joined, me.country, frozenset(me.titles))
        if ctx not in decided:
            decided[ctx] = _pick_person(me, signatures.get(me.person.joined, {}))
        pick = decided[ctx]
        if pick == -1:
            unmatched.append(i)
        elif pick is not None:
            uf.union(pick, i)
    _union_equal(uf, locals_, unmatched, lambda l: l.person.joined)


def _pick_person(me: Local, signatures: dict[tuple, list[int]]) -> Optional[int]:
    """The one full name a lone surname joins: the only candidate its country allows, or
    the one that scores best (country 2, each shared title word 1); -1 when no candidate
    fits, None when the best is tied."""
    scored = []  # (score, candidates) per signature the country allows
    for (cs, ts), roots in signatures.items():
        if me.country and cs and me.country not in cs:
            continue
        scored.append((2 * (me.country in cs) + len(ts & me.titles), roots))
    if not scored:
        return -1
    if len(scored) == 1 and len(scored[0][1]) == 1:
        return scored[0][1][0]
    top = max(s for s, _ in scored)
    best = [r for s, roots in scored if s == top for r in roots[:2]]
    return best[0] if len(best) == 1 else None


def _resolve_orgs(uf: _UF, locals_: list[Local], idx: list[int]) -> None:
    full = [i for i in idx if locals_[i].org.key]
    _union_equal(uf, locals_, full, lambda l: l.org.key)
    # shorter names join the one longer name that contains their words in order;
    # candidates come from an inverted index over distinct names, so big blocks stay cheap
    reps: dict[tuple[tuple[str, ...], Optional[str]], int] = {}
    for i in full:
        reps.setdefault((locals_[i].org.key, locals_[i].country), i)
    names = list(reps)
    postings: dict[str, set[int]] = defaultdict(set)
    for n, (key, _) in enumerate(names):
        for w in key:
            postings[w].add(n)
    countries: dict[int, set[str]] = defaultdict(set)  # per group, so None cannot chain two
    for i in full:
        countries[uf.find(i)] |= {locals_[i].country} - {None}
    for key, country in sorted(names, key=lambda kc: len(kc[0])):
        lists = sorted((postings[w] for w in set(key)), key=len)
        common = set.intersection(*lists) if lists else set()
        me = uf.find(reps[(key, country)])
        cands = {uf.find(reps[names[n]]) for n in common
                 if len(names[n][0]) > len(key) and is_subsequence(key, names[n][0])}
        cands = {r for r in cands if len(countries[r] | countries[me]) <= 1}
        if len(cands) == 1:
            root = cands.pop()
            merged = countries[root] | countries[me]
            uf.union(root, me)
            countries[uf.find(me)] = merged


def resolve(results: Iterable[DocResult]) -> tuple[list[Entity], dict[Ref, str]]:
    locals_: list[Local] = []
    for res in results:
        locals_.extend(local_groups(res))
    uf = _UF(len(locals_))
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    acronyms: dict[str, set[int]] = defaultdict(set)
    for i, l in enumerate(locals_):
        if l.family == "PERSON":
            blocks[("PERSON", l.person.surname)].append(i)
        elif l.family == "ORG" and l.org.generic:  # "officials": never the same across documents
            blocks[("LOCAL", l.doc_id)].append(i)
        elif l.family == "ORG" and l.org.key:
            blocks[("ORG", l.org.head)].append(i)
            for a in ({l.org.given_acronym} - {None}) or l.org.acronyms:
                acronyms[a].add(i)
        elif l.family == "ORG":
            blocks[("ACR", l.acronym)].append(i)
        else:
            blocks[(l.family, l.place_key)].append(i)
    for (fam, _), idx in blocks.items():
        if fam == "PERSON":
            _resolve_people(uf, locals_, idx)
        elif fam == "ORG":
            _resolve_orgs(uf, locals_, idx)
        else:
            _union_equal(uf, locals_, idx, lambda l: (l.acronym, l.place_key, l.org.key if l.org else None))
    for (fam, a), idx in blocks.items():  # acronym-only groups join a unique expansion
        if fam == "ACR":
            owners = {uf.find(j) for j in acronyms.get(a, ())}
            if len(owners) == 1:
                owner = owners.pop()
                for i in idx:
                    uf.union(owner, i)
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(locals_)):
        clusters[uf.find(i)].append(i)
    return _build_entities([[locals_[i] for i in m] for m in clusters.values()])


def _canonical(group: list[Local]) -> tuple[str, str]:
    """(display name, id key) for a resolved group: stable under spelling variants."""
    fam = group[0].family
    items = [it for l in group for it in l.items]
    named = Counter(it.name for it in items if it.name)
    if fam == "PERSON":
        weight = Counter()
        for l in group:
            weight[l.person.key] += len(l.items)
        best = max(weight, key=lambda k: (len(k), weight[k], k))
        forms = Counter()
        for l in group:
            if l.person.key == best:
                forms[l.person.display] += len(l.items)
        display = max(forms, key=lambda f: (forms[f], f))
        return display, "PERSON|" + " ".join(best)
    if fam == "ORG":
        orgs = [l for l in group if l.org.key]
        if not orgs:
            return group[0].acronym or "", "ORG|" + (group[0].acronym or "")
        best = max(orgs, key=lambda l: (len(l.org.key), len(l.items))).org
        display = named.most_common(1)[0][0] if named else max(
            (it.text for l in orgs if l.org.key == best.key for it in l.items), key=len)
        display = display[4:] if display.lower().startswith("the ") else display
        return display, "ORG|" + " ".join(best.key)
    key = group[0].place_key
    display = named.most_common(1)[0][0] if named else Counter(it.text for it in items).most_common(1)[0][0]
    if len(key) == 3 and key.isupper():
        display = named.most_common(1)[0][0] if named else display
    return display, f"{fam}|{key}"


def _build_entities(groups: list[list[Local]]) -> tuple[list[Entity], dict[Ref, str]]:
    built = []
    for g in groups:
        display, key = _canonical(g)
        items = sorted((it for l in g for it in l.items), key=lambda i: i.ref)
        countries = Counter(it.country for it in items if it.country) or Counter(
            l.org.country for l in g if l.org and l.org.country)
        country = countries.most_common(1)[0][0] if countries else None
        built.append((key, country, display, g, items))
    # ids hash the canonical key; collisions (same key, different entity) add the country,
    # then the first mention, which are stable across re-runs
    counts = Counter(k for k, *_ in built)
    counts2 = Counter((k, c) for k, c, *_ in built if counts[k] > 1)
    entities: list[Entity] = []
    entity_of: dict[Ref, str] = {}
    for key, country, display, g, items in sorted(built, key=lambda b: (b[0], b[4][0].ref)):
        if counts[key] > 1:
            key = f"{key}|{country}"
            if counts2[(key.rsplit('|', 1)[0], country)] > 1:
                key = f"{key}|{items[0].ref}"
        eid = "e" + hashlib.sha1(key.encode()).hexdigest()[:15]
        sectors = Counter(it.sector for it in items if it.sector)
        aliases = sorted({it.text for it in items} - {display})
        ent = Entity(entity_id=eid, name=display, type=_TYPE[g[0].family], country=country,
                     sector=sectors.most_common(1)[0][0] if sectors else None, aliases=aliases,
                     mentions=[{"doc_id": it.ref[0], "text": it.text,
                                "start": it.ref[1] if it.ref[1] >= 0 else None,
                                "end": it.ref[2] if it.ref[2] >= 0 else None} for it in items])
        entities.append(ent)
        for it in items:
            entity_of[it.ref] = eid
    return entities, entity_of


_TYPE = {"PERSON": "PERSON", "ORG": "ORG", "PLACE": "GPE", "NORP": "NORP"}
