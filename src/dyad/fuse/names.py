"""Name keys that survive transliteration: Muttaqi/Mottaki, Khatibzada/Khatibzadeh.

`skeleton` folds a word to a consonant skeleton (kh/gh/q/c -> k, sh/ch -> x, w -> v,
vowels and doubled letters dropped, a vowel-following h dropped unless it sits between
vowels) so spellings of one Persian/Arabic name usually collide while different names
(Mohammad MHMD vs Mahmoud MD) stay apart. Blocking and comparison both use it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from dyad.fuse.countries import country_table, fold
from dyad.resources.yamlfile import read_yaml

_TABLE = Path(__file__).resolve().parent.parent / "resources" / "fuse" / "names.yaml"
_VOWELS = set("aeiouy")
_DIGRAPHS = (("kh", "k"), ("gh", "k"), ("sh", "x"), ("ch", "x"), ("ck", "k"), ("ph", "f"),
             ("th", "t"), ("dh", "d"), ("ou", "u"), ("oo", "u"), ("ee", "i"),
             ("q", "k"), ("c", "k"), ("w", "v"))
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")


@lru_cache(maxsize=1)
def name_tables() -> dict[str, set[str]]:
    data = read_yaml(_TABLE) or {}
    return {k: {str(w).lower() for w in v} for k, v in data.items() if isinstance(v, list)}


@lru_cache(maxsize=200_000)
def skeleton(word: str) -> str:
    w = re.sub(r"[^a-z]", "", fold(word))
    if not w:
        return ""
    for a, b in _DIGRAPHS:
        w = w.replace(a, b)
    w = re.sub(r"(.)\1+", r"\1", w)
    out = ["A" if w[0] in "aeiou" else w[0].upper()]
    for i in range(1, len(w)):
        ch = w[i]
        if ch in _VOWELS:
            continue
        if ch == "h" and w[i - 1] in _VOWELS and (i + 1 == len(w) or w[i + 1] not in _VOWELS):
            continue  # Ahmad/Ahmed, -zada/-zadeh
        out.append(ch.upper())
    return re.sub(r"(.)\1+", r"\1", "".join(out))


def _tokens(text: str, hyphens: bool = True) -> list[str]:
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"\([^)]*\)", " ", text)  # parentheticals: "(NRF)"
    text = re.sub(r"'s\b", " ", text)
    split = r"[\s\-–,]+" if hyphens else r"[\s,]+"
    return [t.strip("-–") for t in re.split(split, text) if t and re.search(r"\w", t)]


@dataclass(frozen=True)
class PersonName:
    tokens: tuple[str, ...]  # name words as written, titles removed
    key: tuple[str, ...]  # skeleton per word

    def __reduce__(self):  # pickled by fusion's spills; `tails` is recomputed on demand
        return (PersonName, (self.tokens, self.key))

    @cached_property
    def surname(self) -> str:
        """Blocking key: the last part of the last word ("Amir-Abdollahian" -> Abdollahian)."""
        return skeleton(re.split(r"[-–]", self.tokens[-1])[-1]) if self.tokens else ""

    @cached_property  # read for every comparison inside a surname block
    def joined(self) -> str:
        return skeleton("".join(self.tokens))

    @cached_property
    def tails(self) -> frozenset[str]:
        """Skeletons a surname-only mention of this person may have: the last word(s),
        hyphens and spaces alike ("Abdollahian", "Amir-Abdollahian")."""
        parts = [p for t in self.tokens for p in re.split(r"[-–]", t) if p]
        return frozenset(skeleton("".join(parts[-k:])) for k in range(1, len(parts)))

    @property
    def display(self) -> str:
        return " ".join(self.tokens)


@lru_cache(maxsize=100_000)
def person_name(text: str) -> PersonName:
    """Strip titles, roles and country words written before a name."""
    tables = name_tables()
    titles, stop = tables.get("titles", set()), tables.get("person_stop", set())
    countries = country_table()
    toks = _tokens(text, hyphens=False)
    start = 0
    for i, t in enumerate(toks[:-1]):  # everything up to the last title-ish word goes
        low = fold(t).rstrip(".")
        if (low in titles or low in stop or t[:1].islower() or t.endswith(".")
                or countries.demonym(t) or countries.country(t)):
            start = i + 1
    words = tuple(t.rstrip(".") for t in toks[start:] if fold(t) not in stop)
    return PersonName(tokens=words, key=tuple(skeleton(w) for w in words))


def looks_like_org(name: PersonName) -> bool:
    """A PERSON mention whose name words are an organisation's ("Foreign Ministry")."""
    org_words = name_tables().get("org_words", set())
    return not name.tokens or any(fold(t) in org_words for t in name.tokens)


@dataclass(frozen=True)
class OrgName:
    words: tuple[str, ...]  # content words (folded), country words removed
    key: tuple[str, ...]  # content words, folded and singular
    country: str | None  # country named inside the name ("Afghan", "of Afghanistan")
    acronyms: frozenset[str]  # initials the name may be abbreviated to
    acronym_only: str | None  # set when the mention itself is an acronym ("NRF")
    given_acronym: str | None  # "(NRF)" written right after the name
    generic: bool = False  # a common-noun plural ("Afghan officials"), not a named body

    @property
    def head(self) -> str:
        return self.key[-1] if self.key else ""


def org_name(text: str, following: str = "") -> OrgName:
    """Normalise an organisation name; `following` is document text right after it."""
    on = _org_name(text)
    given = re.match(r"\s*\(([A-Z]{2,6})\)", following)
    if given and not on.acronym_only and not on.given_acronym:
        return OrgName(on.words, on.key, on.country, on.acronyms, None, given.group(1), on.generic)
    return on


@lru_cache(maxsize=100_000)
def _org_name(text: str) -> OrgName:
    tables = name_tables()
    stop = tables.get("org_stop", set())
    countries = country_table()
    given = re.search(r"\(([A-Z]{2,6})\)", text)
    raw = _tokens(text)
    if len(raw) == 1 and _ACRONYM.match(raw[0]):
        return OrgName((), (), None, frozenset(), raw[0], None)
    country = None
    words: list[str] = []
    all_words: list[str] = []  # with country words, for acronyms like "ANRF"
    for t in raw:
        low = fold(t)
        if not low or low in stop:  # a token that folds to nothing (punctuation, marks) names nothing
            continue
        iso = countries.demonym(t) or countries.country(t)
        all_words.append(low)
        if iso and (words or len(raw) > 1):
            country = country or iso
            continue
        words.append(low)
    acr = {"".join(w[0] for w in ws).upper() for ws in (words, all_words) if len(ws) > 1}
    named = [t for t in raw if t[:1].isupper() and not (countries.demonym(t) or countries.country(t))
             and fold(t) not in stop]
    plural = bool(words) and words[-1].endswith("s") and not words[-1].endswith("ss")
    # common nouns ("Afghan officials", "the delegation"): "plural" ones are never one body
    # across documents; singular ones only with a country ("Iran's foreign ministry")
    generic = not named and bool(words) and (plural or country is None)
    # organisation words are compared as words, not skeletons: they are mostly English
    # ("minister" and "ministry" share a skeleton but are different bodies)
    return OrgName(tuple(words), tuple(_singular(w) for w in words), country,
                   frozenset(acr), None, given.group(1) if given else None, generic)


def _singular(word: str) -> str:
    w = re.sub(r"[^a-z0-9]", "", word)
    return w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")) else w


def is_subsequence(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    it = iter(long)
    return all(any(s == x for x in it) for s in short)
