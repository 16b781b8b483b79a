"""Publication dates from metadata values and article datelines, as ISO `YYYY-MM-DD`.

Only unambiguous dates are returned: "03/04/2022" could be March or April, so it
gives None rather than a guess. The date is the local calendar date the source wrote
("April 21, 2022, 10:11 pm CST" is 2022-04-21, not the next day in UTC); a time zone
written after a time of day is kept apart as a UTC offset ("-06:00"). Relative phrases are the date resolver's job
(dyad.extract.dates), not ours.
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Optional

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
    r"Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?"

_PATTERNS = [
    # 2022-01-09, 2022/01/09, 2022.01.09, 2022-01-09T10:00:00Z
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)[-/.](?P<mnum>[01]?\d)[-/.](?P<day>[0-3]?\d)(?!\d)"),
    # January 9, 2022 / Jan. 9 2022 / Sunday, January 9th, 2022
    re.compile(_WEEKDAY + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"(?!\d)", re.I),
    # 9 January 2022 / Sun, 09 Jan 2022 10:00:00 GMT / 9 Jan, 2022
    re.compile(_WEEKDAY + r"(?<!\d)" + _DAY + r"\.?\s+" + _MONTH + r",?\s+" + _YEAR + r"(?!\d)", re.I),
    # 09/01/2022 or 9.1.2022 (accepted only when day and month cannot be swapped)
    re.compile(r"(?<!\d)(?P<a>[0-3]?\d)[/.](?P<b>[01]?\d)[/.](?P<year>(?:19|20)\d\d)(?!\d)"),
]


def find_date(text: str) -> Optional[tuple[str, int, int]]:
    """The first unambiguous calendar date in `text`: (iso, start, end) or None."""
    best: Optional[tuple[str, int, int]] = None
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            iso = _to_iso(m)
            if iso and (best is None or m.start() < best[1]):
                best = (iso, m.start(), m.end())
                break
    return best


def parse_date(value: object) -> Optional[str]:
    """A metadata value ("2022-01-09T10:00Z", "Jan 9, 2022", ...) as ISO date, or None."""
    return parse_published(value)[0]


def parse_published(value: object) -> tuple[Optional[str], Optional[str]]:
    """A metadata value as (ISO local date, UTC offset "+HH:MM" or None)."""
    if value is None:
        return None, None
    text = str(value).strip()[:200]
    found = find_date(text) if text else None
    if not found:
        return None, None
    return found[0], offset_after(text, found[2])


# a time of day right after the date, then a zone: "T10:00:00Z", ", 10:11 pm CST", " 09:30 +0430"
_TIME = re.compile(r"[\sT,.|@-]*(?:at\s+)?[0-2]?\d[:.h][0-5]\d(?::[0-5]\d(?:\.\d+)?)?"
                   r"(?:\s*[ap]\.?\s?m\b\.?)?\s*\(?", re.I)
# zone names are upper case ("CST", "IRST"), so "and" or "am" after a time is not a zone
_ZONE = re.compile(r"(?:Z|[+-][01]\d:?[0-5]\d|(?:UTC|GMT)\s*[+-]\s*\d{1,2}(?::?[0-5]\d)?|[A-Z]{2,5})(?![A-Za-z0-9])")


@lru_cache(maxsize=1)
def ambiguous_zones() -> frozenset[str]:
    path = Path(__file__).resolve().parent.parent / "resources" / "dates" / "ambiguous_zones.txt"
    lines = (ln.split("#", 1)[0].strip() for ln in path.read_text(encoding="utf-8").splitlines())
    return frozenset(ln for ln in lines if ln)


def offset_after(text: str, end: int) -> Optional[str]:
    """The UTC offset of a time zone written after a time of day at text[end:], or None.

    Zone abbreviations are read with dateparser's table; one it does not know, or one that
    names several zones (resources/dates/ambiguous_zones.txt), gives None."""
    t = _TIME.match(text, end)
    z = t and _ZONE.match(text, t.end())
    if not z:
        return None
    from dateparser.timezone_parser import pop_tz_offset_from_string

    if z.group(0) in ambiguous_zones():
        return None
    rest, tz = pop_tz_offset_from_string("x " + z.group(0).replace(" ", ""))
    delta = tz.utcoffset(None) if tz is not None and rest.strip() == "x" else None
    if delta is None:
        return None
    minutes = int(delta.total_seconds() // 60)
    if abs(minutes) > 14 * 60:
        return None
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _to_iso(m: re.Match[str]) -> Optional[str]:
    groups = m.groupdict()
    year = int(groups["year"])
    if groups.get("month"):
        month = _MONTHS[groups["month"].lower()[:3]]
        day = int(groups["day"])
    elif groups.get("mnum"):
        month, day = int(groups["mnum"]), int(groups["day"])
    else:
        a, b = int(groups["a"]), int(groups["b"])
        if a == b:
            day, month = a, b
        elif a > 12 >= b:
            day, month = a, b
        elif b > 12 >= a:
            month, day = a, b
        else:
            return None  # ambiguous day/month order: no guess
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
