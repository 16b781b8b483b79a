"""The dev-set scorer, on a tiny gold file written here (no shared data needed)."""
from __future__ import annotations

import json
import pickle

from dyad.evaluate import evaluate_gsr, primary_event


def test_evaluate_gsr_on_own_gold_file(tmp_path, nlp, resources):
    rows = [
        {"id": "a", "text": "Egypt condemned Israel on Monday.", "event_type": "ACCUSE",
         "actor": [{"text": "Egypt", "code": "EGY"}], "recipient": [{"text": "Israel", "code": "ISR"}]},
        {"id": "b", "text": "Kenya and Uganda signed a trade agreement.", "event_type": "SUPPORT",
         "actor": [{"text": "Kenya", "code": "KEN"}, {"text": "Uganda", "code": "UGA"}], "recipient": []},
        {"id": "c", "text": "Chile has a long coastline.", "event_type": "CONSULT",
         "actor": [{"text": "Chile", "code": "CHL"}], "recipient": []},
        {"id": "d", "text": "Italy suspended flights to Serbia.", "event_type": "SANCTION",
         "actor": [{"text": "Italy", "code": "ITL"}], "recipient": [{"text": "Serbia", "code": "SRB"}]},
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    m = evaluate_gsr(path, nlp, resources, details=True)
    assert m["n"] == 4
    assert m["type_acc"] == 0.75 and m["all_three_acc"] == 0.75  # the background sentence gives no event
    assert m["coverage"] == 0.75
    assert m["confusion"]["CONSULT"] == {"NONE": 1}
    assert m["per_type"]["ACCUSE"]["type_acc"] == 1.0
    assert [r["ok"] for r in m["rows"]][3] == [True, True, True]  # legacy gold code ITL is Italy


def test_primary_event_is_most_confident():
    class E:  # a stand-in with the one field the choice reads
        def __init__(self, c):
            self.confidence = c

    evs = [E(0.4), E(0.8), E(0.8)]
    assert primary_event(evs) is evs[1] and primary_event([]) is None


def test_resources_are_picklable(resources):
    clone = pickle.loads(pickle.dumps(resources))
    assert clone.get("events.verbs")["condemn"].type == "ACCUSE"
