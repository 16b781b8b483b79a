"""Publication dates from metadata values and article datelines, as ISO `YYYY-MM-DD`.

Only unambiguous dates are returned: "03/04/2022" could be March or April, so it
gives None rather than a guess. Relative phrases are the date resolver's job
(dyad.extract.dates), not ours.
"""
from __future__ import annotations

import re
from datetime import date
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
    if value is None:
        return None
    text = str(value).strip()[:200]
    if not text:
        return None
    found = find_date(text)
    return found[0] if found else None


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
