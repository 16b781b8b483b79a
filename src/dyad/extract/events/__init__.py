"""PLOVER event coding from the dependency parse.

One decision path per sentence (`coder.py`):

1. **Candidates** (`lexicon.py`, `candidates.py`): tokens whose lemma or phrase is in the
   trigger lexicon (`resources/events/triggers.tsv`), minus those embedded in another
   trigger's clause or in a purpose clause.
2. **Roles** (`roles.py`): actor, recipient and source from the parse (subject, passive
   agent, objects, "between A and B", reported speech), parties resolved by
   `dyad.extract.actors`.
3. **Modality** (`dyad.extract.modality`): negation, intended, hypothetical, denied,
   historical, from auxiliaries and governing verbs.
4. **Type** (`features.py`, `dyad.resources.tables.eventmodel`): where a trained model is installed, it decides whether the
   candidate is an event and of which type, from parse, lexicon and modality features, and
   its probability is the event's confidence; the lexicon row's type is the fallback.
5. **PLOVER rules** (`retype.py`): future cooperation is AGREE, intended or hypothetical
   conflict THREATEN, a refused acceptance REJECT.
6. **Finalize** (`finalize.py`): date-dependent sectors, scores, ids.
"""
from dyad.extract.events.coder import extract_events
from dyad.extract.events.finalize import finalize_events
from dyad.extract.events.lexicon import Trigger, load_tables, match_trigger

__all__ = ["Trigger", "extract_events", "finalize_events", "load_tables", "match_trigger"]
