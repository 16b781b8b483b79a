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
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from typing import Iterable, Optional

from dyad.fuse.countries import country_table, fold
from dyad.fuse.entities import Ref, _UF, ref_of
from dyad.model import DocResult, Event

FINE_DAYS = 8  # an interval this short (day, week) can anchor a cluster
COARSE_DAYS = 45  # wider than this (a quarter, a year): too vague to cluster on
REPORT_WINDOW = 7  # an undated event in a dated article happened within a week before it
MAX_SPAN = 12  # days from a cluster's first to last fine date (tolerances included)
LOOKBACK = 60  # a fine cluster rarely spans longer; bounds the coarse-date search
TOLERANCE = {"day": 1}  # days either side: outlets in different time zones differ by a day
_NON_STATE = {"IGO", "NGO", "IMG"}  # codes shared by many bodies


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


Party3 = tuple[Ref, Optional[str], str]  # (ref, country, folded name): what blocking reads of a party


def _party_keys(parties: list[Party3], entity_of: dict[Ref, str]) -> list[str]:
    """Countries when the event crosses borders; entities when it is domestic (else every
    AFG-AFG meeting of a day would share a block)."""
    def own_key(p: Party3) -> str:
        return entity_of.get(p[0]) or p[2]

    # international bodies share the code "IGO": they are told apart by name, not code
    keys = {p[1] if p[1] and p[1] not in _NON_STATE else own_key(p) for p in parties}
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


BlockKey = tuple[str, str, tuple[str, ...]]  # (event type, polarity, pair of party keys)


@dataclass(slots=True)
class EventFact:
    """What clustering needs to know of one event (small, so blocks travel cheaply)."""

    event_id: str
    doc_id: str
    order: tuple[str, int]  # (doc id, position in the document): corpus order
    span: Optional[tuple[int, int, bool]]
    place: Optional[tuple]


@dataclass(slots=True)
class EventDigest:
    """An event as clustering keeps it between reading the documents and blocking (its
    blocks need entity ids, which exist only once every document has been read)."""

    fact: EventFact
    event_type: str
    polarity: str
    parties: list[Party3]

    def blocks(self, entity_of: dict[Ref, str]) -> list[BlockKey]:
        if self.fact.span is None:  # no usable date: clusters with nothing
            return []
        keys = _party_keys(self.parties, entity_of)
        pairs = combinations(keys, 2) if len(keys) > 1 else [tuple(keys)]
        return [(self.event_type, self.polarity, pair) for pair in pairs]


def event_digests(res: DocResult) -> list[EventDigest]:
    """Per document: what clustering needs of each event."""
    out = []
    for k, ev in enumerate(res.events):
        loc = ev.location
        place = (loc.country, fold(loc.name), country_table().country(loc.name) is not None) if loc else None
        fact = EventFact(ev.event_id, ev.doc_id, (res.document.doc_id, k), event_interval(ev, res), place)
        parties = [(ref_of(ev.doc_id, p.start, p.end, p.text), p.country, fold(p.name or p.text))
                   for p in (*ev.actor, *ev.recipient)]
        out.append(EventDigest(fact, ev.event_type, _polarity(ev), parties))
    return out


def event_facts(res: DocResult, entity_of: dict[Ref, str]) -> list[tuple[EventFact, list[BlockKey]]]:
    """Per document: each event's facts and the blocks it is filed under (none when it
    has no usable date). `entity_of` needs only this document's refs."""
    return [(d.fact, d.blocks(entity_of)) for d in event_digests(res)]


def block_edges(facts: list[EventFact]) -> list[tuple[str, str]]:
    """The joins one block makes, as (event id, event id of its cluster's first member).
    `facts` must be in corpus order. Pure: a block is swept on its own, so blocks can be
    swept anywhere and in any order; an event filed in several blocks links their clusters."""
    uf = _UF(len(facts))
    _sweep(uf, list(range(len(facts))), [f.span for f in facts], [f.place for f in facts])
    return [(facts[i].event_id, facts[uf.find(i)].event_id) for i in range(len(facts)) if uf.find(i) != i]


def cluster_id(event_ids: Iterable[str]) -> str:
    """A cluster is named after its smallest event id, so the id survives re-runs."""
    return "c" + hashlib.sha1(min(event_ids).encode()).hexdigest()[:15]


def _place_keys(p: Optional[tuple]) -> list[tuple]:
    """Index keys under which a fine cluster with place `p` is filed."""
    c, n, isc = p[0] or "", p[1] or "", bool(p[2])
    keys = [("all",), ("c", c), ("cn", c, n), ("n", n)]
    if isc:
        keys += [("ci", c), ("i",)]
    return keys


def _query_keys(p: Optional[tuple]) -> list[tuple]:
    """Index keys whose clusters are exactly the placed clusters `_place_ok` with `p`."""
    if p is None:
        return [("all",)]
    c, n, isc = p[0] or "", p[1] or "", bool(p[2])
    if isc or not n:  # any name fits: only the country constrains
        return [("c", c), ("c", "")] if c else [("all",)]
    if c:
        return [("cn", c, n), ("cn", c, ""), ("cn", "", n), ("cn", "", ""), ("ci", c), ("ci", "")]
    return [("n", n), ("n", ""), ("i",)]


class _Index:
    """Clusters in opening order (so first days ascend) with a max-tree over last days:
    finds the first cluster from a position on that is still open on a given day."""

    __slots__ = ("groups", "starts", "_skip", "_tree", "_size")

    def __init__(self) -> None:
        self.groups: list[list] = []
        self.starts: list[int] = []
        self._skip: list[int] = []  # sweep: closed clusters point past themselves
        self._tree: list[int] = []
        self._size = 0

    def add(self, g: list) -> None:
        self.groups.append(g)
        self.starts.append(g[3])
        self._skip.append(len(self._skip))

    def first_live(self, pos: int, day: int) -> int:
        """During the sweep: first k >= pos whose cluster is still open on `day` (a closed
        cluster never reopens, since days only grow), else len."""
        skip, groups, n = self._skip, self.groups, len(self.groups)
        while pos < n:
            root = pos
            while root < n and skip[root] != root:
                root = skip[root]
            while pos != root:  # path compression
                skip[pos], pos = root, skip[pos]
            if root >= n or groups[root][0] >= day:
                return root
            skip[root] = root + 1
            pos = root + 1
        return n

    def build(self) -> None:
        size = 1
        while size < len(self.groups):
            size *= 2
        tree = [-(1 << 62)] * (2 * size)
        for k, g in enumerate(self.groups):
            tree[size + k] = g[0]
        for k in range(size - 1, 0, -1):
            tree[k] = max(tree[2 * k], tree[2 * k + 1])
        self._tree, self._size = tree, size

    def first_open(self, pos: int, day: int, stop: Optional[int] = None) -> int:
        """Smallest k >= pos (k < stop) whose cluster's last day >= day, else len."""
        n = len(self.groups) if stop is None else min(stop, len(self.groups))
        if pos >= n:
            return len(self.groups)
        tree, size = self._tree, self._size
        k = size + pos
        if tree[k] < day:  # climb until a right part may hold a hit, then descend
            while True:
                if (k & 1) == 0 and tree[k + 1] >= day:
                    k += 1
                    break
                k //= 2
                if k <= 1:
                    return len(self.groups)
            while k < size:
                k = 2 * k if tree[2 * k] >= day else 2 * k + 1
        found = k - size
        return found if found < n else len(self.groups)


def _sweep(uf: _UF, idx: list[int], spans: list, places: list) -> None:
    """Fine events, in date order, join the first (oldest) open cluster whose place agrees
    and which stays within MAX_SPAN, else open one; coarse events then join the single
    fine cluster they overlap. Clusters are indexed by place and ordered by opening day,
    so each event costs O(log n) however many clusters its block holds (results are the
    same as scanning every open cluster in opening order)."""
    fine = sorted((i for i in idx if spans[i][2]), key=lambda i: spans[i][0])
    groups: list[list] = []  # [last day, place, representative, first day, opening seq]
    index: dict[tuple, _Index] = defaultdict(_Index)
    # clusters opened without a place (the first placed member sets it later): checked
    # one by one, but one opens only when no cluster at all fits, so they are few
    unplaced = _Index()
    for i in fine:
        lo, hi, _ = spans[i]
        p = places[i]
        # a cluster's span never exceeds MAX_SPAN, so it fits iff it opened on or after
        # hi - MAX_SPAN: candidates are a suffix of each index, found by bisection
        best = None
        for ix in [unplaced, *(index[k] for k in _query_keys(p) if k in index)]:
            pos = bisect_left(ix.starts, hi - MAX_SPAN)
            while True:
                pos = ix.first_live(pos, lo)
                if pos >= len(ix.groups):
                    break
                g = ix.groups[pos]
                if best is not None and g[4] >= best[4]:
                    break
                if ix is unplaced and not _place_ok(g[1], p):
                    pos += 1
                    continue
                if max(g[0], hi) - g[3] <= MAX_SPAN:
                    best = g
                break
        if best is not None:
            uf.union(best[2], i)
            best[0] = max(best[0], hi)
            best[1] = best[1] or p
        else:
            g = [hi, p, i, lo, len(groups)]
            groups.append(g)
            for ix in [unplaced] if p is None else [index[k] for k in _place_keys(p)]:
                ix.add(g)
    # coarse events: join the single fine cluster they overlap, else pair with equal spans
    if not groups:
        coarse_seen: dict[tuple[int, int], int] = {}
        for i in (i for i in idx if not spans[i][2]):
            j = coarse_seen.setdefault(spans[i][:2], i)
            if j != i:
                uf.union(j, i)
        return
    for ix in [unplaced, *index.values()]:
        ix.build()
    for i in (i for i in idx if not spans[i][2]):
        lo, hi, _ = spans[i]
        p = places[i]
        # a fine cluster open on `lo` opened on or after lo - MAX_SPAN (>= lo - LOOKBACK)
        first = max(lo - MAX_SPAN, lo - LOOKBACK)
        hits: set[int] = set()
        for ix in [unplaced, *(index[k] for k in _query_keys(p) if k in index)]:
            pos = bisect_left(ix.starts, first)
            stop = bisect_right(ix.starts, hi)
            while len(hits) < 2:
                pos = ix.first_open(pos, lo, stop)
                if pos >= stop:
                    break
                g = ix.groups[pos]
                if ix is not unplaced or _place_ok(g[1], p):
                    hits.add(uf.find(g[2]))
                pos += 1
            if len(hits) >= 2:
                break
        if len(hits) == 1:
            uf.union(hits.pop(), i)
