"""Write a synthetic news corpus (JSONL) for benchmarks and fault tests.

    python benchmarks/make_corpus.py 100000 -o out/synthetic-100k.jsonl [--seed 7]

The articles come from dyad's own templates (`dyad.bench.articles`): nothing is
downloaded and nothing outside this repository is read.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from dyad.bench import write_corpus


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("docs", type=int, help="number of articles")
    ap.add_argument("-o", "--out", type=Path, default=None, help="output file (default: out/synthetic-N.jsonl)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--min-sentences", type=int, default=4)
    ap.add_argument("--max-sentences", type=int, default=10)
    a = ap.parse_args()
    out = a.out or Path("out") / f"synthetic-{a.docs}.jsonl"
    t0 = time.perf_counter()
    write_corpus(out, a.docs, seed=a.seed, min_sentences=a.min_sentences, max_sentences=a.max_sentences)
    print(f"{a.docs:,} articles, {out.stat().st_size / 1e6:.1f} MB -> {out} ({time.perf_counter() - t0:.1f}s)")


if __name__ == "__main__":
    main()
