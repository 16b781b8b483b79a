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
    kind: str = "city"


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


