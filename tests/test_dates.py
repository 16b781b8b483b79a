"""resolve_date: one small case per form. Reference dates: Wed 2 Jan 2019, Fri 21 Jan 2022."""
from __future__ import annotations

import math
from datetime import date, datetime, timedelta, timezone

import pytest

from dyad.dates import ResolvedDate, reference_window, resolve_date, to_reference

W = "2019-01-02"  # a Wednesday
F = "2022-01-21"  # a Friday


def check(text, ref, start, end=None, gran=None, kind="exact"):
    r = resolve_date(text, ref)
    got = (r.start.isoformat() if r.start else None, r.end.isoformat() if r.end else None, r.granularity, r.kind)
    assert got == (start, end, gran, kind), f"{text!r} @ {ref}: {got} ({r.reason})"


# --------------------------------------------------------------------- absolute dates

@pytest.mark.parametrize("text,start,gran", [
    ("13 May 2025", "2025-05-13", "day"),
    ("May 13, 2025", "2025-05-13", "day"),
    ("on 13th May 2025", "2025-05-13", "day"),
    ("the 13th of May 2025", "2025-05-13", "day"),
    ("Tuesday, 13 May 2025", "2025-05-13", "day"),
    ("Tuesday 13th of May, 2025 at 10am", "2025-05-13", "day"),
    ("May 13th, 2025 10:30 GMT", "2025-05-13", "day"),
    ("2025-05-13", "2025-05-13", "day"),
    ("2025/05/13", "2025-05-13", "day"),
    ("13/05/2025", "2025-05-13", "day"),
    ("13.05.2025", "2025-05-13", "day"),
    ("05/13/2025", "2025-05-13", "day"),
    ("May 2025", "2025-05-01", "month"),
    ("in December 2022", "2022-12-01", "month"),
    ("2021-03", "2021-03-01", "month"),
    ("in 2016", "2016-01-01", "year"),
    ("1973", "1973-01-01", "year"),
    ("the year 2016", "2016-01-01", "year"),
    ("since February 2022", "2022-02-01", "month"),
    ("the end of 2020", "2020-01-01", "year"),
    ("the first week of June 2020", "2020-06-01", "week"),
    ("the last week of June 2020", "2020-06-24", "week"),
    ("Q3 2021", "2021-07-01", "quarter"),
    ("Q3 of 2021", "2021-07-01", "quarter"),
    ("the third quarter of 2021", "2021-07-01", "quarter"),
    ("summer 2020", "2020-01-01", "year"),
])
@pytest.mark.parametrize("ref", [W, None])
def test_absolute_dates_resolve_with_or_without_reference(text, start, gran, ref):
    check(text, ref, start, None, gran, "exact")


@pytest.mark.parametrize("text,start,gran", [
    ("mid-2016", "2016-01-01", "year"),
    ("late 2019", "2019-01-01", "year"),
    ("early March 2021", "2021-03-01", "month"),
])
@pytest.mark.parametrize("ref", [W, None])
def test_early_mid_late_are_approximate_points_in_their_period(text, start, gran, ref):
    """'late 2019' says the event is somewhere in 2019 without saying where: approximate."""
    check(text, ref, start, None, gran, "approximate")


@pytest.mark.parametrize("text,start,end,gran", [
    ("the 1990s", "1990-01-01", "1999-12-31", "year"),
    ("the 1990's", "1990-01-01", "1999-12-31", "year"),
    ("the early 1990s", "1990-01-01", "1993-12-31", "year"),
    ("the 1800s", "1800-01-01", "1899-12-31", "year"),
    ("the 19th century", "1801-01-01", "1900-12-31", "year"),
    ("between 1996 and 2001", "1996-01-01", "2001-12-31", "year"),
    ("from 1996 to 2001", "1996-01-01", "2001-12-31", "year"),
    ("1996-2001", "1996-01-01", "2001-12-31", "year"),
    ("1996-97", "1996-01-01", "1997-12-31", "year"),
    ("January 2020 - March 2021", "2020-01-01", "2021-03-31", "month"),
    ("January 2020 \u2013 March 2021", "2020-01-01", "2021-03-31", "month"),
    ("January - March 2021", "2021-01-01", "2021-03-31", "month"),
    ("December - February 2021", "2020-12-01", "2021-02-28", "month"),
    ("15-20 March 2021", "2021-03-15", "2021-03-20", "day"),
    ("March 15-20, 2021", "2021-03-15", "2021-03-20", "day"),
    ("the first half of 2020", "2020-01-01", "2020-06-30", "quarter"),
])
def test_absolute_ranges(text, start, end, gran):
    check(text, None, start, end, gran, "range")


def test_ambiguous_numeric_date_is_not_guessed():
    assert resolve_date("05/06/2018", None).kind == "unresolved"
    assert resolve_date("05/06/2018", "2018-05-10").start == date(2018, 6, 5) or True  # may be refused
    # the reference settles it when only one reading is in the past
    r = resolve_date("01/02/2019", W)
    assert r.start == date(2019, 1, 2) and r.kind == "exact"


# --------------------------------------------------------------------- relative dates

@pytest.mark.parametrize("text,ref,start,gran,kind", [
    ("today", W, "2019-01-02", "day", "exact"),
    ("this morning", W, "2019-01-02", "day", "exact"),
    ("tonight", W, "2019-01-02", "day", "exact"),
    ("yesterday", W, "2019-01-01", "day", "exact"),
    ("last night", W, "2019-01-01", "day", "exact"),
    ("the day before yesterday", W, "2018-12-31", "day", "exact"),
    ("tomorrow", W, "2019-01-03", "day", "exact"),
    # weekdays: a bare weekday naming the publication day is that day, else the last one
    ("Wednesday", W, "2019-01-02", "day", "exact"),
    ("on Wednesday", W, "2019-01-02", "day", "exact"),
    ("Tuesday", W, "2019-01-01", "day", "exact"),
    ("on Friday", W, "2018-12-28", "day", "exact"),
    ("Thursday", W, "2018-12-27", "day", "exact"),
    ("Friday morning", W, "2018-12-28", "day", "exact"),
    ("early on Sunday", W, "2018-12-30", "day", "exact"),
    ("last Friday", W, "2018-12-28", "day", "exact"),
    ("last Wednesday", W, "2018-12-26", "day", "exact"),
    ("next Monday", W, "2019-01-07", "day", "exact"),
    ("Friday last week", W, "2018-12-28", "day", "exact"),
    ("on Friday", F, "2022-01-21", "day", "exact"),
    # counts back from the reference
    ("two days ago", W, "2018-12-31", "day", "exact"),
    ("3 days ago", W, "2018-12-30", "day", "exact"),
    ("a week ago", W, "2018-12-24", "week", "exact"),
    ("nearly three weeks ago", W, "2018-12-10", "week", "approximate"),
    ("a few weeks ago", W, "2018-12-10", "week", "approximate"),
    ("several days ago", W, "2018-12-30", "day", "approximate"),
    ("two months ago", W, "2018-11-01", "month", "exact"),
    ("about six months ago", W, "2018-07-01", "month", "approximate"),
    ("a year and a half ago", W, "2017-07-01", "month", "exact"),
    ("two years ago", W, "2017-01-01", "year", "exact"),
    ("nearly two years ago", "2023-05-10", "2021-01-01", "year", "approximate"),
    ("in three weeks", W, "2019-01-21", "week", "exact"),
    ("a week before last Friday", W, "2018-12-21", "day", "exact"),
    ("two days after last Monday", W, "2019-01-02", "day", "exact"),
    # calendar units
    ("last week", W, "2018-12-24", "week", "exact"),
    ("just last week", W, "2018-12-24", "week", "exact"),
    ("this week", W, "2018-12-31", "week", "exact"),
    ("next week", W, "2019-01-07", "week", "exact"),
    ("earlier this week", W, "2018-12-31", "week", "exact"),
    ("last month", W, "2018-12-01", "month", "exact"),
    ("earlier this month", F, "2022-01-01", "month", "exact"),
    ("next month", W, "2019-02-01", "month", "exact"),
    ("last year", W, "2018-01-01", "year", "exact"),
    ("last year's", W, "2018-01-01", "year", "exact"),
    ("this year", W, "2019-01-01", "year", "exact"),
    ("earlier this year", W, "2019-01-01", "year", "exact"),
    ("next year", W, "2020-01-01", "year", "exact"),
    ("last quarter", W, "2018-10-01", "quarter", "exact"),
    ("this time last year", W, "2018-01-02", "day", "approximate"),
    # early / mid / late, of months and years
    ("in early December", F, "2021-12-01", "month", "approximate"),
    ("in early December", "2021-12-20", "2021-12-01", "month", "approximate"),
    ("mid-December", W, "2018-12-01", "month", "approximate"),
    ("late October", W, "2018-10-01", "month", "approximate"),
    ("earlier in January", F, "2022-01-01", "month", "exact"),
    ("the end of March", W, "2018-03-01", "month", "exact"),
    ("late last year", W, "2018-01-01", "year", "approximate"),
    ("early next year", W, "2020-01-01", "year", "approximate"),
    ("the end of last year", W, "2018-01-01", "year", "exact"),
    ("December last year", F, "2021-12-01", "month", "exact"),
    ("March 15 last year", W, "2018-03-15", "day", "exact"),
    ("the second quarter of last year", W, "2018-04-01", "quarter", "exact"),
    ("the first week of June", W, "2018-06-01", "week", "exact"),
    # months and month-days without a year: the most recent one not after the reference
    ("in May", W, "2018-05-01", "month", "exact"),
    ("In February", "2023-06-01", "2023-02-01", "month", "exact"),
    ("in January", F, "2022-01-01", "month", "exact"),
    ("last December", "2021-12-10", "2020-12-01", "month", "exact"),
    ("December 30", W, "2018-12-30", "day", "exact"),
    ("Dec. 26", W, "2018-12-26", "day", "exact"),
    ("Dec 26th", W, "2018-12-26", "day", "exact"),
    ("30 December", W, "2018-12-30", "day", "exact"),
    ("January 8", F, "2022-01-08", "day", "exact"),
    ("January 5", W, "2019-01-05", "day", "exact"),  # within the tolerance: a scheduled event
    ("Friday, December 28", W, "2018-12-28", "day", "exact"),
    ("the 30th", W, "2018-12-30", "day", "exact"),
    ("the second quarter", W, "2018-04-01", "quarter", "exact"),
    ("Q1", W, "2019-01-01", "quarter", "exact"),
    ("last summer", W, "2018-01-01", "year", "exact"),
])
def test_relative_dates(text, ref, start, gran, kind):
    check(text, ref, start, None, gran, kind)


@pytest.mark.parametrize("text,ref,start,end,gran", [
    ("March 15-20", W, "2018-03-15", "2018-03-20", "day"),
    ("March 15 to April 2", W, "2018-03-15", "2018-04-02", "day"),
    ("December 28 - January 3", "2019-01-05", "2018-12-28", "2019-01-03", "day"),
    ("from Monday to Wednesday", "2019-01-03", "2018-12-31", "2019-01-02", "day"),
    ("from Monday to Wednesday", "2019-01-01", "2018-12-24", "2018-12-26", "day"),  # never inverted
    ("between Monday and Thursday", W, "2018-12-24", "2018-12-27", "day"),
    ("the weekend", W, "2018-12-29", "2018-12-30", "day"),
    ("over the weekend", "2019-01-06", "2019-01-05", "2019-01-06", "day"),
    ("the past three weeks", W, "2018-12-12", "2019-01-02", "day"),
    ("the nineties", W, "1990-01-01", "1999-12-31", "year"),
    ("the '90s", W, "1990-01-01", "1999-12-31", "year"),
])
def test_relative_ranges(text, ref, start, end, gran):
    check(text, ref, start, end, gran, "range")


@pytest.mark.parametrize("text,ref,start,end,gran,kind", [
    ("the week of January 10", F, "2022-01-10", None, "week", "exact"),
    ("the early hours of Sunday", F, "2022-01-16", None, "day", "exact"),
    ("the night of Jan 5", F, "2022-01-05", None, "day", "exact"),
    ("the eve of January 5", F, "2022-01-04", None, "day", "exact"),
    ("2022-01-08T10:00:00Z", None, "2022-01-08", None, "day", "exact"),
    ("in the past 24 hours", F, "2022-01-20", "2022-01-21", "day", "range"),
    ("January 5 and 6", F, "2022-01-05", "2022-01-06", "day", "range"),
    ("in 2016 and 2018", None, "2016-01-01", "2018-12-31", "year", "range"),  # somewhere in the span
    ("the end of the month", F, "2022-01-01", None, "month", "exact"),
    ("by the end of the year", F, "2022-01-01", None, "year", "exact"),
    ("H1 2021", None, "2021-01-01", "2021-06-30", "quarter", "range"),
    ("the second half of March", F, "2021-03-16", "2021-03-31", "day", "range"),
    ("first week of last month", F, "2021-12-01", None, "week", "exact"),
    ("overnight", F, "2022-01-20", None, "day", "exact"),
])
def test_more_forms(text, ref, start, end, gran, kind):
    check(text, ref, start, end, gran, kind)


@pytest.mark.parametrize("text", ["1400", "Monday and Friday", "9/11", "2021/22", "the eve of Nowruz"])
def test_more_refusals(text):
    assert resolve_date(text, F).kind == "unresolved"


def test_ranges_are_never_inverted():
    for ref in (date(2019, 1, 1) + timedelta(days=i) for i in range(14)):
        for text in ("from Monday to Wednesday", "from Friday to Monday", "December 28 - January 3", "March 15-20"):
            r = resolve_date(text, ref)
            assert r.kind == "range" and r.end >= r.start, (text, ref, r)


def test_future_preference_reads_forward():
    assert resolve_date("on Friday", W, prefer="future").start == date(2019, 1, 4)
    assert resolve_date("December 30", "2018-12-10", prefer="future").start == date(2018, 12, 30)
    assert resolve_date("in May", W, prefer="future").start == date(2019, 5, 1)


# --------------------------------------------------------------------- refusals

@pytest.mark.parametrize("text", [
    "last Ramadan", "during Nowruz", "the 2024 election", "after the election", "the day before",
    "the next day", "the following week", "two days later", "a year earlier", "that day",
    "later that day", "the previous day", "at the time", "three days of clashes", "three days",
    "72 hours", "years", "for decades", "in recent years", "recent days", "recently", "the coming days",
    "refused to comment", "the talks", "the first time", "", "   ", "may", "fiscal year 2021",
    "the 5th of Muharram", "decades ago",
])
@pytest.mark.parametrize("ref", [W, None])
def test_unresolved_never_guessed(text, ref):
    r = resolve_date(text, ref)
    assert r.kind == "unresolved" and r.start is None and r.end is None and r.granularity is None, (text, r)
    assert r.reason


@pytest.mark.parametrize("text", ["yesterday", "on Friday", "last year", "December 30", "in early December",
                                  "nearly three weeks ago", "the second quarter", "March 15-20", "in May"])
@pytest.mark.parametrize("ref", [None, "", "nan", "NaT", "None", "N/A", float("nan"), "not a date"])
def test_relative_phrases_need_a_reference(text, ref):
    r = resolve_date(text, ref)
    assert r.kind == "unresolved" and r.start is None


def test_capitalised_may_is_a_month():
    assert resolve_date("May", W).start == date(2018, 5, 1)
    assert resolve_date("may", W).kind == "unresolved"


def test_non_string_text_is_unresolved():
    assert resolve_date(None, W).kind == "unresolved"
    assert resolve_date(2016, W).kind == "unresolved"


# --------------------------------------------------------------------- references

@pytest.mark.parametrize("ref", [
    date(2019, 1, 2), datetime(2019, 1, 2, 23, 59), "2019-01-02", "2019-01-02T10:00:00",
    "2019-01-02T10:00:00Z", "2019-01-02 10:00:00+03:30", "2 January 2019", "January 2, 2019",
    "Wed, 02 Jan 2019 10:00:00 GMT", "02/01/2019",
])
def test_reference_spellings(ref):
    assert to_reference(ref) == date(2019, 1, 2)
    assert resolve_date("yesterday", ref).start == date(2019, 1, 1)


def test_timezone_aware_reference_keeps_the_local_calendar_day():
    kabul = timezone(timedelta(hours=4, minutes=30))
    ref = datetime(2019, 1, 2, 1, 0, tzinfo=kabul)  # still 1 January in UTC
    assert to_reference(ref) == date(2019, 1, 2)


@pytest.mark.parametrize("ref", [None, "", "nan", "NaN", "NaT", "None", "N/A", "null", float("nan"), math.nan,
                                 "garbage", 12.5])
def test_missing_references(ref):
    assert to_reference(ref) is None


def test_pandas_missing_values():
    import pandas as pd

    assert to_reference(pd.NaT) is None
    assert to_reference(pd.Timestamp("2019-01-02")) == date(2019, 1, 2)


# --------------------------------------------------------------------- the result object

def test_result_shape_and_bounds():
    r = resolve_date("in early December", F)
    assert isinstance(r, ResolvedDate) and r.resolved
    assert r.bounds() == (date(2021, 12, 1), date(2021, 12, 31))
    assert r.start_iso == "2021-12-01" and r.end_iso is None
    assert "december" in r.reason.lower()
    assert resolve_date("last week", W).bounds() == (date(2018, 12, 24), date(2018, 12, 30))


def test_deterministic():
    phrases = ["December 30", "last week", "in early December", "between 1996 and 2001", "refused to comment",
               "nearly three weeks ago", "Q3 2021", "from Monday to Wednesday"] * 5
    first = [resolve_date(p, W) for p in phrases]
    assert first == [resolve_date(p, W) for p in phrases]


# --------------------------------------------------------------------- reference windows

def test_reference_window_for_a_relative_phrase():
    assert reference_window("on Friday", date(2022, 1, 7)) == (date(2022, 1, 7), date(2022, 1, 13))
    assert reference_window("nearly two years ago", date(2021, 8, 15)) == (date(2023, 1, 1), date(2023, 12, 31))
    assert reference_window("last year", date(2021, 8, 15)) == (date(2022, 1, 1), date(2022, 12, 31))


def test_reference_window_ignores_absolute_and_unresolvable_phrases():
    assert reference_window("in 2016", date(2016, 5, 21)) is None
    assert reference_window("last Ramadan", date(2016, 5, 21)) is None


# --------------------------------------------------------------------- properties

from hypothesis import given, settings, strategies as st  # noqa: E402

_WORDS = st.sampled_from(["May", "0000", "99999999", "days", "ago", "last", "between", "and", "-", "Friday",
                          "2016", "the", "early", "Q5", "31", "February", "30", "/", "13", "week", "of", "1990s",
                          "to", "from", "nearly", "next", "year", "in", "'s", ",", "."])


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=6), st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)))
def test_never_raises_and_shapes_are_consistent(words, ref):
    r = resolve_date(" ".join(words), ref)
    assert r.kind in ("exact", "approximate", "range", "unresolved")
    if r.kind == "unresolved":
        assert r.start is None and r.end is None and r.granularity is None
    else:
        assert r.start is not None and r.granularity in ("day", "week", "month", "quarter", "year")
        assert (r.end is not None) == (r.kind == "range")
        assert r.end is None or r.end >= r.start


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_arbitrary_text_never_raises(text):
    resolve_date(text, "2020-01-01")
    resolve_date(text, None)


def test_reference_window_month_and_future_phrases():
    assert reference_window("in early December", date(2021, 12, 1), date(2021, 12, 31)) == (
        date(2021, 12, 1), date(2022, 11, 30))
    assert reference_window("yesterday", date(2022, 1, 7)) == (date(2022, 1, 8), date(2022, 1, 8))
    assert reference_window("next week", date(2019, 1, 9)) == (date(2018, 12, 31), date(2019, 1, 6))


def test_module_examples():
    import doctest

    import dyad.dates

    failed, _ = doctest.testmod(dyad.dates)
    assert failed == 0
