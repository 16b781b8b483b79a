"""Trigger lexicon tables (`events/triggers.*`), light and reporting verbs, PLOVER scores."""
from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional

from dyad.resources.tables.eventmodel import EventModel, load_model
from dyad.resources.yamlfile import read_yaml


@dataclass(frozen=True)
class Trigger:
    phrase: str
    pos: str  # V | N | A
    type: str
    mode: Optional[str]
    context: Optional[str]
    cameo: Optional[str]


def _trigger_rows(path: Path) -> Iterable[dict[str, str]]:
    if path.suffix in (".yaml", ".yml"):
        for d in read_yaml(path) or []:
            if isinstance(d, dict):
                yield {k: ("" if v is None else str(v)) for k, v in d.items()}
        return
    delim = "\t" if path.suffix == ".tsv" else ","
    names = ["phrase", "pos", "type", "mode", "context", "cameo"]
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    for row in csv.reader(lines, delimiter=delim):
        if row and row[0].strip().lower() == "phrase":
            continue  # header
        yield dict(zip(names, [c.strip() for c in row]))


def load_tables(resource_dir: Path, extra_dirs: list[Path]) -> dict[str, Any]:
    verbs: dict[str, Trigger] = {}
    nouns: dict[str, Trigger] = {}
    adjs: dict[str, Trigger] = {}
    light: set[str] = set()
    say: set[str] = set()
    dirs = [resource_dir / "events", *extra_dirs, *[d / "events" for d in extra_dirs]]
    for d in dirs:
        # triggers.tsv, then a folder of further lexicon files (events/triggers/*.tsv)
        paths = [d / f"triggers.{ext}" for ext in ("tsv", "csv", "yaml", "yml")]
        paths += sorted((d / "triggers").glob("*.tsv")) if (d / "triggers").is_dir() else []
        for p in paths:
            if not p.is_file():
                continue
            for row in _trigger_rows(p):
                phrase = re.sub(r"\s+", " ", row.get("phrase", "").strip().lower())
                pos = (row.get("pos") or "V").strip().upper()[:1]
                if not phrase:
                    continue
                if pos == "L":
                    light.add(phrase)
                    continue
                if pos == "S":
                    say.add(phrase)
                    continue
                typ = (row.get("type") or "").strip().upper()
                if not typ:
                    continue
                t = Trigger(phrase, pos, typ, row.get("mode") or None, row.get("context") or None, row.get("cameo") or None)
                {"V": verbs, "N": nouns, "A": adjs}.get(pos, verbs)[phrase] = t
    scores: dict[tuple[str, str], float] = {}
    p = resource_dir / "events" / "scores.tsv"
    for line in p.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            typ, mode, score = (line.split("\t") + ["", ""])[:3]
            scores[(typ.strip(), mode.strip().lower())] = float(score)
    return {"events.verbs": verbs, "events.nouns": nouns, "events.adjs": adjs, "events.light": light,
            "events.say": say, "events.scores": scores,
            # first word of every verb phrase: a verb whose lemma heads none has no trigger
            "events.verb_heads": {k.split(" ", 1)[0] for k in verbs},
            "events.model": _event_model(resource_dir, extra_dirs)}


def _event_model(resource_dir: Path, extra_dirs: list[Path]) -> Optional[EventModel]:
    """The trained model: a user's `models/events.json.gz` wins over ours; DYAD_EVENT_MODEL
    names another file, or `off` to code with the lexicon and rules alone."""
    choice = os.environ.get("DYAD_EVENT_MODEL", "")
    if choice.lower() == "off":
        return None
    if choice:
        return load_model(Path(choice))
    for d in reversed([resource_dir, *extra_dirs]):
        model = load_model(d / "models" / "events.json.gz")
        if model is not None:
            return model
    return None


