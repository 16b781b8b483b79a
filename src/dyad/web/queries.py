"""Read-only queries the web page and the JSON API run over a `Store`.

Portable SQL only (DuckDB and PostgreSQL): every user value is a bound
parameter built with `store.ph`, every LIMIT is clamped here, and anything
that needs date arithmetic or list splitting is done in Python over small
grouped results. No literal percent sign appears in SQL text (psycopg uses
`%s` placeholders).
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Optional, Sequence

from dyad.store import Store
from dyad.store.rows import decode
from dyad.store.schema import columns

MAX_LIMIT = 500  # rows per page of any listing
MAX_OFFSET = 1_000_000
MAX_SCAN = 50_000  # rows read for Python-side aggregation (dyads of one actor)
MAX_IDS = 10_000  # event ids of one entity used as a filter (bound on query parameters)

DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
COUNTRY_RE = re.compile(r"^[A-Z]{3}$")


# ----------------------------------------------------------------- helpers
def clamp(n: Optional[int], lo: int, hi: int, default: int) -> int:
    if n is None:
        return default
    return max(lo, min(hi, int(n)))


def like_escape(value: str) -> str:
    """Escape LIKE wildcards; used with `ESCAPE '\\'`."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def date_upper(value: str) -> str:
    """The last ISO day string a prefix like 2021 or 2021-12 covers (string comparison)."""
    if len(value) == 4:
        return value + "-12-31"
    if len(value) == 7:
        return value + "-31"
    return value


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO alpha-3 → English name, from the project's country table (best effort)."""
    out = {"IGO": "International organisation", "NGO": "Non-governmental organisation"}
    try:
        from dyad.resources import RESOURCE_DIR

        path = RESOURCE_DIR / "actors" / "countries.tsv"
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) >= 2 and COUNTRY_RE.match(parts[0]):
                out[parts[0]] = parts[1]
    except Exception:  # a missing or reshaped table only costs the pretty names
        pass
    return out


def split_codes(value: Optional[str]) -> list[str]:
    """'|AFG|IRN|' → ['AFG', 'IRN']."""
    return [v for v in (value or "").split("|") if v]


# ----------------------------------------------------------------- filters
@dataclass
class Side:
    """One side of a dyad: a country code, a resolved entity, or an actor's canonical name."""

    kind: str  # "country" | "entity" | "name"
    value: str
    label: str
    entity_id: Optional[str] = None
    # for an entity: the events where one of its mentions is an actor / a recipient
    actor_ids: frozenset = frozenset()
    recipient_ids: frozenset = frozenset()

    @property
    def key(self) -> str:
        return self.entity_id or self.value

    def public(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value, "label": self.label, "entity_id": self.entity_id}


@dataclass
class EventFilter:
    event_type: Optional[str] = None
    actor: Optional[str] = None  # name or country code of an actor
    recipient: Optional[str] = None
    country: Optional[str] = None  # either side
    date_from: Optional[str] = None
    date_to: Optional[str] = None
    modality: Optional[str] = None
    doc_id: Optional[str] = None
    dyad: Optional[tuple[Side, Side]] = None
    directed: bool = False  # dyad: only the first side acting on the second
    event_ids: Optional[frozenset] = None  # only these events (an entity's, say)

    def sql(self, ph: str, alias: str = "e") -> tuple[str, list[Any]]:
        w: list[str] = []
        p: list[Any] = []
        a = alias + "."
        esc = " ESCAPE '\\'"
        if self.event_type:
            w.append(f"{a}event_type = {ph}")
            p.append(self.event_type)
        if self.modality:
            w.append(f"{a}modality = {ph}")
            p.append(self.modality)
        if self.doc_id:
            w.append(f"{a}doc_id = {ph}")
            p.append(self.doc_id)
        if self.date_from:
            w.append(f"{a}date_start >= {ph}")
            p.append(self.date_from)
        if self.date_to:
            w.append(f"{a}date_start <= {ph}")
            p.append(date_upper(self.date_to))
        for role, value in (("actor", self.actor), ("recipient", self.recipient)):
            if value:
                pat = "%|" + like_escape(value) + "|%"
                w.append(f"({a}{role}_names LIKE {ph}{esc} OR {a}{role}_countries LIKE {ph}{esc})")
                p += [pat, pat]
        if self.country:
            pat = "%|" + like_escape(self.country) + "|%"
            w.append(f"({a}actor_countries LIKE {ph}{esc} OR {a}recipient_countries LIKE {ph}{esc})")
            p += [pat, pat]
        if self.event_ids is not None:
            c, q = _ids_cond(self.event_ids, ph, a)
            w.append(c)
            p += q
        if self.dyad:
            x, y = self.dyad
            cx, px = _side_cond(x, "actor", ph, a)
            cy, py = _side_cond(y, "recipient", ph, a)
            if self.directed:
                w.append(f"({cx} AND {cy})")
                p += px + py
            else:
                cx2, px2 = _side_cond(y, "actor", ph, a)
                cy2, py2 = _side_cond(x, "recipient", ph, a)
                w.append(f"(({cx} AND {cy}) OR ({cx2} AND {cy2}))")
                p += px + py + px2 + py2
        return " AND ".join(w), p


def _ids_cond(ids: frozenset, ph: str, a: str) -> tuple[str, list[Any]]:
    if not ids:
        return "1 = 0", []
    ids_ = sorted(ids)[:MAX_IDS]
    return f"{a}event_id IN ({', '.join([ph] * len(ids_))})", ids_


def _side_cond(side: Side, role: str, ph: str, a: str) -> tuple[str, list[Any]]:
    if side.kind == "entity":
        return _ids_cond(side.actor_ids if role == "actor" else side.recipient_ids, ph, a)
    col = f"{a}{role}_countries" if side.kind == "country" else f"{a}{role}_names"
    return f"{col} LIKE {ph} ESCAPE '\\'", ["%|" + like_escape(side.value) + "|%"]


# ----------------------------------------------------------------- events
_EVENT_COLS = None


def _event_cols() -> str:
    global _EVENT_COLS
    if _EVENT_COLS is None:
        _EVENT_COLS = ", ".join(f'e."{c}"' for c in columns("events"))
    return _EVENT_COLS


def _span_key(doc_id: str, start: Any, end: Any) -> tuple[str, int, int]:
    return (doc_id, -1 if start is None else int(start), -1 if end is None else int(end))


def _entity_index(store: Store, doc_ids: Iterable[str]) -> tuple[dict, dict]:
    """Entity ids of the mentions in some documents, by (doc, start, end, text) and by (doc, start, end)."""
    ids = sorted(set(doc_ids))
    by_text: dict[tuple, str] = {}
    by_span: dict[tuple, str] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        marks = ", ".join([store.ph] * len(chunk))
        for r in store.query(f"SELECT doc_id, start_char, end_char, text, entity_id FROM entity_mentions "
                             f"WHERE doc_id IN ({marks})", chunk):
            key = _span_key(r["doc_id"], r["start_char"], r["end_char"])
            by_text[key + (r["text"],)] = r["entity_id"]
            if key[1] >= 0:
                by_span.setdefault(key, r["entity_id"])
    return by_text, by_span


def _party_entity(doc_id: str, p: dict[str, Any], index: tuple[dict, dict]) -> Optional[str]:
    key = _span_key(doc_id, p.get("start"), p.get("end"))
    return index[0].get(key + (p.get("text"),)) or (index[1].get(key) if key[1] >= 0 else None)


def _contract(store: Store, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    index = _entity_index(store, (r["doc_id"] for r in rows))
    out = []
    for r in rows:
        row = decode("events", dict(r))
        for role in ("actor", "recipient"):
            for p in row.get(role) or []:
                if isinstance(p, dict) and not p.get("entity_id"):
                    p["entity_id"] = _party_entity(row["doc_id"], p, index)
        ev = Store._event_contract(row, {})
        ev["date_start"] = r.get("date_start")  # handy for sorting and charts
        out.append(ev)
    return out


def _dedupe_clause(where: str) -> str:
    """Keep one event per cluster (the lowest event id among those matching the filter)."""
    inner = ("SELECT MIN(e.event_id) FROM events e LEFT JOIN event_clusters c ON c.event_id = e.event_id"
             + (f" WHERE {where}" if where else "")
             + " GROUP BY COALESCE(c.cluster_id, e.event_id)")
    return f"e.event_id IN ({inner})"


ORDER_TIME = "CASE WHEN e.date_start IS NULL THEN 1 ELSE 0 END, e.date_start, e.event_id"


def find_events(store: Store, flt: EventFilter, *, limit: int = 100, offset: int = 0,
                one_per_cluster: bool = False, order: str = ORDER_TIME) -> tuple[int, list[dict[str, Any]]]:
    """(total matching, one page of contract-shaped events)."""
    where, params = flt.sql(store.ph)
    if one_per_cluster:
        params = params + params
        where = (where + " AND " if where else "") + _dedupe_clause(where)
    limit = clamp(limit, 0, MAX_LIMIT, 100)
    offset = clamp(offset, 0, MAX_OFFSET, 0)
    base = ("FROM events e LEFT JOIN event_clusters c ON c.event_id = e.event_id "
            "LEFT JOIN clusters k ON k.cluster_id = c.cluster_id")
    wsql = f" WHERE {where}" if where else ""
    total = int(store.scalar(f"SELECT COUNT(*) AS n {base}{wsql}", params) or 0)
    rows = store.query(
        f"SELECT {_event_cols()}, c.cluster_id AS cluster_id, k.sources AS sources {base}{wsql} "
        f"ORDER BY {order} LIMIT {limit} OFFSET {offset}", params)
    return total, _contract(store, rows)


def get_event(store: Store, event_id: str) -> Optional[dict[str, Any]]:
    rows = store.query(
        f"SELECT {_event_cols()}, c.cluster_id AS cluster_id, k.sources AS sources FROM events e "
        f"LEFT JOIN event_clusters c ON c.event_id = e.event_id "
        f"LEFT JOIN clusters k ON k.cluster_id = c.cluster_id WHERE e.event_id = {store.ph}", (event_id,))
    return _contract(store, rows)[0] if rows else None


def cluster_events(store: Store, event: dict[str, Any], cap: int = 200) -> list[dict[str, Any]]:
    """Every event of the event's cluster (one per reporting source), the event itself first."""
    rows = store.query(
        f"SELECT {_event_cols()}, c.cluster_id AS cluster_id, k.sources AS sources FROM events e "
        f"JOIN event_clusters c ON c.event_id = e.event_id "
        f"LEFT JOIN clusters k ON k.cluster_id = c.cluster_id WHERE c.cluster_id = {store.ph} "
        f"ORDER BY e.doc_id, e.event_id LIMIT {int(cap)}", (event["cluster_id"],))
    evs = _contract(store, rows)
    evs.sort(key=lambda e: e["event_id"] != event["event_id"])
    if not any(e["event_id"] == event["event_id"] for e in evs):
        evs.insert(0, event)
    return evs


def _add_search(store: Store, cols: tuple[str, ...], q: str, where: list[str], params: list[Any]) -> None:
    """A case-insensitive substring search over `cols`, with LIKE wildcards in `q` taken literally."""
    where.append("(" + " OR ".join(f"LOWER({c}) LIKE {store.ph} ESCAPE '\\'" for c in cols) + ")")
    params.extend(["%" + like_escape(q.lower()) + "%"] * len(cols))


# ----------------------------------------------------------------- documents
LEAD = "SUBSTR(text, 1, 200)"  # enough of the text to title an untitled document
DOC_LIST_COLS = ("doc_id", "title", "url", "publisher", "author", "published", "published_inferred",
                 "language", "error", "n_events")


def list_documents(store: Store, *, limit: int = 100, offset: int = 0, q: Optional[str] = None,
                   errors: Optional[bool] = None) -> tuple[int, list[dict[str, Any]]]:
    limit = clamp(limit, 0, MAX_LIMIT, 100)
    offset = clamp(offset, 0, MAX_OFFSET, 0)
    w, p = [], []
    if q:
        _add_search(store, ("title", "publisher"), q, w, p)
    if errors is True:
        w.append("error IS NOT NULL")
    elif errors is False:
        w.append("error IS NULL")
    wsql = (" WHERE " + " AND ".join(w)) if w else ""
    total = int(store.scalar(f"SELECT COUNT(*) AS n FROM documents{wsql}", p) or 0)
    cols = ", ".join(f'"{c}"' for c in DOC_LIST_COLS)
    rows = store.query(
        f"SELECT {cols}, {LEAD} AS lead FROM documents{wsql} "
        f"ORDER BY CASE WHEN published IS NULL THEN 1 ELSE 0 END, published DESC, doc_id "
        f"LIMIT {limit} OFFSET {offset}", p)
    inferred = _doc_dates(store, [r["doc_id"] for r in rows])
    out = []
    for r in rows:
        d = decode("documents", r)
        if d["doc_id"] in inferred:
            d["published_inferred"] = inferred[d["doc_id"]]
        out.append(d)
    return total, out


def _doc_dates(store: Store, ids: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    ids = list(ids)
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        if not chunk:
            continue
        marks = ", ".join([store.ph] * len(chunk))
        for r in store.query(f"SELECT doc_id, published_inferred FROM doc_dates WHERE doc_id IN ({marks})", chunk):
            v = r["published_inferred"]
            out[r["doc_id"]] = json.loads(v) if isinstance(v, str) else v
    return out


def get_document(store: Store, doc_id: str) -> Optional[dict[str, Any]]:
    cols = ", ".join(f'"{c}"' for c in columns("documents"))
    rows = store.query(f"SELECT {cols} FROM documents WHERE doc_id = {store.ph}", (doc_id,))
    if not rows:
        return None
    d = decode("documents", rows[0])
    d.pop("n_events", None)
    inferred = _doc_dates(store, [doc_id])
    if doc_id in inferred:
        d["published_inferred"] = inferred[doc_id]
    return d


def documents_brief(store: Store, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """doc_id → {title, publisher, published, url} for a handful of documents."""
    ids = sorted(set(ids))
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        marks = ", ".join([store.ph] * len(chunk))
        for r in store.query(f"SELECT doc_id, title, publisher, published, url, {LEAD} AS lead FROM documents "
                             f"WHERE doc_id IN ({marks})", chunk):
            out[r["doc_id"]] = r
    return out


def document_text(store: Store, doc_id: str) -> Optional[str]:
    return store.scalar(f"SELECT text FROM documents WHERE doc_id = {store.ph}", (doc_id,))


def document_layers(store: Store, doc_id: str) -> dict[str, list[dict[str, Any]]]:
    """Mentions (with entity ids), dates, claims and places of one document."""
    ph = store.ph
    ent = {(r["start_char"], r["end_char"]): r["entity_id"] for r in store.query(
        f"SELECT start_char, end_char, entity_id FROM entity_mentions WHERE doc_id = {ph}", (doc_id,))}
    mentions = store.query(
        f"SELECT start_char, end_char, text, type, name, country, sector, title FROM mentions "
        f"WHERE doc_id = {ph} ORDER BY start_char LIMIT 20000", (doc_id,))
    for m in mentions:
        m["entity_id"] = ent.get((m["start_char"], m["end_char"]))
    seen = {(m["start_char"], m["end_char"]) for m in mentions}
    extra = store.query(
        f"SELECT em.start_char, em.end_char, em.text, em.entity_id, en.name, en.type, en.country, en.sector "
        f"FROM entity_mentions em LEFT JOIN entities en ON en.entity_id = em.entity_id "
        f"WHERE em.doc_id = {ph} ORDER BY em.start_char LIMIT 20000", (doc_id,))
    mentions += [m for m in extra if (m["start_char"], m["end_char"]) not in seen]
    dates = store.query(
        f"SELECT start_char, end_char, text, resolved_start, resolved_end, granularity, kind FROM dates "
        f"WHERE doc_id = {ph} ORDER BY start_char LIMIT 20000", (doc_id,))
    claims = store.query(
        f"SELECT claim_id, subject, value, unit, text, start_char, end_char, sentence FROM claims "
        f"WHERE doc_id = {ph} ORDER BY start_char LIMIT 20000", (doc_id,))
    places = store.query(
        f"SELECT start_char, end_char, text, name, country, lat, lon FROM places "
        f"WHERE doc_id = {ph} ORDER BY start_char LIMIT 20000", (doc_id,))
    return {"mentions": mentions, "dates": dates, "claims": claims, "places": places}


# ----------------------------------------------------------------- entities
def list_entities(store: Store, *, limit: int = 100, offset: int = 0, q: Optional[str] = None,
                  country: Optional[str] = None) -> tuple[int, list[dict[str, Any]]]:
    limit = clamp(limit, 0, MAX_LIMIT, 100)
    offset = clamp(offset, 0, MAX_OFFSET, 0)
    w, p = [], []
    if q:
        _add_search(store, ("name", "aliases"), q, w, p)
    if country:
        w.append(f"country = {store.ph}")
        p.append(country)
    wsql = (" WHERE " + " AND ".join(w)) if w else ""
    total = int(store.scalar(f"SELECT COUNT(*) AS n FROM entities{wsql}", p) or 0)
    cols = ", ".join(f'"{c}"' for c in columns("entities"))
    rows = store.query(f"SELECT {cols} FROM entities{wsql} "
                       f"ORDER BY CASE WHEN n_mentions IS NULL THEN 0 ELSE n_mentions END DESC, name, entity_id "
                       f"LIMIT {limit} OFFSET {offset}", p)
    return total, [decode("entities", r) for r in rows]


def get_entity(store: Store, entity_id: str) -> Optional[dict[str, Any]]:
    cols = ", ".join(f'"{c}"' for c in columns("entities"))
    rows = store.query(f"SELECT {cols} FROM entities WHERE entity_id = {store.ph}", (entity_id,))
    return decode("entities", rows[0]) if rows else None


def find_entity_by_name(store: Store, name: str) -> Optional[dict[str, Any]]:
    cols = ", ".join(f'"{c}"' for c in columns("entities"))
    rows = store.query(f"SELECT {cols} FROM entities WHERE LOWER(name) = {store.ph} ORDER BY entity_id LIMIT 1",
                       (name.lower(),))
    return decode("entities", rows[0]) if rows else None


def entity_mentions(store: Store, entity_id: str, *, limit: int = 200, offset: int = 0
                    ) -> tuple[int, list[dict[str, Any]]]:
    limit = clamp(limit, 0, MAX_LIMIT, 200)
    offset = clamp(offset, 0, MAX_OFFSET, 0)
    ph = store.ph
    total = int(store.scalar(f"SELECT COUNT(*) FROM entity_mentions WHERE entity_id = {ph}", (entity_id,)) or 0)
    rows = store.query(
        f"SELECT em.doc_id, em.start_char, em.end_char, em.text, d.title, d.published "
        f"FROM entity_mentions em LEFT JOIN documents d ON d.doc_id = em.doc_id "
        f"WHERE em.entity_id = {ph} ORDER BY em.doc_id, em.start_char LIMIT {limit} OFFSET {offset}",
        (entity_id,))
    return total, rows


def entity_documents(store: Store, entity_id: str, *, limit: int = 100, offset: int = 0
                     ) -> tuple[int, list[dict[str, Any]]]:
    """The documents that mention an entity: how often, and the ways it is written there."""
    limit = clamp(limit, 0, MAX_LIMIT, 100)
    offset = clamp(offset, 0, MAX_OFFSET, 0)
    ph = store.ph
    total = int(store.scalar(f"SELECT COUNT(DISTINCT doc_id) FROM entity_mentions WHERE entity_id = {ph}",
                             (entity_id,)) or 0)
    rows = store.query(
        f"SELECT em.doc_id AS doc_id, MAX(d.title) AS title, MAX(d.published) AS published, "
        f"MAX(d.publisher) AS publisher, MAX(SUBSTR(d.text, 1, 200)) AS lead, COUNT(*) AS n FROM entity_mentions em "
        f"LEFT JOIN documents d ON d.doc_id = em.doc_id WHERE em.entity_id = {ph} GROUP BY em.doc_id "
        f"ORDER BY CASE WHEN MAX(d.published) IS NULL THEN 1 ELSE 0 END, MAX(d.published) DESC, em.doc_id "
        f"LIMIT {limit} OFFSET {offset}", (entity_id,))
    ids = [r["doc_id"] for r in rows]
    forms: dict[str, list[str]] = defaultdict(list)
    if ids:
        marks = ", ".join([ph] * len(ids))
        for r in store.query(f"SELECT DISTINCT doc_id, text FROM entity_mentions WHERE entity_id = {ph} "
                             f"AND doc_id IN ({marks}) ORDER BY doc_id, text", [entity_id, *ids]):
            forms[r["doc_id"]].append(r["text"])
    for r in rows:
        r["n"] = int(r["n"])
        r["texts"] = forms.get(r["doc_id"], [])
    return total, rows


def name_exists(store: Store, name: str) -> bool:
    pat = "%|" + like_escape(name) + "|%"
    ph = store.ph
    return bool(store.scalar(
        f"SELECT COUNT(*) FROM events WHERE actor_names LIKE {ph} ESCAPE '\\' "
        f"OR recipient_names LIKE {ph} ESCAPE '\\'", (pat, pat)))


def entity_event_ids(store: Store, entity_id: str) -> tuple[frozenset, frozenset]:
    """Events where a mention of the entity is an actor, and where one is a recipient.

    Fusion maps every event party's span to an entity (entity_mentions), so this
    follows the spans: "Muttaqi" and "Amir Khan Mottaki" both count for one entity.
    """
    ph = store.ph
    mine: dict[str, set] = defaultdict(set)  # doc_id -> {(start, end, text), (start, end)}
    for r in store.query(f"SELECT doc_id, start_char, end_char, text FROM entity_mentions WHERE entity_id = {ph} "
                         f"LIMIT {MAX_SCAN}", (entity_id,)):
        _, s, e = _span_key(r["doc_id"], r["start_char"], r["end_char"])
        mine[r["doc_id"]].add((s, e, r["text"]))
        if s >= 0:
            mine[r["doc_id"]].add((s, e))
    rows = store.query(
        f"SELECT event_id, doc_id, actor, recipient FROM events WHERE doc_id IN "
        f"(SELECT doc_id FROM entity_mentions WHERE entity_id = {ph}) ORDER BY event_id LIMIT {MAX_SCAN}",
        (entity_id,))
    as_actor: set[str] = set()
    as_recipient: set[str] = set()
    def is_mine(doc_id: str, p: dict[str, Any]) -> bool:
        if p.get("entity_id"):
            return p["entity_id"] == entity_id
        _, s, e = _span_key(doc_id, p.get("start"), p.get("end"))
        spans = mine.get(doc_id, set())
        return (s, e, p.get("text")) in spans or (s >= 0 and (s, e) in spans)

    for r in rows:
        for role, out in (("actor", as_actor), ("recipient", as_recipient)):
            parties = json.loads(r[role]) if isinstance(r[role], str) else (r[role] or [])
            if any(is_mine(r["doc_id"], p) for p in parties if isinstance(p, dict)):
                out.add(r["event_id"])
    return frozenset(as_actor), frozenset(as_recipient)


def entity_side(store: Store, ent: dict[str, Any]) -> Side:
    actor_ids, recipient_ids = entity_event_ids(store, ent["entity_id"])
    return Side("entity", ent["name"], ent["name"], ent["entity_id"], actor_ids, recipient_ids)


def resolve_side(store: Store, token: str) -> Optional[Side]:
    """A dyad side from a URL token: country code, entity id, entity name or actor name."""
    token = token.strip()
    if not token or len(token) > 300:
        return None
    if COUNTRY_RE.match(token):
        return Side("country", token, country_names().get(token, token))
    ent = get_entity(store, token) or find_entity_by_name(store, token)
    if ent:
        return entity_side(store, ent)
    if name_exists(store, token):
        return Side("name", token, token)
    return None


def actor_dyads(store: Store, side: Side, limit: int = 50) -> list[dict[str, Any]]:
    """The counterparts of an actor: countries (or names) on the other side, events, mean score, dates."""
    ph = store.ph
    if side.kind == "entity":
        ids = sorted(side.actor_ids | side.recipient_ids)[:MAX_IDS]
        if not ids:
            return []
        rows = store.query(
            f"SELECT event_id, actor_names, recipient_names, actor_countries, recipient_countries, score, date_start "
            f"FROM events WHERE event_id IN ({', '.join([ph] * len(ids))})", ids)
        roles = lambda r: [role for role, ids_ in (("actor", side.actor_ids), ("recipient", side.recipient_ids))
                           if r["event_id"] in ids_]  # noqa: E731
    else:
        pat = "%|" + like_escape(side.value) + "|%"
        col = "countries" if side.kind == "country" else "names"
        rows = store.query(
            f"SELECT actor_names, recipient_names, actor_countries, recipient_countries, score, date_start "
            f"FROM events WHERE actor_{col} LIKE {ph} ESCAPE '\\' OR recipient_{col} LIKE {ph} ESCAPE '\\' "
            f"LIMIT {MAX_SCAN}", (pat, pat))
        roles = lambda r: [role for role in ("actor", "recipient")
                           if side.value in split_codes(r[f"{role}_{col}"])]  # noqa: E731
    agg: dict[str, dict[str, Any]] = {}
    for r in rows:
        for role in roles(r):
            other = "recipient" if role == "actor" else "actor"
            others = [("country", c) for c in split_codes(r[f"{other}_countries"])] or \
                     [("name", n) for n in split_codes(r[f"{other}_names"]) if n != side.value]
            for kind, o in others:
                a = agg.setdefault(o, {"kind": kind, "other": o, "events": 0, "scores": [],
                                       "first": None, "last": None})
                a["events"] += 1
                if r["score"] is not None:
                    a["scores"].append(r["score"])
                d = r["date_start"]
                if d:
                    a["first"] = min(a["first"] or d, d)
                    a["last"] = max(a["last"] or d, d)
    out = []
    names = country_names()
    for a in agg.values():
        sc = a.pop("scores")
        a["mean_score"] = round(sum(sc) / len(sc), 2) if sc else None
        a["label"] = names.get(a["other"], a["other"]) if a["kind"] == "country" else a["other"]
        out.append(a)
    out.sort(key=lambda a: (-a["events"], a["other"]))
    return out[:limit]


# ----------------------------------------------------------------- dyads and series
def top_dyads(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    """Country pairs (unordered) by number of events, with cooperation/conflict totals."""
    rows = store.query(
        "SELECT actor_countries, recipient_countries, COUNT(*) AS n, "
        "SUM(CASE WHEN score > 0 THEN score ELSE 0 END) AS coop, "
        "SUM(CASE WHEN score < 0 THEN score ELSE 0 END) AS conf, "
        "SUM(CASE WHEN score IS NULL THEN 0 ELSE 1 END) AS n_scored, "
        "MIN(date_start) AS first, MAX(date_start) AS last "
        "FROM events WHERE actor_countries <> '' AND recipient_countries <> '' "
        "GROUP BY actor_countries, recipient_countries")
    agg: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        for a in split_codes(r["actor_countries"]):
            for b in split_codes(r["recipient_countries"]):
                key = tuple(sorted((a, b)))
                d = agg.setdefault(key, {"a": key[0], "b": key[1], "events": 0, "cooperation": 0.0,
                                         "conflict": 0.0, "n_scored": 0, "first": None, "last": None})
                d["events"] += int(r["n"])
                d["cooperation"] += float(r["coop"] or 0)
                d["conflict"] += float(r["conf"] or 0)
                d["n_scored"] += int(r["n_scored"] or 0)
                for k, f in (("first", min), ("last", max)):
                    if r[k]:
                        d[k] = f(d[k] or r[k], r[k])
    names = country_names()
    out = []
    for d in agg.values():
        n = d.pop("n_scored")
        d["mean_score"] = round((d["cooperation"] + d["conflict"]) / n, 2) if n else None
        d["cooperation"] = round(d["cooperation"], 2)
        d["conflict"] = round(d["conflict"], 2)
        d["a_name"] = names.get(d["a"], d["a"])
        d["b_name"] = names.get(d["b"], d["b"])
        out.append(d)
    # pairs of two different countries first: a relationship is what the page is for
    out.sort(key=lambda d: (d["a"] == d["b"], -d["events"], d["a"], d["b"]))
    return out[:max(0, limit)]


def _bucket(day: str, per: str) -> Optional[str]:
    if per == "month":
        return day[:7] if len(day) >= 7 else None
    if per == "year":
        return day[:4]
    try:
        d = dt.date.fromisoformat(day[:10])
    except ValueError:
        return None
    return (d - dt.timedelta(days=d.weekday())).isoformat()  # the Monday of its week


# the date precisions fine enough to be placed in a period of each size
FINE_ENOUGH = {
    "week": {"day", "week"},
    "month": {"day", "week", "month"},
    "year": {"day", "week", "month", "quarter", "year"},
}


def series(store: Store, flt: EventFilter, per: str = "month", one_per_cluster: bool = True) -> list[dict[str, Any]]:
    """Cooperation (sum of positive scores), conflict (sum of negative), mean score, count per period."""
    return series_and_coarse(store, flt, per, one_per_cluster)[0]


def series_and_coarse(store: Store, flt: EventFilter, per: str = "month",
                      one_per_cluster: bool = True) -> tuple[list[dict[str, Any]], int]:
    """The series, and how many dated events it leaves out because their date is coarser than a period.

    An event known only to the year is not put in January: it is counted apart, so the
    chart never claims more precision than the sources give.
    """
    where, params = flt.sql(store.ph)
    if one_per_cluster:
        params = params + params
        where = (where + " AND " if where else "") + _dedupe_clause(where)
    where = (where + " AND " if where else "") + "e.date_start IS NOT NULL"
    # an event known only as a range (an undated document's inferred span, "between 1996 and
    # 2001") is no point in time: it is drawn as a span (`ranges`), never put in a period
    where_point = where + " AND (e.date_kind IS NULL OR e.date_kind <> 'range' OR e.date_end = e.date_start)"
    n_ranges = store.query(f"SELECT COUNT(*) AS n FROM events e WHERE {where} AND NOT "
                           "(e.date_kind IS NULL OR e.date_kind <> 'range' OR e.date_end = e.date_start)", params)
    rows = store.query(
        "SELECT e.date_start AS day, e.date_granularity AS gran, COUNT(*) AS n, "
        "SUM(CASE WHEN e.score > 0 THEN e.score ELSE 0 END) AS coop, "
        "SUM(CASE WHEN e.score < 0 THEN e.score ELSE 0 END) AS conf, "
        "SUM(CASE WHEN e.score IS NULL THEN 0 ELSE 1 END) AS n_scored "
        f"FROM events e WHERE {where_point} GROUP BY e.date_start, e.date_granularity", params)
    fine = FINE_ENOUGH.get(per, FINE_ENOUGH["month"])
    coarse = int(n_ranges[0]["n"] or 0) if n_ranges else 0
    agg: dict[str, dict[str, float]] = defaultdict(lambda: {"n": 0, "coop": 0.0, "conf": 0.0, "n_scored": 0})
    for r in rows:
        if (r["gran"] or "day") not in fine:
            coarse += int(r["n"])
            continue
        b = _bucket(str(r["day"]), per)
        if b is None:
            continue
        a = agg[b]
        a["n"] += int(r["n"])
        a["coop"] += float(r["coop"] or 0)
        a["conf"] += float(r["conf"] or 0)
        a["n_scored"] += int(r["n_scored"] or 0)
    out = []
    for b in sorted(agg):
        a = agg[b]
        mean = (a["coop"] + a["conf"]) / a["n_scored"] if a["n_scored"] else None
        out.append({"period": b, "events": a["n"], "cooperation": round(a["coop"], 2),
                    "conflict": round(a["conf"], 2), "mean_score": None if mean is None else round(mean, 2)})
    return out, coarse


def ranges(store: Store, flt: EventFilter, limit: int = 500) -> list[dict[str, Any]]:
    """Events known only as a bounded date range, one per cluster, for the chart to draw as spans."""
    where, params = flt.sql(store.ph)
    params = params + params
    where = (where + " AND " if where else "") + _dedupe_clause(where)
    return store.query(
        "SELECT e.event_id, e.event_type, e.date_start AS start, e.date_end AS \"end\", e.score FROM events e "
        f"WHERE {where} AND e.date_kind = 'range' AND e.date_end IS NOT NULL AND e.date_end <> e.date_start "
        f"ORDER BY e.date_start LIMIT {int(limit)}", params)


def summary(store: Store, flt: EventFilter, one_per_cluster: bool = True) -> dict[str, Any]:
    """Number of events matching a filter and their mean score."""
    where, params = flt.sql(store.ph)
    if one_per_cluster:
        params = params + params
        where = (where + " AND " if where else "") + _dedupe_clause(where)
    rows = store.query(f"SELECT COUNT(*) AS n, AVG(e.score) AS mean FROM events e"
                       + (f" WHERE {where}" if where else ""), params)
    n = int(rows[0]["n"] or 0) if rows else 0
    mean = rows[0]["mean"] if rows else None
    return {"events": n, "mean_score": None if mean is None else round(float(mean), 2)}


# ----------------------------------------------------------------- stats
def stats(store: Store) -> dict[str, Any]:
    counts = store.counts()
    rng = store.query("SELECT MIN(date_start) AS first, MAX(date_start) AS last FROM events "
                      "WHERE date_start IS NOT NULL")
    pub = store.query("SELECT MIN(published) AS first, MAX(published) AS last FROM documents "
                      "WHERE published IS NOT NULL")
    types = store.query("SELECT event_type, COUNT(*) AS n, AVG(score) AS mean_score FROM events "
                        "GROUP BY event_type ORDER BY COUNT(*) DESC, event_type")
    modalities = store.query("SELECT modality, COUNT(*) AS n FROM events GROUP BY modality "
                             "ORDER BY COUNT(*) DESC, modality")
    actors = counts.get("entities") or 0
    if not actors:  # fusion has not resolved entities: count distinct canonical names
        names: set[str] = set()
        for r in store.query("SELECT actor_names, recipient_names FROM events "
                             "GROUP BY actor_names, recipient_names"):
            names.update(split_codes(r["actor_names"]))
            names.update(split_codes(r["recipient_names"]))
        actors = len(names)
    return {
        "counts": counts,
        "actors": actors,
        "event_dates": {"first": rng[0]["first"] if rng else None, "last": rng[0]["last"] if rng else None},
        "published": {"first": pub[0]["first"] if pub else None, "last": pub[0]["last"] if pub else None},
        "event_types": [{"event_type": t["event_type"], "events": int(t["n"]),
                         "mean_score": None if t["mean_score"] is None else round(float(t["mean_score"]), 2)}
                        for t in types],
        "modalities": [{"modality": m["modality"], "events": int(m["n"])} for m in modalities],
    }


def event_types(store: Store) -> list[str]:
    return [r["event_type"] for r in store.query(
        "SELECT DISTINCT event_type FROM events WHERE event_type IS NOT NULL ORDER BY event_type")]


def modalities(store: Store) -> list[str]:
    return [r["modality"] for r in store.query(
        "SELECT DISTINCT modality FROM events WHERE modality IS NOT NULL ORDER BY modality")]


# ----------------------------------------------------------------- contradictions
def list_contradictions(store: Store, *, limit: int = 100, offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    limit = clamp(limit, 0, MAX_LIMIT, 100)
    offset = clamp(offset, 0, MAX_OFFSET, 0)
    total = int(store.scalar("SELECT COUNT(*) FROM contradictions") or 0)
    rows = store.query(f"SELECT contradiction_id, subject, claims FROM contradictions "
                       f"ORDER BY subject, contradiction_id LIMIT {limit} OFFSET {offset}")
    out = []
    for r in rows:
        r = decode("contradictions", r)
        out.append({"contradiction_id": r["contradiction_id"], "subject": r["subject"], "claims": r["claims"] or []})
    return total, out

