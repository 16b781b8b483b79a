"""`resolve_date`: one date phrase + a reference date -> a date with honest precision.

The cascade, in order (the first rule that claims the phrase wins):

1. refusals: phrases that need world knowledge ("last Ramadan"), that count from
   another event ("the day before", "two days later"), durations ("three days of
   clashes") and vague spans ("in recent years") are `unresolved`, never guessed;
2. ranges ("March 15-20", "from Monday to Wednesday", "between 1996 and 2001");
3. single expressions: numeric and written calendar dates, months, years, quarters,
   decades, parts of them ("early December", "late last year"), relative days,
   weekdays, "N weeks ago", "a week before last Friday";
4. dateparser, only for strings made of date words and numbers.

News is written in the past tense, so a phrase that does not say which year or week
it means is read as the most recent one not after the reference (`prefer="past"`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Optional

from dyad.dates import calendar as cal
from dyad.dates.lexicon import MONTH
from dyad.dates.reference import to_reference
from dyad.dates.rules import GRAN_ORDER, IN_RE, NoReference, Period, dateparser_fallback, single
from dyad.dates.text import normalize, refuse, strip_fillers


@dataclass(frozen=True)
class ResolvedDate:
    start: Optional[date]
    end: Optional[date]  # only for a genuine range (kind == "range")
    granularity: Optional[str]  # day | week | month | quarter | year | None
    kind: str  # exact | approximate | range | unresolved
    reason: str

    @property
    def resolved(self) -> bool:
        return self.kind != "unresolved" and self.start is not None

    def bounds(self) -> Optional[tuple[date, date]]:
        """First and last day the phrase covers (a month covers all its days)."""
        if self.start is None:
            return None
        return self.start, self.end or cal.period_end(self.start, self.granularity)

    @property
    def start_iso(self) -> Optional[str]:
        return self.start.isoformat() if self.start else None

    @property
    def end_iso(self) -> Optional[str]:
        return self.end.isoformat() if self.end else None


def unresolved(reason: str) -> ResolvedDate:
    return ResolvedDate(None, None, None, "unresolved", reason)


# --------------------------------------------------------------------------- entry point

def resolve_date(text: Any, reference: Any = None, *, prefer: str = "past") -> ResolvedDate:
    """Resolve a date phrase against a reference (publication) date.

    `reference` may be a date, datetime, ISO or written date string, or missing in any
    spelling (None, "", "nan", "NaT", NaN...). Without one, relative phrases are
    unresolved and absolute ones still resolve. `prefer="future"` reads an
    under-specified phrase ("on Friday", "December 30") as the next occurrence.
    """
    if not isinstance(text, str) or not text.strip():
        return unresolved("empty")
    ref = to_reference(reference)
    raw = text.strip()
    s = normalize(raw)
    refusal = None if IN_RE.match(s) else refuse(s)  # "in three weeks" is a date, not a duration
    if refusal:
        return unresolved(refusal)
    if re.fullmatch(r"(?:may|march)", strip_fillers(s)[0]) and not re.search(r"\b(?:May|March|MAY|MARCH)\b", raw):
        return unresolved("not a date: lower-case 'may'/'march'")
    try:
        p = _range(s, ref, prefer)
        if p is None:
            p = single(s, ref, prefer)
        if p is None:
            p = dateparser_fallback(s, ref, prefer)
    except NoReference as exc:
        return unresolved(f"relative phrase without reference date ({exc})")
    except (ValueError, OverflowError):  # "May 0000", "99999999 days ago"
        return unresolved("outside the calendar")
    if p is None:
        return unresolved("not a recognised date expression")
    if p.last < p.start:
        return unresolved("inverted range")
    if p.is_range:
        return ResolvedDate(p.start, p.last, p.gran, "range", p.reason)
    return ResolvedDate(p.start, None, p.gran, "approximate" if p.approx else "exact", p.reason)


# --------------------------------------------------------------------------- ranges

_RANGE_RES = [re.compile(p) for p in (
    r"^(?:between) (?P<a>.+?) (?:and|to|-) (?P<b>.+)$",
    r"^(?:from) (?P<a>.+?) (?:to|until|till|through|thru|-) (?P<b>.+)$",
    r"^(?P<a>.+?)(?: (?:to|until|till|through|thru) | ?- ?)(?P<b>.+)$",
    r"^(?P<a>.+?) and (?P<b>.+)$",  # "January 5 and 6", "the 1980s and 1990s"
)]
_DAY_ONLY = re.compile(r"^\d{1,2}$")
_MONTH_DAY = re.compile(rf"^(?P<m>{MONTH}) (?P<d>\d{{1,2}})(?P<y> \d{{4}})?$")
_DAY_MONTH = re.compile(rf"^(?P<d>\d{{1,2}}) (?P<m>{MONTH})(?P<y> \d{{4}})?$")
_YEAR_AT_END = re.compile(r" (\d{4})$")


def _range(s: str, ref: Optional[date], prefer: str) -> Optional[Period]:
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}-\d{1,2}-\d{2,4}|\d{4}-(?:0[1-9]|1[0-2])", s):
        return None  # ISO and dashed numeric dates are single dates
    for pat in _RANGE_RES:
        m = pat.match(s)
        if m:
            b = strip_fillers(m.group("b"))[0]
            got = _range_parts(strip_fillers(m.group("a"))[0], b, ref, prefer)
            if got and pat is _RANGE_RES[-1] and not (got.explicit or _DAY_ONLY.match(b)):
                return None  # "Monday and Friday" are two days, not the days between them
            if got and pat is _RANGE_RES[-1] and not _DAY_ONLY.match(b):
                # "in 2016 and 2018": the event is somewhere in the span both dates cover
                return Period(got.start, got.last, got.gran, f"covering two dates: {got.reason}", got.approx,
                          got.explicit, True)
            if got:
                return got
    return None


def _range_parts(a: str, b: str, ref: Optional[date], prefer: str) -> Optional[Period]:
    # Complete a half written only once: "March 15-20", "15-20 March 2021", "1996-97".
    if (yb := re.fullmatch(r"(\d{1,2}) (\d{4})", b)) and _MONTH_DAY.match(a):
        a, b = f"{a} {yb.group(2)}", f"{a.split()[0]} {yb.group(1)} {yb.group(2)}"  # "March 15-20, 2021"
    elif _DAY_ONLY.match(b) and (m := _MONTH_DAY.match(a)):
        b = f"{m.group('m')} {b}{m.group('y') or ''}"
    elif _DAY_ONLY.match(a) and (m := _DAY_MONTH.match(b) or _MONTH_DAY.match(b)):
        a = f"{m.group('m')} {a}{m.group('y') or ''}"
    elif re.fullmatch(r"\d{4}", a) and re.fullmatch(r"\d{2}", b):
        b = a[:2] + b
    if not _YEAR_AT_END.search(a) and (y := _YEAR_AT_END.search(b)) and re.match(rf"^(?:{MONTH})", a) and not re.search(r"\d{4}", a):
        a = f"{a} {y.group(1)}"  # "January - March 2021"
    pa = single(a, ref, prefer)
    pb = single(b, ref, prefer)
    if pa is None or pb is None:
        return None
    if pb.last < pa.start and not pa.explicit:
        pa = single(a, pb.start, prefer)  # read the start as the latest one before the end
        if pa is None:
            return None
    if pb.last < pa.start and not pb.explicit:  # "Thursday through Tuesday" read forward: the end follows the start
        pb = single(b, pa.start, "future") or pb
    if pa.start > pb.start and pa.explicit and _YEAR_AT_END.search(a) and not re.search(r"\d{4}", a[:-5]):
        # year copied from the end half: "December - February 2021" starts the year before
        a2 = f"{a[:-5]} {int(a[-4:]) - 1}"
        pa = single(a2, ref, prefer) or pa
    if pb.last < pa.start:
        return None  # never return an inverted range
    gran = max(pa.gran, pb.gran, key=lambda g: GRAN_ORDER[g])
    return Period(pa.start, pb.last, gran, f"range from {pa.reason} to {pb.reason}",
              approx=pa.approx or pb.approx, explicit=pa.explicit and pb.explicit, is_range=True)
