#!/usr/bin/env python3
"""Check corpus files against corpus/GUIDE.md: JSON, ids, spans, codes. No dependencies.

    python3 scripts/corpus_check.py corpus/train/*.jsonl      # prints problems and counts
"""
from __future__ import annotations

import collections
import json
import re
import sys

TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
         "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
MODES = {
    "CONSULT": {"visit", "third-party", "multilateral", "phone"},
    "RETREAT": {"withdraw", "release", "disarm", "ceasefire", "access", "resign"},
    "REQUEST": {"assist", "change", "yield", "meet"},
    "REJECT": {"assist", "change", "yield", "meet"},
    "ACCUSE": {"disapprove", "investigate", "allege"},
    "THREATEN": {"restrict", "arrest", "relations", "expel", "territory", "violence"},
    "PROTEST": {"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"},
    "SANCTION": {"convict", "expel", "withdraw", "discontinue"},
    "MOBILIZE": {"troops", "weapons", "police", "militia"},
    "COERCE": {"seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport", "withhold",
               "misinformation", "cyber"},
    "ASSAULT": {"abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive", "firearms", "explosives",
                "suicide-attack", "aerial", "drone", "heavy-weapons", "crowd-control", "unconventional"},
}
SECTORS = {"", "GOV", "MIL", "COP", "JUD", "LEG", "PTY", "REB", "SPY", "PRM", "UAF", "UNK", "CVL", "BUS", "CRM",
           "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP", "REL", "SOC", "AGR", "PRE"}
SPECIAL = {"IGO", "NGO", "IMG", "MNC", "ISM", "KOS", "UNO", "EUR"}
MODALITIES = {"asserted", "intended", "hypothetical", "denied", "historical"}
FORMS = {"active", "passive", "agentless", "nominal", "headline", "reported", "multi", "negated", "future",
         "hypothetical", "historical", "none"}


def check_party(p, text, where, problems):
    if not isinstance(p, dict) or "text" not in p:
        problems.append(f"{where}: party must be an object with text")
        return
    if p["text"] not in text:
        problems.append(f"{where}: party text {p['text']!r} not in sentence")
    c = p.get("country")
    if c is not None and not (c in SPECIAL or re.fullmatch(r"[A-Z]{3}", c or "")):
        problems.append(f"{where}: bad country {c!r}")
    if (p.get("sector") or "") not in SECTORS:
        problems.append(f"{where}: bad sector {p.get('sector')!r}")


def main(paths: list[str]) -> int:
    problems: list[str] = []
    ids: set[str] = set()
    texts: dict[str, str] = {}
    by_type = collections.Counter()
    by_mode = collections.Counter()
    forms = collections.Counter()
    n = none = 0
    for path in paths:
        for ln, line in enumerate(open(path, encoding="utf-8"), 1):
            if not line.strip():
                continue
            where = f"{path}:{ln}"
            try:
                r = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{where}: not JSON ({exc})")
                continue
            n += 1
            rid, text = r.get("id"), r.get("text", "")
            if not rid or rid in ids:
                problems.append(f"{where}: missing or duplicate id {rid!r}")
            ids.add(rid)
            key = re.sub(r"\W+", " ", text.lower()).strip()
            if key in texts:
                problems.append(f"{where}: same sentence as {texts[key]}")
            texts[key] = where
            if not 4 <= len(text.split()) <= 80:
                problems.append(f"{where}: sentence of {len(text.split())} words")
            if r.get("form") not in FORMS:
                problems.append(f"{where}: bad form {r.get('form')!r}")
            forms[r.get("form")] += 1
            evs = r.get("events")
            if not isinstance(evs, list):
                problems.append(f"{where}: events must be a list")
                continue
            if not evs:
                none += 1
            for k, e in enumerate(evs):
                w = f"{where} event {k}"
                t = e.get("type")
                if t not in TYPES:
                    problems.append(f"{w}: bad type {t!r}")
                    continue
                by_type[t] += 1
                m = e.get("mode") or ""
                if m and m not in MODES.get(t, set()):
                    problems.append(f"{w}: mode {m!r} is not a {t} mode")
                by_mode[(t, m)] += 1
                if not e.get("trigger") or e["trigger"] not in text:
                    problems.append(f"{w}: trigger {e.get('trigger')!r} not in sentence")
                if e.get("modality", "asserted") not in MODALITIES:
                    problems.append(f"{w}: bad modality {e.get('modality')!r}")
                if not isinstance(e.get("negated", False), bool):
                    problems.append(f"{w}: negated must be true/false")
                for role in ("actor", "recipient"):
                    for p in e.get(role) or []:
                        check_party(p, text, f"{w} {role}", problems)
                loc = e.get("location")
                if loc and loc not in text:
                    problems.append(f"{w}: location {loc!r} not in sentence")
    for p in problems[:200]:
        print(p)
    print(f"{len(problems)} problems; {n} sentences, {none} non-events")
    for t in sorted(TYPES):
        modes = ", ".join(f"{m or '-'}:{c}" for (tt, m), c in sorted(by_mode.items()) if tt == t)
        print(f"  {t:10} {by_type[t]:5}   {modes}")
    print("  forms:", dict(forms.most_common()))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
