"""Writing the store out: the JSONL contract files, and flat CSV / Parquet for spreadsheets and pandas."""
from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence

import pyarrow as pa
import pyarrow.parquet as pq

from dyad.store import Store

CONTRACT_FILES = ("documents", "events", "entities", "claims", "contradictions")
FORMATS = ("jsonl", "csv", "parquet")


def _contract(store: Store, name: str) -> Iterator[dict[str, Any]]:
    return getattr(store, f"contract_{name}")()


def _write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    n = 0
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            n += 1
    tmp.replace(path)  # atomic: a reader never sees half a file
    return n


def write_jsonl(store: Store, out_dir: Path) -> dict[str, int]:
    """The output contract: one JSON object per line, nested as in DESIGN.md."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return {name: _write_jsonl(out_dir / f"{name}.jsonl", _contract(store, name)) for name in CONTRACT_FILES}


# --- flat rows: one value per cell ---------------------------------------------
# Lists stay lists: JSON text in a CSV cell, a list column in Parquet, never "a; b" that
# breaks a group-by.

# PLOVER's quad categories (the PLOVER README's table; DEMAND is now REQUEST and
# DISAPPROVE, INVESTIGATE are ACCUSE), numbered as ICEWS and POLECAT number them.
QUAD_CLASS = {
    **dict.fromkeys(("AGREE", "CONSULT", "SUPPORT", "CONCEDE"), 1),  # verbal cooperation
    **dict.fromkeys(("COOPERATE", "AID", "RETREAT"), 2),  # material cooperation
    **dict.fromkeys(("REQUEST", "ACCUSE", "REJECT", "THREATEN", "SANCTION"), 3),  # verbal conflict
    **dict.fromkeys(("PROTEST", "MOBILIZE", "COERCE", "ASSAULT"), 4),  # material conflict
}
PARTY_FIELDS = ("text", "name", "country", "sector", "entity_id")


def _primary(parties: list[dict] | None) -> dict[str, Any]:
    """The party a row is counted under: the first with a country, else the first."""
    parties = parties or []
    return next((p for p in parties if p.get("country")), parties[0] if parties else {})


def _party_cols(prefix: str, parties: list[dict] | None) -> dict[str, Any]:
    p = _primary(parties)
    return {f"{prefix}_{k}": p.get(k) for k in PARTY_FIELDS}


def _party_list(parties: list[dict] | None) -> list[dict[str, Any]]:
    return [{k: p.get(k) for k in PARTY_FIELDS} for p in parties or []]


def flat_event(e: dict[str, Any]) -> dict[str, Any]:
    """One analysis-ready row per event (docs/columns.md lists the columns and their peers)."""
    date = e.get("date") or {}
    loc = e.get("location") or {}
    ev = e.get("evidence") or {}
    src = e.get("source_actor") or {}
    doc = e.get("document") or {}
    cameo = e.get("cameo")
    row = {
        "event_id": e["event_id"], "doc_id": e["doc_id"], "cluster_id": e.get("cluster_id"),
        "n_sources": len(e.get("sources") or []), "sources": list(e.get("sources") or []),
        "doc_published": doc.get("published"), "doc_published_offset": doc.get("published_offset"),
        "doc_url": doc.get("url"), "doc_publisher": doc.get("publisher"),
        "doc_title": doc.get("title"), "language": doc.get("language"), "sentence_index": e.get("sentence_index"),
        "event_type": e["event_type"], "quad_class": QUAD_CLASS.get(e["event_type"]), "mode": e.get("mode"),
        "contexts": list(e.get("contexts") or []),
        "cameo": None if cameo is None else str(cameo), "cameo_root": str(cameo)[:2] if cameo else None,
        "intensity": e.get("score"), "confidence": e.get("confidence"),
    }
    row.update(_party_cols("actor", e.get("actor")))
    row.update(_party_cols("recipient", e.get("recipient")))
    row.update({
        "actors": _party_list(e.get("actor")), "recipients": _party_list(e.get("recipient")),
        "source_actor": src.get("name"), "source_actor_country": src.get("country"),
        "source_actor_sector": src.get("sector"),
        "negated": e.get("negated"), "modality": e.get("modality"),
        "date_text": date.get("text"), "date_start": date.get("start"), "date_end": date.get("end"),
        "date_granularity": date.get("granularity"), "date_kind": date.get("kind"),
        "location": loc.get("name"), "location_country": loc.get("country"),
        "location_admin1": loc.get("admin1"), "location_geonameid": loc.get("geonameid"),
        "location_feature": loc.get("feature"), "lat": loc.get("lat"), "lon": loc.get("lon"),
        "trigger": e.get("trigger"), "evidence": ev.get("text"),
        "evidence_start": ev.get("start"), "evidence_end": ev.get("end"),
    })
    return row


def flat_document(d: dict[str, Any]) -> dict[str, Any]:
    inf = d.get("published_inferred") or {}
    return {
        "doc_id": d["doc_id"], "title": d.get("title"), "url": d.get("url"),
        "publisher": d.get("publisher"), "author": d.get("author"), "published": d.get("published"),
        "published_offset": d.get("published_offset"), "inferred_start": inf.get("start"), "inferred_end": inf.get("end"),
        "inferred_basis": inf.get("basis"), "language": d.get("language"), "source": d.get("source"),
        "error": d.get("error"), "n_removed": len(d.get("removed") or []), "text": d.get("text"),
    }


def flat_entity(e: dict[str, Any]) -> dict[str, Any]:
    return {"entity_id": e["entity_id"], "name": e["name"], "type": e.get("type"),
            "country": e.get("country"), "sector": e.get("sector"),
            "aliases": list(e.get("aliases") or []), "n_mentions": len(e.get("mentions") or []),
            "doc_ids": sorted({m["doc_id"] for m in e.get("mentions") or []})}


def flat_claim(c: dict[str, Any]) -> dict[str, Any]:
    return {k: c.get(k) for k in ("claim_id", "doc_id", "subject", "value", "unit", "text", "start", "end",
                                  "sentence")}


def flat_contradictions(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """One row per claim in each contradiction, grouped by subject."""
    for i, c in enumerate(rows, 1):
        for cl in c["claims"]:
            yield {"contradiction": i, "subject": c["subject"], "doc_id": cl.get("doc_id"),
                   "value": cl.get("value"), "unit": cl.get("unit"), "text": cl.get("text"),
                   "sentence": cl.get("sentence"), "claim_id": cl.get("claim_id")}


FLAT: dict[str, Callable[[Iterable[dict[str, Any]]], Iterable[dict[str, Any]]]] = {
    "documents": lambda rows: map(flat_document, rows),
    "events": lambda rows: map(flat_event, rows),
    "entities": lambda rows: map(flat_entity, rows),
    "claims": lambda rows: map(flat_claim, rows),
    "contradictions": flat_contradictions,
    "clusters": lambda rows: rows,  # already flat (dyad.clusters)
}


class _Blank(dict):
    """A row with every field missing: run through a flattener it yields the column names."""

    def __missing__(self, key: str) -> None:
        return None


def columns(name: str) -> list[str]:
    """The flat columns of an export table (so an empty table still gets its header)."""
    if name == "clusters":
        from dyad.clusters import CLUSTER_COLUMNS

        return list(CLUSTER_COLUMNS)
    blank = _Blank(claims=[_Blank()], event_type="")
    return list(next(iter(FLAT[name]([blank]))))


# --- types: Parquet columns are typed; the rest is text ------------------------
_PARTY = pa.struct([(k, pa.string()) for k in PARTY_FIELDS])
_DATE, _INT, _FLOAT, _BOOL, _TEXTS = pa.date32(), pa.int64(), pa.float64(), pa.bool_(), pa.list_(pa.string())
TYPES: dict[str, dict[str, pa.DataType]] = {
    "documents": {"published": _DATE, "inferred_start": _DATE, "inferred_end": _DATE, "n_removed": _INT},
    "events": {
        "n_sources": _INT, "sources": _TEXTS, "doc_published": _DATE, "sentence_index": _INT,
        "quad_class": _INT, "contexts": _TEXTS, "intensity": _FLOAT, "confidence": _FLOAT,
        "actors": pa.list_(_PARTY), "recipients": pa.list_(_PARTY), "negated": _BOOL,
        "date_start": _DATE, "date_end": _DATE, "location_geonameid": _INT, "lat": _FLOAT, "lon": _FLOAT,
        "evidence_start": _INT, "evidence_end": _INT,
    },
    "entities": {"aliases": _TEXTS, "n_mentions": _INT, "doc_ids": _TEXTS},
    "claims": {"value": _FLOAT, "start": _INT, "end": _INT},
    "contradictions": {"contradiction": _INT, "value": _FLOAT},
    "clusters": {
        "date_first": _DATE, "date_last": _DATE, "quad_class": _INT, "n_events": _INT, "n_sources": _INT,
        "sources": _TEXTS, "intensity": _FLOAT, "confidence": _FLOAT, "evidence_start": _INT,
        "evidence_end": _INT, "doc_published": _DATE,
    },
}
# what `pd.read_csv` would guess wrong: codes with leading zeros are text, dates are dates
CSV_TEXT = ("cameo", "cameo_root")


def csv_dates(name: str) -> list[str]:
    """The date columns of a CSV export (for `pd.read_csv(..., parse_dates=...)`)."""
    return [c for c, t in TYPES.get(name, {}).items() if t == _DATE]


def parquet_schema(name: str, fieldnames: list[str]) -> pa.Schema:
    types = TYPES.get(name, {})
    return pa.schema([(c, types.get(c, pa.string())) for c in fieldnames])


def _day(value: Any) -> Optional[dt.date]:
    """An ISO day for a date column; a partial or odd date is left out, not guessed."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _typed(row: dict[str, Any], schema: pa.Schema) -> dict[str, Any]:
    out = dict(row)
    for f in schema:
        v = out.get(f.name)
        if v is None:
            continue
        if f.type == _DATE:
            out[f.name] = _day(v)
        elif f.type == _INT:
            out[f.name] = int(v)
        elif f.type == _FLOAT:
            out[f.name] = float(v)
        elif f.type == pa.string() and not isinstance(v, str):
            out[f.name] = json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else str(v)
    return out


def _cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value


def _write_csv(path: Path, rows: Iterable[dict[str, Any]], fieldnames: list[str]) -> int:
    n = 0
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fieldnames)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(v) for k, v in row.items()})
            n += 1
    tmp.replace(path)
    return n


def _write_parquet(path: Path, rows: Iterable[dict[str, Any]], schema: pa.Schema, batch: int = 10_000) -> int:
    """Row groups of `batch` rows, written as they come: memory holds one batch."""
    n = 0
    buf: list[dict[str, Any]] = []
    tmp = path.with_name(f".{path.name}.tmp")
    with pq.ParquetWriter(tmp, schema) as writer:
        for row in rows:
            buf.append(_typed(row, schema))
            n += 1
            if len(buf) >= batch:
                writer.write_table(pa.Table.from_pylist(buf, schema=schema))
                buf.clear()
        if buf or n == 0:  # no rows: still a readable file with the table's columns
            writer.write_table(pa.Table.from_pylist(buf, schema=schema))
    tmp.replace(path)
    return n


def write_flat(name: str, rows: Iterable[dict[str, Any]], fmt: str, out_dir: Path) -> int:
    """Write one flat table (already flattened rows) as `out_dir/name.fmt`."""
    path = out_dir / f"{name}.{fmt}"
    cols = columns(name)
    if fmt == "csv":
        return _write_csv(path, rows, cols)
    return _write_parquet(path, rows, parquet_schema(name, cols))


def export(store: Store, fmt: str, out_dir: Path, where: str = "", params: Sequence[Any] = ()
           ) -> dict[str, int]:
    """Export every table in `fmt` (jsonl, csv or parquet) into `out_dir`.

    `where`/`params` (SQL on the events table as `e`, see `dyad.web.queries.EventFilter`)
    narrow the export to the matching events and the clusters they form; a filtered
    export writes only those two tables."""
    from dyad.clusters import cluster_rows

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    if fmt == "jsonl":
        if where:
            counts["events"] = _write_jsonl(out_dir / "events.jsonl", store.contract_events(where, params))
        else:
            counts = write_jsonl(store, out_dir)
    else:
        for name in (("events",) if where else CONTRACT_FILES):
            rows = (store.contract_events(where, params, with_document=True) if name == "events"
                    else _contract(store, name))
            counts[name] = write_flat(name, FLAT[name](rows), fmt, out_dir)
    counts["clusters"] = (_write_jsonl(out_dir / "clusters.jsonl", cluster_rows(store, where, params))
                          if fmt == "jsonl" else write_flat("clusters", cluster_rows(store, where, params), fmt, out_dir))
    return counts
