"""The cleaner: each kind of page clutter goes, article sentences stay, metadata is kept."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dyad.ingest import clean_text, load_patterns

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def kinds(result):
    return [r.kind for r in result.removed]


def assert_spans_exact(raw, result):
    for span in result.removed:
        assert 0 <= span.start <= span.end <= len(raw)
        assert raw[span.start : span.end] == span.text


def paragraphs(result):
    return result.text.split("\n\n")


BODY = "Officials from both countries met on Sunday to discuss trade, a spokesman said."


def test_cluttered_fixture_keeps_every_sentence_and_drops_all_clutter():
    raw = (FIXTURES / "cluttered.txt").read_text(encoding="utf-8")
    result = clean_text(raw)
    assert_spans_exact(raw, result)
    assert paragraphs(result) == [
        "Officials from both sides agreed on Sunday to reopen a busy crossing after a week of closures, "
        "a provincial spokesman said.",
        "Traders had waited for days with trucks of fruit and fuel at the border.",
        "The agreement was reached at a meeting in the border town, officials said.",
        "Customs staff will work extra shifts this week...",
    ]
    assert result.meta == {
        "title": "Envoys from Kabul and Tehran agree to reopen crossing",
        "published": "2024-03-03",
        "author": "Laila Haidari",
        "dateline": "Herat",
        "publisher": "Border Gazette",
    }
    assert kinds(result) == [
        "title", "duplicate_title", "date", "byline", "dateline", "related_links", "related_headlines",
        "share_bar", "comment_prompt", "popular_list", "navigation", "source_line",
    ]


def test_read_more_block_takes_the_headlines_under_it_and_stops_at_a_sentence():
    raw = f"{BODY}\n\nRead more:\n\nTaliban name new envoy\n\nBorder post reopens\n\nThe talks will resume next week, he said.\n"
    result = clean_text(raw, detect_title=False)
    assert paragraphs(result) == [BODY, "The talks will resume next week, he said."]
    (span,) = result.removed
    assert span.kind == "related_links"
    assert span.text == "Read more:\n\nTaliban name new envoy\n\nBorder post reopens"


@pytest.mark.parametrize("line", ["Read more: Taliban name new envoy", "Also read: Border post reopens", "Related: Aid convoy arrives"])
def test_inline_related_link_line_is_removed(line):
    result = clean_text(f"{BODY}\n{line}\n", detect_title=False)
    assert result.text == BODY
    assert kinds(result) == ["related_links"]


def test_a_sentence_after_related_colon_stays():
    raw = f"{BODY}\nRelated: the two sides also discussed refugees.\n"
    assert clean_text(raw, detect_title=False).text.endswith("refugees.")


def test_teaser_headlines_ending_in_ellipsis_are_removed_but_a_lone_one_stays():
    teasers = "Floods hit the western provinces…\nCentral bank unveils new notes...\nCricket squad named for…"
    raw = f"{BODY}\n\nThe minister said more talks were planned...\n\n{teasers}\n"
    result = clean_text(raw, detect_title=False)
    assert paragraphs(result) == [BODY, "The minister said more talks were planned..."]
    assert [(r.kind, r.text) for r in result.removed] == [("related_headlines", teasers)]


@pytest.mark.parametrize(
    "lines, kind",
    [
        (["Click to comment", "Leave a Reply", "Your email address will not be published. Required fields are marked *"], "comment_prompt"),
        (["Share this article", "Facebook Twitter WhatsApp Email"], "share_bar"),
        (["Advertisement"], "advertisement"),
        (["To Top"], "navigation"),
        (["Most Popular"], "popular_list"),
        (["Tags: Iran, Taliban, border"], "tags"),
        (["© 2024 Border Gazette. All rights reserved."], "copyright"),
        (["Subscribe to our newsletter"], "subscribe_prompt"),
    ],
)
def test_furniture_lines_are_removed(lines, kind):
    raw = BODY + "\n\n" + "\n".join(lines) + "\n"
    result = clean_text(raw, detect_title=False)
    assert result.text == BODY
    assert kinds(result) == [kind]
    assert_spans_exact(raw, result)


def test_byline_gives_author_and_a_sentence_starting_with_by_stays():
    raw = f"By Laila Haidari\n\n{BODY}\n\nBy Monday, the talks had collapsed.\n"
    result = clean_text(raw)
    assert result.meta["author"] == "Laila Haidari"
    assert paragraphs(result) == [BODY, "By Monday, the talks had collapsed."]


def test_byline_with_date_gives_published():
    result = clean_text(f"By Reza Karimi | May 19, 2023\n\n{BODY}\n")
    assert result.meta["author"] == "Reza Karimi"
    assert result.meta["published"] == "2023-05-19"


def test_source_line_gives_publisher():
    result = clean_text(f"{BODY}\n\nSource » theborder-center\n", detect_title=False)
    assert result.text == BODY
    assert result.meta["publisher"] == "theborder-center"
    assert kinds(result) == ["source_line"]


def test_editorial_signature_at_the_end_gives_author():
    result = clean_text(f"{BODY}\n\nEditorial Team\n", detect_title=False)
    assert result.text == BODY
    assert result.meta["author"] == "Editorial Team"
    assert kinds(result) == ["signature"]


def test_title_detection():
    raw = "Ministers agree to reopen crossing\n\n" + BODY
    result = clean_text(raw)
    assert result.meta["title"] == "Ministers agree to reopen crossing"
    assert result.text == BODY  # the title is not repeated in the body
    assert result.removed[0].kind == "title"
    assert_spans_exact(raw, result)


@pytest.mark.parametrize(
    "first",
    [
        BODY,  # a sentence
        "The minister arrived in Kabul.",  # short, but ends like a sentence
        "It was announced on Sunday that the minister will",  # wrapped: next line continues in lower case
    ],
)
def test_a_first_line_that_is_not_a_title_stays_in_the_body(first):
    raw = first + "\nvisit the border next week, officials said.\n"
    result = clean_text(raw)
    assert "title" not in result.meta
    assert result.text.startswith(first)


def test_single_line_text_is_body_not_title():
    result = clean_text("Talks resume in Kabul")
    assert result.text == "Talks resume in Kabul"
    assert result.meta == {}


def test_known_title_is_removed_from_the_top_and_not_guessed():
    raw = f"Crossing reopens after talks\n{BODY}\n"
    result = clean_text(raw, title="Crossing reopens after talks")
    assert result.text == BODY
    assert "title" not in result.meta  # the caller already knows it


def test_duplicated_title_at_the_top():
    raw = f"Talks resume in Kabul\n\nTalks resume in Kabul\n\n{BODY}\n"
    result = clean_text(raw)
    assert kinds(result) == ["title", "duplicate_title"]
    assert result.text == BODY


@pytest.mark.parametrize(
    "line, iso",
    [("January 9, 2022", "2022-01-09"), ("Published: 09 Jan 2022 10:32 GMT", "2022-01-09"), ("2022-01-09", "2022-01-09"),
     ("Sunday, 9 January 2022", "2022-01-09")],
)
def test_date_line_at_the_top_is_the_publication_date(line, iso):
    raw = f"Talks resume in Kabul\n{line}\n\n{BODY}\n"
    result = clean_text(raw)
    assert result.meta["published"] == iso
    assert result.text == BODY
    assert "date" in kinds(result)


def test_ambiguous_numeric_date_is_not_guessed():
    result = clean_text(f"Talks resume in Kabul\n03/04/2022\n\n{BODY}\n")
    assert "published" not in result.meta


def test_dateline_prefix_is_cut_and_the_sentence_stays():
    raw = "PESHAWAR: The acting foreign minister met two opposition leaders in Tehran.\n"
    result = clean_text(raw, detect_title=False)
    assert result.text == "The acting foreign minister met two opposition leaders in Tehran."
    assert result.meta["dateline"] == "Peshawar"
    assert [(r.kind, r.text) for r in result.removed] == [("dateline", "PESHAWAR: ")]


def test_dateline_with_date_and_agency():
    result = clean_text("KABUL, Jan. 9, 2022 (AP) — The talks began on time.\n", detect_title=False)
    assert result.text == "The talks began on time."
    assert result.meta == {"dateline": "Kabul", "publisher": "AP", "published": "2022-01-09"}


def test_outlet_prefix_gives_publisher_and_keeps_the_sentence():
    raw = "Tabnak – Shortly after the talks, a delegation flew to the capital for more meetings.\n"
    result = clean_text(raw, detect_title=False)
    assert result.text == "Shortly after the talks, a delegation flew to the capital for more meetings."
    assert result.meta["publisher"] == "Tabnak"
    assert kinds(result) == ["outlet_prefix"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Iran – Taliban ties have improved this year, officials said.",  # a country, not an outlet
        "Amir Khan Muttaqi – Taliban foreign minister – said the talks went well.",  # an apposition
        "NATO: The alliance said it would not return.",  # a speaker label, not a dateline
    ],
)
def test_prefix_lookalikes_are_not_cut(sentence):
    result = clean_text(sentence + "\n", detect_title=False)
    assert result.text == sentence
    assert result.removed == []


def test_header_fields_of_a_saved_page():
    raw = f"Title: Talks resume\nURL: https://example.org/a\nDate: 2024-01-02\nSource: Border Gazette\n\n{BODY}\n"
    result = clean_text(raw)
    assert result.meta == {
        "title": "Talks resume", "url": "https://example.org/a", "published": "2024-01-02", "publisher": "Border Gazette",
    }
    assert result.text == BODY
    assert kinds(result) == ["header"]


def test_paragraphs_are_separated_by_blank_lines_and_wrapped_lines_are_joined():
    raw = (
        "The minister arrived in the capital on Sunday and was met at the airport by\n"
        "officials of the foreign ministry.\n"
        "Talks began the next morning.\n\n\n"
        "A joint statement followed.\n"
    )
    result = clean_text(raw, detect_title=False)
    assert paragraphs(result) == [
        "The minister arrived in the capital on Sunday and was met at the airport by officials of the foreign ministry.",
        "Talks began the next morning.",
        "A joint statement followed.",
    ]


def test_text_wrapped_at_a_fixed_width_is_rejoined():
    raw = (
        "The acting foreign minister arrived in the capital on Sunday for\n"
        "talks with his Iranian counterpart about trade, water and the\n"
        "Afghan refugees living in Iran, and he met two opposition leaders\n"
        "Ahmad Massoud and Ismail Khan during the same visit to Tehran.\n"
    )
    result = clean_text(raw, detect_title=False)
    assert result.text == " ".join(line for line in raw.splitlines())


def test_a_long_heading_is_not_glued_to_the_next_paragraph():
    heading = "Taliban diplomats take over the Afghan embassy in Tehran after months of talks"
    raw = f"{heading}\nIran handed over the embassy on Sunday, officials said.\n"
    result = clean_text(raw, title="A different headline from the metadata")
    assert paragraphs(result) == [heading, "Iran handed over the embassy on Sunday, officials said."]


def test_empty_and_clutter_only_texts():
    assert clean_text("").text == ""
    only_clutter = "Click to comment\nLeave a Reply\nMost Popular\nTo Top\n"
    result = clean_text(only_clutter)
    assert result.text == ""
    assert_spans_exact(only_clutter, result)


def test_user_patterns_extend_ours(tmp_path):
    (tmp_path / "boilerplate.yaml").write_text("lines:\n  promo:\n    - 'download our app( today)?!?'\n", encoding="utf-8")
    patterns = load_patterns((str(tmp_path),))
    raw = f"{BODY}\nDownload our app today!\nClick to comment\n"
    result = clean_text(raw, detect_title=False, patterns=patterns)
    assert result.text == BODY
    assert kinds(result) == ["promo", "comment_prompt"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list("abc XYZ.…:\n\t»–-*©\u00a0") + ["Read more:", "By Ann Lee", "To Top", "KABUL — "]), max_size=120))
def test_any_text_cleans_without_error_and_spans_are_exact(pieces):
    raw = "".join(pieces)
    result = clean_text(raw)
    assert_spans_exact(raw, result)
    assert "\n\n\n" not in result.text
    assert result.text == result.text.strip()
