#!/usr/bin/env python3
"""Check the actor knowledge base (src/dyad/resources/actors/kb/*.tsv): columns, codes,
dates, duplicate rows, and aliases two actors share (which the loader drops). No
dependencies.

    python3 scripts/kb_check.py            # prints problems and counts
"""
from __future__ import annotations

import collections
import csv
import re
import sys
from pathlib import Path

KB = Path(__file__).resolve().parents[1] / "src" / "dyad" / "resources" / "actors" / "kb"
SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "PTY", "REB", "SPY", "PRM", "UAF", "CVL", "BUS", "CRM", "EDU", "ELI",
           "JRN", "LAB", "MED", "REF", "OPP", "REL", "SOC", "AGR", "PRE", "UNK"}
DATE = re.compile(r"^(\d{4})(-\d{2}(-\d{2})?)?$")


def main() -> int:
    problems: list[str] = []
    people: set[str] = set()
    orgs: set[str] = set()
    rows = 0
    seen: set[tuple] = set()
    owners: dict[str, set[str]] = collections.defaultdict(set)
    for path in sorted(KB.glob("*.tsv")):
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
        for n, r in enumerate(csv.DictReader(lines, delimiter="\t"), 2):
            rows += 1
            where = f"{path.name}:{n}"
            name = (r.get("name") or "").strip()
            if not name:
                problems.append(f"{where}: no name")
                continue
            (people if path.name.startswith("people") else orgs).add(name)
            c = (r.get("country") or "").strip()
            if not re.fullmatch(r"[A-Z]{3}", c):
                problems.append(f"{where}: bad country {c!r}")
            if (r.get("sector") or "").strip() not in SECTORS:
                problems.append(f"{where}: bad sector {r.get('sector')!r}")
            s, e = (r.get("start") or "").strip(), (r.get("end") or "").strip()
            for d in (s, e):
                if d and not DATE.match(d):
                    problems.append(f"{where}: bad date {d!r}")
            if s and e and DATE.match(s) and DATE.match(e) and e < s[: len(e)]:
                problems.append(f"{where}: ends before it starts")
            key = (name, r.get("role") or r.get("kind"), s)
            if key in seen:
                problems.append(f"{where}: duplicate row {key}")
            seen.add(key)
            for a in (r.get("aliases") or "").split("|"):
                if a.strip():
                    owners[a.strip()].add(name)
    shared = {a: w for a, w in owners.items() if len(w) > 1}
    for p in problems[:100]:
        print(p)
    print(f"{len(problems)} problems; {rows} rows, {len(people)} people, {len(orgs)} organisations, "
          f"{len(people) + len(orgs)} actors; {len(shared)} aliases shared by several actors (dropped by the loader)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
