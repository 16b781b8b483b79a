"""The reference seed articles (../shared, absent in a user's clone: skipped then)."""
import pytest

from conftest import ROOT

SEEDS = ROOT.parent / "shared" / "data" / "seeds"
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not SEEDS.exists(), reason="no ../shared seeds")]


@pytest.fixture(scope="module")
def fused(nlp):
    from dyad.fuse import apply, fuse
    from dyad.ingest import iter_documents
    from dyad.nlp import DEFAULT_MODEL
    from dyad.pipeline import process_batch

    results = process_batch(list(iter_documents([str(SEEDS)])), DEFAULT_MODEL)
    fusion = fuse(results)
    apply(fusion, results)
    return fusion, results


def test_seed_border_contradiction(fused):
    fusion, _ = fused
    subjects = {c.subject: sorted(k.value for k in c.claims) for c in fusion.contradictions}
    assert subjects.get("border length|AFG|IRN") == [921.0, 936.0]
    assert not any("Khorasan" in s for s in subjects)


def test_seed_names(fused):
    fusion, results = fused
    ids: dict[str, set] = {}
    for r in results:
        for m in r.mentions:
            ids.setdefault(m.text, set()).add(m.entity_id)
    assert ids["Mottaki"] == ids["Muttaqi"] and len(ids["Muttaqi"]) == 1
    assert ids["Ahmed Masood"] == ids["Ahmad Masoud"] and len(ids["Ahmad Masoud"]) == 1
    if "Ahmed Shah Masood" in ids:
        assert not ids["Ahmed Shah Masood"] & ids["Ahmed Masood"]
    nrf = ids.get("NRF", set()) | ids.get("the Resistance Front", set()) | ids.get(
        "the Afghan National Resistance Front", set())
    assert len(nrf) == 1
