"""Counts over time and over the store: dyads, series, date ranges, stats, contradictions."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, Optional

from dyad.store import Store
from dyad.store.rows import decode
from dyad.web.queries.filters import EventFilter, MAX_LIMIT, MAX_OFFSET, clamp, country_names, split_codes
from dyad.web.queries.events import dedupe_clause


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
        where = (where + " AND " if where else "") + dedupe_clause(where)
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
    where = (where + " AND " if where else "") + dedupe_clause(where)
    return store.query(
        "SELECT e.event_id, e.event_type, e.date_start AS start, e.date_end AS \"end\", e.score FROM events e "
        f"WHERE {where} AND e.date_kind = 'range' AND e.date_end IS NOT NULL AND e.date_end <> e.date_start "
        f"ORDER BY e.date_start LIMIT {int(limit)}", params)


def summary(store: Store, flt: EventFilter, one_per_cluster: bool = True) -> dict[str, Any]:
    """Number of events matching a filter and their mean score."""
    where, params = flt.sql(store.ph)
    if one_per_cluster:
        params = params + params
        where = (where + " AND " if where else "") + dedupe_clause(where)
    rows = store.query("SELECT COUNT(*) AS n, AVG(e.score) AS mean FROM events e"
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
