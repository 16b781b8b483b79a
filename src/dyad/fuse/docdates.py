"""Dates of undated documents, narrowed by the events they share with dated ones.

If an undated article reports an event (same cluster) that a dated article dates, the
undated article cannot be older than that event: its inferred range starts no earlier.
"""
from __future__ import annotations

from typing import Any, Optional

from dyad.model import DocResult, Event, InferredDate

USABLE = {"day", "week", "month"}  # coarser event dates say too little to narrow with


Anchor = tuple[str, str, str, str]  # (event start, doc id, published, event type)


def report(res: DocResult, ev: Event) -> Optional[tuple[str, Any]]:
    """What one event tells about its cluster: ("undated", doc id) from an undated
    document, ("anchor", Anchor) when a dated document dates the event usably."""
    doc = res.document
    if not doc.published:
        return ("undated", doc.doc_id)
    if ev.date and ev.date.start and ev.date.kind != "unresolved" and ev.date.granularity in USABLE:
        return ("anchor", (ev.date.start[:10], doc.doc_id, doc.published, ev.event_type))
    return None


def narrowed(old: Optional[InferredDate], anchor: Anchor) -> Optional[InferredDate]:
    """An undated document's new inferred date given the latest anchor among its
    clusters (the tightest lower bound); None when the old inference was as narrow."""
    new = _combine(old, *anchor)
    return None if new is old else new


def _combine(old: Optional[InferredDate], start: str, src: str, published: str, etype: str) -> InferredDate:
    basis = f"reports the same {etype} event (on or after {start}) as doc {src} (published {published})"
    if old is None or old.start is None or old.start < start:
        end = old.end if old else None
        if end is not None and end < start:  # the two bases disagree: keep both, open end
            basis += f"; conflicts with earlier inference ending {end} ({old.basis})"
            end = None
        elif old is not None:
            basis += f"; {old.basis}"
        return InferredDate(start=start, end=end, granularity=old.granularity if old and end else "day",
                            basis=basis)
    return old  # the earlier inference was already at least this narrow
