"""Fusion must stay close to linear inside one huge block (regression: 60k events of one
type, one pair of parties and one date took over 14 minutes).

The corpus is benchmarks/bench_fuse.py's `--degenerate` one: every event in one event
block (mostly at unique places, 30% dated only by their article) and every person in one
surname block. Speed itself is measured by `python benchmarks/bench_fuse.py --degenerate`;
these tests count work instead of timing it, so they are deterministic.
"""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from bench_fuse import make_degenerate  # noqa: E402

from dyad.fuse import events, fuse  # noqa: E402

LARGE = 4_000  # documents: 12k events in one block, 4k Karimis in one surname block


@pytest.fixture(scope="module")
def large():
    return make_degenerate(LARGE)


def test_cluster_checks_few_places_per_event(large, monkeypatch):
    """The sweep used to compare each event's place with every open cluster's
    (12k events: tens of millions of checks); now a handful per event."""
    calls = 0
    real = events._place_ok

    def counting(a, b):
        nonlocal calls
        calls += 1
        return real(a, b)

    monkeypatch.setattr(events, "_place_ok", counting)
    n_events = sum(len(r.events) for r in large)
    fuse(large)
    assert calls <= 4 * n_events


def test_degenerate_block_still_clusters_sensibly():
    results = make_degenerate(300)
    f = fuse(results)
    by_place: dict = {}
    for res in results:
        for ev in res.events:
            if ev.location is not None and ev.location.name == "Kabul" and ev.date is not None:
                by_place.setdefault(f.event_clusters[ev.event_id][0], []).append(ev.event_id)
    assert len(by_place) == 1  # every dated Kabul meeting of the day is one event
    districts = {ev.location.name for res in results for ev in res.events
                 if ev.location is not None and ev.location.name.startswith("District") and ev.date}
    clusters = {f.event_clusters[ev.event_id][0] for res in results for ev in res.events
                if ev.location is not None and ev.location.name.startswith("District") and ev.date}
    assert len(clusters) >= len(districts) * 0.9  # distinct places stay distinct events
