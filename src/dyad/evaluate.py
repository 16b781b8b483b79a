"""Accuracy of the event coder against a gold set of single-sentence PLOVER events.

Gold file: JSON lines with `text`, `event_type`, `actor` and `recipient` (lists of
`{text, code, sector}`), as in the PLOVER gold-standard records.

How the figures are defined (per gold sentence):

* Each sentence is coded as its own document. dyad's *primary* event is chosen without
  looking at the gold record: the event with the highest `confidence` (ties: the first in
  the sentence). A sentence with no event counts as wrong on every measure.
* `type_acc`: the primary event's type equals the gold type.
* `actor_acc`: the first gold actor's code is among the primary event's actor countries.
* `recipient_acc`: the first gold recipient's code is among the primary event's recipient
  countries; an empty gold recipient matches an empty predicted recipient.
* `all_three_acc`: type, actor and recipient all right for the same primary event.
* `any_*`: the same, but counting a sentence right if *any* event dyad emitted for it
  matches (an upper bound that shows what a better primary-event choice would gain).

Gold codes are ISO alpha-3 with CAMEO-style extras: `IGO` (international bodies), `NGO`,
`IMG` (transnational armed groups); dyad uses the same. Two legacy gold codes are mapped to
ISO (`ITL`->`ITA`, `JAP`->`JPN`).
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Optional

from spacy.language import Language

from dyad.extract import process_document
from dyad.model import Document, Event
from dyad.resources import Resources

GOLD_CODE_MAP = {"ITL": "ITA", "JAP": "JPN"}


def _code(c: Optional[str]) -> str:
    c = (c or "").strip().upper()
    return GOLD_CODE_MAP.get(c, c)


def primary_event(events: list[Event]) -> Optional[Event]:
    """The event dyad would report first for a sentence: highest confidence, then earliest."""
    if not events:
        return None
    return max(enumerate(events), key=lambda ie: (ie[1].confidence, -ie[0]))[1]


def _match(ev: Optional[Event], gold: dict[str, Any]) -> tuple[bool, bool, bool]:
    if ev is None:
        return False, False, False
    gactors = [_code(p.get("code")) for p in gold.get("actor", [])]
    grecips = [_code(p.get("code")) for p in gold.get("recipient", [])]
    pa = {_code(p.country) for p in ev.actor if p.country}
    pr = {_code(p.country) for p in ev.recipient if p.country}
    type_ok = ev.event_type == gold.get("event_type")
    actor_ok = (gactors[0] in pa) if gactors else not pa
    recip_ok = (grecips[0] in pr) if grecips else not pr
    return type_ok, actor_ok, recip_ok


def evaluate_gsr(path: str | Path, nlp: Language, res: Resources, details: bool = False) -> dict[str, Any]:
    """Score dyad on a gold file; returns metrics, per-type confusion and (optionally) per-row details."""
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    n = len(rows)
    totals: Counter[str] = Counter()
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    per_type: dict[str, Counter[str]] = defaultdict(Counter)
    out_rows = []
    texts = [r["text"] for r in rows]
    for row, sdoc in zip(rows, nlp.pipe(texts, batch_size=64)):
        doc = Document(doc_id=str(row.get("id", "")), text=row["text"])
        events = process_document(doc, sdoc, res).events
        ev = primary_event(events)
        t, a, r = _match(ev, row)
        anys = [_match(e, row) for e in events]
        gold_type = row.get("event_type", "")
        totals["type"] += t
        totals["actor"] += a
        totals["recipient"] += r
        totals["all_three"] += t and a and r
        totals["coverage"] += ev is not None
        totals["any_type"] += any(x[0] for x in anys)
        totals["any_all_three"] += any(all(x) for x in anys)
        confusion[gold_type][ev.event_type if ev else "NONE"] += 1
        per_type[gold_type]["n"] += 1
        per_type[gold_type]["type_ok"] += t
        if details:
            out_rows.append({
                "id": row.get("id"), "text": row["text"], "gold_type": gold_type,
                "gold_actor": [_code(p.get("code")) for p in row.get("actor", [])],
                "gold_recipient": [_code(p.get("code")) for p in row.get("recipient", [])],
                "pred_type": ev.event_type if ev else None,
                "pred_actor": [p.country for p in ev.actor] if ev else [],
                "pred_recipient": [p.country for p in ev.recipient] if ev else [],
                "trigger": ev.trigger if ev else None,
                "ok": [t, a, r], "n_events": len(events),
            })
    div = max(n, 1)
    result: dict[str, Any] = {
        "n": n,
        "type_acc": round(totals["type"] / div, 3),
        "actor_acc": round(totals["actor"] / div, 3),
        "recipient_acc": round(totals["recipient"] / div, 3),
        "all_three_acc": round(totals["all_three"] / div, 3),
        "coverage": round(totals["coverage"] / div, 3),
        "any_type_acc": round(totals["any_type"] / div, 3),
        "any_all_three_acc": round(totals["any_all_three"] / div, 3),
        "per_type": {k: {"n": v["n"], "type_acc": round(v["type_ok"] / max(v["n"], 1), 3)} for k, v in sorted(per_type.items())},
        "confusion": {k: dict(v.most_common()) for k, v in sorted(confusion.items())},
    }
    if details:
        result["rows"] = out_rows
    return result


def format_report(m: dict[str, Any], seconds: float | None = None) -> str:
    """The figures of `evaluate_gsr` as text (used by `dyad eval` and benchmarks/eval_plover.py)."""
    took = f"  ({seconds:.1f}s)" if seconds is not None else ""
    lines = [f"gold sentences     {m['n']}{took}"]
    for k in ("type_acc", "actor_acc", "recipient_acc", "all_three_acc", "coverage", "any_type_acc",
              "any_all_three_acc"):
        lines.append(f"{k:18} {m[k]:.3f}")
    lines.append("\nper type (gold -> dyad primary):")
    for gold, preds in m["confusion"].items():
        pt = m["per_type"][gold]
        lines.append(f"  {gold:10} n={pt['n']:3} acc={pt['type_acc']:.2f}  {preds}")
    if m.get("rows"):
        lines.append("\nerrors (T=type A=actor R=recipient wrong):")
        for r in m["rows"]:
            if not all(r["ok"]):
                flags = "".join("TAR"[i] if not ok else "." for i, ok in enumerate(r["ok"]))
                lines.append(f"  [{flags}] gold {r['gold_type']} {r['gold_actor']}->{r['gold_recipient']} | dyad "
                             f"{r['pred_type']} {r['pred_actor']}->{r['pred_recipient']} trig={r['trigger']!r} "
                             f"n={r['n_events']}\n      {r['text'][:160]}")
    return "\n".join(lines)
