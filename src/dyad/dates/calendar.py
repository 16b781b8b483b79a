"""Small calendar arithmetic on `datetime.date` (no third-party code needed)."""
from __future__ import annotations

import calendar
from datetime import date, timedelta


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(d: date, n: int) -> date:
    """First day of the month `n` months from `d`'s month."""
    idx = d.year * 12 + (d.month - 1) + n
    return date(idx // 12, idx % 12 + 1, 1)


def week_start(d: date) -> date:
    """Monday of `d`'s week (ISO weeks)."""
    return d - timedelta(days=d.weekday())


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def quarter_bounds(year: int, q: int) -> tuple[date, date]:
    first = 3 * (q - 1) + 1
    return date(year, first, 1), month_end(year, first + 2)


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def period_end(start: date, granularity: str | None) -> date:
    """Last day of the period that begins at `start` with this granularity."""
    if granularity == "week":
        return start + timedelta(days=6)
    if granularity == "month":
        return month_end(start.year, start.month)
    if granularity == "quarter":
        return quarter_bounds(start.year, quarter_of(start))[1]
    if granularity == "year":
        return date(start.year, 12, 31)
    return start
