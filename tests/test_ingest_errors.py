"""Bad input is data: every unreadable input becomes a Document with a reason, and reading goes on."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyad.ingest import IngestSettings, iter_documents, make_document

ARTICLE = "Officials from both countries met on Sunday to discuss trade, a spokesman said."


def read(*inputs, settings=None):
    return list(iter_documents([str(i) for i in inputs], settings))


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def assert_rejected(doc, *words):
    assert doc.text == ""
    assert doc.error, "an unreadable input must say why"
    for word in words:
        assert word in doc.error.lower()


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), ("binary", "png")),
        ("empty.txt", b"", ("empty",)),
        ("blank.txt", b"  \n\n \t\n", ("empty",)),
        ("nul.txt", b"Talks resumed\x00 on Monday in the capital.", ("nul",)),
        ("garbage.txt", bytes(range(128, 256)) * 8, ("undecodable",)),
        ("doc.pdf", b"%PDF-1.7 ...", ("unsupported", ".pdf")),
    ],
)
def test_unreadable_files_become_error_documents(tmp_path, name, data, words):
    doc, = read(write(tmp_path, name, data))
    assert_rejected(doc, *words)
    assert doc.source == str(tmp_path / name)


def test_the_run_goes_on_after_bad_files(tmp_path):
    write(tmp_path, "a_bad.txt", b"\x00\x01\x02")
    write(tmp_path, "b_good.txt", ARTICLE)
    write(tmp_path, "c_empty.txt", b"")
    docs = read(tmp_path)
    assert [(Path(d.source).name, bool(d.error)) for d in docs] == [
        ("a_bad.txt", True), ("b_good.txt", False), ("c_empty.txt", True),
    ]
    assert len({d.doc_id for d in docs}) == 3


def test_missing_path_and_empty_folder(tmp_path):
    missing, = read(tmp_path / "nope.txt")
    assert_rejected(missing, "no such file")
    (tmp_path / "empty").mkdir()
    skipped = []
    assert list(iter_documents([str(tmp_path / "empty")], on_skip=skipped.append)) == []
    assert [(s.kind, "no readable files" in s.reason) for s in skipped] == [("empty_folder", True)]


@pytest.mark.parametrize(
    "encoding, text",
    [
        ("latin-1", "Café talks in Kâbul ended on Sunday; the délégation left."),
        ("cp1252", "Iran’s envoy – the “guest” – arrived on Sunday… and left."),
        ("utf-8-sig", "Iran’s envoy arrived in Kabul on Sunday."),
        ("utf-16", "Iran’s envoy arrived in Kabul on Sunday."),
    ],
)
def test_legacy_encodings_are_decoded_not_rejected(tmp_path, encoding, text):
    doc, = read(write(tmp_path, "article.txt", text.encode(encoding)))
    assert doc.error is None
    assert doc.text == text


def test_utf8_with_one_broken_byte_stays_utf8(tmp_path):
    data = "Iran’s envoy met the Taliban’s minister in Kabul on Sunday.".encode() + b"\xff"
    doc, = read(write(tmp_path, "article.txt", data))
    assert doc.text.startswith("Iran’s envoy met the Taliban’s minister")  # no cp1252 mojibake


def test_jsonl_bad_lines_are_reported_and_good_lines_kept(tmp_path):
    lines = [
        json.dumps({"id": "ok1", "text": ARTICLE}),
        "{not json",
        json.dumps({"id": "notext", "title": "Headline only"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "wrongtype", "text": 42}),
        "",
        json.dumps({"id": "ok2", "text": "Another article sentence about talks."}),
    ]
    path = write(tmp_path, "records.jsonl", "\n".join(lines) + "\n")
    docs = read(path)
    assert [d.source.rsplit(":", 1)[1] for d in docs] == ["line 1", "line 2", "line 3", "line 4", "line 5", "line 7"]
    assert [d.doc_id for d in docs if not d.error] == ["ok1", "ok2"]
    bad_json, no_text, a_list, wrong_type = docs[1:5]
    assert_rejected(bad_json, "not valid json")
    assert_rejected(no_text, "no text")
    assert no_text.doc_id == "notext" and no_text.title == "Headline only"
    assert_rejected(a_list, "list", "not an object")
    assert_rejected(wrong_type, "'text'", "not a string")


def test_duplicate_ids_are_reported_on_the_later_record(tmp_path):
    path = write(
        tmp_path,
        "dups.jsonl",
        json.dumps({"id": "x", "text": ARTICLE}) + "\n" + json.dumps({"id": "x", "text": "A different story."}) + "\n",
    )
    first, second = read(path)
    assert first.doc_id == "x" and first.error is None
    assert_rejected(second, "duplicate id", "line 1")
    assert second.doc_id != "x"  # never overwrites the first


def test_same_text_twice_without_ids_is_a_skipped_duplicate(tmp_path):
    write(tmp_path, "a.txt", ARTICLE)
    write(tmp_path, "b.txt", ARTICLE)
    skipped = []
    first, = iter_documents([str(tmp_path)], on_skip=skipped.append)
    assert first.error is None and first.source == str(tmp_path / "a.txt")
    assert [(s.source, s.kind) for s in skipped] == [(str(tmp_path / "b.txt"), "duplicate")]
    assert str(tmp_path / "a.txt") in skipped[0].reason


def test_deeply_nested_html_is_read_quickly(tmp_path):
    """The tree is cut at the depth limit; the page is read, never refused."""
    depth = 20_000
    body = "<p>Officials from both countries met on Sunday.</p><p>They agreed to meet again.</p>"
    page = "<html><body>" + "<div>" * depth + body + "</div>" * depth + "</body></html>"
    start = time.perf_counter()
    doc, = read(write(tmp_path, "deep.html", page))
    assert time.perf_counter() - start < 5
    assert doc.error is None
    assert doc.text == "Officials from both countries met on Sunday.\n\nThey agreed to meet again."


def test_html_without_article_text(tmp_path):
    doc, = read(write(tmp_path, "blank.html", "<html><head><title>x</title></head><body></body></html>"))
    assert_rejected(doc, "no article text")


def test_ten_megabyte_single_line_is_rejected(tmp_path):
    doc, = read(write(tmp_path, "huge.txt", "word " * 2_000_000))
    assert_rejected(doc, "single line", "10,000,000")


def test_ten_megabyte_jsonl_line_is_skipped_and_the_next_line_read(tmp_path):
    big = json.dumps({"id": "big", "text": "x" * 10_000_000})
    path = write(tmp_path, "big.jsonl", big + "\n" + json.dumps({"id": "after", "text": ARTICLE}) + "\n")
    too_long, after = read(path)
    assert_rejected(too_long, "longer than the limit")
    assert after.doc_id == "after" and after.error is None


def test_file_over_the_size_limit_is_rejected_unread(tmp_path):
    path = write(tmp_path, "big.txt", ARTICLE * 100)
    doc, = read(path, settings=IngestSettings(max_file_bytes=1000))
    assert_rejected(doc, "larger than the limit")


def test_long_document_is_truncated_at_a_paragraph_and_says_so():
    raw = "\n\n".join(f"Paragraph {i} reports that the talks went on for another day." for i in range(50))
    doc = make_document(raw, settings=IngestSettings(max_doc_chars=500))
    assert doc.error is None
    assert len(doc.text) <= 500
    assert doc.text.endswith("another day.")
    truncated = doc.removed[-1]
    assert truncated.kind == "truncated"
    assert truncated.end == len(raw)
    assert doc.raw_text[truncated.start : truncated.end] == truncated.text


def test_clutter_only_text_is_rejected_with_a_reason():
    doc = make_document("Click to comment\nLeave a Reply\nMost Popular\nTo Top\n")
    assert_rejected(doc, "no article text")
    assert [r.kind for r in doc.removed] == ["comment_prompt", "popular_list", "navigation"]


def test_csv_without_text_column(tmp_path):
    doc, = read(write(tmp_path, "bad.csv", "id,title\n1,Only a title\n"))
    assert_rejected(doc, "no 'text' or 'html' column")


def test_csv_row_without_text_and_in_cp1252(tmp_path):
    data = "id,text\nk1,\"Iran’s envoy – “guest” – left.\"\nk2,\n".encode("cp1252")
    good, empty = read(write(tmp_path, "rows.csv", data))
    assert good.text == "Iran’s envoy – “guest” – left."
    assert_rejected(empty, "no text")


def test_invalid_json_file_and_deeply_nested_json(tmp_path):
    bad, = read(write(tmp_path, "bad.json", "{oops"))
    assert_rejected(bad, "not valid json")
    deep, = read(write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000))
    assert_rejected(deep, "nested too deeply")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_escape_as_an_exception(tmp_path, data):
    for name in ("x.txt", "x.html", "x.jsonl", "x.csv", "x.json", "x.md"):
        for doc in read(write(tmp_path, name, data)):
            assert doc.error or doc.text
            for span in doc.removed:
                assert doc.raw_text[span.start : span.end] == span.text


def test_html_declared_charset_is_honoured(tmp_path):
    body = "Иранская делегация прибыла в Кабул в воскресенье для переговоров о воде."  # cp1252 would garble it
    page = f'<html><head><meta charset="windows-1251"><title>Вода</title></head><body><p>{body}</p></body></html>'
    doc, = read(write(tmp_path, "page.html", page.encode("windows-1251")))
    assert doc.error is None
    assert body in doc.text
