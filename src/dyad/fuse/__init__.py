"""Reading across documents: entities, event clusters, contradictions, document dates.

Works on DocResults only and scales by blocking (see entities.py, events.py), never by
comparing all pairs, so `fuse` over every stored DocResult after each run stays linear.
Blocks are formed by external group-bys (engine.py, spill.py) locally and by Spark's
group-bys (spark.py) on a cluster; both run the same pure block functions.
Ids are hashes of canonical keys (entities) or of the smallest member event id
(clusters); passing the previous Fusion keeps earlier ids where groups carry over.

    fusion = fuse(results)             # pure: nothing in `results` is changed
    changed_docs = apply(fusion, results)  # writes entity_id, cluster_id, sources, dates
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Optional

from dyad.fuse.entities import Ref, ref_of
from dyad.model import Contradiction, DocResult, Document, Entity, InferredDate

__all__ = ["Fusion", "fuse", "apply", "fuse_incremental", "fusion_records", "ref_of"]


@dataclass
class Fusion:
    entities: list[Entity] = field(default_factory=list)
    entity_of: dict[Ref, str] = field(default_factory=dict)  # (doc_id, start, end, text) -> entity_id
    event_clusters: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # event_id -> (cluster_id, sources)
    contradictions: list[Contradiction] = field(default_factory=list)
    doc_dates: dict[str, InferredDate] = field(default_factory=dict)  # narrowed inferred dates

    def entity_for(self, doc_id: str, start: Optional[int], end: Optional[int], text: str) -> Optional[str]:
        return self.entity_of.get(ref_of(doc_id, start, end, text))


def fuse(results: Iterable[DocResult], previous: Optional[Fusion] = None) -> Fusion:
    """Fuse all DocResults; with `previous`, groups that carry over keep their old ids.

    `results` is read once and may stream. The work runs on the local engine
    (`dyad.fuse.engine`, bounded memory); the Fusion returned holds every mention's id, so
    for a whole store use `dyad.store.fusion.fuse_into`, which streams the tables instead."""
    from dyad.fuse.engine import LocalFusion

    prev_mentions = previous.entity_of.items() if previous is not None else None
    prev_clusters = ((e, c) for e, (c, _) in previous.event_clusters.items()) if previous is not None else None
    with LocalFusion() as run:
        run.fuse(results, prev_mentions, prev_clusters)
        sources = dict(run.clusters())
        return Fusion(entities=list(run.entities()), entity_of=dict(run.entity_of()),
                      event_clusters={e: (c, sources[c]) for e, c in run.event_clusters()},
                      contradictions=list(run.contradictions()), doc_dates=dict(run.doc_dates()))


def fuse_incremental(existing: Fusion, results: Iterable[DocResult]) -> Fusion:
    """Re-fuse all results (old and new; NLP is not redone) keeping `existing`'s ids."""
    return fuse(results, previous=existing)


def apply(fusion: Fusion, results: Iterable[DocResult]) -> list[Document]:
    """Write fusion back onto the results in place; returns documents whose date narrowed."""
    changed: list[Document] = []
    for res in results:
        doc = res.document
        for m in res.mentions:
            m.entity_id = fusion.entity_of.get(ref_of(m.doc_id, m.start, m.end, m.text), m.entity_id)
        for ev in res.events:
            parties = [*ev.actor, *ev.recipient] + ([ev.source_actor] if ev.source_actor else [])
            for p in parties:
                p.entity_id = fusion.entity_of.get(ref_of(doc.doc_id, p.start, p.end, p.text), p.entity_id)
            if ev.event_id in fusion.event_clusters:
                ev.cluster_id, sources = fusion.event_clusters[ev.event_id]
                ev.sources = list(sources)
        narrowed = fusion.doc_dates.get(doc.doc_id)
        if narrowed is not None and not doc.published:
            doc.published_inferred = narrowed
            changed.append(doc)
    return changed


def fusion_records(fusion: Fusion) -> dict[str, list[dict[str, Any]]]:
    """Plain rows in the data contract's shape: entities.jsonl, contradictions.jsonl,
    event clusters (event_id, cluster_id, sources) and narrowed document dates."""
    return {
        "entities": [asdict(e) for e in fusion.entities],
        "contradictions": [{"subject": c.subject, "claims": [asdict(k) for k in c.claims]}
                           for c in fusion.contradictions],
        "event_clusters": [{"event_id": e, "cluster_id": c, "sources": list(s)}
                           for e, (c, s) in sorted(fusion.event_clusters.items())],
        "doc_dates": [{"doc_id": d, **asdict(v)} for d, v in sorted(fusion.doc_dates.items())],
    }


def majority_renames(votes: dict[str, Counter], taken: set[str]) -> dict[str, str]:
    """new id -> old id when most members of the new group carried that old id.

    `votes[new][old]` counts the members of group `new` that had id `old`; `taken` holds
    the old ids that are also fresh ids of this fusion (never handed to another group).
    Greedy, largest groups first; ties go to the smaller id, so the result depends only
    on the counts (the Spark engine computes them with a join and calls this on the driver)."""
    taken = set(taken)
    out: dict[str, str] = {}
    for new, c in sorted(votes.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        for old, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])):
            if old == new:
                break
            if old not in taken:
                out[new] = old
                taken.add(old)
                break
    return out


def _votes(groups: dict[str, list], old_of: dict) -> dict[str, Counter]:
    return {new: Counter(old_of[k] for k in keys if k in old_of) for new, keys in groups.items()}


def _carry_entity_ids(ents: list[Entity], entity_of: dict[Ref, str], old: dict[Ref, str]) -> None:
    groups: dict[str, list[Ref]] = defaultdict(list)
    for ref, eid in entity_of.items():
        groups[eid].append(ref)
    rename = majority_renames(_votes(groups, old), set(groups))
    for e in ents:
        e.entity_id = rename.get(e.entity_id, e.entity_id)
    for ref, eid in entity_of.items():
        entity_of[ref] = rename.get(eid, eid)


def _carry_cluster_ids(clusters: dict[str, tuple[str, list[str]]], old: dict[str, tuple[str, list[str]]]) -> None:
    groups: dict[str, list[str]] = defaultdict(list)
    for ev_id, (cid, _) in clusters.items():
        groups[cid].append(ev_id)
    rename = majority_renames(_votes(groups, {k: v[0] for k, v in old.items()}), set(groups))
    for ev_id, (cid, sources) in clusters.items():
        clusters[ev_id] = (rename.get(cid, cid), sources)
