"""Real-shaped pages (tests/fixtures/pages, written for dyad): the article is kept whole, the
clutter is dropped, and every removal is in `removed` with its kind and span."""
from __future__ import annotations

import pytest

from dyad.ingest import clean_text, iter_documents
from pages import EXPECT, PAGES, measure


def read(name: str) -> list:
    return list(iter_documents([str(PAGES / name)]))


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_page_keeps_the_article_and_drops_the_clutter(name):
    docs = read(name)
    assert [d.error for d in docs] == [None] * len(docs)
    kept, leaked = measure(name, docs)
    assert kept == 1.0
    assert leaked == []


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_every_removal_has_a_kind_and_points_into_the_raw_text(name):
    sentences, clutter = EXPECT[name]
    docs = read(name)
    if clutter:
        assert any(d.removed for d in docs), "the document page would say 'Nothing was removed'"
    for doc in docs:
        for r in doc.removed:
            assert r.kind and doc.raw_text[r.start:r.end] == r.text
        for r in doc.removed:
            assert not any(s in r.text for s in sentences), (r.kind, r.text)


def test_html_removals_name_what_was_dropped():
    (doc,) = read("nav-cookie.html")
    kinds = {r.kind for r in doc.removed}
    assert {"cookie_notice", "share_bar", "footer", "title"} <= kinds
    assert any("cookies" in r.text for r in doc.removed if r.kind == "cookie_notice")


def test_bylines_are_metadata_not_sentences():
    (doc,) = read("inline-clutter.html")
    assert doc.author == "A. Writer"
    assert doc.text.startswith("Wheat prices at the central market")
    (doc,) = read("nav-cookie.html")
    assert doc.author == "Mira Tallis"


def test_drop_caps_are_joined():
    (doc,) = read("dropcap.html")
    assert doc.text.startswith("Turkish and Greek port officials")
    assert "Officials said the timetable" in doc.text


def test_thin_visible_body_gives_way_to_json_ld(tmp_path):
    page = (PAGES / "jsonld-body.html").read_text(encoding="utf-8")
    (doc,) = read("jsonld-body.html")
    assert doc.author == "Jonas Petrov" and doc.published == "2025-02-03"
    assert "Workers from the utility" not in doc.text  # the caption is not the article
    # the JSON-LD body is used even where trafilatura would not read it by itself
    from dyad.ingest.html import jsonld_body

    assert jsonld_body(page).split("\n")[1] == "About six thousand homes had been without electricity since Friday night."


def test_a_thousand_levels_deep_page_is_read():
    (doc,) = read("deep-1000.html")
    assert doc.error is None
    assert doc.text.count("\n\n") == 1  # both paragraphs, apart


# Lines the new patterns must leave alone: prose that mentions sharing, copyright, a voice,
# Cyrillic text, a "By ...:" that is not a byline.
SURVIVE = [
    "Share prices in Istanbul fell on Monday after the central bank raised rates.",
    "Facebook and Twitter removed the accounts, the ministry said.",
    "Copyright lawyers for the broadcaster said the footage had been used without permission.",
    "The union said it was the voice of the workers in the port.",
    "Independent journalism is under pressure in the region, a press freedom group said.",
    "Министр иностранных дел заявил, что переговоры продолжатся в понедельник.",
    "By Monday, the talks had collapsed.",
    "Related talks are expected in Doha next week, a diplomat said.",
    "A spokesman for Gazprom said deliveries would resume on Friday.",
]


@pytest.mark.parametrize("line", SURVIVE)
def test_prose_survives_the_clutter_patterns(line):
    text = "Officials from both sides met in the capital on Sunday.\n\n" + line + "\n\nThey will meet again."
    result = clean_text(text, detect_title=False)
    assert line in result.text, [(r.kind, r.text) for r in result.removed]
    assert result.removed == []


@pytest.mark.parametrize("line, kind", [
    ("Share Facebook Twitter WhatsApp Email Telegram Related Videos", "share_bar"),
    ("Copyright © 2024 The Daily Example. All rights reserved.", "copyright"),
    ("Daily Example – the voice of the valley", "slogan"),
    ("Trusted news from the capital since 1952", "slogan"),
    ("Сlіck hеrе tо wіn а frее рhоnе", "homoglyph_ad"),
])
def test_clutter_lines_are_removed_with_their_kind(line, kind):
    text = "Officials from both sides met in the capital on Sunday.\n\n" + line + "\n\nThey will meet again."
    result = clean_text(text, detect_title=False)
    assert line not in result.text
    assert [(r.kind, r.text) for r in result.removed] == [(kind, line)]
