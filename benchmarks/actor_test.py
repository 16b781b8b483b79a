"""Score actor resolution on the team's held-out actor phrases (corpus/actors/test.jsonl).

Each line is a sentence, its publication date, an actor phrase in it and the country and
sector a careful coder gives that phrase on that date. dyad codes the sentence; the phrase
takes the country and sector of the event party that covers it, else of the entity mention
that covers it. No rule or table row was written from this file: it measures, it is not
tuned on.

    python benchmarks/actor_test.py [corpus/actors/test.jsonl] [--errors N]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dyad.extract import process_document
from dyad.model import Document
from dyad.nlp import load_pipeline
from dyad.resources import load_resources

DEFAULT = Path(__file__).resolve().parents[1] / "corpus" / "actors" / "test.jsonl"


def covering(result, start: int, end: int) -> tuple[str | None, str | None, str] | None:
    """(country, sector, where) of what dyad says the phrase at [start, end) is: the party, else
    the mention, that covers the phrase's head (its last word: "Brazil's Federal Police" is
    the police, not Brazil)."""
    def best(spans):
        hits = [x for x in spans if x[0] is not None and x[0] < end and start < x[1]]
        return max(hits, key=lambda x: (min(x[1], end), x[1] - x[0])) if hits else None

    parties = [(p.start, p.end, p.country, p.sector) for ev in result.events
               for p in [*ev.actor, *ev.recipient, *([ev.source_actor] if ev.source_actor else [])]]
    hit = best(parties)
    if hit is not None:
        return hit[2], hit[3], "party"
    hit = best([(m.start, m.end, m.country, m.sector) for m in result.mentions])
    return (hit[2], hit[3], "mention") if hit is not None else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument("--errors", type=int, default=0, help="print this many wrong items")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    items = [json.loads(line) for line in open(args.path, encoding="utf-8") if line.strip()]
    nlp, res = load_pipeline(), load_resources()
    n = found = country_ok = sector_ok = both_ok = given = 0
    wrong = []
    for it in items:
        text, phrase = it["text"], it["phrase"]
        start = text.find(phrase)
        if start < 0:
            continue
        n += 1
        doc = Document(doc_id=it["id"], text=text, published=it.get("published"))
        got = covering(process_document(doc, nlp(text), res), start, start + len(phrase))
        country, sector = (got[0], got[1]) if got else (None, None)
        gold_c, gold_s = it.get("country"), it.get("sector") or None
        found += got is not None
        given += country is not None
        c_ok, s_ok = country == gold_c, (sector or None) == gold_s
        country_ok += c_ok
        sector_ok += s_ok
        both_ok += c_ok and s_ok
        if not (c_ok and s_ok):
            wrong.append((it["id"], phrase, it.get("published"), f"{gold_c}/{gold_s or '-'}", f"{country}/{sector or '-'}"))
    figures = {"phrases": n, "found": round(found / n, 3), "country_given": round(given / n, 3),
               "country": round(country_ok / n, 3), "sector": round(sector_ok / n, 3),
               "country_and_sector": round(both_ok / n, 3)}
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"{n} actor phrases: found {figures['found']:.3f}, a country given {figures['country_given']:.3f}; "
              f"country right {figures['country']:.3f}, sector right {figures['sector']:.3f}, "
              f"both {figures['country_and_sector']:.3f}")
    for w in wrong[: args.errors]:
        print("  {}  {!r} ({}) gold {} got {}".format(*w))
    return 0


if __name__ == "__main__":
    sys.exit(main())
