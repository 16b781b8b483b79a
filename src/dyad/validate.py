"""Check output against the data contract (DESIGN.md, "Data contract").

Each `validate_*` function takes one record as a plain dict (a line of a
contract file, or a dataclass's `to_dict()`) and returns a list of problems in
plain words; an empty list means the record is valid.

    from dyad.validate import validate_dir, validate_event
    problems = validate_event(event.to_dict(), document.text)
    report = validate_dir("out/demo")      # {} when every file is valid

`validate_dir` checks a `dyad run --out DIR` folder as a whole: the five files
exist, every line is a JSON object, every record is valid, offsets point into
the text of the document they name, ids are unique and references resolve.
`validate_command` is the same as a command line (`dyad validate DIR`).
"""
from __future__ import annotations

import json
import math
import re
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Optional

import typer

CONTRACT_FILES = ("documents", "events", "entities", "claims", "contradictions")

EVENT_TYPES = frozenset(
    "AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT REQUEST ACCUSE REJECT THREATEN "
    "PROTEST SANCTION MOBILIZE COERCE ASSAULT".split()
)
MODALITIES = frozenset({"asserted", "intended", "hypothetical", "denied", "historical"})
DATE_KINDS = frozenset({"exact", "approximate", "range", "unresolved"})
GRANULARITIES = frozenset({"day", "week", "month", "quarter", "year"})  # or None
SCORE_RANGE = (-10.0, 10.0)

_COUNTRY = re.compile(r"[A-Z]{3}")  # ISO 3166 alpha-3; "IGO" also matches
_SECTOR = re.compile(r"[A-Z]{3}")
_OFFSET = re.compile(r"[+-](?:0\d|1[0-4]):[0-5]\d")  # a UTC offset, as ISO 8601 writes it
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# Cap per file, so a systematically broken file gives a readable report.
MAX_PROBLEMS_PER_FILE = 200

Problems = list[str]


# --------------------------------------------------------------------------- field checks


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return (isinstance(v, (int, float)) and not isinstance(v, bool)) and math.isfinite(v)


def _is_str(v: Any, nonempty: bool = False) -> bool:
    return isinstance(v, str) and (not nonempty or bool(v.strip()))


def _opt_str(v: Any) -> bool:
    return v is None or isinstance(v, str)


def _iso_date(v: Any) -> Optional[date]:
    if not isinstance(v, str) or not _ISO_DATE.fullmatch(v):
        return None
    try:
        return date.fromisoformat(v)
    except ValueError:
        return None


def _check_keys(d: Any, required: tuple[str, ...], where: str, out: Problems) -> bool:
    if not isinstance(d, Mapping):
        out.append(f"{where}: expected an object, got {type(d).__name__}")
        return False
    missing = [k for k in required if k not in d]
    if missing:
        out.append(f"{where}: missing field(s) {', '.join(missing)}")
    return True


def _country(v: Any, where: str, out: Problems) -> None:
    if v is not None and not (isinstance(v, str) and _COUNTRY.fullmatch(v)):
        out.append(f"{where}: country {v!r} is not an ISO alpha-3 code, 'IGO' or null")


def _sector(v: Any, where: str, out: Problems) -> None:
    if v is not None and not (isinstance(v, str) and _SECTOR.fullmatch(v)):
        out.append(f"{where}: sector {v!r} is not three upper-case letters or null")


def _span(d: Mapping[str, Any], where: str, text: Optional[str], out: Problems, *, required: bool,
          text_key: str = "text") -> None:
    """start/end are ints with 0 <= start <= end; with `text`, text[start:end] == d[text_key]."""
    start, end = d.get("start"), d.get("end")
    if start is None and end is None and not required:
        return
    if not (_is_int(start) and _is_int(end)):
        out.append(f"{where}: start/end must be integers, got {start!r}/{end!r}")
        return
    if not 0 <= start <= end:
        out.append(f"{where}: offsets {start}..{end} are not 0 <= start <= end")
        return
    if text is None:
        return
    if end > len(text):
        out.append(f"{where}: offsets {start}..{end} run past the end of the text ({len(text)} characters)")
        return
    quoted = d.get(text_key)
    if isinstance(quoted, str) and text[start:end] != quoted:
        out.append(f"{where}: text[{start}:{end}] is {text[start:end][:60]!r}, not {quoted[:60]!r}")


# --------------------------------------------------------------------------- record validators


def validate_party(p: Any, text: Optional[str] = None, where: str = "party") -> Problems:
    """An actor, recipient or source actor: text, name, country, sector, entity_id, start, end, type."""
    out: Problems = []
    if not _check_keys(p, ("text", "name", "country", "sector"), where, out):
        return out
    implied = p.get("text") == "" and p.get("start") is None and p.get("end") is None
    if not (_is_str(p.get("text"), nonempty=True) or implied):
        out.append(f"{where}: text must be a non-empty string (or \"\" with null offsets for an implied party)")
    if not _is_str(p.get("name"), nonempty=True):
        out.append(f"{where}: name must be a non-empty string")
    _country(p.get("country"), where, out)
    _sector(p.get("sector"), where, out)
    for key in ("entity_id", "type"):
        if not _opt_str(p.get(key)):
            out.append(f"{where}: {key} must be a string or null")
    _span(p, where, text, out, required=False)
    return out


def _validate_date(d: Any, out: Problems) -> None:
    if d is None:
        return
    if not _check_keys(d, ("start", "end", "granularity", "kind"), "date", out):
        return
    kind, gran = d.get("kind"), d.get("granularity")
    if kind not in DATE_KINDS:
        out.append(f"date: kind {kind!r} is not one of {', '.join(sorted(DATE_KINDS))}")
    if gran is not None and gran not in GRANULARITIES:
        out.append(f"date: granularity {gran!r} is not one of {', '.join(sorted(GRANULARITIES))} or null")
    if not _opt_str(d.get("text")):
        out.append("date: text must be a string or null")
    start, end = d.get("start"), d.get("end")
    ds, de = _iso_date(start), _iso_date(end)
    if start is not None and ds is None:
        out.append(f"date: start {start!r} is not an ISO date (YYYY-MM-DD) or null")
    if end is not None and de is None:
        out.append(f"date: end {end!r} is not an ISO date (YYYY-MM-DD) or null")
    if kind == "unresolved":
        if start is not None or end is not None:
            out.append("date: an unresolved date has no start or end")
    elif kind in DATE_KINDS and start is None:
        out.append(f"date: a date of kind {kind!r} needs a start")
    if end is not None and kind in DATE_KINDS and kind != "range":
        out.append(f"date: only a range has an end (kind {kind!r})")
    if ds and de and de < ds:
        out.append(f"date: end {end} is before start {start}")


def _validate_location(loc: Any, text: Optional[str], out: Problems) -> None:
    if loc is None:
        return
    if not _check_keys(loc, ("name",), "location", out):
        return
    if not _is_str(loc.get("name"), nonempty=True):
        out.append("location: name must be a non-empty string")
    _country(loc.get("country"), "location", out)
    for key, limit in (("lat", 90), ("lon", 180)):
        v = loc.get(key)
        if v is not None and not (_is_number(v) and -limit <= v <= limit):
            out.append(f"location: {key} {v!r} is not a number in [-{limit}, {limit}] or null")
    if (loc.get("lat") is None) != (loc.get("lon") is None):
        out.append("location: lat and lon are both given or both null")
    if "start" in loc or "end" in loc:
        _span(loc, "location", text if _is_str(loc.get("text")) else None, out, required=False)


def validate_event(d: Any, text: Optional[str] = None, *, fused: bool = False) -> Problems:
    """One event. With `text` (its document's clean text) every offset is checked against it.

    `fused=True` (the files `dyad run --out` writes) also requires what fusion
    fills in: a cluster_id and the list of sources, which holds the event's own doc_id.
    """
    out: Problems = []
    required = ("event_id", "doc_id", "event_type", "actor", "recipient", "negated", "modality",
                "evidence", "confidence", "score", "contexts", "sources", "cluster_id")
    if not _check_keys(d, required, "event", out):
        return out
    for key in ("event_id", "doc_id"):
        if not _is_str(d.get(key), nonempty=True):
            out.append(f"{key} must be a non-empty string")
    if d.get("event_type") not in EVENT_TYPES:
        out.append(f"event_type {d.get('event_type')!r} is not one of the 16 PLOVER types")
    if d.get("modality") not in MODALITIES:
        out.append(f"modality {d.get('modality')!r} is not one of {', '.join(sorted(MODALITIES))}")
    if not isinstance(d.get("negated"), bool):
        out.append(f"negated must be true or false, got {d.get('negated')!r}")
    for key in ("mode", "trigger", "cameo"):
        if not _opt_str(d.get(key)):
            out.append(f"{key} must be a string or null")
    contexts = d.get("contexts")
    if not (isinstance(contexts, list) and all(_is_str(c, nonempty=True) for c in contexts)):
        out.append(f"contexts must be a list of strings, got {contexts!r}")
    for role in ("actor", "recipient"):
        parties = d.get(role)
        if not isinstance(parties, list):
            out.append(f"{role} must be a list, got {type(parties).__name__}")
            continue
        for i, p in enumerate(parties):
            out.extend(validate_party(p, text, f"{role}[{i}]"))
    if d.get("source_actor") is not None:
        out.extend(validate_party(d["source_actor"], text, "source_actor"))
    ev = d.get("evidence")
    if _check_keys(ev, ("text", "start", "end"), "evidence", out):
        if not _is_str(ev.get("text"), nonempty=True):
            out.append("evidence: text must be a non-empty string (nothing is asserted without evidence)")
        _span(ev, "evidence", text, out, required=True)
    _validate_date(d.get("date"), out)
    _validate_location(d.get("location"), text, out)
    score = d.get("score")
    if score is not None and not (_is_number(score) and SCORE_RANGE[0] <= score <= SCORE_RANGE[1]):
        out.append(f"score {score!r} is not a number in [-10, 10]")
    conf = d.get("confidence")
    if not (_is_number(conf) and 0 <= conf <= 1):
        out.append(f"confidence {conf!r} is not a number in [0, 1]")
    sources, cluster = d.get("sources"), d.get("cluster_id")
    if not (isinstance(sources, list) and all(_is_str(s, nonempty=True) for s in sources)):
        out.append(f"sources must be a list of doc ids, got {sources!r}")
    elif (sources or fused) and d.get("doc_id") not in sources:
        out.append(f"sources {sources!r} do not include the event's own doc_id {d.get('doc_id')!r}")
    elif len(set(sources)) != len(sources):
        out.append("sources lists a doc id twice")
    if not (_is_str(cluster, nonempty=True) if fused else _opt_str(cluster)):
        out.append(f"cluster_id must be a {'non-empty ' if fused else ''}string{'' if fused else ' or null'}")
    return out


def validate_document(d: Any) -> Problems:
    """One line of documents.jsonl (or `Document.to_dict()`)."""
    out: Problems = []
    required = ("doc_id", "title", "url", "publisher", "published", "published_inferred", "text",
                "removed", "language", "error")
    if not _check_keys(d, required, "document", out):
        return out
    if not _is_str(d.get("doc_id"), nonempty=True):
        out.append("doc_id must be a non-empty string")
    text, error = d.get("text"), d.get("error")
    if not isinstance(text, str):
        out.append(f"text must be a string, got {type(text).__name__}")
    if error is not None and not _is_str(error, nonempty=True):
        out.append(f"error must be null or a non-empty reason, got {error!r}")
    if error is None and isinstance(text, str) and not text.strip():
        out.append("a document without an error must have text")
    for key in ("title", "url", "publisher", "author", "language", "source"):
        if not _opt_str(d.get(key)):
            out.append(f"{key} must be a string or null")
    pub = d.get("published")
    if pub is not None and _iso_date(pub) is None:
        out.append(f"published {pub!r} is not an ISO date (YYYY-MM-DD) or null")
    off = d.get("published_offset")
    if off is not None and not (isinstance(off, str) and _OFFSET.fullmatch(off)):
        out.append(f"published_offset {off!r} is not a UTC offset (+HH:MM or -HH:MM) or null")
    if off is not None and pub is None:
        out.append("published_offset is given without a published date")
    inf = d.get("published_inferred")
    if inf is not None and _check_keys(inf, ("start", "end", "granularity", "basis"), "published_inferred", out):
        s, e = inf.get("start"), inf.get("end")
        ds, de = _iso_date(s), _iso_date(e)
        if (s is not None and ds is None) or (e is not None and de is None):
            out.append(f"published_inferred: start/end {s!r}/{e!r} are not ISO dates or null")
        if ds and de and de < ds:
            out.append(f"published_inferred: end {e} is before start {s}")
        g = inf.get("granularity")
        if g is not None and g not in GRANULARITIES:
            out.append(f"published_inferred: granularity {g!r} is not a known granularity")
        if not _is_str(inf.get("basis"), nonempty=True):
            out.append("published_inferred: basis must say what the range is inferred from")
    removed = d.get("removed")
    if not isinstance(removed, list):
        out.append(f"removed must be a list, got {type(removed).__name__}")
    else:
        for i, r in enumerate(removed):
            where = f"removed[{i}]"
            if not _check_keys(r, ("kind", "text", "start", "end"), where, out):
                continue
            if not _is_str(r.get("kind"), nonempty=True) or not isinstance(r.get("text"), str):
                out.append(f"{where}: kind and text must be strings")
                continue
            _span(r, where, None, out, required=True)  # offsets are into the raw text, not exported
            if _is_int(r.get("start")) and _is_int(r.get("end")) and r["end"] - r["start"] != len(r["text"]):
                out.append(f"{where}: {r['end'] - r['start']} characters between the offsets, "
                           f"{len(r['text'])} in the text")
    return out


def _validate_mention(m: Any, where: str, text: Optional[str], out: Problems) -> None:
    if not _check_keys(m, ("doc_id", "text", "start", "end"), where, out):
        return
    if not _is_str(m.get("doc_id"), nonempty=True) or not _is_str(m.get("text"), nonempty=True):
        out.append(f"{where}: doc_id and text must be non-empty strings")
    _span(m, where, text, out, required=True)


def validate_entity(d: Any, texts: Optional[Mapping[str, str]] = None) -> Problems:
    """One line of entities.jsonl; with `texts` ({doc_id: text}) mention offsets are checked."""
    out: Problems = []
    if not _check_keys(d, ("entity_id", "name", "type", "country", "sector", "aliases", "mentions"), "entity", out):
        return out
    for key in ("entity_id", "name"):
        if not _is_str(d.get(key), nonempty=True):
            out.append(f"{key} must be a non-empty string")
    if not _opt_str(d.get("type")):
        out.append("type must be a string or null")
    _country(d.get("country"), "entity", out)
    _sector(d.get("sector"), "entity", out)
    aliases = d.get("aliases")
    if not (isinstance(aliases, list) and all(isinstance(a, str) for a in aliases)):
        out.append(f"aliases must be a list of strings, got {aliases!r}")
    mentions = d.get("mentions")
    if not isinstance(mentions, list):
        out.append(f"mentions must be a list, got {type(mentions).__name__}")
        return out
    for i, m in enumerate(mentions):
        doc_text = None
        if texts is not None and isinstance(m, Mapping):
            doc_text = texts.get(m.get("doc_id"))
            if doc_text is None:
                out.append(f"mentions[{i}]: doc_id {m.get('doc_id')!r} is not in documents")
        _validate_mention(m, f"mentions[{i}]", doc_text, out)
    return out


def validate_claim(d: Any, text: Optional[str] = None) -> Problems:
    """One claim (a line of claims.jsonl or an element of a contradiction's claims)."""
    out: Problems = []
    if not _check_keys(d, ("claim_id", "doc_id", "subject", "value", "unit", "text", "start", "end"), "claim", out):
        return out
    for key in ("claim_id", "doc_id", "subject", "unit", "text"):
        if not _is_str(d.get(key), nonempty=True):
            out.append(f"{key} must be a non-empty string")
    if not _is_number(d.get("value")):
        out.append(f"value {d.get('value')!r} is not a finite number")
    vmax = d.get("value_max")
    if vmax is not None:
        if not _is_number(vmax):
            out.append(f"value_max {vmax!r} is not a finite number or null")
        elif _is_number(d.get("value")) and vmax < d["value"]:
            out.append(f"value_max {vmax} is below value {d['value']}")
    sentence = d.get("sentence")
    if not _opt_str(sentence):
        out.append("sentence must be a string or null")
    elif sentence and _is_str(d.get("text")) and d["text"] not in sentence:
        out.append(f"the quantity {d['text']!r} is not in its sentence")
    _span(d, "claim", text, out, required=True)
    return out


def validate_contradiction(d: Any, texts: Optional[Mapping[str, str]] = None) -> Problems:
    """One line of contradictions.jsonl: a subject and the (at least two) claims that disagree on it."""
    out: Problems = []
    if not _check_keys(d, ("subject", "claims"), "contradiction", out):
        return out
    subject, claims = d.get("subject"), d.get("claims")
    if not _is_str(subject, nonempty=True):
        out.append("subject must be a non-empty string")
    if not isinstance(claims, list) or len(claims) < 2:
        out.append("claims must be a list of at least two claims")
        return out
    for i, c in enumerate(claims):
        text = None
        if texts is not None and isinstance(c, Mapping):
            text = texts.get(c.get("doc_id"))
            if text is None:
                out.append(f"claims[{i}]: doc_id {c.get('doc_id')!r} is not in documents")
        out.extend(f"claims[{i}]: {p}" for p in validate_claim(c, text))
        if isinstance(c, Mapping) and c.get("subject") != subject:
            out.append(f"claims[{i}]: subject {c.get('subject')!r} differs from {subject!r}")
    return out


# --------------------------------------------------------------------------- a whole --out folder


def _read_lines(path: Path, out: Problems) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open("r", encoding="utf-8", errors="strict", newline="") as fh:
        try:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    out.append(f"line {lineno}: blank line")
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    out.append(f"line {lineno}: not JSON ({exc.msg})")
                    continue
                if not isinstance(obj, dict):
                    out.append(f"line {lineno}: a JSON {type(obj).__name__}, not an object")
                    continue
                yield lineno, obj
        except UnicodeDecodeError as exc:
            out.append(f"not UTF-8: {exc.reason} at byte {exc.start}")


def _label(obj: Mapping[str, Any], key: str) -> str:
    v = obj.get(key)
    return f" ({key} {v})" if isinstance(v, str) else ""


def validate_dir(out_dir: str | Path) -> dict[str, Problems]:
    """Check the contract files in `out_dir`; returns {file name: problems} for files that have any.

    An empty dict means the folder is valid.
    """
    folder = Path(out_dir)
    report: dict[str, Problems] = {}
    paths = {name: folder / f"{name}.jsonl" for name in CONTRACT_FILES}
    for name, path in paths.items():
        if not path.is_file():
            report[path.name] = ["missing"]
    if not folder.is_dir():
        return {folder.name or str(folder): ["not a folder"]}

    texts: dict[str, str] = {}
    errors: set[str] = set()
    entity_ids: set[str] = set()
    referenced_entities: list[tuple[int, str, str]] = []  # (line, event_id, entity_id) from events

    def check(name: str, id_key: Optional[str], each: Callable[[int, dict[str, Any]], Problems]) -> None:
        path = paths[name]
        if not path.is_file():
            return
        problems: Problems = []
        seen: dict[str, int] = {}
        for lineno, obj in _read_lines(path, problems):
            label = _label(obj, id_key) if id_key else ""
            problems.extend(f"line {lineno}{label}: {p}" for p in each(lineno, obj))
            if id_key and isinstance(obj.get(id_key), str):
                first = seen.setdefault(obj[id_key], lineno)
                if first != lineno:
                    problems.append(f"line {lineno}: duplicate {id_key} {obj[id_key]!r} (first on line {first})")
        if len(problems) > MAX_PROBLEMS_PER_FILE:
            problems = problems[:MAX_PROBLEMS_PER_FILE] + [f"... and {len(problems) - MAX_PROBLEMS_PER_FILE} more"]
        if problems:
            report[path.name] = problems

    def document(_: int, d: dict[str, Any]) -> Problems:
        if isinstance(d.get("doc_id"), str) and isinstance(d.get("text"), str):
            texts[d["doc_id"]] = d["text"]
            if d.get("error"):
                errors.add(d["doc_id"])
        return validate_document(d)

    def event(lineno: int, e: dict[str, Any]) -> Problems:
        doc_id = e.get("doc_id")
        problems = validate_event(e, texts.get(doc_id), fused=True)
        if doc_id not in texts:
            problems.append(f"doc_id {doc_id!r} is not in documents.jsonl")
        elif doc_id in errors:
            problems.append(f"document {doc_id!r} was rejected (error) yet has events")
        for s in e.get("sources") or []:
            if isinstance(s, str) and s not in texts:
                problems.append(f"source {s!r} is not in documents.jsonl")
        for role in ("actor", "recipient"):
            for p in e.get(role) or []:
                if isinstance(p, Mapping) and isinstance(p.get("entity_id"), str):
                    referenced_entities.append((lineno, str(e.get("event_id")), p["entity_id"]))
        return problems

    def entity(_: int, d: dict[str, Any]) -> Problems:
        if isinstance(d.get("entity_id"), str):
            entity_ids.add(d["entity_id"])
        return validate_entity(d, texts)

    def claim(_: int, c: dict[str, Any]) -> Problems:
        problems = validate_claim(c, texts.get(c.get("doc_id")))
        if c.get("doc_id") not in texts:
            problems.append(f"doc_id {c.get('doc_id')!r} is not in documents.jsonl")
        return problems

    check("documents", "doc_id", document)
    check("events", "event_id", event)
    check("entities", "entity_id", entity)
    check("claims", "claim_id", claim)
    check("contradictions", "subject", lambda _, c: validate_contradiction(c, texts))

    if paths["entities"].is_file():
        dangling = [f"line {ln} (event_id {eid}): entity_id {ent!r} is not in entities.jsonl"
                    for ln, eid, ent in referenced_entities if ent not in entity_ids]
        if dangling:
            report.setdefault(paths["events"].name, []).extend(dangling[:MAX_PROBLEMS_PER_FILE])
    return report


def validate_command(
    out: Path = typer.Argument(..., exists=True, file_okay=False, dir_okay=True,
                               help="A folder written by `dyad run --out`."),
    as_json: bool = typer.Option(False, "--json", help="Print the problems as JSON ({file: [problems]})."),
) -> None:
    """Check a `dyad run --out` folder against the data contract; exit 1 if anything is wrong."""
    report = validate_dir(out)
    if as_json:
        typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for name, problems in report.items():
            for p in problems:
                typer.echo(f"{name}: {p}", err=True)
        n = sum(len(p) for p in report.values())
        typer.echo(f"{out}: valid" if not report else f"{out}: {n} problem(s) in {len(report)} file(s)",
                   err=bool(report))
    raise typer.Exit(1 if report else 0)
