"""The single-expression rules of the cascade, each `(phrase, reference, prefer) -> Period | None`.

A rule that needs the reference date and has none raises `NoReference`, which the
entry point turns into an `unresolved` result.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Optional

from dyad.dates import calendar as cal
from dyad.dates.lexicon import MONTHS as MONTHS_KEYS, WEEKDAYS as WEEKDAY_KEYS
from dyad.dates.lexicon import (
    DECADE_WORDS, MONTH, MONTH_NAMES, NUM, ORDINALS, UNIT, WEEKDAY, count, month_number, weekday_number,
)
from dyad.dates.text import strip_fillers

_WORD_RE = re.compile(r"[a-z]+")
GRAN_ORDER = {"day": 0, "week": 1, "month": 2, "quarter": 3, "year": 4}
TOLERANCE_DAYS = 7  # a month-day may name a date just after publication (scheduled events)


@dataclass(frozen=True)
class Period:
    """An internal period: first and last day, granularity, how sure."""

    start: date
    last: date
    gran: str
    reason: str
    approx: bool = False
    explicit: bool = True  # the phrase itself fixes the year (no reference needed)
    is_range: bool = False


class NoReference(Exception):
    """A relative phrase met a missing reference."""


# --------------------------------------------------------------------------- single expressions

_WEEK_OF_RE = re.compile(r"(?:the )?week of (?P<rest>.+)")
_PART_OF_DAY_RE = re.compile(r"(?:the )?(?:early |small |wee )?(?P<w>morning|afternoon|evening|night|eve|hours) of (?P<rest>.+)")


def single(s: str, ref: Optional[date], prefer: str) -> Optional[Period]:
    if IN_RE.match(s):  # "in three weeks": the "in" matters, read it before fillers go
        return _rule_in_future(s, ref, prefer)
    m = re.fullmatch(r"(?:on )?the (\d{1,2})", s)
    if m and 1 <= int(m.group(1)) <= 31:  # "on the 30th"
        return _rule_day_of_month(int(m.group(1)), _need(ref, "day of month"))
    s, hedged = strip_fillers(s)
    if not s:
        return None
    m = _WEEK_OF_RE.fullmatch(s)
    if m:  # "the week of January 10"
        p = single(m.group("rest"), ref, prefer)
        if p is None or p.gran != "day" or p.is_range:
            return None
        start = cal.week_start(p.start)
        return Period(start, start + timedelta(days=6), "week", f"week of {p.reason}", p.approx, p.explicit)
    m = _PART_OF_DAY_RE.fullmatch(s)
    if m:  # "the night of January 5", "the early hours of Sunday"; "the eve of" is the day before
        p = single(m.group("rest"), ref, prefer)
        if p is None or p.gran != "day" or p.is_range:
            return None
        if m.group("w") == "eve":
            d = p.start - timedelta(days=1)
            return Period(d, d, "day", f"eve of {p.reason}", p.approx, p.explicit)
        return p
    if _PART_RE.match(s):  # "the end of the year" means this year
        s = re.sub(r"\b(?:of )?the (year|month|week)$", r"of this \1", s)
    m = re.fullmatch(r"h(?P<h>[12]) ?(?P<y>\d{4})", s)
    if m:
        s = f"{'first' if m.group('h') == '1' else 'second'} half of {m.group('y')}"
    words = frozenset(_WORD_RE.findall(s))
    for rule, gate in _RULES:
        if not gate(s, words):
            continue
        p = rule(s, ref, prefer)
        if p is not None:
            if hedged and not p.approx:
                p = Period(p.start, p.last, p.gran, p.reason + " (hedged)", True, p.explicit, p.is_range)
            return p
    return None


def _need(ref: Optional[date], what: str) -> date:
    if ref is None:
        raise NoReference(what)
    return ref


def _day(d: date, reason: str, explicit: bool = True, approx: bool = False) -> Period:
    return Period(d, d, "day", reason, approx=approx, explicit=explicit)


def _month(y: int, m: int, reason: str, explicit: bool = True) -> Period:
    return Period(date(y, m, 1), cal.month_end(y, m), "month", reason, explicit=explicit)


def _year(y: int, reason: str, explicit: bool = True, approx: bool = False) -> Period:
    return Period(date(y, 1, 1), date(y, 12, 31), "year", reason, approx=approx, explicit=explicit)


def _plausible_year(y: int) -> bool:
    # a bare 13xx/14xx in Iranian or Afghan news is usually a Solar Hijri year: refuse it
    return 1500 <= y <= 2199


def _rule_numeric(s: str, ref: Optional[date], prefer: str) -> Optional[Period]:
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", s)
    if m:
        d = cal.safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return _day(d, "ISO date") if d else None
    m = re.fullmatch(r"(\d{4})-(\d{2})", s)
    if m and 1 <= int(m.group(2)) <= 12:
        return _month(int(m.group(1)), int(m.group(2)), "ISO year-month")
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})", s)
    if not m:
        return None
    a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if y < 100:
        y += 2000 if y < 70 else 1900
    dayfirst = cal.safe_date(y, b, a)
    monthfirst = cal.safe_date(y, a, b)
    if dayfirst and not monthfirst:
        return _day(dayfirst, "numeric date, day first")
    if monthfirst and not dayfirst:
        return _day(monthfirst, "numeric date, month first")
    if dayfirst and dayfirst == monthfirst:
        return _day(dayfirst, "numeric date")
    if dayfirst and monthfirst and ref is not None:
        ok = [d for d in (dayfirst, monthfirst) if d <= ref + timedelta(days=TOLERANCE_DAYS)]
        if len(ok) == 1:
            return _day(ok[0], "numeric date, order chosen by the reference date")
    return None  # ambiguous day/month order: refuse rather than guess


def _pick_year(month: int, day: int, ref: Optional[date], prefer: str, weekday: Optional[int]) -> Optional[date]:
    """Year for a month-day written without one: the latest not after ref (+ tolerance)."""
    ref = _need(ref, "month and day without a year")
    tol = timedelta(days=TOLERANCE_DAYS)
    cands = [d for y in (ref.year + 1, ref.year, ref.year - 1, ref.year - 2, ref.year - 3, ref.year - 4,
                         ref.year - 5, ref.year - 6) if (d := cal.safe_date(y, month, day))]
    if prefer == "future":
        pool = sorted(d for d in cands if d >= ref - tol)
    else:
        pool = sorted((d for d in cands if d <= ref + tol), reverse=True)
    if weekday is not None:
        matching = [d for d in pool[:2] if d.weekday() == weekday]  # only nearby years are plausible
        if matching:
            return matching[0]
    return pool[0] if pool else None


_DAY_DATE_RES = [re.compile(p) for p in (
    rf"^(?:(?P<wd>{WEEKDAY}) )?(?P<m>{MONTH}) (?P<d>\d{{1,2}})(?: (?P<y>\d{{4}}))?$",
    rf"^(?:(?P<wd>{WEEKDAY}) )?(?:the )?(?P<d>\d{{1,2}}) (?:of )?(?P<m>{MONTH})(?: (?P<y>\d{{4}}))?$",
)]


def _rule_day_date(s: str, ref: Optional[date], prefer: str) -> Optional[Period]:
    for pat in _DAY_DATE_RES:
        m = pat.match(s)
        if not m:
            continue
        month, day = month_number(m.group("m")), int(m.group("d"))
        wd = weekday_number(m.group("wd")) if m.group("wd") else None
        if m.group("y"):
            d = cal.safe_date(int(m.group("y")), month, day)
            return _day(d, "calendar date") if d else None
        d = _pick_year(month, day, ref, prefer, wd)
        return _day(d, "month and day, year from the reference date", explicit=False) if d else None
    return None


def _rule_day_of_month(day: int, ref: date) -> Optional[Period]:
    d = ref
    for _ in range(3):  # this month or the one before
        c = cal.safe_date(d.year, d.month, day)
        if c and c <= ref:
            return _day(c, "day of month, month from the reference date", explicit=False)
        d = cal.add_months(d, -1)
    return None


def _implicit_month_year(month: int, ref: Optional[date], prefer: str, mod: str = "") -> int:
    ref = _need(ref, "month without a year")
    if mod == "last":
        return ref.year if month < ref.month else ref.year - 1
    if mod in ("next", "coming"):
        return ref.year if month > ref.month else ref.year + 1
    if mod == "this" or month == ref.month:
        return ref.year
    if prefer == "future":
        return ref.year if month >= ref.month else ref.year + 1
    return ref.year if month < ref.month else ref.year - 1


_PART_RE = re.compile(
    r"^(?:the )?(?P<part>early|earlier|mid|middle|late|later|end|start|beginning|first half|second half|"
    r"(?P<wk>first|second|third|fourth|last|final) week|(?P<days>first|last|final) (?:few )?days)"
    r"(?: of| in)? (?P<rest>.+)$"
)


_MONTH_YEAR_RE = re.compile(rf"(?:(?P<mod>last|this|next|coming) )?(?P<m>{MONTH})(?: (?:of )?(?P<y>\d{{4}}))?")


def _rule_month(s: str, ref: Optional[date], prefer: str) -> Optional[Period]:
    part = ""
    m = _PART_RE.match(s)
    if m:
        part, rest = m.group("part"), m.group("rest")
    else:
        rest = s
    mm = _MONTH_YEAR_RE.fullmatch(rest)
    if not mm:
        return None
    month = month_number(mm.group("m"))
    if mm.group("y"):
        year, explicit = int(mm.group("y")), True
    else:
        year, explicit = _implicit_month_year(month, ref, prefer, mm.group("mod") or ""), False
    base = _month(year, month, f"{MONTH_NAMES[month]} {year}", explicit)
    return _apply_part(base, part, m) if part else base


# "late May" names a point inside May without saying which day: approximate. "The end of May",
# "earlier this month" are bounded by the period itself and stay exact at its granularity.
_APPROX_PARTS = frozenset({"early", "mid", "middle", "late"})


def _apply_part(base: Period, part: str, m: re.Match[str]) -> Period:
    """A part of a month or year: stays within it, so the granularity stays honest."""
    wk = m.group("wk")
    if wk and base.gran == "month":
        n = ORDINALS[wk]
        start = base.last - timedelta(days=6) if n == -1 else base.start + timedelta(days=7 * (n - 1))
        return Period(start, start + timedelta(days=6), "week", f"{wk} week of {base.reason}", explicit=base.explicit)
    if "half" in part:
        if base.gran == "year":
            first = "first" in part
            s, e = (date(base.start.year, 1, 1), date(base.start.year, 6, 30)) if first else (
                date(base.start.year, 7, 1), date(base.start.year, 12, 31))
            return Period(s, e, "quarter", f"{'first' if first else 'second'} half of {base.start.year}",
                      explicit=base.explicit, is_range=True)
        mid = base.start + timedelta(days=14)
        s, e = (base.start, mid) if "first" in part else (mid + timedelta(days=1), base.last)
        return Period(s, e, "day", f"{part} {base.reason}", explicit=base.explicit, is_range=True)
    # "late May", "early 2021": a point inside the period, so the kind says approximate
    return Period(base.start, base.last, base.gran, f"{part} {base.reason}", approx=part in _APPROX_PARTS,
                  explicit=base.explicit)


def _rule_year(s: str, ref: Optional[date], prefer: str) -> Optional[Period]:
    part, m = "", _PART_RE.match(s)
    rest = m.group("rest") if m else s
    if m:
        part = m.group("part")
    ym = re.fullmatch(r"(?:the )?(?:year )?(?P<y>\d{4})", rest)
    if not ym or not _plausible_year(int(ym.group("y"))):
        return None
    base = _year(int(ym.group("y")), ym.group("y"))
    if part and re.search(r"week", part):
        return None
    return _apply_part(base, part, m) if part else base


def _rule_season(s: str, ref: Optional[date], prefer: str) -> Optional[Period]:
    m = re.fullmatch(r"(?:(?P<mod>last|this|next|early|late) )?(?:the )?(?P<season>spring|summer|autumn|fall|winter)(?: (?:of )?(?P<y>\d{4}))?", s)
    if not m:
        return None
    season, mod = m.group("season"), m.group("mod")
    if m.group("y"):
        y = int(m.group("y"))
        return _year(y, f"{season} {y}", approx=season == "winter")  # winter may straddle two years
    ref = _need(ref, "season without a year")
    last_month = {"spring": 5, "summer": 8, "autumn": 11, "fall": 11, "winter": 2}[season]
    y = ref.year if ref.month > last_month else ref.year - 1
    if mod == "this":
        y = ref.year
    elif mod == "next":
        y = ref.year if ref.month < last_month - 2 else ref.year + 1
    return _year(y, f"{season} {y}", explicit=False, approx=season == "winter")


def _rule_quarter(s: str, ref: Optional[date], prefer: str) -> Optional[Period]:
    m = (re.fullmatch(r"q(?P<q>[1-4])(?: (?:of )?(?P<y>\d{4}))?", s)
         or re.fullmatch(r"(?P<y>\d{4}) q(?P<q>[1-4])", s)
         or re.fullmatch(r"(?:the )?(?P<o>first|second|third|fourth|1st|2nd|3rd|4th|last|final) (?:fiscal )?quarter(?: (?:of )?(?P<y>\d{4}))?", s))
    if not m:
        return None
    q = int(m.group("q")) if "q" in m.groupdict() and m.group("q") else ORDINALS[m.group("o")]
    if q == -1:
        q = 4
    if m.group("y"):
        y, explicit = int(m.group("y")), True
    else:
        ref = _need(ref, "quarter without a year")
        y, explicit = (ref.year if q <= cal.quarter_of(ref) else ref.year - 1), False
    a, b = cal.quarter_bounds(y, q)
    return Period(a, b, "quarter", f"Q{q} {y}", explicit=explicit)


def _rule_decade(s: str, ref: Optional[date], prefer: str) -> Optional[Period]:
    m = re.fullmatch(r"(?:(?P<part>early|mid|late) )?(?:the )?(?:(?P<y4>\d{3}0)'?s|'?(?P<y2>\d0)'?s|(?P<w>[a-z]+ies))", s)
    if m and (m.group("y4") or m.group("y2") or m.group("w") in DECADE_WORDS):
        if m.group("y4"):
            start, explicit = int(m.group("y4")), True
        else:
            two = int(m.group("y2")) if m.group("y2") else DECADE_WORDS[m.group("w")]
            ref = _need(ref, "two-digit decade")
            start = (ref.year // 100) * 100 + two
            if start > ref.year:
                start -= 100
            explicit = False
        length = 100 if start % 100 == 0 and start < 2000 else 10  # "the 1800s" is a century
        first, last = start, start + length - 1
        part = m.group("part")
        if part and length == 10:
            first, last = {"early": (start, start + 3), "mid": (start + 3, start + 6), "late": (start + 6, start + 9)}[part]
        return Period(date(first, 1, 1), date(last, 12, 31), "year", f"{part + ' ' if part else ''}{start}s",
                  approx=bool(part), explicit=explicit, is_range=True)
    m = re.fullmatch(r"(?:(?P<part>early|mid|late) )?(?:the )?(?P<n>\d{1,2})(?:st|nd|rd|th)? century", s)
    if m:
        n = int(m.group("n"))
        first, last = (n - 1) * 100 + 1, n * 100
        if m.group("part"):
            first, last = {"early": (first, first + 32), "mid": (first + 33, first + 65), "late": (first + 66, last)}[m.group("part")]
        return Period(date(first, 1, 1), date(last, 12, 31), "year", f"century {n}", explicit=True, is_range=True)
    return None


_DAYWORDS = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0, "earlier today": 0,
    "later today": 0, "today's": 0, "yesterday": -1, "last night": -1, "yesterday morning": -1,
    "yesterday afternoon": -1, "yesterday evening": -1, "late yesterday": -1, "early yesterday": -1,
    "overnight": -1, "last evening": -1, "late last night": -1, "yesterday night": -1,
    "day before yesterday": -2, "tomorrow": 1, "tomorrow morning": 1,
    "tomorrow evening": 1, "tomorrow night": 1, "day after tomorrow": 2,
}


_DAYWORD_WEEKDAY_RE = re.compile(rf"^(?P<d>[a-z ]+?) \(?(?P<wd>{WEEKDAY})\)?$")


def _rule_dayword(s: str, ref: Optional[date], prefer: str) -> Optional[Period]:
    m = _DAYWORD_WEEKDAY_RE.match(s)
    if m and m.group("d") in _DAYWORDS and m.group("d") != "overnight":  # "yesterday (Friday)": both say the day; the weekday wins a tie
        ref = _need(ref, s)
        d = ref + timedelta(days=_DAYWORDS[m.group("d")])
        wd = weekday_number(m.group("wd"))
        if d.weekday() == wd:
            return _day(d, s, explicit=False)
        shift = (wd - d.weekday() + 3) % 7 - 3  # the nearest such weekday (a publication-date time zone slip)
        return _day(d + timedelta(days=shift), f"{s} (the weekday named)", explicit=False, approx=True)
    if s in _DAYWORDS:
        ref = _need(ref, s)
        return _day(ref + timedelta(days=_DAYWORDS[s]), s, explicit=False)
    if s == "this time last year":
        ref = _need(ref, s)
        d = cal.safe_date(ref.year - 1, ref.month, ref.day) or date(ref.year - 1, ref.month, 28)
        return _day(d, s, explicit=False, approx=True)
    return None


_WEEKDAY_RE = re.compile(
    rf"^(?:(?:early|late|earlier|later|overnight) (?:on )?)?(?:(?P<mod>last|this|next|past|this past|this coming|coming) )?"
    rf"(?P<wd>{WEEKDAY})(?: (?:morning|afternoon|evening|night|midday|noon|overnight))?(?P<wk> (?:of )?(?:last|this|next) week)?$"
)


def _rule_weekday(s: str, ref: Optional[date], prefer: str) -> Optional[Period]:
    m = _WEEKDAY_RE.match(s)
    if not m:
        return None
    ref = _need(ref, "weekday")
    wd, mod = weekday_number(m.group("wd")), (m.group("mod") or "")
    if m.group("wk"):
        shift = {"last": -7, "this": 0, "next": 7}[m.group("wk").split()[-2]]
        return _day(cal.week_start(ref) + timedelta(days=shift + wd), f"{m.group('wd')}{m.group('wk')}", explicit=False)
    back = (ref.weekday() - wd) % 7  # days since the most recent such weekday (0 = today)
    if mod in ("last", "past", "this past"):
        d = ref - timedelta(days=back or 7)
    elif mod in ("next", "coming", "this coming"):
        d = ref + timedelta(days=(wd - ref.weekday()) % 7 or 7)
    elif mod == "this":
        d = cal.week_start(ref) + timedelta(days=wd)
    elif prefer == "future":
        d = ref + timedelta(days=(wd - ref.weekday()) % 7)
    else:
        d = ref - timedelta(days=back)  # a bare weekday naming the publication day is that day
    return _day(d, f"{(mod + ' ') if mod else ''}{m.group('wd')}", explicit=False)


def _rule_weekend(s: str, ref: Optional[date], prefer: str) -> Optional[Period]:
    m = re.fullmatch(r"(?:over )?(?:the )?(?:(?P<mod>last|this|next|past|this past|coming) )?weekend", s)
    if not m:
        return None
    ref = _need(ref, "weekend")
    mod = m.group("mod") or ""
    sat = cal.week_start(ref) + timedelta(days=5)
    if mod in ("next", "coming") or (mod == "this" and ref.weekday() < 5) or (not mod and prefer == "future" and ref.weekday() < 5):
        pass  # the coming weekend
    elif mod in ("last", "past", "this past") or ref.weekday() < 5:
        sat -= timedelta(days=7)
    if mod == "next" and ref.weekday() >= 5:
        sat += timedelta(days=7)
    return Period(sat, sat + timedelta(days=1), "day", "weekend", explicit=False, is_range=True)


_UNIT_DAYS = {"day": 1, "night": 1, "week": 7, "fortnight": 14}


def _shift(ref: date, n: float, unit: str) -> tuple[date, str]:
    """`ref` moved by n units (negative = back), and the granularity that suits the unit."""
    unit = unit.rstrip("s") if unit != "days" else "day"
    if unit in ("minute", "hour"):
        return ref, "day"
    if unit in _UNIT_DAYS:
        d = ref + timedelta(days=round(n * _UNIT_DAYS[unit]))
        return (d, "day") if unit in ("day", "night") else (cal.week_start(d), "week")
    if unit == "month" or (unit == "year" and n != int(n)):
        months = round(n * (12 if unit == "year" else 1))
        return cal.add_months(ref, months), "month"
    years = int(n) * (10 if unit == "decade" else 1)
    return date(ref.year + years, 1, 1), "year"


_AGO_RE = re.compile(rf"^(?P<n>{NUM})(?P<half> and a half)? (?P<unit>{UNIT})(?P<half2> and a half)? ago$")
IN_RE = re.compile(rf"^in (?P<n>{NUM}) (?P<unit>{UNIT})(?:'s?)?(?: time)?$")


def _rule_ago(s: str, ref: Optional[date], prefer: str) -> Optional[Period]:
    m = _AGO_RE.match(s)
    if not m:
        return None
    n, vague = count(m.group("n"))
    if m.group("half") or m.group("half2"):
        n += 0.5
    ref = _need(ref, "ago")
    d, gran = _shift(ref, -n, m.group("unit"))
    approx = vague or m.group("unit").startswith("decade")
    return Period(d, cal.period_end(d, gran), gran, f"{m.group('n')} {m.group('unit')} before the reference",
              approx=approx, explicit=False)


def _rule_in_future(s: str, ref: Optional[date], prefer: str) -> Optional[Period]:
    m = IN_RE.match(s)
    if not m:
        return None
    n, vague = count(m.group("n"))
    d, gran = _shift(_need(ref, "in N units"), n, m.group("unit"))
    return Period(d, cal.period_end(d, gran), gran, f"{m.group('n')} {m.group('unit')} after the reference",
              approx=vague, explicit=False)


_OFFSET_RE = re.compile(
    rf"^(?P<n>{NUM}) (?P<unit>{UNIT}) (?P<dir>before|after|prior to|earlier than|later than|from) (?P<anchor>.+)$")


def _rule_offset(s: str, ref: Optional[date], prefer: str) -> Optional[Period]:
    m = _OFFSET_RE.match(s)
    if not m:
        return None
    anchor = single(m.group("anchor"), ref, prefer)
    if anchor is None or anchor.is_range:
        return None
    n, vague = count(m.group("n"))
    sign = -1 if m.group("dir") in ("before", "prior to", "earlier than") else 1
    unit = m.group("unit").rstrip("s")
    if unit in _UNIT_DAYS:
        if anchor.gran != "day":
            return None
        d = anchor.start + timedelta(days=sign * round(n * _UNIT_DAYS[unit]))
        return Period(d, d, "day", f"{m.group('n')} {unit} {m.group('dir')} {anchor.reason}",
                  approx=vague or anchor.approx, explicit=anchor.explicit)
    d, gran = _shift(anchor.start, sign * n, unit)
    gran = max(gran, anchor.gran, key=lambda g: GRAN_ORDER[g])
    d = cal.add_months(d, 0) if gran == "month" else (date(d.year, 1, 1) if gran == "year" else d)
    return Period(d, cal.period_end(d, gran), gran, f"{m.group('n')} {unit} {m.group('dir')} {anchor.reason}",
              approx=vague or anchor.approx, explicit=anchor.explicit)


_REL_UNIT_RE = re.compile(
    r"^(?:(?P<part>earlier|later|early|late|mid|(?:the )?(?:end|start|beginning|middle) of) )?"
    r"(?P<mod>last|this|next|the last|the past|past|the coming|coming|current|the current|the previous|previous) "
    r"(?P<unit>week|month|year|quarter|decade)$"
)
_WINDOW_RE = re.compile(rf"^(?:the )?(?:past|last) (?:(?P<n>{NUM}) )?(?P<unit>hour|day|week|fortnight|month|year|decade)s?$")


def _rule_relative_unit(s: str, ref: Optional[date], prefer: str) -> Optional[Period]:
    m = _WINDOW_RE.match(s)
    if m and (m.group("n") or s.startswith(("the past", "past", "the last"))):
        ref = _need(ref, "window")
        n, vague = count(m.group("n")) if m.group("n") else (1.0, False)
        unit = m.group("unit")
        if unit == "hour":  # "the past 24 hours": the days those hours touch
            n, unit = max(1.0, -(-n // 24)), "day"
        if unit in _UNIT_DAYS:
            start = ref - timedelta(days=round(n * _UNIT_DAYS[unit]))
        else:
            months = round(n * {"month": 1, "year": 12, "decade": 120}[unit])
            start = cal.safe_date(cal.add_months(ref, -months).year, cal.add_months(ref, -months).month, min(ref.day, 28)) or ref
        return Period(start, ref, "day", f"window of {s} up to the reference", approx=vague, explicit=False, is_range=True)
    m = _REL_UNIT_RE.match(s)
    if not m:
        return None
    ref = _need(ref, s)
    mod, unit, part = m.group("mod").replace("the ", ""), m.group("unit"), m.group("part") or ""
    k = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}[mod]
    if unit == "week":
        start = cal.week_start(ref) + timedelta(days=7 * k)
        p = Period(start, start + timedelta(days=6), "week", f"{mod} week", explicit=False)
    elif unit == "month":
        start = cal.add_months(ref, k)
        p = Period(start, cal.period_end(start, "month"), "month", f"{mod} month", explicit=False)
    elif unit == "quarter":
        idx = ref.year * 4 + cal.quarter_of(ref) - 1 + k
        a, b = cal.quarter_bounds(idx // 4, idx % 4 + 1)
        p = Period(a, b, "quarter", f"{mod} quarter", explicit=False)
    elif unit == "decade":
        y = (ref.year // 10) * 10 + 10 * k
        p = Period(date(y, 1, 1), date(y + 9, 12, 31), "year", f"{mod} decade", explicit=False, is_range=True)
    else:
        p = _year(ref.year + k, f"{mod} year ({ref.year + k})", explicit=False)
    if mod == "previous":  # written from another time frame; the publication date is only a guess of it
        p = Period(p.start, p.last, p.gran, f"previous {unit}, counted from the publication date", approx=True,
                   explicit=False, is_range=p.is_range)
    if part:
        p = Period(p.start, p.last, p.gran, f"{part} {p.reason}", approx=p.approx or part in _APPROX_PARTS, explicit=False,
                   is_range=p.is_range)
    return p


_OF_REL_RE = re.compile(r"^(?P<head>.+?) (?:of )?(?P<mod>last|this|next|coming|the current|current) (?P<unit>year|month|week)$")


def _rule_of_relative(s: str, ref: Optional[date], prefer: str) -> Optional[Period]:
    """"late last year", "December last year", "the second quarter of this year": rewrite
    the relative year or month as an explicit one and read the phrase again."""
    m = _OF_REL_RE.match(s)
    if not m or m.group("unit") == "week":
        return None
    ref = _need(ref, s)
    k = {"last": -1, "this": 0, "current": 0, "the current": 0, "next": 1, "coming": 1}[m.group("mod")]
    head = m.group("head")
    if m.group("unit") == "year":
        rewritten = f"{head} {ref.year + k}"
    else:
        mo = cal.add_months(ref, k)
        rewritten = f"{head} {MONTH_NAMES[mo.month]} {mo.year}"
        if re.fullmatch(r"(?:the )?\d{1,2}", head):
            rewritten = f"{head.replace('the ', '')} {MONTH_NAMES[mo.month]} {mo.year}"
    p = single(rewritten, ref, prefer)
    if p is None:
        return None
    return Period(p.start, p.last, p.gran, f"{s} -> {p.reason}", p.approx, False, p.is_range)


_MONTH_WORDS = frozenset(w for w in MONTHS_KEYS)
_WEEKDAY_WORDS = frozenset(WEEKDAY_KEYS)


def _has_digit(s: str, words: frozenset[str]) -> bool:
    return any(c.isdigit() for c in s)


def _has_month(s: str, words: frozenset[str]) -> bool:
    return not words.isdisjoint(_MONTH_WORDS)


def _always(s: str, words: frozenset[str]) -> bool:
    return True


# (rule, cheap gate): the gate skips rules that cannot match, which keeps the cascade fast
_RULES = (
    (_rule_numeric, _has_digit),
    (_rule_day_date, _has_month),
    (_rule_month, _has_month),
    (_rule_year, _has_digit),
    (_rule_quarter, lambda s, w: "quarter" in w or s.startswith("q") or " q" in s),
    (_rule_decade, lambda s, w: "century" in w or ("s" in s and (_has_digit(s, w) or any(x.endswith("ies") for x in w)))),
    (_rule_season, lambda s, w: not w.isdisjoint({"spring", "summer", "autumn", "fall", "winter"})),
    (_rule_dayword, lambda s, w: s in _DAYWORDS or s == "this time last year" or _DAYWORD_WEEKDAY_RE.match(s) is not None),
    (_rule_weekday, lambda s, w: not w.isdisjoint(_WEEKDAY_WORDS)),
    (_rule_weekend, lambda s, w: "weekend" in w),
    (_rule_ago, lambda s, w: "ago" in w),
    (_rule_in_future, lambda s, w: s.startswith("in ")),
    (_rule_offset, lambda s, w: not w.isdisjoint({"before", "after", "prior", "earlier", "later", "from"})),
    (_rule_relative_unit, _always),
    (_rule_of_relative, _always),
)


# --------------------------------------------------------------------------- last resort

_DATE_WORD_RE = re.compile(
    rf"^(?:{MONTH}|{WEEKDAY}|\d{{1,4}}|of|the|on|at|[ap]\.?m\.?|gmt|utc|[/.,:-])$")


def dateparser_fallback(s: str, ref: Optional[date], prefer: str) -> Optional[Period]:
    """dateparser, only for strings made entirely of date words and numbers."""
    tokens = re.findall(r"[a-z]+\.?|\d+|[/.,:-]", s)
    if not tokens or not all(_DATE_WORD_RE.match(t) for t in tokens):
        return None
    if not re.search(rf"\b{MONTH}", s):
        return None  # numbers alone: the numeric rule has already said all it can
    has_year = bool(re.search(r"\b\d{4}\b", s))
    if ref is None and not has_year:
        raise NoReference("date without a year")
    from dateparser.date import DateDataParser

    settings = {"PREFER_DATES_FROM": "future" if prefer == "future" else "past", "DATE_ORDER": "DMY",
                "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
    if ref is not None:
        settings["RELATIVE_BASE"] = datetime(ref.year, ref.month, ref.day)
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(s)
    if data is None or data.date_obj is None:
        return None
    d = data.date_obj.date()
    gran = {"day": "day", "time": "day", "week": "week", "month": "month", "year": "year"}.get(data.period or "day", "day")
    if gran == "month":
        d = d.replace(day=1)
    elif gran == "year":
        d = date(d.year, 1, 1)
    return Period(d, cal.period_end(d, gran), gran, "dateparser", explicit=has_year)
