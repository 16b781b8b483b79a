"""The distributed runner: dyad's per-document step as a PySpark `mapPartitions`, and
cross-document fusion as Spark group-bys and joins on blocking keys.

    dyad run --engine spark --master spark://host:7077 INPUT --db STORE --out DIR

What runs where:

1. driver: reads the inputs with `dyad.ingest.iter_documents` (streaming), skips
   documents already in the store, and stages the rest as Parquet files under
   `DIR/parquet/_input/` (a few thousand documents per file; nothing is held in memory);
2. executors: `mapPartitions` over the staged documents runs `dyad.pipeline.process_batch`,
   the same pure function the local engine runs; the spaCy pipeline and the resources
   load once per Python worker (`load_pipeline`/`load_resources` are cached per process);
   each document's table rows land in `DIR/parquet/_results/`;
3. executors: the per-document tables are written as Parquet datasets,
   `DIR/parquet/{documents,events,mentions,dates,claims,places}/`, events partitioned by
   `event_type` (so `spark.read.parquet(".../events").where("event_type = 'CONSULT'")`
   reads one folder), documents by publication month;
4. driver: the results are loaded into the store (`Store.write_results`, one
   transaction per batch, streaming from Parquet);
5. executors: fusion over everything stored (`dyad.fuse.spark`): entity blocks, event
   blocks and claim subjects are Spark group-bys, cluster components come from label
   propagation over join edges, ids carry over through a join with the previous fusion.
   The driver streams the stored results to Parquet for it (I/O only) and loads the
   fusion tables it writes to `DIR/parquet/fusion/` back into the store;
6. driver: the JSONL contract files are written to DIR.

Steps 2, 3 and 5 are the distributed part and hold nearly all of the cost.

With a cluster, DIR must be on storage the driver and every executor share (NFS, or a
path on a shared mount); see docs/spark.md.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Sequence

from dyad.model import DocResult, Document
from dyad.nlp import DEFAULT_MODEL
from dyad.pipeline import DEFAULT_BATCH, RunSummary
from dyad.store import DEFAULT_DB
from dyad.store import rows as R
from dyad.store.schema import PER_DOCUMENT, TABLES

STAGE_DOCS = 2000  # documents per staged input file
LOAD_BATCH = 256  # documents per store transaction when loading the results


# --- executor side ----------------------------------------------------------------

def _doc_from_json(s: str) -> Document:
    row = json.loads(s)
    return R.document_from_row(row)


def code_partition(rows: Iterable[Any], model: str, extra_dirs: tuple[str, ...], batch_size: int
                   ) -> Iterator[tuple[str, Optional[str], int, str]]:
    """mapPartitions body: staged documents in, (doc_id, error, n_events, rows JSON) out."""
    from dyad.pipeline import process_batch

    batch: list[Document] = []

    def flush() -> Iterator[tuple[str, Optional[str], int, str]]:
        for res in process_batch(batch, model, extra_dirs):
            yield (res.document.doc_id, res.document.error, len(res.events),
                   json.dumps(R.result_rows(res), ensure_ascii=False, default=str))
        batch.clear()

    for row in rows:
        batch.append(_doc_from_json(row["doc"]))
        if len(batch) >= batch_size:
            yield from flush()
    if batch:
        yield from flush()


def result_from_rows(tables: dict[str, list[dict[str, Any]]]) -> DocResult:
    """Rebuild a DocResult from the table rows `dyad.store.rows.result_rows` made of it."""
    return DocResult(
        document=R.document_from_row(tables["documents"][0]),
        events=[R.event_from_row(r) for r in tables.get("events", [])],
        mentions=[R.mention_from_row(r) for r in tables.get("mentions", [])],
        dates=[R.date_from_row(r) for r in tables.get("dates", [])],
        claims=[R.claim_from_row(r) for r in tables.get("claims", [])],
        places=[R.place_from_row(r) for r in tables.get("places", [])],
    )


# --- driver side -------------------------------------------------------------------

def spark_session(master: Optional[str] = "local[*]", app: str = "dyad", conf: Optional[dict[str, str]] = None):
    """A SparkSession for dyad: no UI, small shuffles, the workers run this Python.

    `master=None` takes the master from spark-submit (or the Spark defaults)."""
    from pyspark.sql import SparkSession

    master_name = master or ""
    if master_name.startswith("local"):
        # executors are processes of this machine: make them use this interpreter (and its dyad)
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = SparkSession.builder.appName(app)
    if master:
        builder = builder.master(master)
    builder = (builder
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", os.environ.get("DYAD_SPARK_SHUFFLE_PARTITIONS", "8"))
               .config("spark.python.worker.reuse", "true"))
    if master_name.startswith("local"):
        builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    for k, v in (conf or {}).items():
        builder = builder.config(k, v)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel(os.environ.get("DYAD_SPARK_LOG_LEVEL", "ERROR"))
    return spark


def _spark_type(sql_type: str):
    from pyspark.sql import types as T

    base = sql_type.replace(" PRIMARY KEY", "")
    return {"TEXT": T.StringType(), "JSON": T.StringType(), "INTEGER": T.LongType(),
            "DOUBLE PRECISION": T.DoubleType(), "BOOLEAN": T.BooleanType()}[base]


def _table_schema(table: str):
    from pyspark.sql import types as T

    return T.StructType([T.StructField(c, _spark_type(t), True) for c, t in TABLES[table]])


def _stage_inputs(inputs: Sequence[str], store, force: bool, stage_dir: Path, summary: RunSummary) -> int:
    """Stream the inputs into Parquet files of STAGE_DOCS documents; returns how many were staged."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from dyad.ingest import iter_documents

    stage_dir.mkdir(parents=True, exist_ok=True)
    schema = pa.schema([("doc_id", pa.string()), ("seq", pa.int64()), ("doc", pa.string())])
    buf: list[dict[str, Any]] = []
    staged = files = 0
    pending: list[Document] = []

    def write() -> None:
        nonlocal files
        if buf:
            pq.write_table(pa.Table.from_pylist(buf, schema=schema), stage_dir / f"part-{files:05d}.parquet")
            files += 1
            buf.clear()

    def take(chunk: list[Document]) -> None:
        nonlocal staged
        summary.seen += len(chunk)
        stored = set() if force else store.stored_ids(d.doc_id for d in chunk if not d.error)
        for d in chunk:
            if d.doc_id in stored:
                summary.skipped += 1
                continue
            buf.append({"doc_id": d.doc_id, "seq": staged,
                        "doc": json.dumps(R.document_row(d, 0), ensure_ascii=False, default=str)})
            staged += 1
            if len(buf) >= STAGE_DOCS:
                write()

    for doc in iter_documents(list(inputs)):
        pending.append(doc)
        if len(pending) >= 256:
            take(pending)
            pending = []
    take(pending)
    write()
    return staged


def run_spark(
    inputs: Sequence[str],
    db: str = DEFAULT_DB,
    out: Optional[Path | str] = None,
    master: Optional[str] = "local[*]",
    model: str = DEFAULT_MODEL,
    extra_dirs: tuple[str, ...] = (),
    batch_size: int = DEFAULT_BATCH,
    force: bool = False,
    partitions: Optional[int] = None,
    spark=None,
) -> RunSummary:
    """Run dyad on Spark: parse, code and fuse on the executors; the store is written by the driver."""
    from dyad.store import open_store

    t0 = time.perf_counter()
    summary = RunSummary()
    scratch = None
    if out is not None:
        out = Path(out)
        work = out / "parquet"
    else:
        scratch = Path(tempfile.mkdtemp(prefix="dyad-spark-"))
        work = scratch / "parquet"
    if work.exists():
        shutil.rmtree(work)  # a previous run's files; the store is what keeps results between runs
    work.mkdir(parents=True)
    own_session = spark is None
    try:
        with open_store(db) as store:
            store.set_meta("spacy_model", model)
            staged = _stage_inputs(inputs, store, force, work / "_input", summary)
            if staged:
                if spark is None:
                    spark = spark_session(master)
                _code_on_spark(spark, work, staged, model, tuple(extra_dirs), batch_size, partitions)
                _load(work / "_results", store, summary)
            if spark is None:
                spark = spark_session(master)
            from dyad.fuse.spark import fuse_store_on_spark

            fuse_store_on_spark(spark, store, work, partitions)
            if out is not None:
                from dyad.export import write_jsonl

                write_jsonl(store, out)
    finally:
        if own_session and spark is not None:
            spark.stop()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        else:
            shutil.rmtree(work / "_input", ignore_errors=True)
    summary.seconds = time.perf_counter() - t0
    return summary


def _code_on_spark(spark, work: Path, staged: int, model: str, extra_dirs: tuple[str, ...], batch_size: int,
                   partitions: Optional[int]) -> None:
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    sc = spark.sparkContext
    n = partitions or max(sc.defaultParallelism, min(4 * sc.defaultParallelism, staged // 500 + 1))
    docs = spark.read.parquet(str(work / "_input")).repartition(n, "doc_id")
    result_schema = T.StructType([
        T.StructField("doc_id", T.StringType(), False),
        T.StructField("error", T.StringType(), True),
        T.StructField("n_events", T.LongType(), False),
        T.StructField("rows", T.StringType(), False),
    ])
    coded = docs.rdd.mapPartitions(
        lambda rows: code_partition(rows, model, extra_dirs, batch_size), preservesPartitioning=True)
    spark.createDataFrame(coded, result_schema).write.mode("overwrite").parquet(str(work / "_results"))

    # the per-document tables as typed Parquet datasets
    results = spark.read.parquet(str(work / "_results"))
    parsed = results.select(F.from_json("rows", T.StructType(
        [T.StructField(t, T.ArrayType(_table_schema(t)), True) for t in PER_DOCUMENT])).alias("r"))
    for table in PER_DOCUMENT:
        rows = parsed.select(F.explode(f"r.{table}").alias("x")).select("x.*")
        writer = rows.write.mode("overwrite")
        if table == "events":
            writer = writer.partitionBy("event_type")
        elif table == "documents":
            rows = rows.withColumn("published_month", F.coalesce(F.substring("published", 1, 7), F.lit("unknown")))
            writer = rows.write.mode("overwrite").partitionBy("published_month")
        writer.parquet(str(work / table))


def _load(results_dir: Path, store, summary: RunSummary) -> None:
    """Stream the coded results from Parquet into the store, one transaction per batch."""
    import pyarrow.dataset as ds

    dataset = ds.dataset(str(results_dir), format="parquet")
    batch: list[DocResult] = []

    def flush() -> None:
        store.write_results(batch)
        batch.clear()

    for rb in dataset.to_batches(columns=["doc_id", "error", "n_events", "rows"], batch_size=LOAD_BATCH):
        for rec in rb.to_pylist():
            res = result_from_rows(json.loads(rec["rows"]))
            batch.append(res)
            summary.processed += 1
            summary.events += len(res.events)
            if res.document.error:
                summary.rejected += 1
                summary.errors.append((res.document.doc_id, res.document.source or "", res.document.error))
            if len(batch) >= LOAD_BATCH:
                flush()
    if batch:
        flush()


def main(argv: Optional[Sequence[str]] = None) -> int:
    """`spark-submit .../dyad/spark.py INPUT... --db STORE --out DIR`: the master comes from spark-submit."""
    import argparse

    ap = argparse.ArgumentParser(prog="dyad.spark", description="Run dyad on Spark (see docs/spark.md).")
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--db", default=DEFAULT_DB)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--resources", action="append", default=[])
    ap.add_argument("--batch-size", type=int, default=DEFAULT_BATCH)
    ap.add_argument("--master", default=None, help="default: whatever spark-submit says")
    a = ap.parse_args(argv)
    s = run_spark(a.inputs, db=a.db, out=a.out, master=a.master, model=a.model,
                  extra_dirs=tuple(str(Path(d).resolve()) for d in a.resources), batch_size=a.batch_size)
    print(f"{s.processed} documents coded, {s.skipped} already stored, {s.events} events, "
          f"{s.rejected} rejected in {s.seconds:.1f}s", file=sys.stderr)
    return 3 if s.rejected else 0


if __name__ == "__main__":
    sys.exit(main())
