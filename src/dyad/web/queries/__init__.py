"""Read-only queries the web page and the JSON API run over a `Store`.

Portable SQL only (DuckDB and PostgreSQL): every user value is a bound
parameter built with `store.ph`, every LIMIT is clamped here, and anything
that needs date arithmetic or list splitting is done in Python over small
grouped results. No literal percent sign appears in SQL text (psycopg uses
`%s` placeholders).

- `filters`: bounds, LIKE escaping, dyad sides and `EventFilter`;
- `events`: pages of events, one event, its cluster;
- `documents`, `entities`: listings and single records;
- `series`: dyads, counts over time, date ranges, stats, contradictions.
"""
from dyad.web.queries.documents import (DOC_LIST_COLS, LEAD, document_layers, document_text, documents_brief,
                                        get_document, list_documents)
from dyad.web.queries.entities import (actor_dyads, entity_documents, entity_event_ids, entity_mentions,
                                       entity_side, find_entity_by_name, get_entity, list_entities, name_exists,
                                       resolve_side)
from dyad.web.queries.events import ORDER_TIME, cluster_events, dedupe_clause, find_events, get_event
from dyad.web.queries.filters import (COUNTRY_RE, DATE_RE, MAX_IDS, MAX_LIMIT, MAX_OFFSET, MAX_SCAN, EventFilter,
                                      Side, clamp, country_names, date_upper, like_escape, split_codes)
from dyad.web.queries.series import (FINE_ENOUGH, event_types, list_contradictions, modalities, ranges, series,
                                     series_and_coarse, stats, summary, top_dyads)

__all__ = [
    "COUNTRY_RE", "DATE_RE", "DOC_LIST_COLS", "FINE_ENOUGH", "LEAD", "MAX_IDS", "MAX_LIMIT", "MAX_OFFSET",
    "MAX_SCAN", "ORDER_TIME", "EventFilter", "Side", "actor_dyads", "clamp", "cluster_events", "country_names",
    "date_upper", "dedupe_clause", "document_layers", "document_text", "documents_brief", "entity_documents",
    "entity_event_ids", "entity_mentions", "entity_side", "event_types", "find_entity_by_name", "find_events", "get_document",
    "get_entity", "get_event", "like_escape", "list_contradictions", "list_documents", "list_entities",
    "modalities", "name_exists", "ranges", "resolve_side", "series", "series_and_coarse", "split_codes", "stats",
    "summary", "top_dyads",
]
