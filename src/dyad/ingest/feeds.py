"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds: one Document per item or entry.

Parsed with the standard library's xml.etree. A feed containing a DTD
(`<!DOCTYPE` or `<!ENTITY`) is refused unread: entity declarations are how
"billion laughs" and external-entity attacks work, and feeds never need them.
An item without text, or one that cannot be read, becomes an error document
for that item (`path#record N`); the other items are still read.
"""
from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Iterator, Optional

from dyad.ingest.decode import decode_bytes
from dyad.ingest.document import error_document, make_document
from dyad.ingest.html import extract_html
from dyad.ingest.settings import IngestError, IngestSettings
from dyad.model import Document

logger = logging.getLogger("dyad.ingest")

ATOM = "http://www.w3.org/2005/Atom"
RSS1 = "http://purl.org/rss/1.0/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
# Namespaces whose elements we read by local name; others (media:, itunes:, ...) are ignored.
_KNOWN_NS = frozenset({"", ATOM, RSS1, CONTENT, DC, DCTERMS})

_DTD = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})["']""")
_LOOKS_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][\w:-]*(\s[^>]*)?/?\s*>|&[a-zA-Z]+;|&#\d+;")
_BAD_ID = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_EMAIL_NAME = re.compile(r"^\s*\S+@\S+\s*\((.+)\)\s*$")  # RSS <author>: "jo@example.org (Jo Bloggs)"


def read_feed(path: Path, settings: IngestSettings) -> Iterator[Document]:
    """The items of the feed at `path`; IngestError when the file is not a readable feed."""
    size = path.stat().st_size
    if size > settings.max_file_bytes:
        raise IngestError(f"file of {size:,} bytes is larger than the limit ({settings.max_file_bytes:,} bytes)")
    yield from iter_feed(path.read_bytes(), str(path), settings)


def iter_feed(data: bytes, name: str, settings: IngestSettings) -> Iterator[Document]:
    """One Document per item/entry of the feed in `data`; sources are `name#record N`."""
    root = parse_feed_xml(data)
    kind = feed_kind(root)
    if kind is None:
        raise IngestError(f"not an RSS or Atom feed (the root element is <{_local(root.tag)}>)")
    if kind == "atom":
        feed_title = _text(_child(root, "title"))
        items = _children(root, "entry")
    else:
        channel = _child(root, "channel")
        feed_title = _text(_child(channel, "title")) if channel is not None else None
        # RSS 2.0 keeps items inside <channel>; RSS 1.0 (RDF) beside it
        items = _children(channel, "item") if kind == "rss" and channel is not None else _children(root, "item")
    if not items:
        raise IngestError("feed has no items")
    for n, item in enumerate(items, 1):
        source = f"{name}#record {n}"
        try:
            yield _item_document(item, kind, feed_title, source, settings)
        except Exception as exc:  # a reader bug on one item is that item's error, not the feed's
            logger.exception("unexpected error reading %s", source)
            yield error_document(source, f"unexpected error while reading: {type(exc).__name__}: {exc}")


def parse_feed_xml(data: bytes) -> ET.Element:
    """The root element, or IngestError: undecodable bytes, a DTD, or XML that is not well-formed."""
    m = _XML_ENCODING.match(data[:200])
    text, _encoding = decode_bytes(data, m.group(1).decode("ascii").lower() if m else None)
    if _DTD.search(text):
        raise IngestError("XML with a DOCTYPE or ENTITY declaration is refused (entity-expansion risk)")
    text = _XML_DECL.sub("", text, count=1)  # already decoded: expat must not re-decode by the declaration
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        raise IngestError(f"not well-formed XML: {exc}") from None


def feed_kind(root: ET.Element) -> Optional[str]:
    """'rss', 'rdf' or 'atom' for a feed's root element, else None."""
    ns, local = _split(root.tag)
    if local == "rss" and ns == "":
        return "rss"
    if local == "feed" and ns == ATOM:
        return "atom"
    if local == "RDF" and ns == RDF:
        return "rdf"
    return None


def _item_document(item: ET.Element, kind: str, feed_title: Optional[str], source: str, settings: IngestSettings) -> Document:
    title = _text(_child(item, "title"))
    if kind == "atom":
        url = _atom_link(item)
        published = _text(_child(item, "published")) or _text(_child(item, "updated"))
        author = _text(_child(_child(item, "author"), "name"))
        publisher = _text(_child(_child(item, "source"), "title")) or feed_title
        raw_id = _text(_child(item, "id"))
        body, is_html = _atom_body(item)
    else:
        url = _text(_child(item, "link")) or (item.get(f"{{{RDF}}}about") if kind == "rdf" else None)
        published = _text(_child(item, "pubDate")) or _text(_child(item, "date")) or _text(_child(item, "issued"))
        author = _text(_child(item, "creator")) or _rss_author(_text(_child(item, "author")))
        publisher = _text(_child(item, "source")) or feed_title
        raw_id = _text(_child(item, "guid"))
        body = _raw(_child(item, "encoded")) or _raw(_child(item, "description"))
        is_html = bool(body and _LOOKS_HTML.search(body))
    meta = {"title": title, "url": url, "publisher": publisher, "author": author}
    doc_id = raw_id.strip() if raw_id and raw_id.strip() else None
    if doc_id is not None and _BAD_ID.search(doc_id):
        return error_document(source, "item id holds control characters or invalid Unicode", **meta)
    if not body or not body.strip():
        what = "content or summary" if kind == "atom" else "content:encoded or description"
        return error_document(source, f"feed item has no text (no {what})", doc_id=doc_id, **meta)
    if not is_html:
        return make_document(body, source=source, doc_id=doc_id, published=published, settings=settings, **meta)
    try:
        page = extract_html(f"<html><head></head><body><article>{body}</article></body></html>", settings.max_html_depth)
    except IngestError as exc:
        return error_document(source, f"feed item: {exc}", doc_id=doc_id, **meta)
    return make_document(
        page.text,
        source=source,
        doc_id=doc_id,
        title=title or page.title,
        url=url or page.url,
        publisher=publisher or page.publisher,
        author=author or page.author,
        published=published or page.published,
        dropped=page.dropped,
        settings=settings,
        hash_source=body,
    )


def _atom_link(entry: ET.Element) -> Optional[str]:
    links = [el for el in _children(entry, "link") if el.get("href")]
    for el in links:
        if el.get("rel", "alternate") == "alternate":
            return el.get("href")
    return links[0].get("href") if links else None


def _atom_body(entry: ET.Element) -> tuple[Optional[str], bool]:
    for name in ("content", "summary"):
        el = _child(entry, name)
        if el is None or el.get("src"):
            continue
        kind = (el.get("type") or "text").lower()
        if kind == "xhtml":
            inner = "".join(ET.tostring(child, encoding="unicode") for child in el)
            body = (el.text or "") + inner
            body = re.sub(r"\s?xmlns(:\w+)?=\"[^\"]*\"", "", re.sub(r"<(/?)html:", r"<\1", body))
            if body.strip():
                return body, True
        elif kind in ("html", "text/html"):
            if el.text and el.text.strip():
                return el.text, True
        elif kind in ("text", "text/plain"):
            if el.text and el.text.strip():
                return el.text, False
        # other media types (base64 images, ...) are not article text
    return None, False


def _rss_author(value: Optional[str]) -> Optional[str]:
    if not value:
        return None
    m = _EMAIL_NAME.match(value)
    return m.group(1).strip() if m else value


def _split(tag: object) -> tuple[str, str]:
    if not isinstance(tag, str):  # comments and processing instructions
        return "?", ""
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _local(tag: object) -> str:
    return _split(tag)[1]


def _children(parent: Optional[ET.Element], local: str) -> list[ET.Element]:
    if parent is None:
        return []
    out = []
    for el in parent:
        ns, name = _split(el.tag)
        if name == local and ns in _KNOWN_NS:
            out.append(el)
    return out


def _child(parent: Optional[ET.Element], local: str) -> Optional[ET.Element]:
    found = _children(parent, local)
    return found[0] if found else None


def _raw(el: Optional[ET.Element]) -> Optional[str]:
    """An element's text content as written (escaped HTML arrives unescaped, CDATA as is)."""
    if el is None:
        return None
    text = "".join(el.itertext())
    return text if text.strip() else None


def _text(el: Optional[ET.Element]) -> Optional[str]:
    raw = _raw(el)
    return " ".join(raw.split()) if raw else None
