"""Fusion on Apache Spark: the block steps of dyad.fuse as Spark group-bys and joins.

The local engine (`dyad.fuse.engine`, external group-bys on one machine) and this one
run the same pure block functions; only where the blocks are formed and who runs them
differs, so both give the same rows.

    entities   docs --flatMap local_groups--> (block key, local)  --groupByKey--> resolve_block
               named groups' acronyms --join--> acronym-only groups (one owner: merged)
               groups --draft--> (canonical key, draft) --groupByKey--> assign_ids
    events     mentions' entity ids --join on doc_id--> docs --flatMap event_facts-->
               (block key, fact) --groupByKey--> block_edges --label propagation-->
               components --groupByKey--> (cluster id, sources)
    claims     (subject, unit) --groupByKey--> contradiction_in
    doc dates  (cluster, report) --groupByKey--> anchors --join--> undated documents
    ids        new ids --join--> previous ids on mention / event --reduceByKey--> votes;
               the greedy renaming (`majority_renames`) runs on the driver over the votes

The driver holds only the vote table and the renames (one entry per entity or cluster
whose id carried over), never the documents, mentions or events.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from dyad.fuse import majority_renames
from dyad.fuse import claims as _claims
from dyad.fuse import docdates, entities, events
from dyad.fuse.entities import Local, Ref, ref_of
from dyad.model import DocResult
from dyad.store.fusion import (cluster_row, contradiction_row, doc_date_row, entity_row, mention_row,
                               sources_row)
from dyad.store.schema import FUSION, TABLES

MAX_ROUNDS = 200  # label propagation: rounds are bounded by a cluster's diameter


# --- pure per-record steps (run on the executors) -----------------------------------

def _resolved_blocks(block: tuple[tuple[str, str], Iterable[Local]]) -> Iterator[tuple]:
    """One entity block: ("group", group id, locals) and ("owns", acronym, group id) for
    named groups, ("acr", acronym, group id, locals) for acronym-only ones. A group's id
    is its first local's corpus position, unique across blocks."""
    key, members = block
    members = sorted(members, key=lambda l: l.order)
    for positions in entities.resolve_block(key, members):
        group = [members[i] for i in positions]
        gid = group[0].order
        if key[0] == "ACR":
            yield ("acr", key[1], gid, group)
            continue
        yield ("group", gid, group)
        given = any(entities.given_acronym(l) for l in group)
        docs = tuple(sorted({l.doc_id for l in group}))
        for a in {a for l in group for a in entities.owned_acronyms(l)}:
            yield ("owns", a, (gid, given, docs))


def _block_edges(block: tuple[Any, Iterable[events.EventFact]]) -> list[tuple[str, str]]:
    return events.block_edges(sorted(block[1], key=lambda f: f.order))


def _cluster_rows(members: Iterable[tuple[str, str]]) -> Iterator[tuple[str, Any]]:
    """One component: (event id, cluster id) per member, and ("", (cluster id, sources)) once."""
    members = list(members)
    cid = events.cluster_id(e for e, _ in members)
    yield "", (cid, sorted({d for _, d in members}))
    for event_id, _ in members:
        yield event_id, cid


def _facts(pair: tuple[str, tuple[DocResult, Optional[Iterable[tuple[Ref, str]]]]]) -> list:
    res, refs = pair[1]
    return events.event_facts(res, dict(refs or ()))


def _reports(res: DocResult) -> Iterator[tuple[str, tuple]]:
    for ev in res.events:
        said = docdates.report(res, ev)
        if said is not None:
            yield ev.event_id, said


def _undated_anchors(reports: Iterable[tuple]) -> Iterator[tuple[str, tuple]]:
    """One cluster's reports: each undated document gets the cluster's earliest anchor."""
    reports = list(reports)
    anchors = [r[1] for r in reports if r[0] == "anchor"]
    if anchors:
        first = min(anchors)
        for kind, doc_id in reports:
            if kind == "undated":
                yield doc_id, first


# --- Spark plumbing ---------------------------------------------------------------

def components(edges, partitions: Optional[int] = None) -> Any:
    """Connected components of an edge RDD by min-label propagation with pointer
    jumping: (vertex, smallest vertex of its component). Rounds grow with the log of a
    component's diameter, which clusters keep small anyway (each block joins its members
    straight to the cluster's first event).
    Every shuffle names its partition count: left to PySpark, a union's partitions
    would add up round after round."""
    n = partitions or max(2, edges.context.defaultParallelism)
    adj = edges.flatMap(lambda e: ((e[0], e[1]), (e[1], e[0]))).distinct(n).persist()
    labels = adj.map(lambda kv: (kv[0], min(kv))).reduceByKey(min, n).persist()
    for rnd in range(MAX_ROUNDS):
        hop = adj.join(labels, n).map(lambda kv: (kv[1][0], kv[1][1])).union(labels).reduceByKey(min, n)
        # pointer jumping: a vertex also takes its label's label, so a chain settles in
        # about log2(length) rounds instead of one round per link
        jump = hop.map(lambda kv: (kv[1], kv[0])).join(hop, n).map(lambda kv: kv[1])
        new = hop.union(jump).reduceByKey(min, n).persist()
        if rnd % 10 == 9:
            new.localCheckpoint()  # keep the lineage short on long chains
        changed = new.join(labels, n).filter(lambda kv: kv[1][0] != kv[1][1]).count()
        labels.unpersist()
        labels = new
        if not changed:
            break
    else:
        raise RuntimeError(f"cluster labels did not settle in {MAX_ROUNDS} rounds")
    adj.unpersist()
    return labels


def _renames(sc, new_of, old_of, n: int) -> dict[str, str]:
    """Driver: new id -> old id, from (key, new id) and (key, old id) RDDs."""
    votes_rdd = new_of.join(old_of, n).map(lambda kv: (kv[1], 1)).reduceByKey(lambda a, b: a + b, n)
    votes: dict[str, Counter] = {}
    for (new, old), n in votes_rdd.toLocalIterator():
        votes.setdefault(new, Counter())[old] = n
    olds = {o for c in votes.values() for o in c}
    if not olds:
        return {}
    wanted = sc.broadcast(olds)
    taken = set(new_of.values().filter(lambda v: v in wanted.value).distinct(n).collect())
    return majority_renames(votes, taken)


def _write(spark, rdd, table: str, out: Path) -> None:
    from pyspark.sql import types as T

    types = {"TEXT": T.StringType(), "JSON": T.StringType(), "INTEGER": T.LongType(),
             "DOUBLE PRECISION": T.DoubleType(), "BOOLEAN": T.BooleanType()}
    schema = T.StructType([T.StructField(c, types[t.replace(" PRIMARY KEY", "")], True) for c, t in TABLES[table]])
    cols = [c for c, _ in TABLES[table]]
    rows = rdd.map(lambda r: tuple(r.get(c) for c in cols))
    spark.createDataFrame(rows, schema).write.mode("overwrite").parquet(str(out / table))


def fuse_on_spark(spark, docs, out: Path, previous_mentions=None, previous_clusters=None,
                  partitions: Optional[int] = None) -> Path:
    """Fuse an RDD of DocResults; writes the fusion tables as Parquet under `out/<table>`.

    `previous_mentions` ((doc_id, start, end, text), entity_id) and `previous_clusters`
    (event_id, cluster_id) RDDs carry ids over from the store, as `fuse(previous=...)` does."""
    from pyspark import StorageLevel

    sc = spark.sparkContext
    n = partitions or max(2, sc.defaultParallelism)
    keep = StorageLevel.MEMORY_AND_DISK  # reused several times; spill rather than recompute
    docs = docs.filter(lambda r: r.document.error is None).persist(keep)

    # entities: resolve each block, then acronym-only groups join their one owner
    resolved = (docs.flatMap(entities.local_groups).map(lambda l: (entities.block_key(l), l))
                .groupByKey(n).flatMap(_resolved_blocks).persist(keep))
    groups = resolved.filter(lambda r: r[0] == "group").map(lambda r: (r[1], r[2]))
    owners = (resolved.filter(lambda r: r[0] == "owns").map(lambda r: (r[1], r[2])).distinct(n)
              .groupByKey(n).mapValues(list))
    acr = (resolved.filter(lambda r: r[0] == "acr").map(lambda r: (r[1], (r[2], r[3])))
           .leftOuterJoin(owners, n)
           .map(lambda kv: (entities.acronym_owner_of(kv[1][0][1], kv[1][1] or []) or kv[1][0][0], kv[1][0][1])))
    drafts = (groups.union(acr).reduceByKey(lambda a, b: a + b, n)
              .map(lambda kv: entities.draft(sorted(kv[1], key=lambda l: l.order))))
    named = (drafts.map(lambda d: (d.key, d)).groupByKey(n)
             .flatMap(lambda kv: entities.assign_ids(list(kv[1]))).persist(keep))
    entity_of = named.flatMap(lambda de: ((it.ref, de[1]) for it in de[0].items)).persist(keep)

    # events: each document's events see its own mentions' entities, then blocks sweep
    by_doc = entity_of.map(lambda kv: (kv[0][0], kv)).groupByKey(n)
    facts = docs.map(lambda r: (r.document.doc_id, r)).leftOuterJoin(by_doc, n).flatMap(_facts).persist(keep)
    edges = (facts.flatMap(lambda fk: ((k, fk[0]) for k in fk[1])).groupByKey(n).flatMap(_block_edges))
    labels = components(edges, n)
    components_rows = (facts.map(lambda fk: (fk[0].event_id, fk[0].doc_id)).leftOuterJoin(labels, n)
                .map(lambda kv: (kv[1][1] or kv[0], (kv[0], kv[1][0]))).groupByKey(n)
                .flatMap(lambda kv: _cluster_rows(kv[1])).persist(keep))
    sources = components_rows.filter(lambda kv: kv[0] == "").values()
    clusters = components_rows.filter(lambda kv: kv[0] != "")  # event id -> cluster id

    # document dates: the earliest dated report of a cluster bounds its undated reporters
    published = docs.map(lambda r: (r.document.doc_id, r.document.published_inferred))
    doc_dates = (docs.flatMap(_reports).join(clusters, n)
                 .map(lambda kv: (kv[1][1], kv[1][0])).groupByKey(n).flatMap(lambda kv: _undated_anchors(kv[1]))
                 .reduceByKey(max, n).join(published, n)
                 .map(lambda kv: (kv[0], docdates.narrowed(kv[1][1], kv[1][0])))
                 .filter(lambda kv: kv[1] is not None))

    contradictions = (docs.flatMap(lambda r: ((_claims.claim_block(c), c) for c in r.claims)).groupByKey(n)
                      .map(lambda kv: _claims.contradiction_in(kv[0][0], list(kv[1])))
                      .filter(lambda c: c is not None))

    # ids carried over from the store's previous fusion
    ent_rename = (_renames(sc, entity_of, previous_mentions, n) if previous_mentions is not None else {})
    cl_rename = (_renames(sc, clusters, previous_clusters, n)
                 if previous_clusters is not None else {})
    er, cr = sc.broadcast(ent_rename), sc.broadcast(cl_rename)

    def entity_rows(de) -> dict[str, Any]:
        d, eid = de
        eid = er.value.get(eid, eid)
        return entity_row(entities.entity_of_draft(d, eid), len(d.items))

    tables = {
        "entities": named.map(entity_rows),
        "entity_mentions": entity_of.map(lambda kv: mention_row(kv[0], er.value.get(kv[1], kv[1]))),
        "event_clusters": clusters.map(lambda kv: cluster_row(kv[0], cr.value.get(kv[1], kv[1]))),
        "clusters": sources.map(lambda cs: sources_row(cr.value.get(cs[0], cs[0]), cs[1])),
        "contradictions": contradictions.map(contradiction_row),
        "doc_dates": doc_dates.map(lambda kv: doc_date_row(*kv)),
    }
    out.mkdir(parents=True, exist_ok=True)
    for table in FUSION:
        _write(spark, tables[table], table, out)
    for rdd in (docs, resolved, named, entity_of, facts, components_rows, labels):
        rdd.unpersist()
    return out


def read_fusion(out: Path) -> dict[str, Iterator[dict[str, Any]]]:
    """The tables `fuse_on_spark` wrote, as row streams for `Store.write_fusion`."""
    import pyarrow.dataset as ds

    def rows(table: str) -> Iterator[dict[str, Any]]:
        for batch in ds.dataset(str(out / table), format="parquet").to_batches(batch_size=10_000):
            yield from batch.to_pylist()

    return {table: rows(table) for table in FUSION}


def previous_rdds(spark, stage: Path):
    """The store's previous ids, staged as Parquet by the driver, as RDDs (or None)."""
    def load(name: str):
        path = stage / name
        if not path.exists() or not any(path.iterdir()):
            return None
        return spark.read.parquet(str(path)).rdd
    mentions = load("prev_mentions")
    clusters = load("prev_clusters")
    if mentions is not None:
        mentions = mentions.map(lambda r: (ref_of(r.doc_id, r.start_char, r.end_char, r.text), r.entity_id))
    if clusters is not None:
        clusters = clusters.map(lambda r: (r.event_id, r.cluster_id))
    return mentions, clusters


def stage_store(store, stage: Path, chunk: int = 2000) -> int:
    """Driver: stream every stored DocResult and the previous ids into Parquet under
    `stage` (results/, prev_mentions/, prev_clusters/). Returns the documents staged."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from dyad.store import rows as R

    def stream(name: str, schema, rows: Iterable[dict[str, Any]]) -> int:
        (stage / name).mkdir(parents=True, exist_ok=True)
        buf: list[dict[str, Any]] = []
        n = files = 0
        for row in rows:
            buf.append(row)
            n += 1
            if len(buf) >= chunk:
                pq.write_table(pa.Table.from_pylist(buf, schema=schema), stage / name / f"part-{files:05d}.parquet")
                buf, files = [], files + 1
        if buf:
            pq.write_table(pa.Table.from_pylist(buf, schema=schema), stage / name / f"part-{files:05d}.parquet")
        return n

    docs = stream("results", pa.schema([("doc_id", pa.string()), ("rows", pa.string())]),
                  ({"doc_id": r.document.doc_id,
                    "rows": json.dumps(R.result_rows(r), ensure_ascii=False, default=str)}
                   for r in store.iter_results()))
    stream("prev_mentions", pa.schema([("doc_id", pa.string()), ("start_char", pa.int64()),
                                       ("end_char", pa.int64()), ("text", pa.string()), ("entity_id", pa.string())]),
           store._stream("SELECT doc_id, start_char, end_char, text, entity_id FROM entity_mentions"))
    stream("prev_clusters", pa.schema([("event_id", pa.string()), ("cluster_id", pa.string())]),
           store._stream("SELECT event_id, cluster_id FROM event_clusters"))
    return docs


def fuse_store_on_spark(spark, store, work: Path, partitions: Optional[int] = None) -> None:
    """Cross-document reading over everything stored, on Spark; replaces the fusion tables.
    The same result as `dyad.pipeline.fuse_store`, computed by the executors."""
    import shutil

    from dyad.spark import result_from_rows

    stage = work / "_fuse_input"
    if stage.exists():
        shutil.rmtree(stage)
    try:
        if not stage_store(store, stage):
            store.write_fusion({})
            return
        docs = spark.read.parquet(str(stage / "results")).rdd.map(lambda r: result_from_rows(json.loads(r.rows)))
        prev_mentions, prev_clusters = previous_rdds(spark, stage)
        out = fuse_on_spark(spark, docs, work / "fusion", prev_mentions, prev_clusters, partitions)
        store.write_fusion(read_fusion(out))
    finally:
        shutil.rmtree(stage, ignore_errors=True)
