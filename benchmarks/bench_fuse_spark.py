"""Fusion on Spark against fusion in-process, on the same store: time, and the same rows?

    python benchmarks/bench_fuse_spark.py                # 2,000 and 10,000 documents, local[2]
    python benchmarks/bench_fuse_spark.py 5000 --master 'local[4]'

The store holds `bench_fuse.make_corpus` DocResults (no NLP: fusion only). Both engines
re-fuse it from scratch: `dyad.pipeline.fuse_store` (one process) and
`dyad.fuse.spark.fuse_store_on_spark` (staging the store to Parquet, the Spark jobs,
loading the tables back). The Spark session is started before the clock. On one
machine Spark pays for pickling every record between the JVM and Python workers, so
expect it to be slower than in-process; it is there for corpora that outgrow one machine.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_fuse import make_corpus  # noqa: E402

from dyad.fuse.spark import fuse_store_on_spark  # noqa: E402
from dyad.pipeline import fuse_store  # noqa: E402
from dyad.spark import spark_session  # noqa: E402
from dyad.store import open_store  # noqa: E402
from dyad.store.schema import FUSION  # noqa: E402


def rows(db: str) -> dict[str, list[str]]:
    with open_store(db, read_only=True) as store:
        return {t: sorted(json.dumps(r, sort_keys=True, default=str) for r in store.iter_table(t)) for t in FUSION}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[2_000, 10_000])
    ap.add_argument("--master", default="local[2]")
    a = ap.parse_args()
    spark = spark_session(a.master, app="dyad-bench-fuse")
    print("docs\tlocal s\tspark s\tspark docs/s\tsame rows")
    try:
        for n in a.sizes:
            tmp = Path(tempfile.mkdtemp(prefix="dyad-bench-fuse-"))
            try:
                base = str(tmp / "base.duckdb")
                with open_store(base) as store:
                    store.write_results(make_corpus(n, seed=3))
                local, remote = str(tmp / "local.duckdb"), str(tmp / "spark.duckdb")
                shutil.copy(base, local)
                shutil.copy(base, remote)
                t0 = time.perf_counter()
                with open_store(local) as store:
                    fuse_store(store)
                t1 = time.perf_counter()
                with open_store(remote) as store:
                    fuse_store_on_spark(spark, store, tmp / "work")
                t2 = time.perf_counter()
                same = rows(local) == rows(remote)
                print(f"{n}\t{t1 - t0:.1f}\t{t2 - t1:.1f}\t{n / (t2 - t1):.0f}\t{same}", flush=True)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
