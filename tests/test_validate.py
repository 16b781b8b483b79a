"""The contract validator itself: valid records pass, each kind of breakage is named."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from dyad.validate import (
    validate_claim,
    validate_command,
    validate_contradiction,
    validate_dir,
    validate_document,
    validate_entity,
    validate_event,
)

TEXT = "Iran's foreign minister met Taliban officials in Kabul on Monday. The border is 945 km long."
SENT = "Iran's foreign minister met Taliban officials in Kabul on Monday."

DOC = {
    "doc_id": "d1", "title": "Talks", "url": None, "publisher": None, "author": None,
    "published": "2022-01-11", "published_inferred": None, "text": TEXT,
    "removed": [{"kind": "title", "text": "Talks", "start": 0, "end": 5}],
    "language": "en", "source": "a.txt", "error": None,
}
EVENT = {
    "event_id": "e1", "doc_id": "d1", "cluster_id": "c1", "sources": ["d1"], "event_type": "CONSULT",
    "mode": "visit", "contexts": ["diplomatic"],
    "actor": [{"text": "Iran", "name": "Iran", "country": "IRN", "sector": "GOV", "entity_id": "n1",
               "start": 0, "end": 4, "type": "GPE"}],
    "recipient": [{"text": "Taliban", "name": "Taliban", "country": "AFG", "sector": "REB", "entity_id": None,
                   "start": 28, "end": 35, "type": "ORG"}],
    "source_actor": None, "negated": False, "modality": "asserted",
    "date": {"text": "Monday", "start": "2022-01-10", "end": None, "granularity": "day", "kind": "exact"},
    "location": {"name": "Kabul", "country": "AFG", "lat": 34.53, "lon": 69.17, "text": "Kabul", "start": 49,
                 "end": 54},
    "evidence": {"text": SENT, "start": 0, "end": len(SENT)}, "trigger": "met", "score": 4.0,
    "confidence": 0.8, "cameo": "042",
}
ENTITY = {"entity_id": "n1", "name": "Iran", "type": "GPE", "country": "IRN", "sector": None, "aliases": ["Tehran"],
          "mentions": [{"doc_id": "d1", "text": "Iran", "start": 0, "end": 4}]}
KM = TEXT.index("945 km")
CLAIM = {"claim_id": "k1", "doc_id": "d1", "subject": "border length|AFG|IRN", "value": 945.0, "value_max": None,
         "unit": "km", "text": "945 km", "sentence": "The border is 945 km long.", "start": KM, "end": KM + 6}


def changed(record: dict, path: str, value) -> dict:
    d = copy.deepcopy(record)
    *parents, last = path.split(".")
    target = d
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if value is KeyError:
        del target[last]
    else:
        target[int(last) if isinstance(target, list) else last] = value
    return d


def test_valid_records_pass():
    assert validate_document(DOC) == []
    assert validate_event(EVENT, TEXT, fused=True) == []
    assert validate_entity(ENTITY, {"d1": TEXT}) == []
    assert validate_claim(CLAIM, TEXT) == []
    other = dict(CLAIM, claim_id="k2", value=921.0)
    assert validate_contradiction({"subject": CLAIM["subject"], "claims": [CLAIM, other]}, {"d1": TEXT}) == []


def test_unfused_event_may_lack_cluster_and_sources():
    raw = dict(EVENT, cluster_id=None, sources=[])
    assert validate_event(raw, TEXT) == []
    assert validate_event(raw, TEXT, fused=True) != []


@pytest.mark.parametrize("path, value, words", [
    ("event_type", "MEET", "plover"),
    ("modality", "certain", "modality"),
    ("negated", "no", "negated"),
    ("actor.0.country", "IR", "country"),
    ("actor.0.country", "irn", "country"),
    ("actor.0.sector", "Gov", "sector"),
    ("actor.0.start", 1, "text[1:4]"),
    ("actor.0.end", 999, "past the end"),
    ("actor", None, "actor must be a list"),
    ("recipient.0.name", "", "name"),
    ("recipient.0.text", "", "implied party"),
    ("recipient.0.text", None, "recipient[0]: text"),
    ("evidence.start", 1, "text[1:"),
    ("evidence.end", len(SENT) + 1, "text[0:"),
    ("evidence.end", -1, "0 <= start <= end"),
    ("evidence.text", "", "evidence"),
    ("evidence", KeyError, "missing field"),
    ("date.kind", "fuzzy", "kind"),
    ("date.granularity", "decade", "granularity"),
    ("date.start", "10 January 2022", "iso date"),
    ("date.end", "2022-01-01", "only a range"),
    ("location.lat", 123.0, "lat"),
    ("location.start", 48, "text[48:54]"),
    ("score", 11, "score"),
    ("score", float("nan"), "score"),
    ("confidence", 1.5, "confidence"),
    ("confidence", True, "confidence"),
    ("contexts", "diplomatic", "contexts"),
    ("sources", [], "own doc_id"),
    ("sources", ["d2"], "own doc_id"),
    ("cluster_id", None, "cluster_id"),
])
def test_broken_event_is_reported(path, value, words):
    problems = validate_event(changed(EVENT, path, value), TEXT, fused=True)
    assert problems and words in " ".join(problems).lower(), problems


def test_an_implied_party_has_no_text_and_no_offsets():
    implied = {"text": "", "name": "Afghanistan", "country": "AFG", "sector": "GOV", "entity_id": None,
               "start": None, "end": None, "type": "GPE"}
    assert validate_event(dict(EVENT, recipient=[implied]), TEXT) == []


def test_date_rules():
    rng = {"text": "between 1996 and 2001", "start": "1996-01-01", "end": "2001-12-31", "granularity": "year",
           "kind": "range"}
    assert validate_event(dict(EVENT, date=rng), TEXT) == []
    inverted = dict(rng, start="2002-01-01")
    assert "before start" in " ".join(validate_event(dict(EVENT, date=inverted), TEXT))
    unresolved = {"text": "last Ramadan", "start": "2021-04-13", "end": None, "granularity": None,
                  "kind": "unresolved"}
    assert "unresolved" in " ".join(validate_event(dict(EVENT, date=unresolved), TEXT))
    assert validate_event(dict(EVENT, date=dict(unresolved, start=None)), TEXT) == []


@pytest.mark.parametrize("path, value, words", [
    ("doc_id", "", "doc_id"),
    ("text", None, "text must be a string"),
    ("error", "", "error"),
    ("text", "  ", "must have text"),
    ("published", "Jan 11", "published"),
    ("removed.0.end", 6, "characters"),
    ("removed.0.start", -1, "0 <= start"),
    ("removed", None, "removed must be a list"),
    ("language", KeyError, "missing field"),
    ("published_inferred", {"start": "2022-02-01", "end": "2022-01-01", "granularity": None, "basis": "x"}, "before"),
])
def test_broken_document_is_reported(path, value, words):
    problems = validate_document(changed(DOC, path, value))
    assert problems and words in " ".join(problems).lower(), problems


def test_broken_entities_claims_and_contradictions():
    assert validate_entity(changed(ENTITY, "mentions.0.start", 1), {"d1": TEXT})
    assert "not in documents" in " ".join(validate_entity(changed(ENTITY, "mentions.0.doc_id", "d9"), {"d1": TEXT}))
    assert validate_entity(changed(ENTITY, "country", "Iran"))
    assert validate_claim(changed(CLAIM, "start", KM + 1), TEXT)
    assert "value_max" in " ".join(validate_claim(changed(CLAIM, "value_max", 900.0), TEXT))
    assert "sentence" in " ".join(validate_claim(changed(CLAIM, "sentence", "Another sentence."), TEXT))
    assert "at least two" in " ".join(validate_contradiction({"subject": "s", "claims": [CLAIM]}))
    other = dict(CLAIM, claim_id="k2", subject="other")
    assert "differs" in " ".join(validate_contradiction({"subject": CLAIM["subject"], "claims": [CLAIM, other]}))


def write_dir(folder: Path, **files: list) -> Path:
    rows = {"documents": [DOC], "events": [EVENT], "entities": [ENTITY], "claims": [CLAIM], "contradictions": []}
    rows.update(files)
    folder.mkdir(parents=True, exist_ok=True)
    for name, items in rows.items():
        if items is None:
            continue
        lines = [x if isinstance(x, str) else json.dumps(x) for x in items]
        (folder / f"{name}.jsonl").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return folder


def test_validate_dir_on_a_valid_folder(tmp_path):
    assert validate_dir(write_dir(tmp_path / "out")) == {}


def test_validate_dir_names_each_problem(tmp_path):
    off_by_one = changed(EVENT, "evidence.end", len(SENT) - 1)
    off_by_one["event_id"] = "e2"
    orphan = dict(EVENT, event_id="e3", doc_id="nope", sources=["nope"])
    dangling = changed(EVENT, "actor.0.entity_id", "n404")
    dangling["event_id"] = "e4"
    folder = write_dir(tmp_path / "out", events=[EVENT, EVENT, off_by_one, orphan, dangling, "{not json", "[1]"],
                       contradictions=None)
    report = validate_dir(folder)
    assert report["contradictions.jsonl"] == ["missing"]
    problems = "\n".join(report["events.jsonl"])
    assert "duplicate event_id 'e1'" in problems
    assert "line 3 (event_id e2): evidence: text[0:" in problems
    assert "'nope' is not in documents.jsonl" in problems
    assert "'n404' is not in entities.jsonl" in problems
    assert "line 6: not JSON" in problems and "line 7: a JSON list" in problems
    assert set(report) == {"events.jsonl", "contradictions.jsonl"}


def test_events_of_a_rejected_document_are_a_problem(tmp_path):
    bad = dict(DOC, error="extraction failed")
    report = validate_dir(write_dir(tmp_path / "out", documents=[bad]))
    assert "rejected" in " ".join(report["events.jsonl"])


def test_validate_command(tmp_path):
    app = typer.Typer()
    app.command()(validate_command)
    runner = CliRunner()
    good = write_dir(tmp_path / "good")
    result = runner.invoke(app, [str(good)])
    assert result.exit_code == 0 and "valid" in result.output
    bad = write_dir(tmp_path / "bad", events=[dict(EVENT, event_type="MEET")])
    result = runner.invoke(app, [str(bad), "--json"])
    assert result.exit_code == 1
    assert "PLOVER" in json.loads(result.stdout)["events.jsonl"][0]
    assert runner.invoke(app, [str(tmp_path / "missing")]).exit_code == 2
