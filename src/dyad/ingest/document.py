"""From raw article text plus whatever metadata the input had, to a `Document`."""
from __future__ import annotations

import hashlib
import re
from typing import Optional, Sequence

from dyad.ingest.clean import clean_text, load_patterns
from dyad.ingest.decode import normalize_newlines, scrub_unicode
from dyad.ingest.pubdate import parse_published
from dyad.ingest.settings import IngestSettings
from dyad.model import Document, Removed


def content_hash(text: str) -> str:
    """A document id from content: first 16 hex digits of SHA-256, stable across runs."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def error_document(source: Optional[str], reason: str, *, doc_id: Optional[str] = None, **meta: Optional[str]) -> Document:
    """The record of an input that could not be read: no text, a plain reason.

    Without an id of its own the document is keyed by where it came from, so a
    rerun gives it the same id.
    """
    return Document(
        doc_id=doc_id or content_hash("error\0" + (source or "")),
        text="",
        source=_source(source),
        error=scrub_unicode(reason),
        **{k: _str(v) for k, v in meta.items() if _str(v)},
    )


def _source(source: Optional[str]) -> Optional[str]:
    """A file name that is not UTF-8 (Linux keeps its bytes as surrogates) shown with U+FFFD."""
    return scrub_unicode(source) if source else source


def make_document(
    raw: str,
    *,
    source: Optional[str] = None,
    doc_id: Optional[str] = None,
    title: Optional[str] = None,
    url: Optional[str] = None,
    publisher: Optional[str] = None,
    author: Optional[str] = None,
    published: Optional[str] = None,
    detect_title: bool = True,
    settings: Optional[IngestSettings] = None,
    hash_source: Optional[str] = None,
    dropped: Sequence[tuple[int, int, str]] = (),
) -> Document:
    """Clean `raw` and wrap it with its metadata; limits from `settings` apply.

    Metadata given here (from the record, front matter or HTML) wins over what
    the cleaner finds in the text. `published` is normalised to `YYYY-MM-DD`
    (None when it is not a clear date). `hash_source` is what the content id is
    computed from when there is no `doc_id` (default: `raw`; the HTML reader
    passes the page source). `dropped`: spans of `raw` already judged clutter
    (HtmlText.dropped), recorded in `removed` with their kind.
    """
    settings = settings or IngestSettings()
    raw = scrub_unicode(normalize_newlines(raw))
    given = {"title": _str(title), "url": _str(url), "publisher": _str(publisher), "author": _str(author)}
    if not raw.strip():
        return error_document(source, "no text", doc_id=doc_id, **given)
    doc_id = doc_id or content_hash(hash_source if hash_source is not None else raw)
    longest = max(map(len, raw.split("\n")))
    if longest > settings.max_line_chars:
        return error_document(
            source,
            f"a single line of {longest:,} characters (limit {settings.max_line_chars:,}): not article text",
            doc_id=doc_id,
            **given,
        )
    body, truncated = raw, None
    if len(raw) > settings.max_doc_chars:
        cut = raw.rfind("\n", 0, settings.max_doc_chars)  # cut between paragraphs, not inside a sentence
        if cut <= 0:
            cut = settings.max_doc_chars
        body = raw[:cut]
        truncated = Removed(kind="truncated", text=raw[cut:], start=cut, end=len(raw))
    result = clean_text(
        body,
        title=given["title"],
        detect_title=detect_title and not given["title"],
        patterns=load_patterns(settings.resource_dirs),
        dropped=[d for d in dropped if d[1] <= len(body)],
    )
    removed = result.removed + ([truncated] if truncated else [])
    found = result.meta
    pub, offset = parse_published(published)
    doc = Document(
        doc_id=doc_id,
        text=result.text,
        title=given["title"] or found.get("title"),
        url=given["url"] or found.get("url"),
        publisher=given["publisher"] or found.get("publisher"),
        author=given["author"] or found.get("author"),
        published=pub or found.get("published"),
        published_offset=offset if pub else found.get("published_offset"),
        removed=removed,
        source=_source(source),
        raw_text=raw,
    )
    if not doc.text:
        doc.error = "no article text left after removing page clutter"
    return doc


_META_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _str(value: object) -> Optional[str]:
    """A metadata value on one line: spaces collapsed, control characters and lone surrogates gone."""
    if value is None:
        return None
    text = " ".join(_META_CONTROLS.sub(" ", scrub_unicode(str(value))).split())
    return text or None
