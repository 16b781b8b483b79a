"""Writing the store out: the JSONL contract files, and flat CSV / Parquet for spreadsheets and pandas."""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from dyad.store import Store

CONTRACT_FILES = ("documents", "events", "entities", "claims", "contradictions")
FORMATS = ("jsonl", "csv", "parquet")


def _contract(store: Store, name: str) -> Iterator[dict[str, Any]]:
    return getattr(store, f"contract_{name}")()


def write_jsonl(store: Store, out_dir: Path) -> dict[str, int]:
    """The output contract: one JSON object per line, nested as in DESIGN.md."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name in CONTRACT_FILES:
        n = 0
        tmp = out_dir / f".{name}.jsonl.tmp"
        with tmp.open("w", encoding="utf-8") as fh:
            for row in _contract(store, name):
                fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
                n += 1
        tmp.replace(out_dir / f"{name}.jsonl")  # atomic: a reader never sees half a file
        counts[name] = n
    return counts


# --- flat rows: one scalar per cell ------------------------------------------

def _join(values: Iterable[Any]) -> str:
    return "; ".join(str(v) for v in values if v not in (None, ""))


def _parties(prefix: str, parties: list[dict] | None) -> dict[str, str]:
    parties = parties or []
    return {f"{prefix}_{k}": _join(p.get(k) for p in parties)
            for k in ("text", "name", "country", "sector", "entity_id")}


def flat_event(e: dict[str, Any]) -> dict[str, Any]:
    date = e.get("date") or {}
    loc = e.get("location") or {}
    ev = e.get("evidence") or {}
    src = e.get("source_actor") or {}
    row = {
        "event_id": e["event_id"], "doc_id": e["doc_id"], "cluster_id": e.get("cluster_id"),
        "n_sources": len(e.get("sources") or []), "sources": _join(e.get("sources") or []),
        "event_type": e["event_type"], "mode": e.get("mode"), "contexts": _join(e.get("contexts") or []),
    }
    row.update(_parties("actor", e.get("actor")))
    row.update(_parties("recipient", e.get("recipient")))
    row.update({
        "source_actor": src.get("name"), "negated": e.get("negated"), "modality": e.get("modality"),
        "date_text": date.get("text"), "date_start": date.get("start"), "date_end": date.get("end"),
        "date_granularity": date.get("granularity"), "date_kind": date.get("kind"),
        "location": loc.get("name"), "location_country": loc.get("country"),
        "lat": loc.get("lat"), "lon": loc.get("lon"),
        "trigger": e.get("trigger"), "evidence": ev.get("text"),
        "evidence_start": ev.get("start"), "evidence_end": ev.get("end"),
        "score": e.get("score"), "confidence": e.get("confidence"), "cameo": e.get("cameo"),
    })
    return row


def flat_document(d: dict[str, Any]) -> dict[str, Any]:
    inf = d.get("published_inferred") or {}
    return {
        "doc_id": d["doc_id"], "title": d.get("title"), "url": d.get("url"),
        "publisher": d.get("publisher"), "author": d.get("author"), "published": d.get("published"),
        "inferred_start": inf.get("start"), "inferred_end": inf.get("end"),
        "inferred_basis": inf.get("basis"), "language": d.get("language"), "source": d.get("source"),
        "error": d.get("error"), "n_removed": len(d.get("removed") or []), "text": d.get("text"),
    }


def flat_entity(e: dict[str, Any]) -> dict[str, Any]:
    return {"entity_id": e["entity_id"], "name": e["name"], "type": e.get("type"),
            "country": e.get("country"), "sector": e.get("sector"),
            "aliases": _join(e.get("aliases") or []), "n_mentions": len(e.get("mentions") or []),
            "doc_ids": _join(sorted({m["doc_id"] for m in e.get("mentions") or []}))}


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
}


class _Blank(dict):
    """A row with every field missing: run through a flattener it yields the column names."""

    def __missing__(self, key: str) -> None:
        return None


def columns(name: str) -> list[str]:
    """The flat columns of a contract table (so an empty table still gets its header)."""
    blank = _Blank(claims=[_Blank()])
    return list(next(iter(FLAT[name]([blank]))))


def _write_csv(path: Path, rows: Iterable[dict[str, Any]], fieldnames: list[str]) -> int:
    n = 0
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fieldnames)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            n += 1
    tmp.replace(path)
    return n


def _write_parquet(path: Path, rows: Iterable[dict[str, Any]], fieldnames: list[str], batch: int = 10_000) -> int:
    n = 0
    writer = None
    buf: list[dict[str, Any]] = []
    tmp = path.with_name(f".{path.name}.tmp")

    def flush() -> None:
        nonlocal writer
        if not buf:
            return
        if writer is None:
            table = pa.Table.from_pylist(buf)
            # a column that is empty in the first batch would be typed null; text is the safe guess
            schema = pa.schema([pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f
                                for f in table.schema])
            table = table.cast(schema)
            writer = pq.ParquetWriter(tmp, schema)
        else:
            table = pa.Table.from_pylist(buf, schema=writer.schema)
        writer.write_table(table)
        buf.clear()

    for row in rows:
        buf.append(row)
        n += 1
        if len(buf) >= batch:
            flush()
    flush()
    if writer is None:  # no rows: still a readable file with the table's columns
        pq.write_table(pa.table({c: pa.array([], pa.string()) for c in fieldnames}), tmp)
    else:
        writer.close()
    tmp.replace(path)
    return n


def export(store: Store, fmt: str, out_dir: Path) -> dict[str, int]:
    """Export every contract table in `fmt` (jsonl, csv or parquet) into `out_dir`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if fmt == "jsonl":
        return write_jsonl(store, out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name in CONTRACT_FILES:
        rows = FLAT[name](_contract(store, name))
        path = out_dir / f"{name}.{fmt}"
        cols = columns(name)
        counts[name] = _write_csv(path, rows, cols) if fmt == "csv" else _write_parquet(path, rows, cols)
    return counts
