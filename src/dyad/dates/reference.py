"""Turn whatever a caller has as a publication date into a `date`, or None.

Inputs come from CSV/JSONL/HTML metadata, so "missing" has many spellings
("", "nan", "NaT", "None", "N/A", float NaN, pandas NaT) and all of them mean None.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

MISSING = {"", "nan", "nat", "none", "null", "n/a", "na", "-", "unknown"}


def to_reference(value: Any) -> Optional[date]:
    """A calendar date from a date, datetime, ISO or written date string; None if unusable.

    A timezone-aware datetime keeps its own wall-clock date: the writer's "today"
    and "yesterday" are counted in the publisher's local calendar, so converting to
    UTC first would shift them by a day for late-evening or early-morning stories.
    """
    if value is None:
        return None
    if type(value).__name__ == "NaTType":  # pandas.NaT, without importing pandas
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float):
        return None  # NaN from a CSV column, or a number that is not a date
    if hasattr(value, "to_pydatetime"):  # pandas.Timestamp subclasses datetime, but be safe
        return to_reference(value.to_pydatetime())
    if not isinstance(value, str):
        value = str(value)
    text = value.strip()
    if text.lower() in MISSING:
        return None
    return _parse_string(text)


def _parse_string(text: str) -> Optional[date]:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    from dyad.dates.resolve import resolve_date  # the same rules as for article text

    r = resolve_date(text, None)
    if r.start is not None and r.granularity == "day" and r.end is None:
        return r.start
    return _dateutil_full_date(text)


def _dateutil_full_date(text: str) -> Optional[date]:
    """dateutil fills missing parts from a default; parse twice to insist on a full date."""
    from dateutil import parser

    try:
        a = parser.parse(text, default=datetime(2001, 1, 1), dayfirst=True)
        b = parser.parse(text, default=datetime(2002, 2, 2), dayfirst=True)
    except (ValueError, OverflowError):
        return None
    return a.date() if a.date() == b.date() else None
