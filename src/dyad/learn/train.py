"""Training and scoring the event model on the team's corpus (`dyad train`, `make train`).

1. Parse every sentence once with the shipped spaCy pipeline.
2. Run the coder with a pass-through model that records, for every candidate trigger, the
   features the real model will see (`events.collect`); label each candidate with the gold
   event whose trigger it overlaps, else `NONE`.
3. Fit a multinomial logistic regression (scikit-learn, fixed seed, CPU), keep the weights
   that matter, and write them as `resources/models/events.json.gz`.

Cross-validation refits on k-1 folds and codes the held-back fold with the full pipeline,
so its figures are what a user would get on sentences the model never saw.
"""
from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

from dyad.learn.corpus import Sentence, fold_of, is_held_out, trigger_spans
from dyad.model import Document, Event
from dyad.resources import Resources
from dyad.resources.tables.eventmodel import NONE, EventModel, save_model

SEED = 13
MIN_COUNT = 2  # a feature seen once is noise
PRUNE = 0.02  # weights smaller than this are dropped from the shipped file
C = 1.0  # inverse regularisation strength (0.5, 1 and 2 gave the same cross-validated figures on the training pool)


class PassThrough:
    """Stands in for the model while features are collected: every candidate goes on with its
    lexicon type, so each one reaches the decision step and is recorded."""

    modes: dict[str, str] = {}

    def partial(self, feats: Sequence[str]) -> list[float]:
        return []

    def decide(self, feats: Sequence[str], lexicon_type: str, base: Any = None) -> tuple[Optional[str], float]:
        return lexicon_type, 0.5

    def mode_for(self, lemma: str, etype: str) -> Optional[str]:
        return None


@dataclass
class Candidate:
    sentence: int  # index into the corpus list
    feats: list[str]
    label: str
    lemma: str
    mode: str


def parse(sentences: Sequence[Sentence], nlp) -> list:
    return list(nlp.pipe([s.text for s in sentences], batch_size=128))


def code(sentence: Sentence, sdoc, res: Resources) -> list[Event]:
    from dyad.extract import process_document

    doc = Document(doc_id=sentence.id, text=sentence.text)
    return process_document(doc, sdoc, res).events


def collect(sentences: Sequence[Sentence], sdocs: Sequence, res: Resources) -> list[Candidate]:
    out: list[Candidate] = []
    for i, (s, sdoc) in enumerate(zip(sentences, sdocs)):
        rows: list = []
        r = Resources(res.extra_dirs, {**res.tables, "events.model": PassThrough(), "events.collect": rows})
        code(s, sdoc, r)
        gold = trigger_spans(s)
        used: set[int] = set()
        for spans, feats in rows:
            label, mode = NONE, ""
            for k, (ga, gb, e) in enumerate(gold):
                if k not in used and any(a < gb and ga < b for a, b in spans):
                    label, mode = e["type"], e.get("mode") or ""
                    used.add(k)
                    break
            lemma = next((f[4:] for f in feats if f.startswith("lem=") and "|" not in f), "")
            out.append(Candidate(i, feats, label, lemma, mode))
    return out


def fit(cands: Sequence[Candidate], c: float = C, threshold: float = 0.5) -> EventModel:
    """A logistic regression on the candidates' features, as the shipped model type."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for cd in cands for f in set(cd.feats))
    keep = {f for f, n in counts.items() if n >= MIN_COUNT}
    vec = DictVectorizer(sparse=True)
    X = vec.fit_transform([{f: 1 for f in cd.feats if f in keep} for cd in cands])
    y = [cd.label for cd in cands]
    clf = LogisticRegression(C=c, max_iter=3000, random_state=SEED)
    clf.fit(X, y)
    classes = [str(k) for k in clf.classes_]
    names = vec.get_feature_names_out()
    coef = clf.coef_
    if len(classes) == 2:  # binary: sklearn keeps one row; the model wants one per class
        coef = [-coef[0] / 2, coef[0] / 2]
        bias = [-clf.intercept_[0] / 2, clf.intercept_[0] / 2]
    else:
        bias = list(clf.intercept_)
    weights: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for k in range(len(classes)):
        row = coef[k]
        for j in row.nonzero()[0]:
            v = float(row[j])
            if abs(v) >= PRUNE:
                weights[str(names[j])].append((k, v))
    modes = _mode_table(cands)
    meta = {"candidates": len(cands), "features": len(weights), "C": c, "seed": SEED, "threshold": threshold}
    return EventModel(tuple(classes), tuple(float(b) for b in bias),
                      {f: tuple(p) for f, p in weights.items()}, modes, meta)


def _mode_table(cands: Iterable[Candidate]) -> dict[str, str]:
    """The mode the corpus gives a trigger lemma most often under each type."""
    seen: dict[str, Counter] = defaultdict(Counter)
    for cd in cands:
        if cd.label != NONE and cd.lemma:
            seen[f"{cd.lemma}|{cd.label}"][cd.mode] += 1
    return {k: c.most_common(1)[0][0] for k, c in seen.items() if c.most_common(1)[0][0]}


def write(model: EventModel, path: Path) -> None:
    save_model(path, model.classes, model.bias, {f: list(p) for f, p in model.weights.items()}, model.modes, model.meta)


# --------------------------------------------------------------------------- scoring


def primary(events: list[Event]) -> Optional[Event]:
    if not events:
        return None
    return max(enumerate(events), key=lambda ie: (ie[1].confidence, -ie[0]))[1]


def score(sentences: Sequence[Sentence], predicted: Sequence[list[Event]]) -> dict[str, Any]:
    """Sentence- and event-level figures (see README "Accuracy" for the definitions)."""
    per_type: dict[str, Counter] = defaultdict(Counter)
    tot: Counter = Counter()
    for s, evs in zip(sentences, predicted):
        gold_types = Counter(e["type"] for e in s.events)
        pred_types = Counter(e.event_type for e in evs if not e.negated)
        for t in set(gold_types) | set(pred_types):
            tp = min(gold_types[t], pred_types[t])
            per_type[t]["tp"] += tp
            per_type[t]["fp"] += pred_types[t] - tp
            per_type[t]["fn"] += gold_types[t] - tp
        if not s.events:
            tot["none_sentences"] += 1
            tot["none_events"] += sum(pred_types.values())
            tot["none_clean"] += not pred_types
            continue
        tot["event_sentences"] += 1
        p = primary([e for e in evs if not e.negated] or evs)
        if p is None:
            continue
        tot["covered"] += 1
        match = next((g for g in s.events if g["type"] == p.event_type), None)
        tot["type"] += match is not None
        g = match or s.events[0]
        g_act = [a.get("country") for a in g.get("actor") or [] if a.get("country")]
        p_act = {a.country for a in p.actor if a.country}
        actor_ok = (g_act[0] in p_act) if g_act else not p_act
        tot["actor"] += actor_ok
        tot["type_actor"] += actor_ok and match is not None
        if p.location is not None:
            tot["with_place"] += 1
        gold_place = g.get("location")
        if gold_place:
            tot["gold_place"] += 1
            if p.location is not None:
                tot["place_given"] += 1
                said = (p.location.text or p.location.name or "").lower()
                tot["place_right"] += bool(said) and (said in gold_place.lower() or gold_place.lower() in said
                                                      or p.location.name.lower() in gold_place.lower())
    n = max(1, tot["event_sentences"])
    out: dict[str, Any] = {
        "sentences": len(sentences),
        "event_sentences": tot["event_sentences"],
        "non_event_sentences": tot["none_sentences"],
        "type_acc": round(tot["type"] / n, 3),
        "actor_acc": round(tot["actor"] / n, 3),
        "type_actor_acc": round(tot["type_actor"] / n, 3),
        "coverage": round(tot["covered"] / n, 3),
        "non_event_rate_per_1000": round(1000 * tot["none_events"] / max(1, tot["none_sentences"]), 1),
        "non_event_clean": round(tot["none_clean"] / max(1, tot["none_sentences"]), 3),
        # places: share of primary events that carry one; for gold events with a place,
        # how often one is given and how often the one given is right
        "place_share": round(tot["with_place"] / max(1, tot["covered"]), 3),
        "place_recall": round(tot["place_given"] / max(1, tot["gold_place"]), 3),
        "place_precision": round(tot["place_right"] / max(1, tot["place_given"]), 3),
    }
    types = {}
    for t, c in sorted(per_type.items()):
        prec = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        rec = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        types[t] = {"precision": round(prec, 3), "recall": round(rec, 3), "f1": round(f1, 3),
                    "gold": c["tp"] + c["fn"]}
    out["per_type"] = types
    tp = sum(c["tp"] for c in per_type.values())
    fp = sum(c["fp"] for c in per_type.values())
    fn = sum(c["fn"] for c in per_type.values())
    out.update(tp=tp, fp=fp, fn=fn, none_events=tot["none_events"])
    out["micro_precision"] = round(tp / (tp + fp), 3) if tp + fp else 0.0
    out["micro_recall"] = round(tp / (tp + fn), 3) if tp + fn else 0.0
    pr, rc = out["micro_precision"], out["micro_recall"]
    out["micro_f1"] = round(2 * pr * rc / (pr + rc), 3) if pr + rc else 0.0
    return out


def with_model(res: Resources, model: Any) -> Resources:
    return Resources(res.extra_dirs, {**res.tables, "events.model": model})


THRESHOLDS = (0.4, 0.5, 0.6)  # P(not an event) at or above which a candidate is dropped


NEWS_NON_EVENT_SHARE = 0.6  # most sentences of a news article report no political event


def news_f1(f: dict[str, Any]) -> float:
    """Event F1 with the non-event sentences weighted to the share they have in news: the
    corpus is event-dense, and a threshold chosen on it alone would code too much."""
    n_ev, n_none = f["event_sentences"], f["non_event_sentences"]
    if not n_none or not n_ev:
        return f["micro_f1"]
    w = NEWS_NON_EVENT_SHARE / (1 - NEWS_NON_EVENT_SHARE) * n_ev / n_none
    tp, fp, fn = f["tp"], f["fp"], f["fn"]
    fp_none = f["none_events"]
    p = tp / (tp + (fp - fp_none) + w * fp_none) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def cross_validate(sentences: Sequence[Sentence], sdocs: Sequence, res: Resources, k: int = 5,
                   c: float = C, log=print, thresholds: Sequence[float] = THRESHOLDS) -> dict[str, Any]:
    """k-fold cross-validation on the training pool: fit on k-1 folds, code the k-th with
    each NONE threshold; report the one with the best event F1 (the one the shipped model
    then uses) and its figures. Choosing it on the same folds makes these figures slightly
    optimistic; the held-out split is the check."""
    cands = collect(sentences, sdocs, res)
    predicted: dict[float, list[list[Event]]] = {t: [[] for _ in sentences] for t in thresholds}
    for f in range(k):
        t0 = time.perf_counter()
        train = [cd for cd in cands if fold_of(sentences[cd.sentence].id, k) != f]
        model = fit(train, c)
        for t in thresholds:
            r = with_model(res, replace(model, meta={**model.meta, "threshold": t}))
            for i, s in enumerate(sentences):
                if fold_of(s.id, k) == f:
                    predicted[t][i] = code(s, sdocs[i], r)
        log(f"  fold {f + 1}/{k}: {len(train)} training candidates, {time.perf_counter() - t0:.1f}s")
    scores = {t: score(sentences, predicted[t]) for t in thresholds}
    best = max(thresholds, key=lambda t: (news_f1(scores[t]), scores[t]["type_acc"]))
    out = scores[best]
    out["threshold"] = best
    out["by_threshold"] = {str(t): {**{k2: scores[t][k2] for k2 in (
        "type_acc", "micro_precision", "micro_recall", "micro_f1", "non_event_rate_per_1000")},
        "news_f1": round(news_f1(scores[t]), 3)} for t in thresholds}
    return out


def split(sentences: Sequence[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """(training pool, held-out)."""
    pool = [s for s in sentences if not is_held_out(s.id)]
    held = [s for s in sentences if is_held_out(s.id)]
    return pool, held


def rules_only(res: Resources) -> Resources:
    return replace(res, tables={**res.tables, "events.model": None})
