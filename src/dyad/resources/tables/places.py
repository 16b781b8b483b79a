"""The project's own gazetteer rows (`places/gazetteer.tsv`), keyed by folded name."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

TABLE = "places.gazetteer"


@dataclass(frozen=True)
class Place:
    name: str
    country: Optional[str]
    lat: float
    lon: float
    population: int = 0
    kind: str = "city"  # country | region | city | place (our table's own kinds: crossing, province ...)
    geonameid: Optional[int] = None
    admin1: Optional[str] = None  # the first-level region's name
    feature: Optional[str] = None  # GeoNames feature code: PCLI country, ADM1 region, PPL populated place


def load_tables(resource_dir: Path, extra_dirs: list[Path]) -> dict:
    """Our gazetteer rows (and users' `places/gazetteer.tsv`, later files win) as
    an immutable name -> Place mapping."""
    entries: dict[str, Place] = {}
    for d in [Path(resource_dir), *extra_dirs]:
        f = d / "places" / "gazetteer.tsv"
        if f.exists():
            entries.update(_read_tsv(f))
    return {TABLE: tuple(entries.items())}


def _read_tsv(path: Path) -> dict[str, Place]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 5:
            continue
        name, aliases, country, lat, lon = cols[:5]
        place = Place(name, country or None, float(lat), float(lon), 0, cols[5] if len(cols) > 5 else "place")
        for n in [name, *[a for a in aliases.split("|") if a]]:
            out[fold(n)] = place
    return out


def _plain(name: str) -> str:
    """"Herāt" -> "Herat": the spelling English news uses."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


_FOLD = str.maketrans({"'": None, "\u2018": None, "\u2019": None, "\u02bf": None, "\u02be": None, "`": None,
                       "-": " "})


def fold(name: str) -> str:
    """Case, accents, apostrophes and hyphens do not distinguish place names."""
    if not name.isascii():
        name = _plain(name)
    s = " ".join(name.lower().translate(_FOLD).split())
    return s[4:] if s.startswith("the ") else s




# Region names that are also ordinary words: never matched on their own ("the North", "Central").
GENERIC_REGIONS = {"central", "western", "northern", "southern", "eastern", "centre", "center", "west", "east",
                   "north", "south", "capital", "coast", "lakes", "islands", "nord", "sud", "est", "ouest",
                   "littoral", "plateau", "savanes", "upper", "lower", "interior", "maritime", "mountain",
                   "highlands", "lagoons", "river", "sea", "valley", "federal district", "national capital"}


def admin1_rows(resource_dir: Path) -> list[tuple[str, str, str, float, float, int]]:
    """(iso3, admin-1 code, name, lat, lon, population) of `places/admin1.tsv`, generic names left out."""
    rows = []
    path = Path(resource_dir) / "places" / "admin1.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            iso3, code, name, lat, lon, pop = line.split("\t")
            if fold(name) not in GENERIC_REGIONS and len(name) > 3:
                rows.append((iso3, code, name, float(lat), float(lon), int(pop)))
    return rows
