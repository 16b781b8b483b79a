"""Filters and helpers shared by the queries: bounds, LIKE escaping, dyad sides, EventFilter."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Optional

from dyad.store import Store


MAX_LIMIT = 500  # rows per page of any listing
MAX_OFFSET = 1_000_000
MAX_SCAN = 50_000  # rows read for Python-side aggregation (dyads of one actor)
MAX_IDS = 10_000  # event ids of one entity used as a filter (bound on query parameters)

DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
COUNTRY_RE = re.compile(r"^[A-Z]{3}$")


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
        plain = (("event_type =", self.event_type), ("modality =", self.modality), ("doc_id =", self.doc_id),
                 ("date_start >=", self.date_from), ("date_start <=", self.date_to and date_upper(self.date_to)))
        for cond, value in plain:
            if value:
                w.append(f"{a}{cond} {ph}")
                p.append(value)
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


def add_search(store: Store, cols: tuple[str, ...], q: str, where: list[str], params: list[Any]) -> None:
    """A case-insensitive substring search over `cols`, with LIKE wildcards in `q` taken literally."""
    where.append("(" + " OR ".join(f"LOWER({c}) LIKE {store.ph} ESCAPE '\\'" for c in cols) + ")")
    params.extend(["%" + like_escape(q.lower()) + "%"] * len(cols))
