"""The local fusion engine's external group-by, and the engine on disk-backed spills.

Fusion must not hold the corpus in memory: every group-by goes through a `Spill`, which
writes sorted runs to disk past its limit. The results must not depend on where the
spill kept its pairs."""
import json
import sys
from dataclasses import asdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dyad.fuse import fuse, spill
from dyad.fuse.engine import LocalFusion
from dyad.fuse.spill import Spill

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from bench_fuse import make_corpus  # noqa: E402


def _reference(pairs):
    out: dict = {}
    for k, v in pairs:
        out.setdefault(k, []).append(v)
    return sorted(out.items())


pairs_strategy = st.lists(st.tuples(st.tuples(st.sampled_from(["ORG", "PERSON", "PLACE"]), st.text(max_size=3)),
                                    st.integers()), max_size=200)


@settings(max_examples=60, deadline=None)
@given(pairs=pairs_strategy, limit=st.integers(min_value=1, max_value=50))
def test_groups_are_by_key_in_arrival_order_whatever_the_limit(tmp_path_factory, pairs, limit):
    s = Spill(tmp_path_factory.mktemp("spill"), "t", limit=limit)
    for k, v in pairs:
        s.add(k, v)
    assert list(s.groups()) == _reference(pairs)
    assert list(s.groups()) == _reference(pairs)  # readable again
    assert [k for k, _ in s.items()] == sorted(k for k, _ in pairs)


def test_a_spill_past_its_limit_writes_runs_and_weights_count(tmp_path):
    s = Spill(tmp_path, "t", limit=10)
    for i in range(25):
        s.add(i % 4, i)
    assert s.runs == 2 and len(list(tmp_path.iterdir())) == 2
    heavy = Spill(tmp_path, "h", limit=10)
    heavy.add("a", "big group", weight=12)  # one group of 12 mentions: over the limit at once
    assert heavy.runs == 1
    assert list(heavy.groups()) == [("a", ["big group"])]


def test_past_fan_in_runs_are_merged_into_one(tmp_path, monkeypatch):
    monkeypatch.setattr(spill, "FAN_IN", 3)
    s = Spill(tmp_path, "t", limit=4)
    pairs = [((i * 7) % 11, i) for i in range(60)]  # 15 runs' worth
    for k, v in pairs:
        s.add(k, v)
    assert s.written > 15 and s.runs < 3
    assert len(list(tmp_path.iterdir())) == s.runs  # merged runs are removed
    assert list(s.groups()) == _reference(pairs)


def _canon(f) -> dict:
    return {"entities": sorted(json.dumps(asdict(e), sort_keys=True) for e in f.entities),
            "entity_of": sorted(map(str, f.entity_of.items())),
            "clusters": sorted(map(str, f.event_clusters.items())),
            "contradictions": sorted(json.dumps(asdict(c), sort_keys=True) for c in f.contradictions),
            "doc_dates": sorted(map(str, f.doc_dates.items()))}


@pytest.fixture(scope="module")
def corpus():
    return make_corpus(400, seed=11)


def test_fusion_is_the_same_in_memory_and_spilled_to_disk(corpus, monkeypatch):
    first, again = fuse(corpus[:200]), None
    again = fuse(corpus, previous=first)
    monkeypatch.setattr(spill, "LIMIT", 17)  # hundreds of run files per spill
    first_disk = fuse(corpus[:200])
    again_disk = fuse(corpus, previous=first_disk)
    assert _canon(first_disk) == _canon(first)
    assert _canon(again_disk) == _canon(again)
    assert again.entities and again.contradictions and again.doc_dates
    assert len({c for c, _ in again.event_clusters.values()}) < len(again.event_clusters)  # some clustered


def test_no_spill_holds_more_than_its_limit(corpus, monkeypatch):
    """What bounds fusion's memory: no spill buffers more than its limit (a single group
    heavier than the limit is written at once)."""
    seen: list[int] = []
    real_add = Spill.add

    def add(self, key, value, weight=1):
        real_add(self, key, value, weight)
        seen.append(self._weight)

    monkeypatch.setattr(Spill, "add", add)
    with LocalFusion(limit=50) as run:
        run.fuse(corpus)
        runs = {name: s.runs for name, s in vars(run).items() if isinstance(s, Spill)}
    assert max(seen) < 50
    assert runs["blocks"] > 10 and runs["by_doc"] > 1  # the corpus went through the disk


def test_the_work_folder_is_removed_even_after_a_failure(tmp_path, corpus):
    with pytest.raises(RuntimeError):
        with LocalFusion(workdir=tmp_path, limit=20) as run:
            run.fuse(corpus[:50])
            assert any(run.dir.iterdir())
            raise RuntimeError("interrupted")
    assert list(tmp_path.iterdir()) == []


def test_store_fusion_is_the_same_spilled_to_disk(tmp_path, corpus, monkeypatch):
    from dyad.store import open_store
    from dyad.store.fusion import fuse_into
    from dyad.store.schema import FUSION

    def tables(db):
        with open_store(db, read_only=True) as store:
            return {t: sorted(json.dumps(r, sort_keys=True, default=str) for r in store.iter_table(t))
                    for t in FUSION}

    dbs = [str(tmp_path / "a.duckdb"), str(tmp_path / "b.duckdb")]
    for db, limit in zip(dbs, (None, 13)):
        if limit:
            monkeypatch.setattr(spill, "LIMIT", limit)
        with open_store(db) as store:
            store.write_results(corpus[:250])
            fuse_into(store)
            store.write_results(corpus[250:])
            fuse_into(store, workdir=tmp_path / "work")
    a, b = tables(dbs[0]), tables(dbs[1])
    assert all(a[t] for t in ("entities", "entity_mentions", "event_clusters", "clusters"))
    assert a == b
    assert list((tmp_path / "work").iterdir()) == []
