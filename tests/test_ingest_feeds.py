"""RSS and Atom feeds: one Document per item, per-item errors, refused DTDs, non-feed XML."""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from dyad.ingest import IngestSettings, content_hash, iter_documents
from dyad.model import Document

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
RSS = FIXTURES / "feed.rss"
ATOM = FIXTURES / "feed.atom"


def read(*inputs, settings=None) -> list[Document]:
    return list(iter_documents([str(i) for i in inputs], settings))


def test_rss_items_with_metadata_ids_and_sources():
    docs = read(RSS)
    assert [d.source for d in docs] == [f"{RSS}#record {n}" for n in (1, 2, 3, 4)]
    first, second, _empty, escaped = docs
    assert first.error is None
    assert first.doc_id == "gazette-1001"  # guid
    assert (first.title, first.url, first.published, first.publisher, first.author) == (
        "Crossing reopens after talks", "https://gazette.example/crossing-reopens", "2024-03-04",
        "Border Gazette", "Laila Haidari",
    )
    # content:encoded wins over the description teaser; its HTML becomes paragraphs of text
    assert first.text.split("\n\n") == [
        "The crossing reopened on Monday morning after officials from both countries settled a dispute "
        "over customs fees, traders said.",
        "Long lines of trucks began moving again within hours of the announcement.",
    ]
    assert "<p>" not in first.text and "teaser" not in first.text
    # no guid: content hash; item <source> beats the channel title; "email (Name)" author
    assert second.error is None
    assert second.doc_id == content_hash(second.raw_text)
    assert (second.publisher, second.author, second.published) == ("River Review", "Omid Sadeghi", "2024-04-02")
    assert second.text.startswith("Ministers from the two countries met on Tuesday")
    # entity-escaped HTML in <description> is read as HTML
    assert escaped.error is None and escaped.doc_id == "gazette-1004"
    assert escaped.text == "Envoys from Kabul and Tehran signed a customs accord on Friday, ending a month-long dispute."
    assert escaped.url is None and escaped.published is None


def test_item_without_text_is_an_error_for_that_item_only():
    docs = read(RSS)
    empty = docs[2]
    assert empty.error == "feed item has no text (no content:encoded or description)"
    assert empty.doc_id == "gazette-1003"
    assert empty.title == "Photo gallery: trucks at the gate"
    assert empty.url == "https://gazette.example/gallery"
    assert [d.error is None for d in docs] == [True, True, False, True]


def test_atom_entries():
    dam, protest, levels = read(ATOM)
    assert [d.error for d in (dam, protest, levels)] == [None, None, None]
    assert dam.doc_id == "tag:river.example,2024:dam-inspection"
    assert dam.source == f"{ATOM}#record 1"
    assert (dam.title, dam.url, dam.published, dam.publisher, dam.author) == (
        "Dam inspection scheduled", "https://river.example/dam-inspection", "2024-04-03",  # published, not updated
        "River Review", "Omid Sadeghi",
    )
    assert dam.text.startswith("Engineers from both countries will inspect the dam")  # content over summary
    assert "Teaser" not in dam.text
    # xhtml content, <updated> as the date when there is no <published>, the entry's <source> as publisher
    assert protest.text.split("\n\n") == [
        "Hundreds of farmers protested in Zaranj on Saturday against cuts to their water supply.",
        "Police watched but did not intervene.",
    ]
    assert (protest.url, protest.published, protest.publisher) == ("https://river.example/protest", "2024-04-06", "Valley Times")
    # plain-text summary kept as is
    assert levels.text == "Water levels in the reservoir fell by a third over the winter, the ministry said on Sunday."
    assert levels.url is None


def test_rdf_feed_in_an_xml_file():
    (doc,) = read(FIXTURES / "feed-rdf.xml")
    assert doc.error is None
    assert (doc.title, doc.url, doc.published, doc.publisher, doc.author) == (
        "Talks resume in Doha", "https://wire.example/talks", "2024-05-01", "Example Wire", "A. Reporter",
    )


def test_xml_that_is_not_a_feed_is_an_error_document():
    (doc,) = read(FIXTURES / "sitemap.xml")
    assert doc.error == "not an RSS or Atom feed (the root element is <urlset>)"
    assert doc.source == str(FIXTURES / "sitemap.xml")


def test_entity_expansion_attack_is_refused_quickly():
    t0 = time.perf_counter()
    (doc,) = read(FIXTURES / "laughs.rss")
    assert time.perf_counter() - t0 < 1
    assert doc.error == "XML with a DOCTYPE or ENTITY declaration is refused (entity-expansion risk)"
    assert doc.text == ""


def test_external_entity_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not leak", encoding="utf-8")
    feed = tmp_path / "xxe.rss"
    feed.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        "<rss><channel><item><title>t</title><description>&x;</description></item></channel></rss>\n",
        encoding="utf-8",
    )
    (doc,) = read(feed)
    assert "DOCTYPE" in doc.error and "leak" not in repr(doc)


@pytest.mark.parametrize(
    "content, reason",
    [
        ("<rss><channel><item><title>cut", "not well-formed XML"),
        ('<rss version="2.0"><channel><title>Quiet</title></channel></rss>', "feed has no items"),
        ("", "empty file"),
    ],
)
def test_broken_feeds_are_error_documents(tmp_path, content, reason):
    path = tmp_path / "broken.rss"
    path.write_text(content, encoding="utf-8")
    (doc,) = read(path)
    assert doc.error.startswith(reason)
    assert doc.source == str(path)


def test_declared_encoding_is_honoured(tmp_path):
    path = tmp_path / "latin.xml"
    path.write_bytes(
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<rss version="2.0"><channel><title>Le Journal</title>'
        "<item><title>Réunion à Genève</title><description>Les ministres se sont réunis à Genève "
        "mardi pour discuter de la frontière.</description></item></channel></rss>\n".encode("latin-1")
    )
    (doc,) = read(path)
    assert doc.error is None
    assert doc.title == "Réunion à Genève"
    assert "réunis à Genève" in doc.text


def test_file_size_limit(tmp_path):
    (doc,) = read(RSS, settings=IngestSettings(max_file_bytes=100))
    assert "larger than the limit" in doc.error


def test_folder_walk_picks_up_feeds(tmp_path):
    for name in ("feed.rss", "feed.atom", "feed-rdf.xml", "sitemap.xml"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    docs = read(tmp_path)
    sources = [d.source for d in docs]
    assert sources == (
        [f"{tmp_path / 'feed-rdf.xml'}#record 1"]
        + [f"{tmp_path / 'feed.atom'}#record {n}" for n in (1, 2, 3)]
        + [f"{tmp_path / 'feed.rss'}#record {n}" for n in (1, 2, 3, 4)]
        + [str(tmp_path / "sitemap.xml")]
    )
    assert sum(1 for d in docs if d.error) == 2  # the item without text and the sitemap


def test_repeated_guid_is_reported_as_a_duplicate(tmp_path):
    item = "<item><guid>same</guid><description>{}</description></item>"
    path = tmp_path / "dup.rss"
    path.write_text(
        "<rss><channel>" + item.format("Envoys met on Monday in Kabul.") + item.format("Envoys met again on Tuesday.")
        + "</channel></rss>",
        encoding="utf-8",
    )
    first, second = read(path)
    assert first.doc_id == "same" and first.error is None
    assert second.doc_id != "same" and "duplicate id 'same'" in second.error


def test_feed_through_the_cli_yields_coded_documents(tmp_path, nlp):
    from typer.testing import CliRunner

    from dyad.cli import app

    out = tmp_path / "files"
    result = CliRunner().invoke(app, ["run", str(RSS), "--db", str(tmp_path / "s.duckdb"), "--out", str(out), "-q"])
    assert result.exit_code == 3, result.output  # 3: some documents rejected (the item without text)
    assert "1 rejected" in result.output
    docs = {d["doc_id"]: d for d in map(json.loads, (out / "documents.jsonl").read_text(encoding="utf-8").splitlines())}
    assert docs["gazette-1001"]["error"] is None
    assert docs["gazette-1001"]["published"] == "2024-03-04"
    assert docs["gazette-1003"]["error"].startswith("feed item has no text")
    events = [json.loads(line) for line in (out / "events.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    assert events
    assert {e["doc_id"] for e in events} <= {d for d, doc in docs.items() if doc["error"] is None}
