"""Date mentions in parsed text and the dates events take from their sentences.

The sentences are the project's own, built to mirror constructions news uses:
a visit "on <month day>", "a <Mon. day> visit to X", "In <year>, when ...",
"in early <month>" inside a question clause, a cleft "it was last week that ...".
"""
from __future__ import annotations

import pytest

from dyad.extract import dates
from dyad.model import Document, Event, Evidence


def make(nlp, text, published=None):
    sdoc = nlp(text)
    doc = Document(doc_id="t", text=text, published=published)
    mentions = dates.find_dates(sdoc, doc)
    return sdoc, doc, mentions


def event_for(sdoc, trigger, occurrence=0):
    """An Event whose evidence is the sentence holding `trigger` (as the coder makes them)."""
    sents = [s for s in sdoc.sents if trigger in s.text]
    s = sents[occurrence]
    return Event(event_id="e", doc_id="t", event_type="CONSULT", actor=[], recipient=[],
                 evidence=Evidence(s.text, s.start_char, s.end_char), trigger=trigger)


def dated(nlp, text, published, *triggers):
    sdoc, doc, mentions = make(nlp, text, published)
    if not published:
        doc.published_inferred = dates.infer_document_date(doc, mentions)
    evs = [event_for(sdoc, t) for t in triggers]
    dates.attach_event_dates(evs, sdoc, doc, mentions)
    return {t: e.date for t, e in zip(triggers, evs)}


# --------------------------------------------------------------------- find_dates

def test_find_dates_offsets_and_resolution(nlp):
    text = ("A rebel delegation flew to Oslo on November 14 and met mediators. "
            "The envoy spoke during a Nov. 9 stop in Doha. Talks resumed on Friday.")
    _, doc, ms = make(nlp, text, "2020-11-20")
    got = {m.text: (m.resolved_start, m.granularity, m.kind) for m in ms}
    assert got["November 14"] == ("2020-11-14", "day", "exact")
    assert got["Nov. 9"] == ("2020-11-09", "day", "exact")  # no leading article
    assert got["Friday"] == ("2020-11-20", "day", "exact")  # the publication day itself
    for m in ms:
        assert text[m.start:m.end] == m.text and m.doc_id == "t"


def test_find_dates_keeps_modifiers_spacy_leaves_out(nlp):
    _, _, ms = make(nlp, "The minister visited Rome earlier in February and met officials.", "2021-02-25")
    m = next(m for m in ms if "February" in m.text)
    assert m.text == "earlier in February" and m.resolved_start == "2021-02-01" and m.granularity == "month"


def test_find_dates_without_publication_date(nlp):
    _, _, ms = make(nlp, "The dam opened in March 2021. The guards were freed last week.")
    got = {m.text: m.kind for m in ms}
    assert got["March 2021"] == "exact"
    assert got["last week"] == "unresolved"


def test_find_dates_reads_future_tense_forward(nlp):
    _, _, ms = make(nlp, "The two sides will meet again on Monday.", "2020-06-10")
    assert next(m for m in ms if m.text == "Monday").resolved_start == "2020-06-15"


def test_find_dates_on_text_without_dates(nlp):
    _, _, ms = make(nlp, "The spokesman refused to comment on the talks.", "2020-06-10")
    assert all(m.kind == "unresolved" for m in ms)


# --------------------------------------------------------------------- event dates

VISIT = ("A spokesman said a delegation of the rebels visited Paris on December 30 and held long talks "
         "with a senior French diplomat. It was only last week that the general confirmed that France has "
         "held talks with the rebels. The general made the remarks during a Dec. 27 visit to Rome to meet "
         "Italian officials. In 2011, when a missile killed the rebel commander near the border, there were "
         "reports that he had come from Syria. Asked about a clash between police and farmers in late "
         "October, the mayor said it was an accident. The two ministers signed the accord.")


@pytest.fixture(scope="module")
def visit_dates(nlp):
    return dated(nlp, VISIT, "2019-01-03", "visited", "held long", "visit to Rome", "killed", "clash", "signed")


def test_event_takes_date_attached_to_its_trigger(visit_dates):
    d = visit_dates["visited"]
    assert (d.text, d.start, d.end, d.granularity, d.kind) == ("December 30", "2018-12-30", None, "day", "exact")


def test_coordinated_verb_shares_the_date(visit_dates):
    assert visit_dates["held long"].start == "2018-12-30"


def test_nominal_visit_takes_its_premodifier_date(visit_dates):
    d = visit_dates["visit to Rome"]
    assert (d.text, d.start, d.granularity) == ("Dec. 27", "2018-12-27", "day")


def test_historical_mention_is_not_stamped_with_publication_date(visit_dates):
    d = visit_dates["killed"]
    assert (d.text, d.start, d.granularity, d.kind) == ("2011", "2011-01-01", "year", "exact")


def test_date_inside_a_question_clause(visit_dates):
    d = visit_dates["clash"]
    assert (d.start, d.granularity) == ("2018-10-01", "month")


def test_event_without_date_gets_publication_date_approximate(visit_dates):
    d = visit_dates["signed"]
    assert (d.text, d.start, d.end, d.granularity, d.kind) == (None, "2019-01-03", None, "day", "approximate")


def test_early_month_resolves_to_previous_year(nlp):
    d = dated(nlp, "Asked about a shootout between soldiers and smugglers in early December, the officer "
                   "said it was a misunderstanding.", "2022-01-21", "shootout")["shootout"]
    assert (d.text, d.start, d.granularity, d.kind) == ("early December", "2021-12-01", "month", "approximate")


def test_date_on_reporting_verb_only_bounds_the_report(nlp):
    d = dated(nlp, "On Monday the minister said that the army had shelled the village.", "2020-03-05",
              "shelled")["shelled"]
    assert d.start == "2020-03-02" and d.kind == "approximate"


def test_date_of_a_subordinate_clause_is_not_taken(nlp):
    d = dated(nlp, "The minister, who arrived on Monday, signed the accord.", "2020-03-05", "signed")["signed"]
    assert d.text is None and d.start == "2020-03-05" and d.kind == "approximate"


def test_range_mention_dates_the_event(nlp):
    d = dated(nlp, "Iran never recognised the movement's rule between 1996 and 2001.", "2021-09-01",
              "recognised")["recognised"]
    assert (d.start, d.end, d.granularity, d.kind) == ("1996-01-01", "2001-12-31", "year", "range")


def test_anaphoric_date_stays_unresolved(nlp):
    d = dated(nlp, "The guards were freed the day before.", "2020-03-05", "freed")["freed"]
    assert d.text == "the day before" and d.kind == "unresolved" and d.start is None


def test_vague_date_falls_back_to_document_date(nlp):
    d = dated(nlp, "In recent days the two sides exchanged prisoners.", "2020-03-05", "exchanged")["exchanged"]
    assert d.start == "2020-03-05" and d.kind == "approximate"


def test_undated_document_uses_inferred_range(nlp):
    d = dated(nlp, "The movement ruled the country between 1996 and 2001. The envoy met the elders.", None,
              "met")["met"]
    assert (d.start, d.end, d.granularity, d.kind) == ("2001-01-01", None, None, "range")  # open: not before


def test_undated_document_relative_date_unresolved(nlp):
    d = dated(nlp, "The envoy met the elders on Friday. The movement ruled between 1996 and 2001.", None,
              "met")["met"]
    assert d.text == "Friday" and d.kind == "unresolved"


def test_undated_document_without_any_date(nlp):
    d = dated(nlp, "The envoy met the elders.", None, "met")["met"]
    assert d.start is None and d.kind == "unresolved"


def test_trigger_offsets_when_the_coder_provides_them(nlp):
    text = "The envoy met the elders on Monday and met the press on Tuesday."
    sdoc, doc, ms = make(nlp, text, "2020-03-05")
    ev = event_for(sdoc, "met")
    ev.trigger_start = text.rindex("met")  # the second "met"
    ev.trigger_end = ev.trigger_start + 3
    dates.attach_event_dates([ev], sdoc, doc, ms)
    assert ev.date.start == "2020-03-03"


def test_empty_document(nlp, resources):
    from dyad.extract import places

    sdoc = nlp("")
    doc = Document(doc_id="t", text="")
    ms = dates.find_dates(sdoc, doc)
    assert ms == [] and dates.infer_document_date(doc, ms) is None
    dates.attach_event_dates([], sdoc, doc, ms)
    assert places.find_places(sdoc, doc, resources) == []


def test_holiday_weekdays_are_not_weekdays(nlp):
    _, _, ms = make(nlp, "Shops were closed on Good Friday.", "2020-04-15")
    assert not any(m.resolved_start == "2020-04-10" and m.text == "Friday" for m in ms)


def test_undated_document_closed_inferred_range(nlp):
    text = ("The ambassador was appointed in December 2022. The dam opened in March 2021, nearly two years "
            "ago. The envoy met the elders. Last year the guards were freed. In February the guards fled.")
    got = dated(nlp, text, None, "met", "freed", "fled")
    assert (got["met"].start, got["met"].end, got["met"].granularity, got["met"].kind) == (
        "2023-01-01", "2023-12-31", "year", "range")
    # "last year" reads the same against both ends of 2023; "In February" does not
    assert (got["freed"].text, got["freed"].start, got["freed"].granularity) == ("Last year", "2022-01-01", "year")
    assert (got["fled"].text, got["fled"].kind) == ("February", "unresolved")
