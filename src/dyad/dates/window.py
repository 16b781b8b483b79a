"""Inverse resolution: for which publication dates does a phrase describe a known date?

"nearly two years ago" about an event known to be 2021-08-15 only fits a document
written in 2023; "on Friday" about 2022-01-07 fits one written 7-13 January 2022.
The answer is found by asking `resolve_date` itself, day by day, so it can never
disagree with the resolver.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Optional

from dyad.dates.resolve import resolve_date

_YEARS_RE = re.compile(r"(\d+|two|three|four|five|six|seven|eight|nine|ten)\s+(?:years|decades)")
_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def reference_window(text: str, known_start: date, known_end: Optional[date] = None
                     ) -> Optional[tuple[date, date]]:
    """(earliest, latest) reference date for which `text` resolves to a period that
    overlaps [known_start, known_end]; None if the phrase is absolute, unresolvable,
    or never fits. The search starts a month before the known date (a phrase such as
    "next week" or "December 30" may be written shortly before the event)."""
    known_end = known_end or known_start
    if resolve_date(text, None).resolved:
        return None  # absolute: says nothing about when it was written
    m = _YEARS_RE.search(text.lower())
    years = int(_WORDS.get(m.group(1), m.group(1))) if m else 0
    if "decade" in text.lower():
        years *= 10
    horizon = int((years + 2) * 366) if years else 800
    first = last = None
    for i in range(-31, horizon):
        ref = known_start + timedelta(days=i)
        r = resolve_date(text, ref)
        b = r.bounds()
        if b and b[0] <= known_end and b[1] >= known_start:
            first = first or ref
            last = ref
    return (first, last) if first else None
