"""PLOVER event coding from the dependency parse.

One decision path per sentence (`coder.py`):

1. **Candidates** (`lexicon.py`, `candidates.py`): tokens whose lemma or phrase is in the
   trigger lexicon (`resources/events/triggers.tsv` and `triggers/*.tsv`), minus those
   embedded in another trigger's clause or in a purpose clause; a denial gives way to the
   event it denies ("denied attacking": the attack, modality denied).
2. **Roles** (`roles.py`): actor, recipient and source from the parse (subject, passive
   agent, objects, "between A and B", reported speech), parties resolved by
   `dyad.extract.actors`.
3. **Modality** (`dyad.extract.modality`): negation, intended, hypothetical, denied,
   historical, from auxiliaries and governing verbs.
4. **Type** (`features.py`, `dyad.resources.tables.eventmodel`): where a trained model is installed, it decides whether the
   candidate is an event (P(not an event) below the threshold chosen by cross-validation)
   and of which type, from parse, lexicon and modality features, and its probability is
   the event's confidence. It changes the lexicon row's type only when it gives another
   type at least `MODEL_TYPE_MIN` (0.35). Without a model the rules' flags veto events.
5. **PLOVER rules** (`retype.py`): future cooperation is AGREE, a refused acceptance
   REJECT; without a model, intended or hypothetical conflict is also THREATEN (with one,
   the model reads the modality: a planned march is not a threat).
   Not "the same event told again" (`_not_told_before`, `_same_event`).
6. **Finalize** (`finalize.py`): date-dependent sectors, scores, ids.
"""
from dyad.extract.events.coder import extract_events
from dyad.extract.events.finalize import finalize_events
from dyad.extract.events.lexicon import Trigger, load_tables, match_trigger

__all__ = ["Trigger", "extract_events", "finalize_events", "load_tables", "match_trigger"]
