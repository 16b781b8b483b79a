"""The local fusion engine: the block steps of dyad.fuse over external group-bys.

This is the Spark engine's dataflow (`dyad.fuse.spark`) on one machine, with `Spill` in
place of each groupByKey and join, so memory does not grow with the corpus: every
mention, local group, event and claim passes through a spill (sorted runs on disk past
a few tens of thousands), and what stays in memory is one block at a time plus tables
with one small entry per entity or per clustered event (the id votes, the union-find
of events that joined a cluster). Both engines call the same pure block functions, so
they give the same rows.

    entities   docs -> local groups --by block key--> resolve_block
               named groups' acronyms + acronym-only groups --by acronym--> one owner: merged
               groups --by group--> draft --by canonical key--> assign_ids
    events     (mention ref, entity id) + event digests --by doc--> block keys
               --by block--> block_edges --> union-find --> (event, cluster)
    claims     --by (subject, unit)--> contradiction_in
    doc dates  reports --by event--> (cluster, report) --by cluster--> anchors
               --by doc--> the latest anchor + the current inferred date --> narrowed
    ids        new and previous ids --by mention / by event--> votes --> majority_renames

    with LocalFusion() as run:
        run.fuse(results, previous_mentions=..., previous_clusters=...)
        rows = list(run.entities())        # readable until the `with` ends
"""
from __future__ import annotations

import gc
import shutil
import tempfile
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Iterator, Optional

from dyad.fuse import claims as _claims
from dyad.fuse import docdates, entities, events
from dyad.fuse.entities import Ref
from dyad.fuse import spill
from dyad.fuse.spill import Spill
from dyad.model import Contradiction, DocResult, Entity, InferredDate


class _EventUF:
    """Union-find over the event ids that some block joined (most events join none)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        p = self.parent
        root = x
        while p.get(root, root) != root:
            root = p[root]
        while x != root:  # path compression
            p[x], x = root, p[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            self.parent[hi] = lo
            self.parent.setdefault(lo, lo)


def _size(group: list) -> int:
    """A group's weight in a spill: its mentions."""
    return sum(len(l.items) for l in group)


def _majority(votes: dict[str, Counter], new_ids: Iterable[str]) -> dict[str, str]:
    """The renames `majority_renames` picks; `taken` is the old ids that are also new ids."""
    from dyad.fuse import majority_renames

    olds = {o for c in votes.values() for o in c}
    return majority_renames(votes, {i for i in new_ids if i in olds}) if olds else {}


class LocalFusion:
    """One fusion run whose intermediate tables live in a temporary folder (`workdir`,
    default: a new folder under the system's temp dir, `TMPDIR`), removed on exit."""

    def __init__(self, workdir: Optional[Path] = None, limit: Optional[int] = None) -> None:
        self._given = workdir
        self.limit = limit or spill.LIMIT  # pairs per spill held in memory
        self.dir: Optional[Path] = None
        self._gc = False

    def __enter__(self) -> "LocalFusion":
        if self._given is not None:
            Path(self._given).mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix="dyad-fuse-", dir=self._given))
        # fusion allocates many small, long-lived objects and no reference cycles; the
        # cyclic GC would rescan them over and over and make the run superlinear
        self._gc = gc.isenabled()
        gc.disable()
        return self

    def __exit__(self, *exc) -> None:
        # the tables are unreadable once the folder goes: drop them now, so that the
        # collection which follows re-enabling the GC finds little left to scan
        for name in [k for k, v in vars(self).items() if isinstance(v, (Spill, dict))]:
            delattr(self, name)
        if self._gc:
            gc.enable()
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def _spill(self, name: str) -> Spill:
        assert self.dir is not None, "use LocalFusion as a context manager"
        return Spill(self.dir, name, self.limit)

    # --- the run ------------------------------------------------------------------

    def fuse(self, results: Iterable[DocResult], previous_mentions: Optional[Iterable[tuple[Ref, str]]] = None,
             previous_clusters: Optional[Iterable[tuple[str, str]]] = None) -> "LocalFusion":
        """Read every result once (it may stream) and compute every fusion table.
        `previous_*` are the store's current ids ((ref, entity id), (event id, cluster
        id)); groups that carry over keep them. Both are read during this call."""
        self._read(results)
        self._resolve_entities(previous_mentions)
        self._cluster_events(previous_clusters)
        return self

    def _read(self, results: Iterable[DocResult]) -> None:
        self.blocks = self._spill("blocks")  # entity block key -> local group
        self.by_doc = self._spill("by_doc")  # doc id -> event digests, later (ref, entity id)
        self.claims = self._spill("claims")  # (subject, unit) -> claim
        self.by_event = self._spill("by_event")  # event id -> report, later cluster ids
        self.by_undated = self._spill("by_undated")  # doc id -> inferred date, later anchors
        for res in results:
            doc = res.document
            if doc.error is not None:
                continue
            for loc in entities.local_groups(res):
                self.blocks.add(entities.block_key(loc), loc, len(loc.items))
            for d in events.event_digests(res):
                self.by_doc.add(doc.doc_id, ("digest", d))
            for c in res.claims:
                self.claims.add(_claims.claim_block(c), c)
            for ev in res.events:
                said = docdates.report(res, ev)
                if said is not None:
                    self.by_event.add(ev.event_id, ("said", said))
            if not doc.published:
                self.by_undated.add(doc.doc_id, ("inferred", doc.published_inferred))

    def _resolve_entities(self, previous: Optional[Iterable[tuple[Ref, str]]]) -> None:
        drafts = self._spill("drafts")  # canonical key -> draft
        owning = self._spill("owning")  # group id (first local's corpus position) -> locals
        acronyms = self._spill("acronyms")  # acronym -> owning group ids, acronym-only groups
        for key, members in self.blocks.groups():
            members.sort(key=lambda l: l.order)
            for positions in entities.resolve_block(key, members):
                group = [members[i] for i in positions]
                gid = group[0].order
                if key[0] == "ACR":
                    acronyms.add(key[1], ("acr", gid, group), _size(group))
                    continue
                owned = sorted({a for l in group for a in entities.owned_acronyms(l)})
                if not owned:  # nothing can join it: drafted now
                    d = entities.draft(group)
                    drafts.add(d.key, d, len(d.items))
                    continue
                owning.add(gid, group, _size(group))
                given = any(entities.given_acronym(l) for l in group)
                docs = tuple(sorted({l.doc_id for l in group}))
                for a in owned:
                    acronyms.add(a, ("owns", gid, given, docs))
        for _, recs in acronyms.groups():
            owners = [r[1:] for r in recs if r[0] == "owns"]
            for r in recs:
                if r[0] == "acr":
                    owner = entities.acronym_owner_of(r[2], owners)
                    owning.add(owner if owner is not None else r[1], r[2], _size(r[2]))
        for _, parts in owning.groups():
            d = entities.draft(sorted((l for p in parts for l in p), key=lambda l: l.order))
            drafts.add(d.key, d, len(d.items))
        # entities in output order: (entity without its mentions, fresh id) and its mentions' refs
        self.named = self._spill("named")
        self.members = self._spill("members")
        mention_ids = self._spill("mention_ids")  # ref -> fresh and previous entity ids
        n = 0
        for _, ds in drafts.groups():
            for d, eid in entities.assign_ids(ds):
                refs = [it.ref for it in d.items]
                self.named.add(n, (entities.entity_of_draft(d, eid, with_mentions=False), len(refs)))
                self.members.add(n, refs, len(refs))
                n += 1
                for it in d.items:
                    if it.party:
                        self.by_doc.add(it.ref[0], ("ref", it.ref, eid))
                    if previous is not None:
                        mention_ids.add(it.ref, ("new", eid))
        self.entity_rename: dict[str, str] = {}
        if previous is not None:
            for ref, old in previous:
                mention_ids.add(tuple(ref), ("old", old))
            self.entity_rename = _majority(self._votes(mention_ids),
                                           (e.entity_id for _, (e, _) in self.named.items()))

    @staticmethod
    def _votes(spill: Spill) -> dict[str, Counter]:
        """new id -> Counter(old id): one vote per member (mention or event) that had the old id."""
        votes: dict[str, Counter] = defaultdict(Counter)
        for _, recs in spill.groups():
            news = [r[1] for r in recs if r[0] == "new"]
            olds = [r[1] for r in recs if r[0] == "old"]
            for new in news:
                for old in olds:
                    votes[new][old] += 1
        return votes

    def _cluster_events(self, previous: Optional[Iterable[tuple[str, str]]]) -> None:
        event_blocks = self._spill("event_blocks")  # event block key -> event fact
        for _, recs in self.by_doc.groups():
            entity_of = {r[1]: r[2] for r in recs if r[0] == "ref"}
            for r in recs:
                if r[0] == "digest":
                    for key in r[1].blocks(entity_of):
                        event_blocks.add(key, r[1].fact)
        uf = _EventUF()
        doc_of: dict[str, str] = {}  # events that joined others: their document
        for _, facts in event_blocks.groups():
            for a, b in events.block_edges(sorted(facts, key=lambda f: f.order)):
                uf.union(a, b)
            if len(facts) > 1:
                for f in facts:
                    if f.event_id in uf.parent:
                        doc_of[f.event_id] = f.doc_id
        members: dict[str, list[str]] = defaultdict(list)
        for e in uf.parent:
            members[uf.find(e)].append(e)
        joined = {root: (events.cluster_id(ids), sorted({doc_of[e] for e in ids})) for root, ids in members.items()}
        del members
        self.cluster_sources = self._spill("cluster_sources")  # cluster id -> its documents
        for cid, sources in joined.values():
            self.cluster_sources.add(cid, sources)
        for _, recs in self.by_doc.groups():
            for r in recs:
                if r[0] != "digest":
                    continue
                fact = r[1].fact
                if fact.event_id in uf.parent:
                    cid = joined[uf.find(fact.event_id)][0]
                else:
                    cid = events.cluster_id([fact.event_id])
                    self.cluster_sources.add(cid, [fact.doc_id])
                self.by_event.add(fact.event_id, ("new", cid))
        del joined, uf, doc_of
        if previous is not None:
            for event_id, old in previous:
                self.by_event.add(event_id, ("old", old))
        # reports meet their cluster; each cluster's earliest anchor bounds its undated documents
        by_cluster = self._spill("by_cluster")
        for _, recs in self.by_event.groups():
            cids = [r[1] for r in recs if r[0] == "new"]
            for r in recs:
                if r[0] == "said" and cids:
                    by_cluster.add(cids[0], r[1])
        for _, said in by_cluster.groups():
            anchors = [s[1] for s in said if s[0] == "anchor"]
            if anchors:
                first = min(anchors)
                for kind, doc_id in said:
                    if kind == "undated":
                        self.by_undated.add(doc_id, ("anchor", first))
        self.cluster_rename: dict[str, str] = {}
        if previous is not None:
            self.cluster_rename = _majority(self._votes(self.by_event),
                                            (cid for cid, _ in self.cluster_sources.items()))

    # --- the tables (readable until the `with` block ends) ------------------------------

    def entity_summaries(self) -> Iterator[tuple[Entity, int]]:
        """(entity without its mention list, number of mentions), final ids."""
        for _, (e, n) in self.named.items():
            yield replace(e, entity_id=self.entity_rename.get(e.entity_id, e.entity_id)), n

    def entities(self) -> Iterator[Entity]:
        """Every entity with its mentions, final ids."""
        for (e, _), refs in zip(self.entity_summaries(), self._refs()):
            e.mentions = [entities.mention_dict(r) for r in refs]
            yield e

    def entity_of(self) -> Iterator[tuple[Ref, str]]:
        for (e, _), refs in zip(self.entity_summaries(), self._refs()):
            for ref in refs:
                yield ref, e.entity_id

    def _refs(self) -> Iterator[list[Ref]]:
        return (refs for _, refs in self.members.items())

    def event_clusters(self) -> Iterator[tuple[str, str]]:
        """(event id, cluster id) for every event."""
        for event_id, recs in self.by_event.groups():
            for r in recs:
                if r[0] == "new":
                    yield event_id, self.cluster_rename.get(r[1], r[1])

    def clusters(self) -> Iterator[tuple[str, list[str]]]:
        """(cluster id, sorted doc ids reporting it) for every cluster."""
        for cid, sources in self.cluster_sources.items():
            yield self.cluster_rename.get(cid, cid), sources

    def contradictions(self) -> Iterator[Contradiction]:
        for (subject, _), block in self.claims.groups():
            c = _claims.contradiction_in(subject, block)
            if c is not None:
                yield c

    def doc_dates(self) -> Iterator[tuple[str, InferredDate]]:
        """Undated documents whose inferred date an event shared with a dated one narrows."""
        for doc_id, recs in self.by_undated.groups():
            anchors = [r[1] for r in recs if r[0] == "anchor"]
            if not anchors:
                continue
            inferred = next((r[1] for r in recs if r[0] == "inferred"), None)
            new = docdates.narrowed(inferred, max(anchors))
            if new is not None:
                yield doc_id, new
