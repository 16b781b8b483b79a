"""Record inputs: JSONL (files and stdin), JSON (an object or a list), CSV.

A record takes `id, text | html, title, url, published, publisher` (plus
`author` and a few common aliases). Its `id` becomes the `doc_id`; without one
the content hash does. Each bad line or record becomes an error document and
the rest of the file is still read.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import re
from typing import BinaryIO, Iterator, Optional

from dyad.ingest.decode import decode_bytes, sniff_binary
from dyad.ingest.document import error_document, make_document
from dyad.ingest.html import extract_html
from dyad.ingest.settings import IngestError, IngestSettings
from dyad.model import Document

logger = logging.getLogger("dyad.ingest")

_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "doc_id", "document_id"),
    "text": ("text", "body", "content", "article", "maintext"),
    "html": ("html", "raw_html"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "published": ("published", "date", "published_at", "publish_date", "pubdate", "date_publish", "datepublished"),
    "publisher": ("publisher", "source", "outlet", "site", "sitename", "source_domain"),
    "author": ("author", "authors", "byline"),
}
_WRAPPERS = ("articles", "documents", "records", "items", "data")
_BAD_ID = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def record_document(record: object, source: str, settings: IngestSettings) -> Document:
    """One JSON/CSV record as a Document (or an error Document saying what is wrong with it)."""
    if not isinstance(record, dict):
        return error_document(source, f"record is a JSON {_json_kind(record)}, not an object")
    fields = {str(k).strip().lower(): v for k, v in record.items()}

    def get(name: str) -> object:
        for key in _ALIASES[name]:
            value = fields.get(key)
            if value not in (None, "", []):
                return value
        return None

    raw_id = get("id")
    usable_id = isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) and str(raw_id).strip()
    doc_id = str(raw_id).strip() if usable_id else None
    meta = {name: _meta_str(get(name)) for name in ("title", "url", "publisher", "author")}
    if doc_id is not None and _BAD_ID.search(doc_id):
        # an id is kept as given or not at all: never silently altered
        return error_document(source, "field 'id' holds control characters or invalid Unicode", **meta)
    published = _meta_str(get("published"))
    text, markup = get("text"), get("html")
    for name, value in (("text", text), ("html", markup)):
        if value is not None and not isinstance(value, str):
            return error_document(source, f"field '{name}' is a {_json_kind(value)}, not a string", doc_id=doc_id, **meta)
    if isinstance(text, str) and text.strip():
        return make_document(text, source=source, doc_id=doc_id, published=published, settings=settings, **meta)
    if isinstance(markup, str) and markup.strip():
        try:
            page = extract_html(markup, settings.max_html_depth)
        except IngestError as exc:
            return error_document(source, str(exc), doc_id=doc_id, **meta)
        return make_document(
            page.text,
            source=source,
            doc_id=doc_id,
            title=meta["title"] or page.title,
            url=meta["url"] or page.url,
            publisher=meta["publisher"] or page.publisher,
            author=meta["author"] or page.author,
            published=published or page.published,
            dropped=page.dropped,
            settings=settings,
            hash_source=markup,
        )
    return error_document(source, "record has no text (no 'text' or 'html' field)", doc_id=doc_id, **meta)


def _guarded_record(record: object, source: str, settings: IngestSettings) -> Document:
    """`record_document`, but a reader bug on one record becomes that record's error, not the file's."""
    try:
        return record_document(record, source, settings)
    except Exception as exc:
        logger.exception("unexpected error reading %s", source)
        return error_document(source, f"unexpected error while reading: {type(exc).__name__}: {exc}")


def iter_jsonl(stream: BinaryIO, name: str, settings: IngestSettings) -> Iterator[Document]:
    """One Document per non-blank line; `name` is used in sources as `name:line N`.

    A file (or stdin) without a single non-blank line is one error document, like an empty .txt file.
    """
    records = 0
    for lineno, line, size in _lines(stream, settings.max_record_bytes):
        source = f"{name}:line {lineno}"
        records += line is None or bool(line.strip())
        if line is None:
            yield error_document(
                source, f"line of {size:,} bytes is longer than the limit ({settings.max_record_bytes:,} bytes)"
            )
            continue
        if not line.strip():
            continue
        try:
            text, _ = decode_bytes(line)
            record = json.loads(text)
        except IngestError as exc:
            yield error_document(source, str(exc))
            continue
        except json.JSONDecodeError as exc:
            yield error_document(source, f"not valid JSON: {exc.msg} (column {exc.colno})")
            continue
        except RecursionError:
            yield error_document(source, "not valid JSON: nested too deeply")
            continue
        yield _guarded_record(record, source, settings)
    if not records:
        yield error_document(name, "empty file (no records)")


def iter_json(text: str, name: str, settings: IngestSettings) -> Iterator[Document]:
    """A .json file: one record, a list of records, or {"articles": [...]}; JSONL content also works."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # several objects, one per line: JSONL saved as .json
            yield from iter_jsonl(io.BytesIO(text.encode("utf-8", "surrogatepass")), name, settings)
        else:
            yield error_document(name, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
        return
    except RecursionError:
        yield error_document(name, "not valid JSON: nested too deeply")
        return
    if isinstance(data, dict):
        wrapped = [data[k] for k in _WRAPPERS if isinstance(data.get(k), list)]
        if wrapped and not any(k in data for k in ("text", "html", "body", "content")):
            data = wrapped[0]
    if isinstance(data, dict):
        yield record_document(data, name, settings)
    elif isinstance(data, list):
        if not data:
            yield error_document(name, "empty JSON list")
        for i, record in enumerate(data, 1):
            yield _guarded_record(record, f"{name}:record {i}", settings)
    else:
        yield error_document(name, f"JSON holds a {_json_kind(data)}, not an object or a list of objects")


def iter_csv(stream: BinaryIO, name: str, settings: IngestSettings) -> Iterator[Document]:
    """One Document per CSV row (header row required); sources are `name:line N`."""
    sample = stream.read(1 << 16)
    if not sample.strip():
        yield error_document(name, "empty file")
        return
    kind = sniff_binary(sample)
    if kind or b"\x00" in sample:
        yield error_document(name, f"binary file ({kind})" if kind else "contains NUL bytes: binary data, not text")
        return
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=_sniff_encoding(sample), errors="replace", newline="")
    _allow_csv_fields(settings.max_record_bytes)
    reader = csv.reader(text)
    try:
        header = [h.strip().lstrip("\ufeff").lower() for h in next(reader)]
    except StopIteration:
        yield error_document(name, "empty file")
        return
    except csv.Error as exc:
        yield error_document(name, f"not a readable CSV file: {exc}")
        return
    if not any(h in header for h in _ALIASES["text"] + _ALIASES["html"]):
        yield error_document(name, f"CSV has no 'text' or 'html' column (columns: {', '.join(header)[:200]})")
        return
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # e.g. a field over the size limit; the reader can go on after it
            yield error_document(f"{name}:line {start}", f"CSV row could not be read: {exc}")
            continue
        if any(cell.strip() for cell in row):
            yield _guarded_record(dict(zip(header, row)), f"{name}:line {start}", settings)


def _lines(stream: BinaryIO, limit: int) -> Iterator[tuple[int, Optional[bytes], int]]:
    """(line number, bytes or None when longer than `limit`, size); long lines are skipped, not held."""
    lineno = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            size = len(line)
            while True:
                chunk = stream.readline(1 << 20)
                size += len(chunk)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield lineno, None, size
        else:
            yield lineno, line, len(line)


def _sniff_encoding(sample: bytes) -> str:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    try:
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _allow_csv_fields(limit: int) -> None:
    # The csv module's field limit is process-wide; only ever raise it, to fit one article.
    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)


def _meta_str(value: object) -> Optional[str]:
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if isinstance(v, (str, int, float)))
    if value is None or isinstance(value, dict):
        return None
    text = " ".join(str(value).split())
    return text or None


def _json_kind(value: object) -> str:
    return {list: "list", dict: "object", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number"
    )
