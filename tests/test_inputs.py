"""Inputs are accounted for: what is skipped is listed with its reason, nothing readable is an
error that leaves no store, duplicates are counted not rejected, and the total is known up front."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyad.cli import app
from dyad.ingest import iter_documents
from dyad.ingest.count import count_documents
from dyad.ingest.readers import list_inputs

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE = "Officials from both countries met in the capital on Sunday to discuss trade, a spokesman said."
runner = CliRunner(env={"COLUMNS": "400"})  # long temporary paths on one line each


def _docs(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_listing_skips_other_types_with_a_reason(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / ".hidden.txt").write_text(ARTICLE, encoding="utf-8")
    plan = list_inputs([str(tmp_path)])
    assert plan.files == [str(tmp_path / "a.txt")]
    assert sorted((Path(s.source).name, s.kind, s.reason) for s in plan.skipped) == [
        ("notes.docx", "unsupported", "unsupported type (.docx)"),
        ("photo.png", "unsupported", "unsupported type (.png)"),
    ]


def test_the_total_is_known_before_reading():
    """The count from the listing alone matches what reading then yields, for every fixture format."""
    for folder in (FIXTURES / "ingest", FIXTURES / "cli", FIXTURES):
        plan = list_inputs([str(folder)])
        assert count_documents(plan.files) == len(list(iter_documents([str(folder)]))), folder
    assert count_documents(["-"]) is None  # stdin cannot be counted ahead


@pytest.mark.parametrize("contents", [{}, {"photo.png": b"\x89PNG", "slides.pptx": b"PK"}])
def test_no_supported_input_is_an_error_and_leaves_no_store(tmp_path, contents):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, data in contents.items():
        (corpus / name).write_bytes(data)
    db = tmp_path / "store" / "s.duckdb"
    result = runner.invoke(app, ["run", str(corpus), "--db", str(db), "-q"])
    assert result.exit_code == 1, result.output
    assert "no supported input" in result.output
    assert ".html" in result.output and ".warc" in result.output  # says what dyad does read
    for name in contents:
        assert name in result.output  # and what it skipped
    assert not db.exists() and not db.parent.exists()


def test_duplicates_and_other_types_are_listed_not_rejected(tmp_path, nlp):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "b-copy.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "logo.svg").write_text("<svg/>", encoding="utf-8")
    db, out = tmp_path / "s.duckdb", tmp_path / "out"
    result = runner.invoke(app, ["run", str(corpus), str(corpus / "a.txt"), "--db", str(db), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output  # a duplicate is not a rejection
    assert "1 documents coded" in result.output and "0 rejected" in result.output
    assert "1 duplicates skipped" in result.output
    assert "2 inputs skipped: 1 unsupported type, 1 duplicate content" in result.output
    assert "b-copy.txt: duplicate content of" in result.output
    assert "logo.svg: unsupported type (.svg)" in result.output
    docs = _docs(out / "documents.jsonl")
    assert [Path(d["source"]).name for d in docs] == ["a.txt"]


def test_the_same_jsonl_twice_is_read_once(tmp_path, nlp):
    copy = tmp_path / "copy.jsonl"
    shutil.copy(FIXTURES / "cli" / "records.jsonl", copy)
    db, out = tmp_path / "s.duckdb", tmp_path / "out"
    result = runner.invoke(app, ["run", str(FIXTURES / "cli" / "records.jsonl"), str(copy), "--db", str(db),
                                 "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert {d["doc_id"] for d in _docs(out / "documents.jsonl")} == {"rec-1", "rec-2"}
    assert "2 duplicates skipped" in result.output


def test_info_on_a_missing_store_says_so(tmp_path):
    result = runner.invoke(app, ["info", "--db", str(tmp_path / "nope.duckdb")])
    assert result.exit_code == 1
    assert "no dyad store" in result.output
    assert not (tmp_path / "nope.duckdb").exists()


def test_empty_standard_input_is_an_error_and_leaves_no_store(tmp_path):
    import subprocess
    import sys

    db = tmp_path / "piped.duckdb"
    cmd = [sys.executable, "-m", "dyad.cli", "run", "-", "--db", str(db), "-q"]
    empty = subprocess.run(cmd, input=b"", capture_output=True, timeout=300)
    assert empty.returncode == 1, empty.stderr.decode()
    assert "standard input is empty" in empty.stderr.decode() and not db.exists()
    record = json.dumps({"id": "p1", "text": "Kenya and Uganda agreed on Monday to reopen the border post."})
    piped = subprocess.run(cmd, input=record.encode() + b"\n", capture_output=True, timeout=300)
    assert piped.returncode == 0, piped.stderr.decode()
    assert db.exists()
