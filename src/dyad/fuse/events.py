"""Event clustering: the same real event told by several documents becomes one cluster.

Blocking: every event is filed under (type, polarity, pair of party keys) for each pair
of its parties (a party key is its country, else its entity id), so "overlapping
parties" share at least one block. Inside a block, events are swept in date order and
joined when their dates overlap (tolerance by granularity) and their places agree.
Coarse dates (a month, a year, or only the publication date) join a cluster only when
exactly one fine-dated cluster fits, so they never chain distinct events together.
"""
from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from collections import defaultdict
from datetime import date
from itertools import combinations
from typing import Optional

from dyad.fuse.countries import country_table, fold
from dyad.fuse.entities import Ref, _UF, ref_of
from dyad.model import DocResult, Event

FINE_DAYS = 8  # an interval this short (day, week) can anchor a cluster
COARSE_DAYS = 45  # wider than this (a quarter, a year): too vague to cluster on
REPORT_WINDOW = 7  # an undated event in a dated article happened within a week before it
MAX_SPAN = 12  # days from a cluster's first to last fine date (tolerances included)
LOOKBACK = 60  # a fine cluster rarely spans longer; bounds the coarse-date search
TOLERANCE = {"day": 1}
_NON_STATE = {"IGO", "NGO", "IMG"}  # codes shared by many bodies  # days either side: outlets in different time zones differ by a day


def _day(iso: Optional[str]) -> Optional[int]:
    try:
        return date.fromisoformat(iso[:10]).toordinal() if iso else None
    except ValueError:
        return None


def _span_end(start: int, granularity: Optional[str]) -> int:
    d = date.fromordinal(start)
    if granularity == "week":
        return start + 6
    if granularity == "month":
        nxt = date(d.year + d.month // 12, d.month % 12 + 1, 1)
        return nxt.toordinal() - 1
    if granularity == "quarter":
        return start + 91
    if granularity == "year":
        return date(d.year, 12, 31).toordinal()
    return start


def event_interval(ev: Event, res: DocResult) -> Optional[tuple[int, int, bool]]:
    """(first day, last day, fine?) for an event, from its date or its article's date."""
    d = ev.date
    if d is not None and d.kind != "unresolved" and _day(d.start) is not None:
        lo = _day(d.start)
        hi = _day(d.end) or _span_end(lo, d.granularity)
        tol = TOLERANCE.get(d.granularity or "day", 0) if d.end is None else 0
        lo, hi = lo - tol, hi + tol
    else:
        pub = _day(res.document.published)
        inf = res.document.published_inferred
        if pub is not None:
            lo, hi = pub - REPORT_WINDOW, pub
        elif inf is not None and _day(inf.start) is not None and _day(inf.end) is not None:
            lo, hi = _day(inf.start), _day(inf.end)
        else:
            return None
        return (lo, hi, False) if hi - lo <= COARSE_DAYS else None
    if hi - lo > COARSE_DAYS:
        return None
    return lo, hi, hi - lo <= FINE_DAYS


def _party_keys(ev: Event, entity_of: dict[Ref, str]) -> list[str]:
    """Countries when the event crosses borders; entities when it is domestic (else every
    AFG-AFG meeting of a day would share a block)."""
    parties = [*ev.actor, *ev.recipient]

    def own_key(p) -> str:
        return entity_of.get(ref_of(ev.doc_id, p.start, p.end, p.text)) or fold(p.name or p.text)

    # international bodies share the code "IGO": they are told apart by name, not code
    keys = {p.country if p.country and p.country not in _NON_STATE else own_key(p) for p in parties}
    if len(keys) < 2:  # domestic: every party has the same country
        keys = {own_key(p) for p in parties}
    return sorted(k for k in keys if k)


def _polarity(ev: Event) -> str:
    if ev.negated or ev.modality == "denied":
        return "neg"
    return "pos" if ev.modality in ("asserted", "historical") else ev.modality


def _place_ok(a: Optional[tuple], b: Optional[tuple]) -> bool:
    """Places agree unless both are known and differ (country, then place name)."""
    if a is None or b is None:
        return True
    if a[0] and b[0] and a[0] != b[0]:
        return False
    return not (a[1] and b[1] and a[1] != b[1] and not a[2] and not b[2])


def cluster(results: list[DocResult], entity_of: dict[Ref, str]) -> dict[str, tuple[str, list[str]]]:
    """event_id -> (cluster_id, sorted doc ids of the cluster)."""
    events: list[Event] = []
    spans: list[Optional[tuple[int, int, bool]]] = []
    places: list[Optional[tuple]] = []
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for res in results:
        for ev in res.events:
            i = len(events)
            events.append(ev)
            spans.append(event_interval(ev, res))
            loc = ev.location
            places.append((loc.country, fold(loc.name), country_table().country(loc.name) is not None)
                          if loc else None)
            if spans[i] is None:
                continue
            keys = _party_keys(ev, entity_of)
            pairs = combinations(keys, 2) if len(keys) > 1 else [tuple(keys)]
            for pair in pairs:
                blocks[(ev.event_type, _polarity(ev), pair)].append(i)
    uf = _UF(len(events))
    for idx in blocks.values():
        _sweep(uf, idx, spans, places)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(events)):
        members[uf.find(i)].append(i)
    out: dict[str, tuple[str, list[str]]] = {}
    for m in members.values():
        ids = [events[i].event_id for i in m]
        cid = "c" + hashlib.sha1(min(ids).encode()).hexdigest()[:15]
        sources = sorted({events[i].doc_id for i in m})
        for eid in ids:
            out[eid] = (cid, sources)
    return out


def _sweep(uf: _UF, idx: list[int], spans: list, places: list) -> None:
    fine = sorted((i for i in idx if spans[i][2]), key=lambda i: spans[i][0])
    active: list[list] = []  # [last day, place, representative, first day]
    groups: list[list] = []
    for i in fine:
        lo, hi, _ = spans[i]
        active = [g for g in active if g[0] >= lo]
        for g in active:
            # a cluster may not stretch past MAX_SPAN: a daily stream of similar events
            # in a busy dyad must not chain into one
            if _place_ok(g[1], places[i]) and max(g[0], hi) - g[3] <= MAX_SPAN:
                uf.union(g[2], i)
                g[0] = max(g[0], hi)
                g[1] = g[1] or places[i]
                break
        else:
            g = [hi, places[i], i, lo]
            active.append(g)
            groups.append(g)
    # coarse events: join the single fine cluster they overlap, else pair with equal spans
    starts = [spans[g[2]][0] for g in groups]  # ascending: groups open in date order
    coarse_seen: dict[tuple[int, int], int] = {}
    for i in (i for i in idx if not spans[i][2]):
        lo, hi, _ = spans[i]
        window = groups[bisect_left(starts, lo - LOOKBACK):bisect_right(starts, hi)]
        hits = {uf.find(g[2]) for g in window if g[0] >= lo and _place_ok(g[1], places[i])}
        if len(hits) == 1:
            uf.union(hits.pop(), i)
        elif not hits and not groups:
            j = coarse_seen.setdefault((lo, hi), i)
            if j != i:
                uf.union(j, i)
