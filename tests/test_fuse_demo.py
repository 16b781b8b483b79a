"""End to end over the project's demo corpus: extraction, then fusion."""
from collections import defaultdict

import pytest

from conftest import EXAMPLES

DEMO = EXAMPLES / "demo"
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not DEMO.exists(), reason="no demo corpus")]


@pytest.fixture(scope="module")
def fused(nlp):
    from dyad.fuse import apply, fuse
    from dyad.ingest import iter_documents
    from dyad.nlp import DEFAULT_MODEL
    from dyad.pipeline import process_batch

    results = process_batch(list(iter_documents([str(DEMO)])), DEFAULT_MODEL)
    fusion = fuse(results)
    apply(fusion, results)
    return fusion, results


def _entities_named(fused, *texts):
    fusion, results = fused
    ids = defaultdict(set)
    for r in results:
        for m in r.mentions:
            if m.text in texts:
                ids[m.text].add(m.entity_id)
    assert set(ids) == set(texts), f"not all mentioned: {texts} vs {set(ids)}"
    return ids


def test_transliterated_people_are_one_entity(fused):
    ids = _entities_named(fused, "Amir Khan Muttaqi", "Muttaqi", "Mottaki")
    assert len(set().union(*ids.values())) == 1
    ids = _entities_named(fused, "Saeed Khatibzadeh", "Saeed Khatibzada")
    assert len(set().union(*ids.values())) == 1


def test_massoud_father_and_son_stay_apart(fused):
    ids = _entities_named(fused, "Ahmad Massoud", "Ahmed Masood", "Ahmad Shah Massoud")
    son = ids["Ahmad Massoud"] | ids["Ahmed Masood"]
    assert len(son) == 1 and not (son & ids["Ahmad Shah Massoud"])


def test_resistance_front_variants_are_one_organisation(fused):
    fusion, _ = fused
    nrf = [e for e in fusion.entities if "NRF" in e.aliases or e.name == "NRF"]
    assert len(nrf) == 1
    surfaces = {m["text"].removeprefix("the ").removeprefix("The ") for m in nrf[0].mentions}
    assert {"NRF", "Resistance Front", "National Resistance Front of Afghanistan"} <= surfaces


def test_border_length_contradiction_but_not_the_province(fused):
    fusion, _ = fused
    by_subject = {c.subject: c for c in fusion.contradictions}
    assert "border length|AFG|IRN" in by_subject
    claims = by_subject["border length|AFG|IRN"].claims
    assert {c.value for c in claims} >= {921.0, 945.0} and len({c.doc_id for c in claims}) >= 2
    assert not any("Khorasan" in s for s in by_subject)


def test_same_visit_from_two_outlets_is_one_cluster(fused):
    _, results = fused
    muttaqi_docs = {r.document.doc_id for r in results
                    if r.document.title and ("Muttaqi" in r.document.title or "Mottaki" in r.document.title)}
    assert len(muttaqi_docs) == 2
    shared = [e for r in results for e in r.events
              if e.doc_id in muttaqi_docs and e.event_type == "CONSULT" and set(e.sources) >= muttaqi_docs]
    assert shared
    # each meeting both outlets report (the ministers' talks; Muttaqi and Massoud) is one
    # cluster holding one event from each outlet
    by_cluster = defaultdict(set)
    for e in shared:
        by_cluster[e.cluster_id].add(e.doc_id)
    assert all(docs == muttaqi_docs for docs in by_cluster.values())
    talks = [e for e in shared if any(p.country == "IRN" for p in e.recipient)]
    assert len(talks) == 2 and talks[0].cluster_id == talks[1].cluster_id
