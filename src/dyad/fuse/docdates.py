"""Dates of undated documents, narrowed by the events they share with dated ones.

If an undated article reports an event (same cluster) that a dated article dates, the
undated article cannot be older than that event: its inferred range starts no earlier.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Optional

from dyad.model import DocResult, InferredDate

USABLE = {"day", "week", "month"}  # coarser event dates say too little to narrow with


def narrow(results: list[DocResult], clusters: dict[str, tuple[str, list[str]]]) -> dict[str, InferredDate]:
    docs = {r.document.doc_id: r.document for r in results}
    # per cluster: the earliest dated report of the event's date, from dated documents
    anchor: dict[str, tuple[str, str, str, str]] = {}  # cid -> (event start, doc, published, type)
    undated: dict[str, list[str]] = defaultdict(list)  # cid -> undated doc ids
    for res in results:
        doc = res.document
        for ev in res.events:
            cid = clusters.get(ev.event_id, (None,))[0]
            if cid is None:
                continue
            if not doc.published:
                undated[cid].append(doc.doc_id)
            elif ev.date and ev.date.start and ev.date.kind != "unresolved" and ev.date.granularity in USABLE:
                cand = (ev.date.start[:10], doc.doc_id, doc.published, ev.event_type)
                if cid not in anchor or cand < anchor[cid]:
                    anchor[cid] = cand
    best: dict[str, tuple[str, str, str, str]] = {}
    for cid, doc_ids in undated.items():
        if cid not in anchor:
            continue
        for d in doc_ids:  # the latest anchoring event is the tightest lower bound
            if d not in best or anchor[cid] > best[d]:
                best[d] = anchor[cid]
    out: dict[str, InferredDate] = {}
    for d, (start, src, published, etype) in sorted(best.items()):
        new = _combine(docs[d].published_inferred, start, src, published, etype)
        if new is not docs[d].published_inferred:
            out[d] = new
    return out


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
