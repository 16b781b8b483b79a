"""Actors: who a phrase names, with country (ISO alpha-3 / IGO / NGO / IMG) and PLOVER sector.

Knowledge lives in `resources/actors/` (countries with capitals and demonyms,
organisations, people, role words). Lookups are dicts keyed by the surface string of a
token span, so resolving a phrase costs a few dict probes, never a scan of the document.
People introduced with a title ("Iran's Foreign Minister X Y") are remembered for the
rest of the document under their full name and surname (`DocActors`).
"""
from __future__ import annotations

from collections import Counter

import difflib
import re
from dataclasses import dataclass, field, replace
from typing import Optional

from spacy.tokens import Doc, Span, Token

from dyad.model import Document, Mention, Party
from dyad.resources import Resources
from dyad.resources.tables.actors import (  # noqa: F401
    _HYPHEN_RE,
    _SPACES_RE,
    Entry,
    _aliases,
    _ascii,
    _build_city_table,
    _city_table,
    _files,
    _key,
    _norm,
    _read_rows,
    load_tables,
)

# Priority of a lexicon match when a phrase names several things: the most specific wins
# ("pro-Iranian Hizbollah" is Hizbollah's country, not Iran).
KIND_RANK = {"person": 0, "org": 1, "country": 2, "capital": 2, "demonym": 3, "city": 4}
MAX_NGRAM = 8
ENT_TYPES = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}
# Role words too vague to override an organisation's own sector ("Taliban spokesman").
WEAK_GOV_ROLES = {"spokesman", "spokesperson", "spokeswoman", "official", "leader", "leadership",
                  "delegation", "deputy", "commander", "member", "force", "fighter", "officer",
                  "militant", "gunman", "bomber", "attacker", "assailant"}




@dataclass
class Resolved:
    """What one phrase resolves to (before it becomes a Party)."""

    name: str
    country: Optional[str]
    sector: Optional[str]
    type: str
    kind: str
    title: Optional[str] = None


# --------------------------------------------------------------------------- loading






















# --------------------------------------------------------------------------- lookup


_LOOKUP_CACHE_MAX = 200_000  # entries; cleared when full, so memory stays flat over long runs


def lookup(text: str, res: Resources) -> Optional[Entry]:
    """The lexicon entry `text` names, or None. Pure in (text, res): memoised on the resources'
    own cache dict (made by `load_tables`; `Entry` is frozen, so sharing hits is safe)."""
    cache = res.get("actors.lookup_cache")
    if cache is None:
        return _lookup(text, res)
    hit = cache.get(text, _MISS)
    if hit is _MISS:
        if len(cache) >= _LOOKUP_CACHE_MAX:
            cache.clear()
        hit = cache[text] = _lookup(text, res)
    return hit


_MISS = object()


def _lookup(text: str, res: Resources) -> Optional[Entry]:
    k, _ = _key(text)
    hit = res.get("actors.exact", {}).get(_norm(text))
    if hit:
        return hit
    # Place names are proper nouns: lower-case "the valley" is not Anguilla's capital.
    proper = not text.islower()
    hit = res.get("actors.lower", {}).get(k.lower())
    if hit and (proper or hit.kind not in _PLACE_KINDS):
        return hit
    if k.lower().startswith("the "):
        return _lookup(text[4:], res)
    iso = res.get("actors.cities", {}).get(k.lower())
    if iso and proper:
        return Entry(text, iso, None, "city", "GPE")
    return None


_PLACE_KINDS = ("country", "capital", "city", "region")


def ent_span(tok: Token) -> Optional[Span]:
    """The named-entity span around a token, from its IOB tags (no scan of doc.ents)."""
    if tok.ent_iob_ not in ("B", "I"):
        return None
    doc = tok.doc
    i = tok.i
    while i > 0 and doc[i].ent_iob_ == "I":
        i -= 1
    j = tok.i + 1
    while j < len(doc) and doc[j].ent_iob_ == "I":
        j += 1
    return doc[i:j]


def _span_text(doc: Doc, i: int, j: int) -> str:
    return doc[i : j + 1].text  # Span.text: cheap, unlike Doc.text which re-joins the document


def scan(doc: Doc, start: int, end: int, res: Resources) -> list[tuple[int, int, Entry]]:
    """Longest lexicon matches, left to right, in tokens [start, end]."""
    out = []
    if end < start:
        return out
    # Token texts once; the text of tokens i..j is what `doc[i : j + 1].text` gives.
    toks = list(doc[start : end + 1])
    with_ws = [t.text_with_ws for t in toks]
    bare = [t.text for t in toks]
    i = start
    while i <= end:
        hit = None
        punct = toks[i - start].is_punct
        for j in range(min(end, i + MAX_NGRAM - 1), i - 1, -1):
            if punct and i == j:
                break
            e = lookup("".join(with_ws[i - start : j - start]) + bare[j - start], res)
            # A bare city (not a country/capital) only counts when spaCy sees a place.
            if e and e.kind == "city" and not (toks[j - start].pos_ == "PROPN" and toks[j - start].ent_type_ not in ("PERSON", "")):
                e = None
            if e and e.kind in ("city", "capital") and j < end and toks[j + 1 - start].lower_ in ORG_TAIL_WORDS:
                e = None  # "Georgetown University" is a university, not Guyana's capital
            if e and e.kind == "person" and _other_person(toks[i - start], i, j, res):
                e = None  # "Lynda Bennett" is not Naftali Bennett: a surname inside another name
            if e:
                hit = (i, j, e)
                break
        if hit:
            out.append(hit)
            i = hit[1] + 1
        else:
            i += 1
    return out


def _other_person(tok: Token, i: int, j: int, res: Resources) -> bool:
    """True when tokens i..j are only part of a PERSON name whose other words are names, not
    titles: the name belongs to someone else with the same surname."""
    ent = ent_span(tok) if tok.ent_type_ == "PERSON" else None
    if ent is None:
        return False
    roles = res.get("actors.roles", {})
    extra = [t for t in ent if (t.i < i or t.i > j) and t.pos_ == "PROPN" and t.is_alpha]
    return any(t.lower_ not in roles and t.lemma_.lower() not in roles and not _TITLE_RE.match(t.text + " ")
               and len(t.text) > 1 for t in extra)


def role_sector(tokens: list[Token], res: Resources) -> tuple[Optional[str], Optional[str]]:
    """(sector, role phrase) of the role word nearest the end of `tokens`, longest phrase first."""
    roles: dict[str, str] = res.get("actors.roles", {})
    lemmas = [t.lemma_.lower() for t in tokens]
    words = [t.lower_ for t in tokens]
    for j in range(len(tokens) - 1, -1, -1):
        for n in (3, 2, 1):
            i = j - n + 1
            if i < 0:
                continue
            for seq in (lemmas, words):
                phrase = " ".join(seq[i : j + 1]).replace(" - ", "-")
                if phrase in roles:
                    return roles[phrase], phrase
    return None, None


# --------------------------------------------------------------------------- per-document state


PRONOUNS_PERSON = {"he", "she", "him", "her", "his"}
PRONOUNS_GROUP = {"it", "its", "they", "them", "their"}
EVENT_NOUNS = {"bombing", "explosion", "attack", "blast", "device", "bomb", "mine", "rocket", "missile", "shelling", "raid", "airstrike", "strike"}
QUANTITY_HEADS = {"thousand", "ten", "hundred", "dozen", "score", "million", "number", "group", "crowd", "majority",
                  "handful", "lot", "some", "none", "all", "most", "many", "several", "part", "delegation"}
NGO_WORDS = re.compile(r"\b(Association|Forum|Foundation|Watch|Society|Institute|Federation|Amnesty|Charity|Rights)\b")
PLACE_PREPS = {"of", "in", "from", "at", "near", "outside", "throughout", "inside", "across", "within", "around", "to", "with"}
INSTITUTIONS = {"court", "ministry", "parliament", "council", "government", "army", "police", "commission", "embassy",
                "tribunal", "administration", "cabinet", "congress", "union", "party", "university", "agency"}
# Words that make a place name part of an organisation's name.
ORG_TAIL_WORDS = {"university", "college", "school", "hospital", "institute", "academy", "airport", "stadium",
                  "club", "fc", "united", "city", "times", "post", "herald", "tribune", "journal", "daily",
                  "bank", "company", "group", "foundation", "museum", "library", "zoo", "cathedral", "mosque",
                  "church", "seminary", "polytechnic", "conservatory", "medical", "law"}
GROUP_ANAPHORS = {"group", "movement", "organisation", "organization", "militia"}


@dataclass
class DocActors:
    """Read-only view of who the document has introduced: full names and surnames -> actor."""

    people: dict[str, Resolved] = field(default_factory=dict)  # lower-cased name/surname
    ordered: list[tuple[int, Resolved]] = field(default_factory=list)  # (char offset, resolved)

    @classmethod
    def from_mentions(cls, mentions: list[Mention]) -> "DocActors":
        da = cls()
        for m in sorted(mentions, key=lambda m: m.start):
            if not m.country:
                continue
            kind = "org" if m.type == "ORG" else "mention"
            r = Resolved(m.name or m.text, m.country, m.sector, m.type if m.type in ("PERSON", "ORG", "GPE") else "GROUP", kind, m.title)
            da.ordered.append((m.start, r))
            if m.type == "PERSON":
                full = _norm(m.name or m.text).lower()
                da.people.setdefault(full, r)
                parts = full.split()
                if len(parts) > 1:
                    da.people.setdefault(parts[-1], r)
        return da

    def dominant_country(self) -> Optional[str]:
        """The country the document names most: a weak prior for titled people it gives no
        country ("President X" in a story about Liberia)."""
        counts = Counter(r.country for _, r in self.ordered if r.country and r.country not in ("IGO", "NGO", "IMG", "MNC"))
        return counts.most_common(1)[0][0] if counts else None

    def antecedent(self, offset: int, want_person: bool, want_type: Optional[str] = None) -> Optional[Resolved]:
        for off, r in reversed(self.ordered):
            if off >= offset:
                continue
            if want_type is not None and r.type != want_type:
                continue
            if want_person == (r.type == "PERSON"):
                return r
        return None

    def person(self, text: str) -> Optional[Resolved]:
        """Full name, surname, or a close transliteration of a surname (Muttaqi / Mottaki)."""
        t = _norm(text).lower()
        if not t:
            return None
        hit = self.people.get(t)
        if hit is not None:
            return hit
        hit = self.people.get(t.split()[-1])
        if hit is not None:
            return hit if _same_first_name(t, hit.name) else None
        last = t.split()[-1]
        if len(last) < 5:
            return None
        for k, r in self.people.items():
            if " " not in k and k[0] == last[0] and difflib.SequenceMatcher(None, k, last).ratio() >= 0.7:
                return r
        return None


def _same_first_name(text: str, full: str) -> bool:
    """'Bennett' or 'N. Bennett' may be Naftali Bennett; 'Lynda Bennett' may not."""
    a, b = text.lower().split(), _norm(full).lower().split()
    if len(a) < 2 or len(b) < 2:
        return True
    x, y = a[0].rstrip("."), b[0].rstrip(".")
    return x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y))


# --------------------------------------------------------------------------- resolution

NP_LEFT_DEPS = {"compound", "amod", "poss", "nmod", "det", "nummod", "quantmod", "npadvmod", "case", "punct", "advmod", "poss"}
OF_PREPS = {"of", "in", "from", "for", "at"}


def _left_tokens(tok: Token) -> list[Token]:
    """The head noun with everything that modifies it from the left (compounds, demonyms, possessors)."""
    start = tok.i
    stack = [tok]
    while stack:
        t = stack.pop()
        for c in t.lefts:
            if c.dep_ in NP_LEFT_DEPS or c.dep_ == "appos":
                start = min(start, c.left_edge.i)
                stack.append(c)
    # an entity that runs through the head ("Amir Khan Muttaqi") belongs to the phrase
    if tok.ent_iob_ != "O" and tok.ent_type_:
        ent = ent_span(tok)
        if ent is not None:
            start = min(start, ent.start)
    return [t for t in tok.doc[start : tok.i + 1]]


def _place_path(t: Token, head: Token) -> bool:
    """Every preposition between `t` and `head` locates or affiliates ("near the town of X"),
    none targets ("attack on its embassy in X" says nothing about who attacked)."""
    a = t
    while a.i != head.i and a.head.i != a.i:
        if a.dep_ == "prep" and a.lower_ not in PLACE_PREPS:
            return False
        a = a.head
    return a.i == head.i


def _inherit(r: "Resolved", sector: Optional[str], role: Optional[str]) -> tuple[str, Optional[str], Optional[str]]:
    """What a phrase takes from the place or body it belongs to ("a delegation from the group"):
    the country, the organisation's name, and its sector unless the phrase's own role says more."""
    via_org = r.name if r.kind == "org" else None
    if r.kind == "org" and r.sector and (not sector or (role and role.split()[-1] in WEAK_GOV_ROLES and r.sector != "GOV")):
        sector = r.sector
    return r.country, via_org, sector


def resolve_phrase(tok: Token, res: Resources, da: Optional[DocActors] = None, _depth: int = 0) -> Optional[Resolved]:
    """Resolve the noun phrase headed by `tok` to an actor, or None."""
    doc = tok.doc
    low = tok.lower_
    if tok.pos_ == "PRON":
        if da is None:
            return None
        if low in PRONOUNS_PERSON:
            return da.antecedent(tok.idx, True)
        return None  # group pronouns are resolved by the caller (needs the clause)
    if da is not None and tok.lemma_.lower() in GROUP_ANAPHORS and any(c.lower_ in ("the", "this") for c in tok.lefts) \
            and not any(c.dep_ in ("amod", "compound", "poss") for c in tok.lefts):
        return da.antecedent(tok.idx, False, want_type="ORG")
    if tok.lemma_.lower() in QUANTITY_HEADS or tok.pos_ == "NUM":
        # "Thousands of Iraqi Kurds", "a group of Yoruba leaders": the party is after "of"
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for p in c.children:
                    if p.dep_ == "pobj" and _depth < 3:
                        return resolve_phrase(p, res, da, _depth + 1)
    whole = _entity_entry(tok, res)
    if whole is not None:  # "Republic of the Congo" is one name, not "the Congo"
        return Resolved(whole.name, whole.country, whole.sector, whole.type, whole.kind)
    toks = _left_tokens(tok)
    # words after a possessive belong to the possessed thing; keep the whole left phrase
    matches = scan(doc, toks[0].i, tok.i, res) if toks else []
    # people known in this document (title introduced earlier) come first
    person = None
    head_named = bool(matches) and matches[-1][1] == tok.i and matches[-1][2].kind != "person"
    if da is not None and da.people and not head_named and (tok.pos_ == "PROPN" or (tok.text[:1].isupper() and tok.lower_ in da.people)):
        ent = ent_span(tok)
        person = da.person(ent.text if ent is not None else tok.text)
    # words inside a matched name are not role words ("Soviet Union" is no trade union)
    covered = {i for m in matches if m[2].kind in ("org", "person", "country", "capital") for i in range(m[0], m[1] + 1)}
    sector, role = role_sector([t for t in toks if t.i not in covered], res)
    best = None
    if matches:
        best = min(matches, key=lambda m: (KIND_RANK.get(m[2].kind, 9), -m[1]))[2]
        if best.country == "IMG":  # "Iraq's al-Qaeda": the local branch belongs to the country
            local = [m[2] for m in matches if m[2].kind in ("country", "capital", "demonym")]
            if local:
                best = replace(best, country=local[0].country)
        elif best.kind == "org" and best.country not in ("IGO", "NGO", "MNC"):
            # "the Zambian Congress of Trade Unions", "the Kenyan Senate": a state's own body,
            # not the foreign one with the same generic name ("pro-Iranian X" stays X's)
            org_at = next(m[0] for m in matches if m[2] is best)
            local = [m for m in matches if m[2].kind in ("country", "demonym") and m[2].country != best.country
                     and m[1] < org_at and not doc[m[0]].lower_.startswith(("pro", "anti"))
                     and not (m[0] > 0 and doc[m[0] - 1].lower_ in ("pro", "anti", "-"))]
            if local:
                best = Entry(_span_text(doc, toks[0].i, tok.i), local[0][2].country, best.sector, "org", "ORG")
    country = best.country if best else None
    if person is not None:
        country = country or person.country
        # a surname alone that the document has already tied to a full name is that person,
        # not a namesake from the tables ("Mottaki" after "Amir Khan Muttaqi" in a Taliban story)
        surname_only = best is not None and best.kind == "person" and len(toks) <= 1 \
            and _norm(tok.text).lower() != _norm(best.name).lower() and person.name != best.name
        if best is None or surname_only or best.kind in ("demonym", "country", "capital", "city"):
            return Resolved(person.name, person.country or country, person.sector or sector, "PERSON", "person", person.title)
    # fallbacks: appositions and "of/in/from X" say whose the role is
    if country is None and _depth < 2 and tok.dep_ == "appos" and tok.head.pos_ in ("NOUN", "PROPN") \
            and role_sector([tok.head], res)[1] is not None:  # "the Foreign Minister, X Y": X Y takes the title
        r = resolve_phrase(tok.head, res, da, _depth + 1)
        if r and r.country:
            country, sector, role = r.country, sector or r.sector, role or r.title
    if country is None and _depth < 2:
        for c in tok.children:
            if c.dep_ == "appos":
                r = resolve_phrase(c, res, da, _depth + 1)
                if r and r.country:
                    country = r.country
                    sector = sector or r.sector
                    role = role or r.title
                    break
    own = any(c.dep_ == "poss" and c.pos_ == "PRON" for c in tok.children)  # "its embassy in X" is not X's
    via_org: Optional[str] = None  # "a delegation from the group" -> "Taliban delegation"
    if country is None and _depth < 2 and (role or tok.pos_ == "PROPN") and not own:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in OF_PREPS:
                for p in c.children:
                    if p.dep_ == "pobj":
                        r = resolve_phrase(p, res, da, _depth + 1)
                        if r and r.country:
                            country, via_org, sector = _inherit(r, sector, role)
                            break
                if country:
                    break
    if country is None and _depth < 2 and (role is not None or tok.lemma_.lower() in EVENT_NOUNS) and not own:
        # "Militants loyal to X", "students throughout Indonesia", "a bombing near Samarra"
        for t in tok.subtree:
            if t.i <= tok.i or t.dep_ != "pobj" or t.i - tok.i > 10 or not _place_path(t, tok):
                continue
            r = resolve_phrase(t, res, da, _depth + 1)
            if r and r.country:
                country, via_org, sector = _inherit(r, sector, role)
                break
    if country is None and tok.ent_type_ == "ORG" and NGO_WORDS.search(_span_text(doc, toks[0].i, tok.i) if toks else tok.text):
        return Resolved(_span_text(doc, toks[0].i, tok.i), "NGO", None, "ORG", "org", role)
    is_person = tok.ent_type_ == "PERSON"
    if country is None and is_person and role is not None and not matches:
        # a titled person no table knows: the title gives the sector, the document's main
        # country is the best guess of whose title it is, and without one it stays unknown
        ent = ent_span(tok)
        name = ent.text if ent is not None else tok.text
        return Resolved(name, da.dominant_country() if da is not None else None, sector or None, "PERSON", "person", role)
    if country is None:
        return None
    head_is_entry = bool(matches) and matches[-1][1] == tok.i
    # Sector: a role word near the head, else what the matched entry says.
    entry_sector = best.sector if best else None
    if best is not None and best.kind == "capital" and not head_is_entry:
        entry_sector = None  # "Tehran-based website" is not the government
    org_sector = entry_sector if best is not None and best.kind == "org" else None
    if role and org_sector and org_sector != "GOV" and (sector == "MIL" or role.split()[-1] in WEAK_GOV_ROLES):
        final_sector = org_sector  # a rebel group's spokesman or fighters belong to the group
    else:
        final_sector = sector or entry_sector
    if head_is_entry and best is not None and (not is_person or best.kind == "person"):
        name = best.name
        typ = best.type
        if best.kind in ("demonym",):
            typ = "GROUP"
    else:
        name = _span_text(doc, toks[0].i, tok.i) if toks else tok.text
        name = re.sub(r"^(the|a|an)\s+", "", name, flags=re.I)
        if via_org and tok.pos_ == "NOUN" and via_org.lower() not in name.lower():
            name = f"{re.sub(r'^the ', '', via_org, flags=re.I)} {tok.text}"
        typ = "PERSON" if is_person else "GROUP"
        appos_person = next((c for c in tok.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"), None)
        if appos_person is not None and not is_person:  # "the Foreign Minister, Amir Khan Muttaqi"
            ent = ent_span(appos_person)
            name, typ = (ent.text if ent is not None else appos_person.text), "PERSON"
        if is_person:
            ent = ent_span(tok)
            if ent is not None:
                name = ent.text
    kind = "person" if is_person else (best.kind if head_is_entry and best else "role")
    return Resolved(name, country, final_sector or None, typ, kind, role)


def _entity_entry(tok: Token, res: Resources) -> Optional[Entry]:
    """The table entry of the whole named entity `tok` heads, when the name runs on to the
    right of the head ("Republic of the Congo", "Bank of England")."""
    if tok.ent_type_ not in ("GPE", "ORG", "NORP", "FAC", "LOC"):
        return None
    ent = ent_span(tok)
    if ent is None or ent.end - 1 <= tok.i:
        return None
    e = lookup(ent.text, res)
    return e if e is not None and e.country and e.kind != "city" else None


def to_party(tok: Token, r: Resolved) -> Party:
    toks = _left_tokens(tok)
    breaks = [t.i for t in toks if t.is_space and "\n" in t.text]
    if breaks:  # a phrase never runs across a line break (headlines, link lists)
        toks = [t for t in toks if t.i > breaks[-1]] or [tok]
    start_tok = toks[0] if toks else tok
    while start_tok.i < tok.i and start_tok.dep_ == "det":
        start_tok = start_tok.doc[start_tok.i + 1]
    text = tok.doc[start_tok.i : tok.i + 1].text
    return Party(text=text, name=r.name, country=r.country, sector=r.sector, start=start_tok.idx, end=tok.idx + len(tok), type=r.type)


# --------------------------------------------------------------------------- mentions


def find_mentions(sdoc: Doc, document: Document, res: Resources) -> list[Mention]:
    """Named actors in the document with country/sector where the tables or titles say so.

    A name the tables do not know but that comes with a title ("Acting Foreign Minister
    Amir Khan Muttaqi") is a person, whatever label the small NER model gave it, and is
    remembered under its full name and surname for later mentions."""
    out: list[Mention] = []
    da = DocActors()
    for ent in sdoc.ents:
        if ent.label_ not in ENT_TYPES:
            continue
        head = ent.root
        nxt = sdoc[ent.end] if ent.end < len(sdoc) else None
        if ent.label_ == "PERSON" and nxt is not None and nxt.pos_ == "PROPN" and nxt.ent_type_ and nxt.ent_iob_ == "B":
            continue  # a piece of the next name ("Amir Khan" + "Muttaqi"): that entity covers it
        known = lookup(ent.text, res)
        start, end = _name_extent(ent)
        if known is not None and known.kind == "person" and " " not in ent.text.strip() \
                and _norm(ent.text).lower() != _norm(known.name).lower():
            seen = da.person(ent.text)  # a surname the document already tied to someone else
            if seen is not None and seen.name != known.name:
                known = None
        if known is not None and known.kind != "city":
            title = None
            if known.kind == "person":  # "Iranian Foreign Minister X": the title dates the story (office terms)
                before = []
                for t in reversed(sdoc[max(0, ent.start - 4): ent.start]):
                    if (t.is_punct and t.text != "-") or t.is_space or t.lower_ in ("'s", "’s") \
                            or t.pos_ in ("ADP", "DET", "CCONJ", "VERB", "AUX", "PRON", "SCONJ"):
                        break
                    before.insert(0, t)
                role = role_sector(before, res)[1] if before else None
                # the whole title, qualifiers included ("Vice-President", not "President")
                title = re.sub(r"\s*-\s*", "-", " ".join(t.text for t in before)).lower() if role else None
            out.append(Mention(document.doc_id, ent.text, ent.start_char, ent.end_char, ent.label_, name=known.name,
                               country=known.country, sector=known.sector, title=title))
            if known.kind == "person" and " " in ent.text.strip():  # remembered for later surnames
                r = Resolved(known.name, known.country, known.sector, "PERSON", "person")
                da.people.setdefault(known.name.lower(), r)
                da.people.setdefault(known.name.lower().split()[-1], r)
            continue
        r = resolve_phrase(head, res, da)
        name_text = sdoc.char_span(start, end).text if sdoc.char_span(start, end) is not None else ent.text
        is_person = ent.label_ == "PERSON" or (r is not None and r.title and head.pos_ == "PROPN" and r.kind in ("role", "person"))
        if ent.label_ == "PERSON" and any(w.lower() in INSTITUTIONS for w in ent.text.split()):
            is_person = False  # "Supreme Court" mislabelled PERSON by the small model
        if r is None:
            if known is not None:
                r = Resolved(known.name, known.country, known.sector, known.type, known.kind)
            else:
                out.append(Mention(document.doc_id, ent.text, ent.start_char, ent.end_char, "PERSON" if is_person else ent.label_))
                continue
        if is_person:
            name = _strip_titles(name_text if r.kind != "person" else r.name)
            r = replace(r, name=name, type="PERSON")
            da.people.setdefault(name.lower(), r)
            parts = name.lower().split()
            if len(parts) > 1:
                da.people.setdefault(parts[-1], r)
            out.append(Mention(document.doc_id, name_text, start, end, "PERSON", name=name,
                               country=r.country, sector=r.sector, title=r.title))
        else:
            out.append(Mention(document.doc_id, ent.text, ent.start_char, ent.end_char, ent.label_, name=r.name,
                               country=r.country, sector=r.sector, title=r.title))
    return out


def _name_extent(ent: Span) -> tuple[int, int]:
    """Character extent of a name, widened over a PERSON piece the NER split off ("Amir Khan" + "Muttaqi")."""
    doc = ent.doc
    i = ent.start
    while i > 0 and doc[i - 1].ent_type_ == "PERSON" and doc[i - 1].pos_ == "PROPN":
        i -= 1
    return doc[i].idx, ent.end_char


_TITLE_RE = re.compile(r"^(?:(?:Mr|Mrs|Ms|Dr|Gen|Adm|Col|Mullah|Molavi|Sheikh|President|Minister)\.?\s+)+")


def _strip_titles(name: str) -> str:
    return _TITLE_RE.sub("", name).strip()
