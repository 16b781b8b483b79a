"""Print the events dyad codes for the seed articles, one line each, for a human to judge.

Usage: python benchmarks/seed_events.py [SEED_DIR] [--published YYYY-MM-DD]
Reads ../shared/data/seeds when present (not shipped with the project).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dataclasses import replace

from dyad.extract import process_document
from dyad.ingest import iter_documents
from dyad.nlp import load_pipeline
from dyad.resources import load_resources

DEFAULT = Path("/work/shared/data/seeds")


def fmt_parties(ps) -> str:
    return ", ".join(f"{p.text}[{p.country}/{p.sector or '-'}]" for p in ps) or "-"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("seed_dir", nargs="?", default=str(DEFAULT))
    ap.add_argument("--published", default=None)
    ap.add_argument("--evidence", action="store_true", help="print the sentence under each event")
    args = ap.parse_args(argv)
    d = Path(args.seed_dir)
    if not d.is_dir():
        print(f"no seed directory at {d}", file=sys.stderr)
        return 1
    nlp, res = load_pipeline(), load_resources()
    total = 0
    # read as `dyad run` reads them: cleaned (page clutter such as related headlines removed)
    for doc in iter_documents(sorted(str(p) for p in d.glob("*.txt"))):
        if args.published and not doc.published:
            doc = replace(doc, published=args.published)
        result = process_document(doc, nlp(doc.text), res)
        print(f"== {Path(doc.source or doc.doc_id).name}: {len(result.events)} events")
        for ev in result.events:
            total += 1
            flags = []
            if ev.negated:
                flags.append("NEG")
            if ev.modality != "asserted":
                flags.append(ev.modality)
            src = f" (said by {ev.source_actor.text})" if ev.source_actor else ""
            print(f"  {ev.event_type:9} {ev.mode or '':12} {fmt_parties(ev.actor)} -> {fmt_parties(ev.recipient)}"
                  f"  trig='{ev.trigger}' {' '.join(flags)} conf={ev.confidence}{src}")
            if args.evidence:
                print(f"      | {ev.evidence.text[:200]}")
    print(f"total {total}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
