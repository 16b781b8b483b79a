"""Relative-date cases of the kinds a peer suite checks, written by the team in its own words.

Reference: Wednesday 14 June 2023 unless a case says otherwise. Each case is what a careful
reader of a news story published that day would write down for the phrase.
"""
from __future__ import annotations

from datetime import date

import pytest

from dyad.dates import resolve_date, to_reference
from dyad.extract import dates
from dyad.model import Document

REF = "2023-06-14"  # a Wednesday

CASES = [
    # times of day
    ("this afternoon", REF, "2023-06-14", None, "day", "exact"),
    ("this evening", REF, "2023-06-14", None, "day", "exact"),
    ("last evening", REF, "2023-06-13", None, "day", "exact"),
    ("late last night", REF, "2023-06-13", None, "day", "exact"),
    ("overnight", REF, "2023-06-13", None, "day", "exact"),
    ("overnight Friday", REF, "2023-06-09", None, "day", "exact"),
    ("Saturday overnight", REF, "2023-06-10", None, "day", "exact"),
    ("at noon on Monday", REF, "2023-06-12", None, "day", "exact"),
    ("shortly after 9 p.m. on Tuesday", REF, "2023-06-13", None, "day", "exact"),
    # "back in", "as recently as": the day or month they introduce
    ("back in March", REF, "2023-03-01", None, "month", "exact"),
    ("back in 2019", REF, "2019-01-01", None, "year", "exact"),
    ("as recently as Monday", REF, "2023-06-12", None, "day", "exact"),
    ("as recently as last week", REF, "2023-06-05", None, "week", "exact"),
    # a day word with its weekday
    ("yesterday (Tuesday)", REF, "2023-06-13", None, "day", "exact"),
    ("yesterday, Tuesday", REF, "2023-06-13", None, "day", "exact"),
    ("today (Wednesday)", REF, "2023-06-14", None, "day", "exact"),
    # "previous year": counted from the story's date, and said to be approximate
    ("the previous year", REF, "2022-01-01", None, "year", "approximate"),
    ("previous month", REF, "2023-05-01", None, "month", "approximate"),
    # early / mid / late: a point somewhere in the period
    ("late May", REF, "2023-05-01", None, "month", "approximate"),
    ("mid-January", REF, "2023-01-01", None, "month", "approximate"),
    ("early 2021", REF, "2021-01-01", None, "year", "approximate"),
    ("late last year", REF, "2022-01-01", None, "year", "approximate"),
    ("the end of May", REF, "2023-05-01", None, "month", "exact"),
    # weeks of a month: the year follows the month
    ("the first week of June", REF, "2023-06-01", None, "week", "exact"),
    ("the first week of June", "2023-06-03", "2023-06-01", None, "week", "exact"),
    ("the last week of December", "2024-01-04", "2023-12-25", None, "week", "exact"),
    # weekday ranges: the end follows the start
    ("Thursday through Tuesday", REF, "2023-06-08", "2023-06-13", "day", "range"),
    ("from Monday to Wednesday", REF, "2023-06-12", "2023-06-14", "day", "range"),
]


@pytest.mark.parametrize("phrase,ref,start,end,gran,kind", CASES)
def test_relative_phrase(phrase, ref, start, end, gran, kind):
    r = resolve_date(phrase, ref)
    got = (r.start_iso, r.end_iso, r.granularity, r.kind)
    assert got == (start, end, gran, kind), r.reason


@pytest.mark.parametrize("phrase,start,end", [
    ("Thursday through Tuesday", "2023-06-15", "2023-06-20"),
    ("Monday through Thursday", "2023-06-19", "2023-06-22"),
])
def test_future_weekday_range_is_never_inverted(phrase, start, end):
    r = resolve_date(phrase, REF, prefer="future")
    assert (r.kind, r.start_iso, r.end_iso) == ("range", start, end)


@pytest.mark.parametrize("sentence,when", [
    ("Anyone arriving after 4am on Saturday must self-isolate for ten days, the ministry said.", "2023-06-17"),
    ("Travellers who land on Friday will have to quarantine at a hotel.", "2023-06-16"),
    ("Two men were arrested on Friday after a raid in Lagos, police said.", "2023-06-09"),
])
def test_a_forward_looking_clause_reads_the_weekday_ahead(nlp, sentence, when):
    """The date takes its tense from the clause it dates: a rule for people arriving after
    Saturday is about the coming Saturday; an arrest on Friday is the past Friday."""
    doc = Document(doc_id="t", text=sentence, published=REF)
    (m,) = [m for m in dates.find_dates(nlp(sentence), doc) if m.resolved_start]
    assert m.resolved_start == when


@pytest.mark.parametrize("value,local", [
    ("April 21, 2022. 10:11 pm CST", date(2022, 4, 21)),
    ("2022-04-21T22:11:00-06:00", date(2022, 4, 21)),
    ("Thu, 21 Apr 2022 22:11:00 -0600", date(2022, 4, 21)),
    ("2022-04-22T00:30:00+04:30", date(2022, 4, 22)),
])
def test_a_publication_time_keeps_its_local_calendar_date(value, local):
    """Late-evening stories are not moved to the next day by a conversion to UTC."""
    assert to_reference(value) == local
