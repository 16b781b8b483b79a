"""The team's labelled corpus (`corpus/train/*.jsonl`, written to `corpus/GUIDE.md`).

Splits are fixed by hashing sentence ids, so they never depend on file order:

* `held_out`: 15% of the sentences, never used to fit or tune anything; scored once by
  `dyad train --held-out` with the shipped model;
* the rest is the training pool, cut into `k` folds for cross-validation.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

HELD_OUT_PERCENT = 15


@dataclass
class Sentence:
    id: str
    text: str
    events: list[dict[str, Any]] = field(default_factory=list)
    form: str = ""

    @property
    def writer(self) -> str:
        return self.id.split("-", 1)[0]


def _bucket(key: str, n: int) -> int:
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:8], 16) % n


def is_held_out(sentence_id: str) -> bool:
    return _bucket(sentence_id, 100) < HELD_OUT_PERCENT


def fold_of(sentence_id: str, k: int) -> int:
    return _bucket("fold|" + sentence_id, k)


def read_corpus(paths: Iterable[Path]) -> list[Sentence]:
    """Sentences from JSONL files or folders of them (sorted, so the order is stable)."""
    files: list[Path] = []
    for p in paths:
        p = Path(p)
        files.extend(sorted(p.rglob("*.jsonl")) if p.is_dir() else [p])
    out: list[Sentence] = []
    seen: set[str] = set()
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError:
                continue  # corpus_check reports these; training skips them
            sid, text = str(r.get("id") or ""), r.get("text") or ""
            if not sid or not text or sid in seen:
                continue
            seen.add(sid)
            evs = [e for e in (r.get("events") or []) if isinstance(e, dict) and e.get("type")]
            out.append(Sentence(sid, text, evs, r.get("form") or ""))
    return out


def trigger_spans(s: Sentence) -> list[tuple[int, int, dict[str, Any]]]:
    """(start, end, gold event) of each event's trigger in the sentence (first occurrence not
    taken by an earlier event of the same sentence)."""
    out = []
    taken: set[int] = set()
    for e in s.events:
        trig = e.get("trigger") or ""
        if not trig:
            continue
        start = s.text.find(trig)
        while start in taken and start != -1:
            start = s.text.find(trig, start + 1)
        if start == -1:
            start = s.text.find(trig)
        if start == -1:
            continue
        taken.add(start)
        out.append((start, start + len(trig), e))
    return out
