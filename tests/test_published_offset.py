"""Publication times with a time zone: the date stays the local calendar date the source
wrote, and the zone is kept as a UTC offset through the store and every export."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from dyad.cli import app
from dyad.ingest import iter_documents
from dyad.ingest.pubdate import parse_published
from dyad.store import open_store
from dyad.validate import validate_document, validate_dir


@pytest.mark.parametrize("value,local,offset", [
    ("2023-03-14T23:40:00-05:00", "2023-03-14", "-05:00"),
    ("2023-03-15T01:10:00+0430", "2023-03-15", "+04:30"),
    ("2023-03-15T06:00:00Z", "2023-03-15", "+00:00"),
    ("Wed, 15 Mar 2023 06:00:00 GMT", "2023-03-15", "+00:00"),
    ("March 14, 2023, 9:05 p.m. EDT", "2023-03-14", "-04:00"),
    ("14 March 2023 21:05 UTC+3", "2023-03-14", "+03:00"),
    ("15 March 2023 08:15 AFT", "2023-03-15", "+04:30"),
    # a zone name shared by several zones keeps the date and gives no offset
    ("March 14, 2023. 10:11 pm CST", "2023-03-14", None),
    ("15 March 2023 10:00 IST", "2023-03-15", None),
    # no time of day, or no zone: nothing to keep
    ("2023-03-14", "2023-03-14", None),
    ("2023-03-14T22:00:00", "2023-03-14", None),
    ("March 14, 2023 and counting", "2023-03-14", None),
    ("March 14, 2023 10:00 am local", "2023-03-14", None),
])
def test_a_time_zone_is_kept_as_an_offset_beside_the_local_date(value, local, offset):
    assert parse_published(value) == (local, offset)


def _docs(tmp_path: Path):
    rec = tmp_path / "wire.jsonl"
    rec.write_text(json.dumps({"id": "late", "published": "2023-03-14T23:40:00-05:00",
                               "text": "Protesters gathered outside the embassy in the capital on Tuesday."}) + "\n"
                   + json.dumps({"id": "plain", "published": "2023-03-14",
                                 "text": "The two ministers met in Ankara on Tuesday."}) + "\n", encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text(
        '<html><head><meta property="article:published_time" content="2023-03-15T01:10:00+04:30">'
        "<title>Border talks</title></head><body><article><p>Officials from both countries held talks "
        "at the border crossing on Wednesday about trade and water.</p><p>They agreed to meet again "
        "next month.</p></article></body></html>", encoding="utf-8")
    text = tmp_path / "note.txt"
    text.write_text("Published: 15 March 2023 08:15 AFT\n\nThe governor met elders in the provincial "
                    "capital on Wednesday to discuss the drought.\n", encoding="utf-8")
    return {d.doc_id if d.doc_id in ("late", "plain") else Path(d.source).name: d
            for d in iter_documents([str(rec), str(page), str(text)])}


def test_every_reader_keeps_the_offset_its_source_gives(tmp_path):
    docs = _docs(tmp_path)
    assert (docs["late"].published, docs["late"].published_offset) == ("2023-03-14", "-05:00")
    assert (docs["plain"].published, docs["plain"].published_offset) == ("2023-03-14", None)
    assert (docs["page.html"].published, docs["page.html"].published_offset) == ("2023-03-15", "+04:30")
    assert (docs["note.txt"].published, docs["note.txt"].published_offset) == ("2023-03-15", "+04:30")
    for d in docs.values():
        assert validate_document(d.to_dict()) == []


def test_the_offset_goes_through_the_store_and_the_exports(tmp_path):
    _docs(tmp_path)
    db, out = tmp_path / "s.duckdb", tmp_path / "out"
    runner = CliRunner()
    res = runner.invoke(app, ["run", str(tmp_path / "wire.jsonl"), str(tmp_path / "page.html"),
                              "--db", str(db), "--out", str(out), "--quiet"])
    assert res.exit_code == 0, res.output
    assert validate_dir(out) == {k: [] for k in validate_dir(out)}
    contract = {json.loads(line)["doc_id"]: json.loads(line) for line in (out / "documents.jsonl").open()}
    assert contract["late"]["published_offset"] == "-05:00"
    for fmt in ("csv", "parquet"):
        res = runner.invoke(app, ["export", "--db", str(db), "--format", fmt, "--to", str(tmp_path / fmt)])
        assert res.exit_code == 0, res.output
    docs = pd.read_csv(tmp_path / "csv" / "documents.csv").set_index("doc_id")
    assert docs.loc["late", "published_offset"] == "-05:00" and pd.isna(docs.loc["plain", "published_offset"])
    events = pq.read_table(tmp_path / "parquet" / "events.parquet").to_pandas()
    late = events[events.doc_id == "late"]
    assert len(late) and set(late.doc_published_offset) == {"-05:00"}
    assert str(late.doc_published.iloc[0]) == "2023-03-14"  # the local date, not 2023-03-15 in UTC


def test_a_store_from_before_the_offset_column_gains_it(tmp_path):
    db = tmp_path / "old.duckdb"
    with open_store(str(db)):
        pass
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO documents (doc_id, text, published) VALUES ('old', 'Old text.', '2020-01-01')")
    con.execute("ALTER TABLE documents DROP COLUMN published_offset")  # as an older dyad wrote it
    con.close()
    with open_store(str(db)) as store:
        (row,) = store.query("SELECT doc_id, published, published_offset FROM documents")
    assert row == {"doc_id": "old", "published": "2020-01-01", "published_offset": None}
