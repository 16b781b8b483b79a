"""Entity resolution across documents: one entity per real person, organisation or place.

Two passes, both linear with blocking:
1. per document, mentions group locally (a surname alone joins the full name it
   echoes; an acronym joins the name it abbreviates);
2. local groups are blocked by a key (surname skeleton, organisation head word,
   acronym, place key) and compared only inside their block.
"""
from __future__ import annotations

import hashlib
import sys
from functools import cached_property
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

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
    party: bool = False  # an event's actor or recipient (event blocking needs its entity)

    def __reduce__(self):  # pickled by fusion's spills: positional, no per-slot state
        return (Item, (self.ref, self.family, self.text, self.name, self.country, self.sector, self.title,
                       self.following, self.party))


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
    order: tuple[str, int] = ("", 0)  # (doc id, position): corpus order, which ties follow

    def __reduce__(self):  # the cached properties are recomputed from the items
        return (Local, (self.family, self.doc_id, self.items, self.person, self.org, self.place_key,
                        self.acronym, self.order))

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


def _shared(s: Optional[str]) -> Optional[str]:
    """One string object per distinct name, code or doc id across the whole corpus: fusion
    keeps every mention of every document until the end, and most of them repeat."""
    return sys.intern(s) if s else s


def ref_of(doc_id: str, start: Optional[int], end: Optional[int], text: str) -> Ref:
    return (doc_id, -1 if start is None else start, -1 if end is None else end, text)


def collect_items(res: DocResult) -> list[Item]:
    """Mentions plus event parties not already covered by a mention span."""
    doc = res.document
    doc_id = sys.intern(doc.doc_id)
    items: dict[Ref, Item] = {}
    spans: dict[tuple[int, int], Item] = {}
    for m in res.mentions:
        fam = _FAMILY.get(m.type)
        if not fam:
            continue
        text = _shared(m.text)
        it = Item(ref_of(doc_id, m.start, m.end, text), fam, text, _shared(m.name), _shared(m.country),
                  _shared(m.sector), _shared(m.title), doc.text[m.end:m.end + 12] if doc.text else "")
        items[it.ref] = it
        spans[(m.start, m.end)] = it
    for ev in res.events:
        parties = [*ev.actor, *ev.recipient] + ([ev.source_actor] if ev.source_actor else [])
        for p in parties:
            ref = ref_of(doc_id, p.start, p.end, _shared(p.text))
            if ref in items:
                items[ref].party = True
                continue
            twin = spans.get((p.start, p.end)) if p.start is not None else None
            fam = twin.family if twin else _FAMILY.get(p.type or "", None)
            if fam is None:
                fam = "PLACE" if country_table().country(p.name or p.text) else "ORG"
            items[ref] = Item(ref, fam, ref[3], _shared(p.name), _shared(p.country), _shared(p.sector), None,
                              doc.text[p.end:p.end + 12] if (doc.text and p.end) else "", party=True)
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
        iso = countries.country(label) or countries.demonym(label)
        if iso:
            key = iso
        else:
            words = [w for w in fold(label).split() if w not in ("the", "of")]
            key = " ".join(skeleton(w) for w in words) + (f"|{it.country}" if it.country else "")
        if key:
            groups.setdefault(key, Local(family, doc_id, place_key=key)).items.append(it)
    return list(groups.values())


def _country_demonym(it: Item) -> bool:
    countries = country_table()
    label = it.name or it.text
    return bool(countries.country(label) or countries.demonym(label))


def local_groups(res: DocResult) -> list[Local]:
    by_family: dict[str, list[Item]] = defaultdict(list)
    for it in collect_items(res):
        if it.family == "PERSON" and looks_like_org(person_name(it.text)) and fold(it.text) not in _PRONOUNS:
            it.family = "ORG"
        elif it.family != "PERSON" and it.name and _is_person_surname(it):
            it.family = "PERSON"  # NER called "Muttaqi" a place; the actor table knows better
        elif it.family == "NORP" and _country_demonym(it):
            it.family = "PLACE"  # "Iranian" is Iran: one entity, not a GPE and a NORP twin
        by_family[it.family].append(it)
    doc_id = res.document.doc_id
    out = _person_local(doc_id, by_family["PERSON"]) + _org_local(doc_id, by_family["ORG"])
    for fam in ("PLACE", "NORP"):
        out += _place_local(doc_id, fam, by_family[fam])
    for k, l in enumerate(out):
        l.order = (doc_id, k)
        for it in l.items:
            it.following = ""  # read by the grouping above only; fusion keeps every item
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


BlockKey = tuple[str, str]


def block_key(l: Local) -> BlockKey:
    """The block a local group is compared in: only groups of one block can merge (apart
    from acronym-only groups, which join their one expansion afterwards)."""
    if l.family == "PERSON":
        return ("PERSON", l.person.surname)
    if l.family == "ORG" and l.org.generic:  # "officials": never the same across documents
        return ("LOCAL", l.doc_id)
    if l.family == "ORG" and l.org.key:
        return ("ORG", l.org.head)
    if l.family == "ORG":
        return ("ACR", l.acronym or "")
    return (l.family, l.place_key)


def owned_acronyms(l: Local) -> set[str]:
    """Acronyms a named organisation stands for: written "(NRF)", else its initials."""
    if l.family != "ORG" or not l.org.key or l.org.generic:
        return set()
    return ({l.org.given_acronym} - {None}) or set(l.org.acronyms)


def given_acronym(l: Local) -> bool:
    """True when the acronym was written out with the name ("National Resistance Front
    (NRF)"): evidence that holds in any document. Initials alone hold only in the
    document that uses both ("Taliban takeover" and "TT" elsewhere are not one thing)."""
    return l.org is not None and l.org.given_acronym is not None


def resolve_block(key: BlockKey, locals_: list[Local]) -> list[list[int]]:
    """The entities inside one block, as lists of positions into `locals_` (which must be
    in corpus order: by doc id, then as `local_groups` made them). Pure: it reads nothing
    outside the block, so blocks can be resolved anywhere and in any order."""
    uf = _UF(len(locals_))
    idx = list(range(len(locals_)))
    if key[0] == "PERSON":
        _resolve_people(uf, locals_, idx)
    elif key[0] == "ORG":
        _resolve_orgs(uf, locals_, idx)
    else:
        _union_equal(uf, locals_, idx, lambda l: (l.acronym, l.place_key, l.org.key if l.org else None))
    groups: dict[int, list[int]] = defaultdict(list)
    for i in idx:
        groups[uf.find(i)].append(i)
    return list(groups.values())


def acronym_owner_of(group: list[Local], owners: Iterable[tuple[Any, bool, tuple[str, ...]]]) -> Optional[Any]:
    """The group an acronym-only group joins: of the owners (group id, acronym written out
    with the name?, its documents), those with the written acronym or a document in
    common; one of them, or None."""
    docs = {l.doc_id for l in group}
    return acronym_owner({gid for gid, given, odocs in owners if given or docs.intersection(odocs)})


def acronym_owner(owners: set) -> Optional[Any]:
    """Acronym-only groups join the expansion when exactly one entity owns the acronym."""
    return next(iter(owners)) if len(owners) == 1 else None


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


@dataclass
class Draft:
    """One resolved entity before its id is known (ids depend on the other drafts that
    share its canonical key, which is why ids are assigned per key)."""

    key: str
    country: Optional[str]
    display: str
    family: str
    items: list[Item]  # sorted by ref


def draft(group: list[Local]) -> Draft:
    """The entity a resolved group (its locals in corpus order) stands for."""
    display, key = _canonical(group)
    items = sorted((it for l in group for it in l.items), key=lambda i: i.ref)
    countries = Counter(it.country for it in items if it.country) or Counter(
        l.org.country for l in group if l.org and l.org.country)
    country = countries.most_common(1)[0][0] if countries else None
    return Draft(key, country, display, group[0].family, items)


def assign_ids(drafts: list[Draft]) -> list[tuple[Draft, str]]:
    """Ids for the drafts of one canonical key: a hash of the key; collisions (same key,
    different entity) add the country, then the first mention, which are stable across
    re-runs. Sorted by first mention."""
    drafts = sorted(drafts, key=lambda d: d.items[0].ref)
    per_country = Counter(d.country for d in drafts)
    out = []
    for d in drafts:
        key = d.key
        if len(drafts) > 1:
            key = f"{key}|{d.country}"
            if per_country[d.country] > 1:
                key = f"{key}|{d.items[0].ref}"
        out.append((d, "e" + hashlib.sha1(key.encode()).hexdigest()[:15]))
    return out


def entity_of_draft(d: Draft, eid: str, with_mentions: bool = True) -> Entity:
    sectors = Counter(it.sector for it in d.items if it.sector)
    return Entity(entity_id=eid, name=d.display, type=_TYPE[d.family], country=d.country,
                  sector=sectors.most_common(1)[0][0] if sectors else None,
                  aliases=sorted({it.text for it in d.items} - {d.display}),
                  mentions=[mention_dict(it.ref) for it in d.items] if with_mentions else [])


def mention_dict(ref: Ref) -> dict[str, Any]:
    """A mention as entities.jsonl lists it ({doc_id, text, start, end}; no span: None)."""
    return {"doc_id": ref[0], "text": ref[3], "start": ref[1] if ref[1] >= 0 else None,
            "end": ref[2] if ref[2] >= 0 else None}


_TYPE = {"PERSON": "PERSON", "ORG": "ORG", "PLACE": "GPE", "NORP": "NORP"}
