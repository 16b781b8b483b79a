"""The store, on both backends: DuckDB (a file) and PostgreSQL (a real server on loopback)."""
from __future__ import annotations

import json

import pytest

from dyad.model import (
    Claim,
    DateMention,
    DocResult,
    Document,
    Event,
    EventDate,
    Evidence,
    Location,
    Mention,
    Party,
    Removed,
)
from dyad.store import StoreError, open_store
from pg import pg_server, pg_url  # noqa: F401  (fixtures)

BACKENDS = ["duckdb", "postgres"]


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path):
    if request.param == "duckdb":
        return str(tmp_path / "store.duckdb")
    return request.getfixturevalue("pg_url")


@pytest.fixture()
def store(store_url):
    with open_store(store_url) as s:
        yield s


def make_result(doc_id: str, n_events: int = 2, text: str | None = None) -> DocResult:
    text = text or (f"Officials of Iran met the Taliban delegation in Tehran on January 8. "
                    f"About 40 people attended. ({doc_id})")
    doc = Document(
        doc_id=doc_id, text=text, title=f"Title {doc_id}", url=f"https://example.org/{doc_id}",
        publisher="Example Wire", author="A. Writer", published="2022-01-09",
        published_inferred=None, removed=[Removed(kind="byline", text="By A. Writer", start=0, end=12)],
        source=f"corpus.jsonl:{doc_id}",
    )
    actor = Party(text="Iran", name="Iran", country="IRN", sector="GOV", start=13, end=17, type="GPE")
    rec = Party(text="the Taliban", name="Taliban", country="AFG", sector="GOV", start=22, end=33, type="ORG")
    events = [
        Event(event_id=f"{doc_id}-e{i}", doc_id=doc_id, event_type="CONSULT" if i % 2 == 0 else "COOPERATE",
              actor=[actor], recipient=[rec], evidence=Evidence(text=text[:69], start=0, end=69),
              trigger="met", mode="visit", contexts=["diplomatic"], negated=False, modality="asserted",
              date=EventDate(text="January 8", start="2022-01-08", end=None, granularity="day", kind="exact"),
              location=Location(name="Tehran", country="IRN", lat=35.69, lon=51.42, text="Tehran",
                                start=54, end=60),
              score=4.0, confidence=0.8, cameo="042")
        for i in range(n_events)
    ]
    return DocResult(
        document=doc,
        events=events,
        mentions=[Mention(doc_id=doc_id, text="Iran", start=13, end=17, type="GPE", name="Iran",
                          country="IRN", sector="GOV"),
                  Mention(doc_id=doc_id, text="Taliban", start=26, end=33, type="ORG", name="Taliban",
                          country="AFG", sector="GOV", title=None)],
        dates=[DateMention(doc_id=doc_id, text="January 8", start=64, end=73, resolved_start="2022-01-08",
                           resolved_end=None, granularity="day", kind="exact")],
        claims=[Claim(claim_id=f"{doc_id}-c1", doc_id=doc_id, subject="attendees", value=40.0, unit="people",
                      text="About 40 people", start=75, end=90, sentence="About 40 people attended.")],
        places=[Location(name="Tehran", country="IRN", lat=35.69, lon=51.42, text="Tehran", start=54, end=60)],
    )


def rejected(doc_id: str) -> DocResult:
    return DocResult(document=Document(doc_id=doc_id, text="", source="bad.bin", error="binary file"))


def as_dicts(results):
    return [json.loads(json.dumps(_asdict(r), default=str))
            for r in results]


def _asdict(r: DocResult):
    from dataclasses import asdict

    d = asdict(r)
    d["document"].pop("raw_text", None)
    return d


def test_write_and_iter_results_round_trip(store):
    results = [make_result(f"d{i}", n_events=i % 3) for i in range(5)] + [rejected("zz-bad")]
    store.write_results(results)
    back = list(store.iter_results())
    assert as_dicts(back) == as_dicts(sorted(results, key=lambda r: r.document.doc_id))
    c = store.counts()
    assert (c["documents"], c["events"], c["claims"], c["rejected"]) == (6, 4, 5, 1)


def test_rewrite_is_idempotent_and_replaces_rows(store):
    store.write_results([make_result("a", 3), make_result("b", 1)])
    store.write_results([make_result("a", 3), make_result("b", 1)])
    assert store.count("documents") == 2 and store.count("events") == 4
    assert store.scalar("SELECT COUNT(*) FROM mentions") == 4
    store.write_results([make_result("a", 1)])  # a document re-coded with fewer events
    assert store.count("events") == 2
    assert sorted(r["event_id"] for r in store.query("SELECT event_id FROM events")) == ["a-e0", "b-e0"]


def test_failed_batch_is_rolled_back(store, monkeypatch):
    store.write_results([make_result("keep", 2)])
    real = store._insert

    def failing(table, rows):
        if table == "claims":
            raise RuntimeError("disk full (simulated)")
        real(table, rows)

    monkeypatch.setattr(store, "_insert", failing)
    with pytest.raises(RuntimeError, match="simulated"):
        store.write_results([make_result("keep", 5), make_result("new", 1)])
    monkeypatch.undo()
    # nothing of the failed batch is visible: not the deletes, not the inserts
    assert store.stored_ids(["keep", "new"]) == {"keep"}
    assert store.count("events") == 2 and store.count("claims") == 1
    store.write_results([make_result("new", 1)])  # the connection is usable again
    assert store.count("documents") == 2


def test_stored_ids(store):
    store.write_results([make_result(f"id{i}", 0) for i in range(3)])
    assert store.stored_ids(["id0", "id2", "nope", "id0"]) == {"id0", "id2"}
    assert store.stored_ids([]) == set()


def test_sort_order_matches_python_for_any_doc_id(store):
    """iter_results merges several ordered streams in Python: the store must sort like Python."""
    ids = ["b", "B", "a-1", "a_1", "a1", "Ärger", "zeta", "Zeta", "éclair", "日本", "~x", "0"]
    store.write_results([make_result(i, 1) for i in ids])
    back = list(store.iter_results())
    assert [r.document.doc_id for r in back] == sorted(ids)
    assert all(len(r.events) == 1 and r.events[0].doc_id == r.document.doc_id for r in back)
    assert all(len(r.mentions) == 2 and len(r.claims) == 1 for r in back)


def test_streams_many_rows_with_several_cursors_open(store):
    n = 2300  # more than one fetch batch of every stream
    store.write_results([make_result(f"doc{i:05d}", 1) for i in range(n)])
    seen = 0
    for r in store.iter_results():
        assert len(r.events) == 1 and len(r.places) == 1 and len(r.dates) == 1
        seen += 1
    assert seen == n
    assert sum(1 for _ in store.iter_table("events", "event_id")) == n


def test_contract_reads_after_fusion(store):
    from dyad.pipeline import fuse_store

    store.write_results([make_result("x1", 2), make_result("x2", 1), rejected("x3")])
    fuse_store(store)
    events = list(store.contract_events())
    assert [e["event_id"] for e in events] == ["x1-e0", "x1-e1", "x2-e0"]
    e = events[0]
    assert e["event_type"] == "CONSULT" and e["cluster_id"] and e["sources"]
    assert e["actor"][0]["country"] == "IRN" and e["recipient"][0]["name"] == "Taliban"
    assert e["date"] == {"text": "January 8", "start": "2022-01-08", "end": None, "granularity": "day",
                         "kind": "exact"}
    assert e["evidence"]["start"] == 0 and e["negated"] is False and e["score"] == 4.0
    docs = list(store.contract_documents())
    assert [d["doc_id"] for d in docs] == ["x1", "x2", "x3"]
    assert docs[2]["error"] == "binary file" and "n_events" not in docs[0]
    claims = list(store.contract_claims())
    assert claims[0]["start"] == 75 and claims[0]["value"] == 40.0
    # the flattened filter columns work the same on both backends
    rows = store.query(f"SELECT event_id FROM events WHERE actor_countries LIKE {store.ph} ORDER BY event_id",
                       ["%|IRN|%"])
    assert [r["event_id"] for r in rows] == ["x1-e0", "x1-e1", "x2-e0"]


def test_interrupted_fusion_keeps_the_old_one_and_the_next_fusion_replaces_it(store):
    """Fusion rows fill staging tables in small transactions and are swapped in at once:
    a fusion that dies midway leaves the previous fusion whole, and a later one works."""
    from dyad.pipeline import fuse_store

    store.write_results([make_result("y1", 2), make_result("y2", 1)])
    fuse_store(store)
    before = {t: store.count(t) for t in ("entities", "entity_mentions", "event_clusters", "clusters")}
    assert all(before.values())

    def broken_rows():
        yield from store.query("SELECT * FROM entities")  # raw rows, as fusion writes them
        raise RuntimeError("killed mid-fusion")

    with pytest.raises(RuntimeError):
        store.write_fusion({"entities": broken_rows()}, chunk=1)
    assert {t: store.count(t) for t in before} == before  # the old fusion, untouched
    store.write_results([make_result("y3", 1)])
    fuse_store(store)
    assert store.count("event_clusters") == 4 and store.count("entity_mentions") > before["entity_mentions"]
    assert store.scalar("SELECT COUNT(*) FROM event_clusters WHERE event_id = 'y3-e0'") == 1


def test_meta(store):
    store.set_meta("spacy_model", "m1")
    store.set_meta("spacy_model", "m2")
    assert store.get_meta("spacy_model") == "m2"
    assert store.get_meta("schema_version") == "2"  # 2: cluster sources in their own table


def test_read_only_store_refuses_writes(store_url):
    with open_store(store_url) as s:
        s.write_results([make_result("r1", 1)])
    with open_store(store_url, read_only=True) as ro:
        assert ro.count("events") == 1
        with pytest.raises(Exception):
            ro.write_results([make_result("r2", 1)])
    with open_store(store_url, read_only=True) as ro:
        assert ro.stored_ids(["r1", "r2"]) == {"r1"}


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_is_identical_on_both_backends(fmt, tmp_path, pg_url):
    from dyad.export import export
    from dyad.pipeline import fuse_store

    results = [make_result(f"e{i}", i % 3) for i in range(6)] + [rejected("e-bad")]
    outputs = {}
    for name, url in (("duckdb", str(tmp_path / "s.duckdb")), ("postgres", pg_url)):
        with open_store(url) as s:
            s.write_results(results)
            fuse_store(s)
        with open_store(url, read_only=True) as s:
            counts = export(s, fmt, tmp_path / name)
        assert counts["documents"] == 7 and counts["events"] == 6
        outputs[name] = {p.name: p.read_bytes() for p in (tmp_path / name).iterdir()}
    if fmt == "parquet":
        import pyarrow.parquet as pq

        for fname in outputs["duckdb"]:
            a = pq.read_table(tmp_path / "duckdb" / fname).to_pylist()
            b = pq.read_table(tmp_path / "postgres" / fname).to_pylist()
            assert a == b, fname
    else:
        assert outputs["duckdb"] == outputs["postgres"]


def test_missing_store_read_only(tmp_path, pg_url):
    with pytest.raises(StoreError, match="no dyad store"):
        open_store(str(tmp_path / "nothing.duckdb"), read_only=True)
    with pytest.raises(StoreError, match="no dyad store"):
        open_store(pg_url, read_only=True)


def _hold_read_lock(db: str, seconds: float):
    """Another process with the store open read-only (as `dyad serve` is, for one request)."""
    import subprocess
    import sys

    code = ("import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True); "
            "print('open', flush=True); time.sleep(float(sys.argv[2])); c.close()")
    proc = subprocess.Popen([sys.executable, "-c", code, db, str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "open"
    return proc


def test_a_writer_waits_out_a_short_read_lock_and_names_a_long_one(tmp_path, monkeypatch):
    import time

    from dyad.store import duckdb as duck

    db = str(tmp_path / "locked.duckdb")
    open_store(db).close()
    reader = _hold_read_lock(db, 1.0)
    t0 = time.monotonic()
    with open_store(db) as store:  # the page's read ends; the run goes on
        assert store.count("documents") == 0
    assert time.monotonic() - t0 >= 0.3
    reader.wait(timeout=30)
    monkeypatch.setattr(duck, "LOCK_WAIT", 0.5)
    reader = _hold_read_lock(db, 5.0)
    try:
        with pytest.raises(StoreError, match="another dyad process"):
            open_store(db)
    finally:
        reader.kill()
        reader.wait(timeout=30)
