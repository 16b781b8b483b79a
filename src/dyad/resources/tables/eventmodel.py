"""The trained event model as a resource: is this candidate an event, of which type, how sure.

A multinomial logistic regression over sparse features of one candidate trigger: the
lexicon row it matched, its lemma and parse neighbourhood, what the role rules found
(actor, recipient, their sectors), the modality rules' verdict, and the sentence's words.
It is trained on the team's corpus (`corpus/`, `dyad train`) and shipped as a small
JSON file (`resources/models/events.json.gz`); inference is a few dict look-ups and a
softmax, in pure Python. Classes are the 16 PLOVER types and `NONE` (not an event).
"""
from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional, Sequence

NONE = "NONE"
# CAMEO root when the lexicon row is of another type than the one the model chose.
CAMEO_ROOT = {"AGREE": "030", "CONSULT": "040", "SUPPORT": "050", "COOPERATE": "060", "AID": "070",
              "CONCEDE": "080", "RETREAT": "080", "REQUEST": "020", "ACCUSE": "110", "REJECT": "120",
              "THREATEN": "130", "PROTEST": "140", "MOBILIZE": "150", "SANCTION": "160", "COERCE": "170",
              "ASSAULT": "180"}


@dataclass(frozen=True)
class EventModel:
    classes: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[tuple[int, float], ...]]  # feature -> ((class index, weight), ...)
    modes: dict[str, str]  # "lemma|TYPE" -> the mode the corpus gives that trigger most often
    meta: dict

    def __post_init__(self) -> None:
        # the weights as one dense matrix, a row per feature: a candidate's scores are one
        # gather-and-sum instead of a Python loop over every (class, weight) pair
        import numpy as np

        index = {f: i for i, f in enumerate(self.weights)}
        dense = np.zeros((len(index) + 1, len(self.classes)))
        for f, pairs in self.weights.items():
            for k, v in pairs:
                dense[index[f], k] = v
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_dense", dense)

    def partial(self, feats: Iterable[str]) -> list[float]:
        """The scores `feats` add (each feature once), without the bias: features shared by
        the candidates of a sentence are summed once for all of them."""
        index = self._index  # type: ignore[attr-defined]
        rows = [index[f] for f in set(feats) if f in index]
        if not rows:
            return [0.0] * len(self.classes)
        return self._dense[rows].sum(axis=0).tolist()  # type: ignore[attr-defined]

    def probabilities(self, feats: Iterable[str], base: Optional[Sequence[float]] = None) -> dict[str, float]:
        z = self.partial(feats)
        for k, b in enumerate(self.bias):
            z[k] += b + (base[k] if base else 0.0)
        m = max(z)
        e = [math.exp(x - m) for x in z]
        s = sum(e)
        return {c: x / s for c, x in zip(self.classes, e)}

    def decide(self, feats: Sequence[str], lexicon_type: str,
               base: Optional[Sequence[float]] = None) -> tuple[Optional[str], float]:
        """(type, probability), or (None, probability of NONE) when it is not an event:
        P(NONE) at or above the threshold cross-validation chose (`meta["threshold"]`).
        `base` is `partial()` of features the caller left out of `feats`."""
        p = self.probabilities(feats, base)
        if p.get(NONE, 0.0) >= self.meta.get("threshold", 0.5):
            return None, round(p[NONE], 3)
        best = max((c for c in p if c != NONE), key=lambda c: (p[c], c == lexicon_type))
        return best, round(p[best], 3)

    def mode_for(self, lemma: str, etype: str) -> Optional[str]:
        return self.modes.get(f"{lemma}|{etype}") or None


def load_model(path: Path) -> Optional[EventModel]:
    if not path.is_file():
        return None
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        d = json.load(fh)
    weights = {f: tuple((int(k), float(v)) for k, v in pairs) for f, pairs in d["weights"].items()}
    return EventModel(tuple(d["classes"]), tuple(d["bias"]), weights, dict(d.get("modes", {})), dict(d.get("meta", {})))


def save_model(path: Path, classes: Sequence[str], bias: Sequence[float], weights: dict[str, list[tuple[int, float]]],
               modes: dict[str, str], meta: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    d = {"classes": list(classes), "bias": [round(b, 4) for b in bias],
         "weights": {f: [[k, round(v, 4)] for k, v in pairs] for f, pairs in sorted(weights.items())},
         "modes": dict(sorted(modes.items())), "meta": meta}
    raw = json.dumps(d, separators=(",", ":"), sort_keys=False).encode("utf-8")
    with open(path, "wb") as fh:  # mtime=0: the same model gives the same bytes
        with gzip.GzipFile(filename="", fileobj=fh, mode="wb", mtime=0) as gz:
            gz.write(raw)


