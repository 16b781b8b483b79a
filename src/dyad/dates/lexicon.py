"""Words the date rules know: months, weekdays, counts, hedges (compiled once, immutable)."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

MONTHS = MappingProxyType({
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
})
MONTH_NAMES = ("", "january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december")
WEEKDAYS = MappingProxyType({
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
})
NUMBERS = MappingProxyType({
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "half a": 0.5, "a half": 0.5,
})
# Counts that are honest only as approximations.
VAGUE_COUNTS = MappingProxyType({"a few": 3, "few": 3, "a couple of": 2, "a couple": 2, "several": 3})
ORDINALS = MappingProxyType({
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "last": -1, "final": -1,
})
DECADE_WORDS = MappingProxyType({
    "twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60,
    "seventies": 70, "eighties": 80, "nineties": 90,
})
HEDGES = ("just over", "just under", "a little over", "a little more than", "more than",
          "less than", "nearly", "almost", "about", "around", "approximately", "roughly",
          "some", "over", "under", "close to", "at least", "at most", "up to", "circa", "c.",
          "an estimated", "approx.")


def _alt(words) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


MONTH = rf"(?:{_alt(MONTHS)})\.?"
WEEKDAY = rf"(?:{_alt(WEEKDAYS)})\.?"
NUM = rf"(?:\d+(?:\.\d+)?|{_alt(list(NUMBERS) + list(VAGUE_COUNTS))})"
UNIT = r"(?:minute|hour|day|night|week|fortnight|month|year|decade)s?"


def month_number(word: str) -> int:
    return MONTHS[word.rstrip(".")]


def weekday_number(word: str) -> int:
    return WEEKDAYS[word.rstrip(".")]


def count(word: str) -> tuple[float, bool]:
    """(value, vague) for a count written as digits or words."""
    word = word.strip()
    if word in VAGUE_COUNTS:
        return float(VAGUE_COUNTS[word]), True
    if word in NUMBERS:
        return float(NUMBERS[word]), False
    return float(word), False


@lru_cache(maxsize=4)
def needs_context_words(path: str | None = None) -> frozenset[str]:
    """The words that make a phrase need world knowledge (resources/dates/needs_context.txt)."""
    p = Path(path) if path else Path(__file__).resolve().parent.parent / "resources" / "dates" / "needs_context.txt"
    words = set()
    for line in p.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if line:
            words.add(line)
    return frozenset(words)


@lru_cache(maxsize=4)
def needs_context_re(path: str | None = None) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_alt(needs_context_words(path))})\b")
