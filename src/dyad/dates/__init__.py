"""Date resolution as a library call.

>>> from dyad.dates import resolve_date
>>> r = resolve_date("in early December", "2022-01-21")
>>> r.start, r.end, r.granularity, r.kind
(datetime.date(2021, 12, 1), None, 'month', 'approximate')
>>> resolve_date("between 1996 and 2001", None).kind
'range'
>>> resolve_date("on Friday", None).kind  # relative, and no reference date
'unresolved'
>>> resolve_date("last Ramadan", "2022-01-21").reason
"needs world knowledge ('ramadan')"

Also `to_reference` (any spelling of a publication date -> `datetime.date` or None)
and `reference_window` (which publication dates make a relative phrase fit a known
event date; used to narrow the date of undated documents):

>>> from datetime import date
>>> reference_window("nearly two years ago", date(2021, 8, 15))
(datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
"""
from dyad.dates.reference import to_reference
from dyad.dates.resolve import ResolvedDate, resolve_date
from dyad.dates.window import reference_window

__all__ = ["ResolvedDate", "resolve_date", "to_reference", "reference_window"]
