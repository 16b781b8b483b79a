"""Inferring a date range for a document that has no publication date."""
from __future__ import annotations

from dyad.extract import dates
from dyad.model import DateMention, Document


def infer(nlp, text):
    doc = Document(doc_id="t", text=text)
    return dates.infer_document_date(doc, dates.find_dates(nlp(text), doc))


def test_nothing_to_go_on(nlp):
    assert infer(nlp, "The envoy met the elders and discussed trade.") is None
    assert infer(nlp, "The envoy met the elders last week.") is None


def test_not_older_than_latest_absolute_date(nlp):
    inf = infer(nlp, "The dam opened in March 2021. The ambassador was appointed in December 2022. "
                     "Trade grew in 1973.")
    assert (inf.start, inf.end, inf.granularity) == ("2022-12-01", None, "month")
    assert "December 2022" in inf.basis


def test_range_counts_from_its_last_year(nlp):
    inf = infer(nlp, "The movement ruled the country between 1996 and 2001, and trade grew last year.")
    assert (inf.start, inf.end, inf.granularity) == ("2001-01-01", None, "year")


def test_future_plans_do_not_date_the_text(nlp):
    inf = infer(nlp, "The pipeline opened in 2015. The new line will be finished in 2030. "
                     "Exports should double by 2035.")
    assert inf.start == "2015-01-01"


def test_relative_phrase_next_to_absolute_date_closes_the_range(nlp):
    inf = infer(nlp, "The ambassador was appointed in December 2022. The dam opened in March 2021, nearly "
                     "two years ago.")
    assert (inf.start, inf.end, inf.granularity) == ("2023-01-01", "2023-12-31", "year")
    assert "nearly two years ago" in inf.basis


def test_month_day_without_year_is_not_an_absolute_date(nlp):
    inf = infer(nlp, "It was the first visit since the movement took power on August 15.")
    assert inf is None


def test_mentions_built_by_hand():
    text = "Officials met in 2019. Nothing else."
    ms = [DateMention("t", "2019", 16, 20, "2019-01-01", None, "year", "exact")]
    inf = dates.infer_document_date(Document(doc_id="t", text=text), ms)
    assert inf.start == "2019-01-01" and inf.end is None and inf.basis


def test_possessive_relative_phrase_is_not_a_restatement(nlp):
    inf = infer(nlp, "In 2016, last year's winner of the race was disqualified.")
    assert (inf.start, inf.end) == ("2016-01-01", None)


def test_restatement_in_parentheses(nlp):
    inf = infer(nlp, "The deal was signed in March 2021 (nearly two years ago).")
    assert (inf.start, inf.end) == ("2023-01-01", "2023-12-31")
