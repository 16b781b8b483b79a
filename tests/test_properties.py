"""Property-based tests: arbitrary input never escapes as an exception, and what comes out keeps the contract.

Four stages are driven with generated input: the readers (bytes in files of
every extension), the cleaner (text with page clutter mixed in), date
resolution (phrases x reference dates in every spelling) and the event coder
(sentences from a small grammar of actors, verbs and objects, mixed with
arbitrary Unicode). Bad-input cases with a known reason live in
test_ingest_errors.py; here only the invariants are checked.

Hypothesis keeps no example database here (database=None), so running the
tests writes nothing into the repository.
"""
from __future__ import annotations

import json
import math
import os
import unicodedata
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from dyad.dates import resolve_date, to_reference
from dyad.ingest import IngestSettings, clean_text, iter_documents, make_document
from dyad.validate import DATE_KINDS, GRANULARITIES, validate_claim, validate_document, validate_event

# DYAD_PROPERTY_SCALE=20 runs twenty times as many examples (a deeper search, minutes not seconds).
SCALE = max(1, int(os.environ.get("DYAD_PROPERTY_SCALE", "1") or 1))
_QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large]
CHEAP = settings(max_examples=120 * SCALE, deadline=None, database=None, suppress_health_check=_QUIET)
FILES = settings(max_examples=60 * SCALE, deadline=None, database=None, suppress_health_check=_QUIET)
SPACY = settings(max_examples=35 * SCALE, deadline=None, database=None, suppress_health_check=_QUIET)

# --------------------------------------------------------------------------- shared strategies

# Text as crawlers save it: letters in many scripts, punctuation, odd spaces, controls, emoji.
unicode_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80
)
plain_words = st.text(st.sampled_from("abcdefghij KLMNOP qrstu,.;:!?'\"-–—…’“”()é ç ğ ş ö ü ا ب ت 中文"), max_size=60)

CLUTTER = [
    "Click to comment", "Leave a Reply", "Most Popular", "To Top", "Read more:", "Related:",
    "Read more: Taliban name new envoy", "Share this article", "Facebook Twitter WhatsApp",
    "Advertisement", "Subscribe to our newsletter", "© 2023 The Kabul Ledger. All rights reserved.",
    "Tags: Iran, Afghanistan", "By Staff Reporter", "Title: Talks in Kabul", "URL: https://example.com/a",
    "Published: 12 March 2021", "March 12, 2021", "Monday, 3 January 2022 10:45 GMT", "PESHAWAR:",
    "KABUL (Reuters) -", "Tabnak –", "Iran, Taliban hold talks…", "Border reopens after clash...",
    "Water dispute flares again …", "…", "...", "Comments (3)", "Next article »", "Home » World",
    "Loading...", "Iran’s envoy met Taliban officials in Kabul on Sunday.",
]
clutter_line = st.sampled_from(CLUTTER)
any_line = st.one_of(
    clutter_line,
    unicode_text.map(lambda s: s.replace("\n", " ")),
    plain_words,
    st.sampled_from(["", " ", "\t", "\u00a0", "\u200b", "\ufeff", "\r", "\x0c"]),
    st.builds(lambda a, b: a + b, clutter_line, st.sampled_from([" ", "  ", "\u3000", "\t"])),
    st.builds(lambda a, b: f"{a} {b}", clutter_line, plain_words),
)
article_like = st.lists(any_line, max_size=14).map("\n".join)


def visible(s: str) -> str:
    """The content that must survive cleaning: no whitespace, controls or invisible format characters."""
    return "".join(c for c in s if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf"))


# --------------------------------------------------------------------------- the cleaner


def check_clean(raw: str, result) -> None:
    last_end = 0
    for r in result.removed:
        assert isinstance(r.kind, str) and r.kind
        assert 0 <= r.start <= r.end <= len(raw)
        assert raw[r.start : r.end] == r.text
        assert r.text.strip(), "a removed span holds something"
        assert r.start >= last_end, "removed spans are ordered and do not overlap"
        last_end = r.end
    # Nothing lost, nothing invented: the visible characters of every line, minus
    # what the removed spans cover, appear in order as the cleaned text.
    covered = bytearray(len(raw))
    for r in result.removed:
        covered[r.start : r.end] = b"\x01" * (r.end - r.start)
    kept = "".join(c for i, c in enumerate(raw) if not covered[i])
    assert visible(result.text) == visible(kept)
    assert result.text == result.text.strip()
    assert all(isinstance(v, str) for v in result.meta.values())


@CHEAP
@given(article_like, st.one_of(st.none(), clutter_line, plain_words), st.booleans())
@example("Title: Talks\nURL: x\n\nKABUL (Reuters) - Iran met the Taliban.\nRead more:\nA…\nB…", None, True)
@example("Iran, Taliban hold talks…\nBorder reopens…\n\nThe end…", None, True)
@example("\u200b\nA\u2028B\n\x85", None, True)
def test_cleaner_keeps_or_reports_every_character(raw, title, detect_title):
    check_clean(raw, clean_text(raw, title=title, detect_title=detect_title))


@CHEAP
@given(st.text(max_size=300))
def test_cleaner_on_arbitrary_unicode(raw):
    check_clean(raw, clean_text(raw))


@CHEAP
@given(article_like, st.integers(min_value=20, max_value=400))
def test_make_document_spans_point_into_raw_text(raw, max_doc_chars):
    doc = make_document(raw, settings=IngestSettings(max_doc_chars=max_doc_chars))
    assert (doc.error is None) == bool(doc.text)
    assert doc.raw_text is None or isinstance(doc.raw_text, str)
    for r in doc.removed:
        assert 0 <= r.start <= r.end <= len(doc.raw_text)
        assert doc.raw_text[r.start : r.end] == r.text
    cut = [r for r in doc.removed if r.kind == "truncated"]
    if cut:  # the body handed to the cleaner fits the limit; the rest is one span to the end
        (cut,) = cut
        assert cut is doc.removed[-1] and cut.start <= max_doc_chars and cut.end == len(doc.raw_text)
    elif doc.raw_text is not None:
        assert len(doc.raw_text) <= max_doc_chars
    assert validate_document(doc.to_dict()) == []


# --------------------------------------------------------------------------- the readers

SINGLE_DOC = (".txt", ".md", ".html", ".htm", ".xhtml", ".text", ".markdown")
EXTENSIONS = SINGLE_DOC + (".json", ".jsonl", ".ndjson", ".csv")


def check_docs(docs, path: Path) -> None:
    assert len({d.doc_id for d in docs}) == len(docs), "doc ids are unique within a run"
    for d in docs:
        # every string can be written out (UTF-8 has no lone surrogates) and stored
        json.dumps(d.to_dict(), ensure_ascii=False).encode("utf-8")
        assert d.source and d.source.startswith(str(path))
        assert validate_document(d.to_dict()) == [], d
        if d.error:
            assert isinstance(d.error, str) and d.error.strip()
        else:
            assert d.text.strip()
        for r in d.removed:
            assert d.raw_text is not None
            assert 0 <= r.start <= r.end <= len(d.raw_text)
            assert d.raw_text[r.start : r.end] == r.text


def read_one(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    try:
        return path, list(iter_documents([str(path)]))
    finally:
        path.unlink()


text_bytes = st.one_of(
    st.binary(max_size=300),
    st.tuples(article_like, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])).map(
        lambda t: t[0].encode(t[1], errors="replace")
    ),
    st.tuples(st.binary(max_size=40), article_like).map(lambda t: t[0] + t[1].encode("utf-8", "surrogatepass")),
)


@FILES
@given(text_bytes, st.sampled_from(EXTENSIONS))
def test_every_file_gives_documents_never_an_exception(tmp_path, data, ext):
    path, docs = read_one(tmp_path, "input" + ext, data)
    assert docs, "every input is accounted for, at least by an error record"
    if ext in SINGLE_DOC:
        assert len(docs) == 1
    check_docs(docs, path)


# JSON escapes can spell what UTF-8 cannot: lone surrogates ("\\udc80"), NUL, other controls.
json_text = st.text(st.characters(), max_size=40)
record_value = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), unicode_text, article_like, json_text,
    st.builds(lambda a, b: a + b, article_like, json_text),
    st.lists(unicode_text, max_size=3), st.dictionaries(unicode_text, unicode_text, max_size=2),
)
record = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={"id": st.one_of(unicode_text, json_text, st.integers(), st.booleans(), st.none()),
                  "text": st.one_of(article_like, record_value), "html": st.one_of(article_like, record_value),
                  "title": record_value, "published": record_value, "url": record_value,
                  "publisher": record_value, "author": record_value},
    ),
    record_value,
)
jsonl_line = st.one_of(
    record.map(lambda r: json.dumps(r).encode()),
    st.binary(max_size=60).map(lambda b: b.replace(b"\n", b"")),
    unicode_text.map(lambda s: s.replace("\n", " ").encode("utf-8", "surrogatepass")),
)


@FILES
@given(st.lists(jsonl_line, max_size=8), st.booleans())
def test_jsonl_gives_one_document_per_non_blank_line(tmp_path, lines, crlf):
    data = (b"\r\n" if crlf else b"\n").join(lines)
    path, docs = read_one(tmp_path, "records.jsonl", data)
    expected = [n for n, line in enumerate(data.split(b"\n"), 1) if line.strip()]
    check_docs(docs, path)
    if not expected:  # an empty file is reported, not silently skipped
        (doc,) = docs
        assert doc.source == str(path) and "empty" in doc.error
        return
    assert [d.source.rsplit(":line ", 1)[1] for d in docs] == [str(n) for n in expected]


@FILES
@given(st.lists(record, max_size=6))
def test_json_list_gives_one_document_per_record(tmp_path, records):
    path, docs = read_one(tmp_path, "records.json", json.dumps(records).encode())
    assert len(docs) == max(1, len(records))
    check_docs(docs, path)


csv_cell = st.one_of(article_like, unicode_text, st.sampled_from(["", "\"", "a,b", "x\ny", "\r\n"]))


@FILES
@given(st.lists(st.tuples(csv_cell, csv_cell, csv_cell), max_size=6), st.sampled_from(["utf-8", "cp1252", "utf-8-sig"]))
def test_csv_rows_never_raise(tmp_path, rows, encoding):
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["id", "title", "text"])
    writer.writerows(rows)
    path, docs = read_one(tmp_path, "rows.csv", buf.getvalue().encode(encoding, errors="replace"))
    assert len(docs) <= len(rows) + 1
    check_docs(docs, path)


# --------------------------------------------------------------------------- date resolution

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December", "Jan.", "Sept", "may", "march"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "today", "yesterday",
        "tomorrow", "tonight", "last week", "next month", "this year", "last year"]
number = st.one_of(st.integers(-5, 40), st.integers(0, 3000), st.sampled_from([0, 29, 30, 31, 99, 9999, 10**12]))
date_atom = st.one_of(
    st.sampled_from(MONTHS + DAYS),
    st.builds("{} {}".format, st.sampled_from(MONTHS), number),
    st.builds("{} {}".format, number, st.sampled_from(MONTHS)),
    st.builds("{} {}, {}".format, st.sampled_from(MONTHS), number, number),
    st.builds("{}-{:02d}-{:02d}".format, st.integers(0, 10000), st.integers(0, 13), st.integers(0, 32)),
    st.builds("{}/{}/{}".format, number, number, number),
    st.builds("{} {} ago".format, number, st.sampled_from(["days", "weeks", "months", "years", "decades"])),
    st.builds("in {} {}".format, number, st.sampled_from(["days", "weeks", "months"])),
    st.builds("{} {}".format, st.sampled_from(["early", "mid", "late", "the end of", "the first half of"]),
              st.sampled_from(MONTHS + ["last year", "2021", "the 1990s"])),
    st.builds("Q{} {}".format, st.integers(0, 5), number),
    st.builds("the {}s".format, number),
    st.sampled_from(["last Ramadan", "the 2024 election", "the day before", "in recent years", "Nowruz",
                     "a week before last Friday", "two days later", "since 2001", "1996-97", "1980s and 1990s"]),
)
date_phrase = st.one_of(
    date_atom,
    st.builds("{} {} {} {}".format, st.sampled_from(["between", "from", "", "on", "in"]), date_atom,
              st.sampled_from(["and", "to", "-", "until", "through"]), date_atom),
    st.builds("{} {}".format, st.sampled_from(["on", "in", "by", "last", "next", "this", "since", "until"]), date_atom),
    unicode_text,
    st.builds(lambda a, b: a + b, date_atom, unicode_text),
)
tz = st.builds(lambda m: timezone(timedelta(minutes=m)), st.integers(-23 * 60 - 59, 23 * 60 + 59))
reference = st.one_of(
    st.none(),
    st.sampled_from(["", "nan", "NaN", "NaT", "None", "null", "N/A", "-", "unknown", " ", "2022-01-21",
                     "2022-01-21T23:30:00+05:00", "2022-01-21T23:30:00Z", "21 January 2022", "Jan 2022", "0000-00-00"]),
    st.just(float("nan")), st.floats(allow_nan=True), st.integers(),
    st.dates(),
    st.datetimes(timezones=st.one_of(st.none(), tz)),
    st.sampled_from([date.min, date.max, datetime.min, datetime.max.replace(tzinfo=timezone.utc)]),
    unicode_text, date_atom,
)


def check_resolved(r) -> None:
    assert r.kind in DATE_KINDS
    assert r.granularity is None or r.granularity in GRANULARITIES
    assert isinstance(r.reason, str) and r.reason
    if r.kind == "unresolved":
        assert r.start is None and r.end is None and not r.resolved
        return
    assert isinstance(r.start, date) and r.resolved
    assert r.granularity in GRANULARITIES
    if r.end is not None:
        assert r.kind == "range"
        assert r.start <= r.end
    first, last = r.bounds()
    assert first <= last


@CHEAP
@given(date_phrase, reference, st.sampled_from(["past", "future"]))
@example("on Friday", datetime(2022, 1, 21, 23, 30, tzinfo=timezone(timedelta(hours=-8))), "past")
@example("yesterday", date.min, "past")
@example("tomorrow", date.max, "future")
@example("next year", date(9999, 6, 1), "future")
@example("last week", date(1, 1, 3), "past")
@example("between 2021 and 1996", None, "past")
@example("10000000000 days ago", "2022-01-01", "past")
def test_resolve_date_never_raises_and_is_consistent(text, ref, prefer):
    check_resolved(resolve_date(text, ref, prefer=prefer))


@CHEAP
@given(st.one_of(reference, st.text(max_size=40)))
def test_to_reference_is_a_date_or_none(value):
    got = to_reference(value)
    assert got is None or (isinstance(got, date) and not isinstance(got, datetime))
    if isinstance(value, float) and math.isnan(value):
        assert got is None


@CHEAP
@given(st.one_of(st.none(), st.integers(), st.floats(), st.lists(st.integers(), max_size=2)), reference)
def test_resolve_date_of_a_non_string_is_unresolved(text, ref):
    assert resolve_date(text, ref).kind == "unresolved"


# --------------------------------------------------------------------------- the event coder

ACTORS = [
    "Iran", "the Taliban", "Pakistan", "Afghanistan's foreign minister", "Amir Khan Muttaqi",
    "Iranian Foreign Minister Hossein Amir-Abdollahian", "the United Nations", "Taliban fighters",
    "Iranian border guards", "protesters", "President Ebrahim Raisi", "the Afghan army", "Tehran", "Kabul",
    "officials in Islamabad", "the European Union", "China", "Russia's ambassador", "the UN refugee agency",
    "Zabihullah Mujahid", "He", "They", "Iran and Pakistan", "the Islamic Emirate", "NATO",
]
VERBS = [
    "met", "met with", "accused", "condemned", "attacked", "shelled", "threatened", "threatened to sanction",
    "did not meet", "will visit", "may attack", "signed an agreement with", "sent aid to", "criticized",
    "said it would withdraw from", "denied attacking", "visited", "called on", "urged", "rejected",
    "agreed to cooperate with", "expelled diplomats from", "imposed sanctions on", "demanded that",
    "praised", "clashed with", "deported refugees to", "held talks with", "protested against", "arrested",
]
WHEN = ["", " on Monday", " last week", " in March 2021", " two days ago", " on January 8", " yesterday",
        " between 1996 and 2001", " last Ramadan", " in early December", " on 15 August 2021", " next year"]
WHERE = ["", " in Kabul", " near the border", " in Tehran", " at the Islam Qala crossing", " in Zaranj"]
TAIL = ["", ", a spokesman said", ", officials said", " over water rights", " after a border clash",
        " about the 945 km border", ", killing 12 people", " and 3,000 refugees"]

sentence = st.builds(
    lambda a, v, o, w, p, t, end: f"{a} {v} {o}{w}{p}{t}{end}",
    st.sampled_from(ACTORS), st.sampled_from(VERBS), st.sampled_from(ACTORS), st.sampled_from(WHEN),
    st.sampled_from(WHERE), st.sampled_from(TAIL), st.sampled_from([".", ".", "!", "?", "", "…", ".\"", " ."]),
)
fragment = st.one_of(sentence, sentence, sentence, unicode_text, plain_words, clutter_line)
coder_text = st.lists(fragment, min_size=1, max_size=6).flatmap(
    lambda parts: st.lists(st.sampled_from([" ", "\n\n", "\n", "  ", " \u00a0"]), min_size=len(parts),
                           max_size=len(parts)).map(lambda seps: "".join(p + s for p, s in zip(parts, seps)))
)
published = st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)).map(str),
                      st.sampled_from([str(date.min), str(date.max)]))


def check_result(res, text: str) -> None:
    for e in res.events:
        problems = validate_event(e.to_dict(), text)
        assert problems == [], (problems, e)
    for c in res.claims:
        assert validate_claim(vars(c), text) == [], c
    for m in res.mentions:
        assert 0 <= m.start <= m.end <= len(text) and text[m.start : m.end] == m.text, m
    for m in res.dates:
        assert 0 <= m.start <= m.end <= len(text) and text[m.start : m.end] == m.text, m
        assert m.kind in DATE_KINDS
    for p in res.places:
        if p.start is not None:
            assert 0 <= p.start <= p.end <= len(text) and text[p.start : p.end] == p.text, p


@SPACY
@given(coder_text, published)
@example("Iran met the Taliban in Kabul on Monday.", "2022-01-10")
@example("Iran met the Taliban on Monday.", str(date.min))
@example("Iran met the Taliban tomorrow.", str(date.max))
def test_event_coder_output_validates(process, text, pub):
    assume(text.strip())
    check_result(process(text, published=pub), text)


@SPACY
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=200))
def test_event_coder_on_arbitrary_unicode(process, text):
    assume(text.strip())
    check_result(process(text), text)


# Two events told in one sentence with the same verb once shared an id, and the store kept only
# the first (the China-Russia meeting below was silently lost).
@SPACY
@given(st.lists(sentence, min_size=1, max_size=4).map(" ".join))
@example("Iran met Pakistan, and China met Russia.")
def test_event_ids_are_unique_within_a_document(process, text):
    ids = [e.event_id for e in process(text).events]
    assert len(set(ids)) == len(ids), "event ids are unique within a document"


# --------------------------------------------------------------------------- the whole run


corpus_record = st.fixed_dictionaries(
    {"text": st.one_of(coder_text, st.tuples(article_like, coder_text).map("\n\n".join))},
    optional={"id": st.text("abc", min_size=1, max_size=2), "published": published,
              "title": st.one_of(json_text, sentence)},
)


@settings(max_examples=8 * SCALE, deadline=None, database=None, suppress_health_check=_QUIET)
@given(st.lists(corpus_record, min_size=1, max_size=6))
def test_stored_and_fused_output_validates(nlp, tmp_path_factory, records):
    """Ingest, code, store, fuse (entities, clusters, contradictions) and export: the files keep the contract."""
    from dyad.export import write_jsonl
    from dyad.nlp import DEFAULT_MODEL
    from dyad.pipeline import run
    from dyad.store import open_store
    from dyad.validate import validate_dir

    work = tmp_path_factory.mktemp("run")
    (work / "in").mkdir()
    (work / "in" / "r.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    with open_store(str(work / "store.duckdb")) as store:
        summary = run([str(work / "in")], store, model=DEFAULT_MODEL)
        counts = write_jsonl(store, work / "out")
    assert summary.seen == len(records) == counts["documents"]
    assert validate_dir(work / "out") == {}
