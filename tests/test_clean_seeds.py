"""The cleaner on the five real scraped articles in ../shared/data/seeds (skipped when absent).

The expectations are general rules, not copies of the articles: every line that
reads as article prose survives, and nothing that reads as page furniture does.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from dyad.ingest import iter_documents

SEEDS = Path("/work/shared/data/seeds")
if not SEEDS.is_dir():
    SEEDS = Path(__file__).resolve().parents[2] / "shared" / "data" / "seeds"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/data/seeds is not available")

CLUTTER = re.compile(
    r"^(read more:?|click to comment|leave a reply|most popular|to top|source\s*».*|editorial team|"
    r"your email address will not be published.*)$|…$",
    re.IGNORECASE | re.MULTILINE,
)
SENTENCE_END = re.compile(r"[.?!][\"”’]?$")
PREFIX = re.compile(r"^[A-Z][\w]*(?: [A-Z]\w*){0,2}\s*(?::|–|—)\s+")


@pytest.fixture(scope="module")
def docs():
    return {Path(d.source).name[:3]: d for d in iter_documents([str(SEEDS)])}


def prose_lines(raw: str):
    """Lines of five words or more that end like a sentence (teasers end in "…")."""
    for line in raw.split("\n"):
        line = line.strip()
        if len(line.split()) >= 5 and SENTENCE_END.search(line) and not CLUTTER.search(line):
            yield PREFIX.sub("", line)


def test_all_seeds_read(docs):
    assert len(docs) == 5
    assert [d.error for d in docs.values()] == [None] * 5


def test_every_article_line_survives(docs):
    for key, doc in docs.items():
        missing = [line[:60] for line in prose_lines(doc.raw_text) if line not in doc.text]
        assert missing == [], key


def test_no_clutter_survives(docs):
    for key, doc in docs.items():
        assert CLUTTER.findall(doc.text) == [], key
        if doc.title:
            assert doc.title not in doc.text, key


def test_removed_spans_hold_no_article_sentences(docs):
    for doc in docs.values():
        for span in doc.removed:
            assert doc.raw_text[span.start : span.end] == span.text
            for line in span.text.split("\n"):
                if line.startswith("Your email address"):
                    continue
                assert not (len(line.split()) >= 12 and line.rstrip().endswith(".")), line


def test_metadata_from_clutter_is_kept(docs):
    assert docs["000"].publisher == "theportal-center"
    assert docs["002"].publisher == "Tabnak"
    assert docs["003"].title and docs["003"].title.startswith("Taliban leader meets")
    assert docs["004"].author == "Editorial Team"
    assert docs["004"].title and docs["004"].title.startswith("Fragile Iran-Taliban Ties")
