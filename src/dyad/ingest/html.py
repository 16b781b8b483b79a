"""HTML pages: the article body via trafilatura, metadata from trafilatura and <meta> tags.

lxml and trafilatura walk the tree recursively, so on a page nested deeper than
a limit the tags past it are dropped (their text stays) before they see it: the
page is read, only its tree is cut. What trafilatura leaves out is lined up with
the page's blocks (pagetext.py) so the cleaner records it in `removed`.
"""
from __future__ import annotations

import html as html_lib
import re
import json
from dataclasses import dataclass, field
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
    published: Optional[str] = None  # as the page wrote it (with time and zone); make_document reads it
    # spans (start, end, kind) of `text` that trafilatura dropped: navigation, cookie notices ...
    dropped: list[tuple[int, int, str]] = field(default_factory=list)


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


def cut_depth(markup: str, limit: int) -> str:
    """`markup` without the tags nested deeper than `limit` (their text is kept), so that a
    recursive parser never meets the depth; linear in the size of the page."""
    depth = 0

    def keep(m: re.Match[str]) -> str:
        nonlocal depth
        closing, name, selfclosing = m.group(1), m.group(2).lower(), m.group(3)
        if name in _FLAT or selfclosing:
            return m.group(0)  # flat elements add no depth; paragraphs stay paragraphs
        if closing:
            depth = max(0, depth - 1)
            return m.group(0) if depth < limit else ""
        depth += 1
        return m.group(0) if depth <= limit else ""

    return _TAG.sub(keep, markup)


# a drop cap: one or two capitals in their own element, the word going on in the next
# paragraph ("<span>T</span><p>urkish ...") or the same one ("<span>O</span>fficials")
_DROP_CAP = re.compile(
    r"<(span|div|b|strong|big|font|em|i|p)\b[^>]*>\s*([A-Z\u00c0-\u024f]{1,2})\s*</\1>((?:\s*<(?:p|div|span)\b[^>]*>)*)(?=[a-z])"
)


def join_drop_caps(markup: str) -> str:
    return _DROP_CAP.sub(lambda m: f"{m.group(3)}{m.group(2)}", markup)


_JSONLD = re.compile(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)


def jsonld_body(markup: str) -> Optional[str]:
    """The longest `articleBody` in the page's JSON-LD (schema.org NewsArticle and kin)."""
    bodies: list[str] = []

    def visit(node: object) -> None:
        if isinstance(node, dict):
            body = node.get("articleBody")
            if isinstance(body, str) and body.strip():
                bodies.append(body)
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    for m in _JSONLD.finditer(markup):
        try:
            visit(json.loads(m.group(1)))
        except (ValueError, RecursionError):
            continue
    if not bodies:
        return None
    body = html_lib.unescape(max(bodies, key=len))
    return "\n".join(" ".join(p.split()) for p in re.split(r"\n\s*|<br\s*/?>|</?p>", body) if p.strip())


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
    if "published" in found and not parse_date(found["published"]):
        del found["published"]  # kept as written otherwise: its time zone gives the offset
    return found


def extract_html(markup: str, max_depth: int = 200) -> HtmlText:
    """The article in an HTML page, or IngestError with the reason it cannot be read."""
    if not markup.strip():
        raise IngestError("empty HTML page")
    markup = scrub_unicode(markup)  # lxml silently stops at a lone surrogate
    if nesting_depth(markup, max_depth) > max_depth:
        markup = cut_depth(markup, max_depth)
    markup = join_drop_caps(markup)
    tags = meta_tags(markup)
    doc = _trafilatura(markup)
    text = (doc.text if doc is not None else None) or ""
    if not text.strip():
        text = _fallback_text(markup)
    body = jsonld_body(markup)
    if body and len(body) > 2 * len(text.strip()):  # the visible body is thin (a caption, a teaser)
        text = body
    if not text.strip():
        raise IngestError("no article text found in the HTML page")
    from dyad.ingest.pagetext import align, page_blocks

    text, dropped = align(text, page_blocks(markup))
    # explicit <meta> dates beat trafilatura's date guessing (it also reads URLs and text)
    published = tags.get("published") or parse_date(getattr(doc, "date", None))
    return HtmlText(
        text=text,
        title=_first(getattr(doc, "title", None), tags.get("title")),
        url=_first(tags.get("url"), getattr(doc, "url", None)),
        publisher=_first(getattr(doc, "sitename", None), tags.get("publisher")),
        author=_first(getattr(doc, "author", None), tags.get("author")),
        published=published,
        dropped=dropped,
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
