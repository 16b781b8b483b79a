"""The learned step: training on a corpus, the shipped model, and one decision path."""
from __future__ import annotations

import gzip
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from dyad.learn import train as tr
from dyad.learn.corpus import fold_of, is_held_out, read_corpus
from dyad.resources.tables.eventmodel import load_model

MINI = Path(__file__).parent / "fixtures" / "corpus"
SHIPPED = Path(__file__).resolve().parents[1] / "src" / "dyad" / "resources" / "models" / "events.json.gz"


def test_splits_are_fixed_by_id():
    assert is_held_out("w1-0007") == is_held_out("w1-0007")
    assert {fold_of(f"x-{i}", 5) for i in range(200)} == set(range(5))
    share = sum(is_held_out(f"w9-{i:04d}") for i in range(2000)) / 2000
    assert 0.1 < share < 0.2


def test_dyad_train_writes_a_model_that_codes_the_corpus(tmp_path, nlp, resources):
    out = tmp_path / "events.json.gz"
    cmd = [sys.executable, "-m", "dyad.cli", "train", str(MINI), "--out", str(out), "--cv", "2",
           "--report", str(tmp_path / "fig.json")]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "2-fold cross-validation" in done.stdout and "primary event type" in done.stdout
    fig = json.loads((tmp_path / "fig.json").read_text())
    assert 0 <= fig["cv"]["type_acc"] <= 1 and fig["cv"]["per_type"]
    model = load_model(out)
    assert model is not None and "NONE" in model.classes and "COERCE" in model.classes
    # in-sample: the model it wrote codes its own training sentences
    sentences = read_corpus([MINI])
    res = tr.with_model(resources, model)
    by_text = {s.text: s for s in sentences}
    s = by_text["Ghanaian police arrested twelve opposition activists in Accra."]
    (ev,) = tr.code(s, nlp(s.text), res)
    assert ev.event_type == "COERCE" and 0 < ev.confidence <= 1


def test_training_is_reproducible(tmp_path, nlp, resources):
    sentences = read_corpus([MINI])
    docs = tr.parse(sentences, nlp)
    res = tr.rules_only(resources)
    a, b = tmp_path / "a.json.gz", tmp_path / "b.json.gz"
    tr.write(tr.fit(tr.collect(sentences, docs, res)), a)
    tr.write(tr.fit(tr.collect(sentences, docs, res)), b)
    assert a.read_bytes() == b.read_bytes()


def test_every_candidate_reaches_the_model_with_its_features(nlp, resources):
    sentences = read_corpus([MINI])
    docs = tr.parse(sentences, nlp)
    cands = tr.collect(sentences, docs, tr.rules_only(resources))
    labels = {c.label for c in cands}
    assert "NONE" in labels and "COERCE" in labels
    c = next(c for c in cands if c.label == "COERCE")
    assert any(f.startswith("lex=") for f in c.feats) and any(f.startswith("act:") for f in c.feats)


def test_the_model_decides_and_the_rules_keep_roles(nlp, resources):
    """A candidate the model calls NONE gives no event; one it types keeps the rules' roles."""
    from dyad.resources.tables.eventmodel import EventModel

    never = EventModel(("NONE", "ASSAULT"), (5.0, -5.0), {}, {}, {})
    always = EventModel(("NONE", "ASSAULT"), (-5.0, 5.0), {}, {}, {})
    text = "Ethiopian troops shelled rebel positions near Gondar."
    s = read_corpus([MINI])[0].__class__("x", text)
    assert tr.code(s, nlp(text), tr.with_model(resources, never)) == []
    (ev,) = tr.code(s, nlp(text), tr.with_model(resources, always))
    assert ev.event_type == "ASSAULT" and ev.actor[0].country == "ETH" and ev.confidence > 0.9


def test_model_can_be_switched_off(monkeypatch):
    from dyad.resources import RESOURCE_DIR
    from dyad.resources.tables.events import load_tables

    monkeypatch.setenv("DYAD_EVENT_MODEL", "off")
    assert load_tables(RESOURCE_DIR, [])["events.model"] is None


def test_the_shipped_model_is_small_and_loads():
    assert SHIPPED.stat().st_size < 3_000_000
    with gzip.open(SHIPPED, "rt") as fh:
        d = json.load(fh)
    assert d["classes"][0] and len(d["classes"]) == 17 and d["meta"]["seed"] == tr.SEED
