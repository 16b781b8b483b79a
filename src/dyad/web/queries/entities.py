"""Resolved actors: listings, mentions, documents, dyad sides and an actor's dyads."""
from __future__ import annotations

import json
from collections import defaultdict
from typing import Any, Optional

from dyad.store import Store
from dyad.store.rows import decode
from dyad.store.schema import columns
from dyad.web.queries.filters import (COUNTRY_RE, MAX_IDS, MAX_LIMIT, MAX_OFFSET, MAX_SCAN, Side, add_search, clamp,
                                      country_names, like_escape, split_codes)
from dyad.web.queries.events import span_key


def list_entities(store: Store, *, limit: int = 100, offset: int = 0, q: Optional[str] = None,
                  country: Optional[str] = None) -> tuple[int, list[dict[str, Any]]]:
    limit = clamp(limit, 0, MAX_LIMIT, 100)
    offset = clamp(offset, 0, MAX_OFFSET, 0)
    w, p = [], []
    if q:
        add_search(store, ("name", "aliases"), q, w, p)
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
        _, s, e = span_key(r["doc_id"], r["start_char"], r["end_char"])
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
        _, s, e = span_key(doc_id, p.get("start"), p.get("end"))
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
