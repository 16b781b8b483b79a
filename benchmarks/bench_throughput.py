"""Throughput and memory: the bare spaCy parse vs `dyad run` on the same corpus (same as `dyad bench`).

    python benchmarks/bench_throughput.py                    # 2,000 synthetic articles, 2 workers
    python benchmarks/bench_throughput.py CORPUS.jsonl -w 2 --json out/bench.json
    python benchmarks/bench_throughput.py -n 100000 --memory-only   # flat memory over 100k documents

See `dyad.bench` for what is measured and how.
"""
from dyad.bench import main

if __name__ == "__main__":
    main()
