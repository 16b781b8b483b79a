"""Readers: every format, metadata, ids, folders and stdin."""
from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pytest

from dyad.ingest import content_hash, iter_documents
from dyad.model import Document

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def read(*inputs, settings=None) -> list[Document]:
    return list(iter_documents([str(i) for i in inputs], settings))


def one(*inputs, settings=None) -> Document:
    (doc,) = read(*inputs, settings=settings)
    return doc


def assert_removed_spans_point_into_raw_text(doc: Document):
    for span in doc.removed:
        assert doc.raw_text is not None
        assert doc.raw_text[span.start : span.end] == span.text


def test_text_file_title_date_byline_and_source_line():
    doc = one(FIXTURES / "cluttered.txt")
    assert doc.error is None
    assert doc.title == "Envoys from Kabul and Tehran agree to reopen crossing"
    assert doc.published == "2024-03-03"
    assert doc.author == "Laila Haidari"
    assert doc.publisher == "Border Gazette"
    assert doc.source == str(FIXTURES / "cluttered.txt")
    assert doc.title not in doc.text
    assert "Read more" not in doc.text and "Click to comment" not in doc.text
    assert doc.text.startswith("Officials from both sides agreed on Sunday")
    assert_removed_spans_point_into_raw_text(doc)


def test_content_hash_id_is_stable_and_changes_with_the_text(tmp_path):
    first = one(FIXTURES / "cluttered.txt")
    again = one(FIXTURES / "cluttered.txt")
    assert first.doc_id == again.doc_id == content_hash(first.raw_text)
    assert len(first.doc_id) == 16
    changed = tmp_path / "changed.txt"
    changed.write_text(first.raw_text + "\nOne more sentence.\n", encoding="utf-8")
    assert one(changed).doc_id != first.doc_id


def test_markdown_front_matter_and_markup():
    doc = one(FIXTURES / "article.md")
    assert (doc.title, doc.published, doc.author, doc.publisher) == (
        "Ministers meet on water sharing", "2024-04-02", "Omid Sadeghi", "River Review",
    )
    assert doc.text.split("\n\n") == [
        "Ministers from the two countries met on Tuesday to discuss how to share the water of a border river.",
        '"We want a fair solution," one minister said.',
        "Experts will visit the dam next month.",
    ]


def test_html_body_and_meta_tags():
    doc = one(FIXTURES / "page.html")
    assert doc.error is None
    assert doc.title == "Crossing reopens after talks"
    assert doc.published == "2024-03-04"
    assert doc.publisher == "Border Gazette"
    assert doc.author == "Laila Haidari"
    assert doc.url == "https://gazette.example/crossing-reopens"
    assert doc.text.startswith("The crossing reopened on Monday morning")
    assert "Home" not in doc.text and "Copyright" not in doc.text
    assert doc.title not in doc.text
    assert len(doc.text.split("\n\n")) == 3
    assert_removed_spans_point_into_raw_text(doc)


def test_html_meta_date_used_when_trafilatura_finds_none(tmp_path):
    page = tmp_path / "p.html"
    page.write_text(
        '<html><head><meta name="pubdate" content="20 May 2023"><title>Water talks</title></head>'
        "<body><p>The two delegations met on Saturday to discuss water sharing along the river.</p></body></html>",
        encoding="utf-8",
    )
    doc = one(page)
    assert doc.published == "2023-05-20"
    assert doc.title == "Water talks"
    assert "delegations met on Saturday" in doc.text


def test_jsonl_records_keep_ids_and_metadata():
    docs = read(FIXTURES / "records.jsonl")
    assert [d.doc_id for d in docs[:2]] == ["r1", "2"]
    r1 = docs[0]
    assert (r1.title, r1.published, r1.publisher, r1.url) == ("Talks resume", "2024-05-01", "Wire One", "https://wire.example/r1")
    assert r1.text == "Talks resumed in the capital on Wednesday.\n\nBoth sides called the meeting useful."
    assert r1.source == f"{FIXTURES / 'records.jsonl'}:line 1"
    assert docs[1].published == "2024-05-02"  # "May 2, 2024" normalised
    no_id = docs[2]
    assert no_id.doc_id == content_hash("A record without an id gets a content hash as its id.")
    html_record = docs[3]
    assert html_record.doc_id == "r4"
    assert html_record.published == "2024-05-04"
    assert "opened a new school" in html_record.text
    assert all(d.error is None for d in docs)


def test_csv_records_with_multiline_text_and_line_numbers():
    docs = read(FIXTURES / "records.csv")
    assert [d.doc_id for d in docs] == ["c1", "c2"]
    assert [d.source.rsplit(":", 1)[1] for d in docs] == ["line 2", "line 5"]
    assert docs[0].text == "Engineers finished work on the new border post on Saturday.\n\nThe post can handle twice as many trucks as before."
    assert (docs[1].title, docs[1].published, docs[1].publisher) == ("Governor visits clinic", "2024-06-02", "Gazette")


def test_json_list_object_and_wrapper(tmp_path):
    docs = read(FIXTURES / "records.json")
    assert [(d.doc_id, d.published, d.source.endswith(f"record {i}")) for i, d in enumerate(docs, 1)] == [
        ("j1", "2024-07-01", True), ("j2", "2024-07-02", True),
    ]
    single = tmp_path / "one.json"
    single.write_text('{"id": "solo", "text": "A single object is one document."}', encoding="utf-8")
    assert one(single).doc_id == "solo"
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text('{"articles": [{"id": "w1", "text": "Wrapped records are read too."}]}', encoding="utf-8")
    assert one(wrapped).doc_id == "w1"


def test_folder_walk_is_recursive_sorted_and_skips_hidden_and_non_text():
    docs = read(FIXTURES / "folder")
    names = [Path(d.source).relative_to(FIXTURES / "folder").as_posix() for d in docs]
    assert names == ["a.txt", "b.txt", "sub/c.md"]
    assert all(d.error is None for d in docs)


def test_file_named_twice_is_read_once():
    docs = read(FIXTURES / "folder", FIXTURES / "folder" / "a.txt")
    assert len(docs) == 3


@pytest.mark.parametrize("wrap", ["bytes", "text"])
def test_stdin_dash_reads_jsonl(monkeypatch, wrap):
    data = '{"id": "s1", "text": "From standard input."}\n{"id": "s2", "text": "Second line."}\n'
    stdin = io.TextIOWrapper(io.BytesIO(data.encode("utf-8")), encoding="utf-8") if wrap == "bytes" else io.StringIO(data)
    monkeypatch.setattr(sys, "stdin", stdin)
    docs = read("-")
    assert [(d.doc_id, d.text, d.source) for d in docs] == [
        ("s1", "From standard input.", "<stdin>:line 1"),
        ("s2", "Second line.", "<stdin>:line 2"),
    ]


def test_unknown_extension_named_explicitly_is_read_as_text(tmp_path):
    path = tmp_path / "article.news"
    path.write_text("Ministers met on Monday to discuss trade.\n", encoding="utf-8")
    assert one(path).text == "Ministers met on Monday to discuss trade."


def test_demo_corpus_reads_cleanly():
    docs = read(EXAMPLES / "demo")
    assert len(docs) >= 12
    assert [d.error for d in docs if d.error] == []
    assert len({d.doc_id for d in docs}) == len(docs)
    undated = [d for d in docs if d.published is None]
    assert [Path(d.source).name for d in undated] == ["refugees-deportations.txt"]
    html = next(d for d in docs if d.source.endswith(".html"))
    assert html.published == "2023-02-27"
    texts = " ".join(d.text for d in docs)
    for spelling in ("Muttaqi", "Mottaki", "Khatibzadeh", "Khatibzada", "Ahmad Massoud", "Ahmed Masood", "Ahmad Shah Massoud"):
        assert spelling in texts
    for clutter in ("Read more", "Click to comment", "Source »", "Most Popular", "Leave a Reply", "By Farid"):
        assert clutter not in texts
    for doc in docs:
        assert_removed_spans_point_into_raw_text(doc)


def test_demo_corpus_in_a_copied_location_keeps_its_ids(tmp_path):
    shutil.copytree(EXAMPLES / "demo", tmp_path / "demo")
    here = {d.source.replace(str(EXAMPLES), ""): d.doc_id for d in read(EXAMPLES / "demo")}
    there = {d.source.replace(str(tmp_path), ""): d.doc_id for d in read(tmp_path / "demo")}
    assert here == there

