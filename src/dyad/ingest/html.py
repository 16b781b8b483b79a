"""HTML pages: the article body via trafilatura, metadata from trafilatura and <meta> tags.

lxml and trafilatura walk the tree recursively, so a page nested thousands deep
is refused before they see it (a cheap linear scan of the tags).
"""
from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from typing import Optional

from dyad.ingest.decode import scrub_unicode
from dyad.ingest.pubdate import parse_date
from dyad.ingest.settings import IngestError

_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^>]*?(/?)>")
# Elements that never nest (void) or whose end tag is optional: skipping them
# keeps sloppy-but-flat pages (<p> without </p>) from looking deep.
_FLAT = frozenset(
    "area base br col embed hr img input link meta param source track wbr "
    "p li dt dd tr td th option optgroup thead tbody tfoot colgroup rt rp".split()
)
_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_CANONICAL = re.compile(r"""<link\b[^>]*rel\s*=\s*["']?canonical["']?[^>]*>""", re.IGNORECASE)
_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{6,40})"')

# meta name/property/itemprop -> our field, most specific first
_META_KEYS: dict[str, tuple[str, ...]] = {
    "published": (
        "article:published_time", "og:published_time", "datepublished", "date", "pubdate",
        "publishdate", "publish-date", "publication_date", "dc.date.issued", "dc.date",
        "dcterms.date", "sailthru.date", "parsely-pub-date", "citation_publication_date",
    ),
    "title": ("og:title", "twitter:title", "dc.title", "headline"),
    "publisher": ("og:site_name", "publisher", "dc.publisher", "application-name"),
    "author": ("author", "article:author", "dc.creator", "byl", "parsely-author"),
    "url": ("og:url", "twitter:url"),
}


@dataclass
class HtmlText:
    text: str  # the article body as trafilatura extracted it (paragraphs on separate lines)
    title: Optional[str] = None
    url: Optional[str] = None
    publisher: Optional[str] = None
    author: Optional[str] = None
    published: Optional[str] = None  # ISO date


def nesting_depth(markup: str, limit: int) -> int:
    """Deepest element nesting in `markup`, counting stops once `limit` is passed."""
    depth = deepest = 0
    for m in _TAG.finditer(markup):
        closing, name, selfclosing = m.group(1), m.group(2).lower(), m.group(3)
        if name in _FLAT or selfclosing:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
    return deepest


def meta_tags(markup: str) -> dict[str, str]:
    """Title, date, publisher, author and URL from <meta>, <title>, canonical link and JSON-LD."""
    found: dict[str, str] = {}
    values: dict[str, str] = {}
    head = markup[:500_000]  # metadata lives in <head>; do not scan megabytes of body
    for tag in _META.findall(head):
        attrs = {k.lower(): v.strip("\"'") for k, v in _ATTR.findall(tag)}
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key and attrs.get("content"):
            values.setdefault(key, html_lib.unescape(attrs["content"]).strip())
    for field, keys in _META_KEYS.items():
        for key in keys:
            value = values.get(key)
            if value and not (field == "author" and value.startswith("http")):
                found[field] = value
                break
    if "published" not in found:
        m = _JSONLD_DATE.search(markup)
        if m:
            found["published"] = m.group(1)
    if "title" not in found:
        m = _TITLE.search(head)
        if m and m.group(1).strip():
            found["title"] = html_lib.unescape(re.sub(r"\s+", " ", m.group(1))).strip()
    if "url" not in found:
        m = _CANONICAL.search(head)
        href = m and re.search(r"""href\s*=\s*["']?([^"'\s>]+)""", m.group(0))
        if href:
            found["url"] = html_lib.unescape(href.group(1))
    if "published" in found:
        iso = parse_date(found["published"])
        if iso:
            found["published"] = iso
        else:
            del found["published"]
    return found


def extract_html(markup: str, max_depth: int = 500) -> HtmlText:
    """The article in an HTML page, or IngestError with the reason it cannot be read."""
    if not markup.strip():
        raise IngestError("empty HTML page")
    markup = scrub_unicode(markup)  # lxml silently stops at a lone surrogate
    depth = nesting_depth(markup, max_depth)
    if depth > max_depth:
        raise IngestError(f"HTML nested more than {max_depth} levels deep; refused")
    tags = meta_tags(markup)
    doc = _trafilatura(markup)
    text = (doc.text if doc is not None else None) or ""
    if not text.strip():
        text = _fallback_text(markup)
    if not text.strip():
        raise IngestError("no article text found in the HTML page")
    # explicit <meta> dates beat trafilatura's date guessing (it also reads URLs and text)
    published = tags.get("published") or parse_date(getattr(doc, "date", None))
    return HtmlText(
        text=text,
        title=_first(getattr(doc, "title", None), tags.get("title")),
        url=_first(tags.get("url"), getattr(doc, "url", None)),
        publisher=_first(getattr(doc, "sitename", None), tags.get("publisher")),
        author=_first(getattr(doc, "author", None), tags.get("author")),
        published=published,
    )


def _trafilatura(markup: str):  # -> trafilatura.settings.Document | None
    import trafilatura

    try:
        return trafilatura.bare_extraction(
            markup, with_metadata=True, include_comments=False, include_tables=True, deduplicate=False
        )
    except RecursionError:
        raise IngestError("HTML nested too deeply to parse") from None
    except Exception as exc:  # trafilatura/lxml raise many kinds on broken pages
        raise IngestError(f"HTML could not be parsed: {type(exc).__name__}: {exc}") from None


def _fallback_text(markup: str) -> str:
    """Short pages trafilatura declines: paragraph text, without scripts, styles and navigation."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(markup, favor_recall=True, include_comments=False)
        if doc is not None and doc.text and doc.text.strip():
            return doc.text
        return trafilatura.html2txt(markup) or ""
    except Exception:
        return ""


def _first(*values: Optional[str]) -> Optional[str]:
    for value in values:
        if value and str(value).strip():
            return str(value).strip()
    return None
