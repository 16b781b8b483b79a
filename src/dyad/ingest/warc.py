"""WARC web archives (`.warc`, `.warc.gz`): one Document per archived HTML or text page.

Only `response` records with HTTP 200 and an HTML (or text/plain) payload are
articles; request, metadata, warcinfo, revisit and resource records, other
statuses and other media types (images, PDFs, ...) are skipped without a
record. The URL is the WARC-Target-URI. The publication date comes from the
page itself or is None: WARC-Date is when the page was crawled, not published.
The id is the content hash of the extracted article text, so the same article
crawled twice gets the same id (the later copy is then reported as a duplicate).
A damaged or truncated archive yields an error document after the pages read
before the damage.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Iterator, Optional

from dyad.ingest.decode import declared_charset, decode_bytes
from dyad.ingest.document import error_document, make_document
from dyad.ingest.html import extract_html
from dyad.ingest.settings import IngestError, IngestSettings
from dyad.model import Document

logger = logging.getLogger("dyad.ingest")

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"text/plain"})
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]{2,40})", re.IGNORECASE)


def read_warc(path: Path, settings: IngestSettings) -> Iterator[Document]:
    """The pages archived in the WARC file at `path` (gzipped or not)."""
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:
        raise IngestError("reading WARC files needs the warcio package (pip install warcio)") from None

    name = str(path)
    pages = 0
    done = 0  # records read to their end
    with path.open("rb") as fh:
        try:
            for record in ArchiveIterator(fh):
                source = f"{name}#record {done + 1}"
                if record.format != "warc":  # warcio also reads ARC, and takes stray text for ARC headers
                    raise IngestError(f"not a WARC record (read as {record.format})")
                doc = _record_document(record, source, settings)
                _drain(record)
                done += 1
                if doc is not None:
                    pages += 1
                    yield doc
        except Exception as exc:  # warcio raises many kinds on damaged archives
            where = f"after record {done}" if done else "at the start"
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            yield error_document(f"{name}#record {done + 1}", f"damaged WARC file {where}: {reason}")
            return
    if not pages:
        yield error_document(name, "WARC file holds no HTML or text pages with HTTP status 200")


def _drain(record) -> None:
    """Read the rest of the record; IngestError when the file ends before its Content-Length.

    warcio returns a short payload without complaint when an uncompressed archive
    is cut off, so the check is ours: a cut-off page is not kept.
    """
    raw = record.raw_stream
    while raw.read(65536):
        pass
    missing = getattr(raw, "limit", 0)
    if missing > 0:
        raise IngestError(f"record cut off ({missing:,} bytes of it missing)")


def _record_document(record, source: str, settings: IngestSettings) -> Optional[Document]:
    """The Document for one WARC record, or None for records that are not article pages."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    status = record.http_headers.get_statuscode()
    if status != "200":
        logger.info("skipping %s: HTTP status %s", source, status)
        return None
    content_type = record.http_headers.get_header("Content-Type") or ""
    mime = content_type.split(";")[0].strip().lower()
    if mime not in _HTML_TYPES and mime not in _TEXT_TYPES:
        logger.info("skipping %s: %s is not an article page", source, mime or "no content type")
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    payload = record.content_stream().read(settings.max_file_bytes + 1)
    if len(payload) > settings.max_file_bytes:
        return error_document(
            source, f"page larger than the limit ({settings.max_file_bytes:,} bytes)", url=url
        )
    m = _CHARSET.search(content_type)
    is_html = mime in _HTML_TYPES
    declared = (m.group(1).lower() if m else None) or (declared_charset(payload) if is_html else None)
    try:
        text, _encoding = decode_bytes(payload, declared)
        if not is_html:
            return make_document(text, source=source, url=url, settings=settings)
        page = extract_html(text, settings.max_html_depth)
    except IngestError as exc:
        return error_document(source, str(exc), url=url)
    return make_document(
        page.text,
        source=source,
        title=page.title,
        url=url,
        publisher=page.publisher,
        author=page.author,
        published=page.published,  # from the page's own metadata; never the crawl date
        dropped=page.dropped,
        settings=settings,
    )
