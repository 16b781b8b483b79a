"""Print dyad's accuracy on a PLOVER gold file (default: ../shared/data/plover-gsr/dev.jsonl).

Usage: python benchmarks/eval_plover.py [GOLD.jsonl] [--errors] [--json]
The metric definitions are in dyad/evaluate.py.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from dyad.evaluate import evaluate_gsr, format_report
from dyad.nlp import load_pipeline
from dyad.resources import load_resources

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "plover-gsr" / "dev.jsonl"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", nargs="?", default=str(DEFAULT))
    ap.add_argument("--errors", action="store_true", help="list the sentences dyad gets wrong")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not Path(args.gold).is_file():
        print(f"no gold file at {args.gold}", file=sys.stderr)
        return 1
    nlp, res = load_pipeline(), load_resources()
    t0 = time.perf_counter()
    m = evaluate_gsr(args.gold, nlp, res, details=args.errors)
    secs = time.perf_counter() - t0
    if args.json:
        print(json.dumps({k: v for k, v in m.items() if k != "rows"}, indent=1))
        return 0
    print(format_report(m, secs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
