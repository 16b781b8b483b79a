#!/usr/bin/env python3
"""Check the corpus writers' trigger rows (corpus/lexicon/*.tsv) and install them as
src/dyad/resources/events/triggers/<writer>.tsv.

A row is kept when its pos, type and mode are valid PLOVER values and its phrase is not
already in triggers.tsv or an earlier writer's file (the first writer of a phrase keeps it;
the hand-kept triggers.tsv always wins). Prints what was dropped and why.

    python3 scripts/merge_lexicon.py
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_check import MODES, TYPES  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "corpus" / "lexicon"
BASE = ROOT / "src" / "dyad" / "resources" / "events" / "triggers.tsv"
OUT = ROOT / "src" / "dyad" / "resources" / "events" / "triggers"


def rows(path: Path):
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")] + [""] * 6
        if cols[0].lower() == "phrase":
            continue
        yield cols[:6]


def main() -> int:
    seen = {re.sub(r"\s+", " ", r[0].lower()) + "|" + r[1].upper()[:1] for r in rows(BASE)}
    # light verbs carry noun triggers themselves ("paid a visit" = pay + visit): a verb row
    # "pay visit" would take the event from the noun and lose its roles
    light = {r[0].lower() for r in rows(BASE) if r[1].upper()[:1] == "L"}
    # "paid a visit" is the noun row's event, reached through the light verb; "sent troops"
    # has no noun trigger ("troops" alone is no event), so its verb row stays
    nouns = {re.sub(r"\s+", " ", r[0].lower()) for p in [BASE, *sorted(SRC.glob("*.tsv"))] for r in rows(p)
             if r[1].upper()[:1] == "N"}
    OUT.mkdir(parents=True, exist_ok=True)
    for path in sorted(SRC.glob("*.tsv")):
        kept, dropped = [], []
        for phrase, pos, typ, mode, context, cameo in rows(path):
            phrase = re.sub(r"\s+", " ", phrase.lower())
            pos = pos.upper()[:1]
            if pos == "L":  # a writer's multi-word verb phrase ("rule out"): a verb row; bare light verbs stay hand-kept
                pos = "V"
            typ = typ.upper()
            mode = mode.lower()
            key = f"{phrase}|{pos}"
            why = None
            if not phrase or pos not in ("V", "N", "A"):
                why = f"pos {pos!r}"
            elif typ not in TYPES and typ != "NONE":
                why = f"type {typ!r}"
            elif mode and mode not in MODES.get(typ, set()):
                why = f"mode {mode!r} of {typ}"
            elif key in seen:
                why = "already listed"
            elif pos == "V" and " " in phrase and phrase.split()[0] in light and phrase.split(" ", 1)[1] in nouns:
                why = "light verb + noun (the noun row carries it)"
            elif cameo and not re.fullmatch(r"\d{2,4}", cameo):
                cameo = ""
            if why:
                dropped.append((phrase, why))
                continue
            seen.add(key)
            kept.append("\t".join((phrase, pos, typ, mode, context, cameo)))
        out = OUT / path.name
        out.write_text(f"# Trigger rows written by corpus writer {path.stem} (corpus/lexicon/{path.name}),\n"
                       "# checked and installed by scripts/merge_lexicon.py. phrase\tpos\ttype\tmode\tcontext\tcameo\n"
                       + "\n".join(kept) + "\n", encoding="utf-8")
        reasons = {}
        for _, why in dropped:
            k = why if why in ("already listed",) or why.startswith("light") else why.split(" ")[0]
            reasons[k] = reasons.get(k, 0) + 1
        print(f"{path.name}: {len(kept)} rows kept, {len(dropped)} dropped {reasons}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
