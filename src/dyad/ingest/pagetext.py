"""The page around the article: every visible text block of an HTML page, with a kind
guessed from where it sits (nav, footer, a cookie banner ...), lined up with the text
trafilatura kept, so that what it dropped is recorded in `Document.removed` and can be
audited, not just lost.
"""
from __future__ import annotations

import re
from typing import Iterator, Optional

_BLOCKS = frozenset(
    "ul ol table tbody tr form figure p div li h1 h2 h3 h4 h5 h6 td th figcaption blockquote pre dt dd header footer nav section "
    "article aside main button label summary caption address".split()
)
_SKIP = frozenset("script style noscript template svg head title iframe object".split())
# (kind, class/id words); the first that matches an element or an ancestor names the block
_HINTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rf"(?:^|[\s_-])(?:{words})(?:$|[\s_-])", re.IGNORECASE))
    for kind, words in (
        ("cookie_notice", r"cookies?|consent|gdpr|cmp"),
        ("share_bar", r"share|sharing|social|sharebar"),
        ("advertisement", r"ad|ads|advert\w*|promo\w*|sponsor\w*|banner"),
        ("subscribe_prompt", r"newsletter|subscribe|signup|paywall"),
        ("related_links", r"related|recommend\w*|more-stories|read-more|outbrain|taboola"),
        ("navigation", r"nav|navbar|menu|breadcrumbs?|sidebar|topbar"),
        ("slogan", r"slogan|tagline|site-description"),
        ("caption", r"caption|credit"),
        ("footer", r"footer"),
    )
)
_TAG_KINDS = {"nav": "navigation", "footer": "footer", "header": "header", "aside": "related_links",
              "form": "form", "button": "form", "figcaption": "caption", "amp-sidebar": "navigation"}


def page_blocks(markup: str) -> list[tuple[str, str]]:
    """(text, kind) of each visible block of the page, in page order."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(markup)
    except Exception:  # an unparsable page simply has no audit trail beyond the cleaner's
        return []
    return list(_walk(root, None))


def _walk(el, kind: Optional[str]) -> Iterator[tuple[str, str]]:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if tag in _SKIP or not tag:
        return
    kind = kind or _kind(el, tag)
    blocks = any(isinstance(d.tag, str) and d.tag.lower() in _BLOCKS for d in el.iterdescendants())
    if tag in _BLOCKS and not blocks:
        text = " ".join(el.text_content().split())
        if text:
            yield text, kind or "page_text"
        return
    if el.text and el.text.strip() and tag in _BLOCKS:
        yield " ".join(el.text.split()), kind or "page_text"
    for child in el:
        yield from _walk(child, kind)
        if child.tail and child.tail.strip() and tag in _BLOCKS:
            yield " ".join(child.tail.split()), kind or "page_text"


def _kind(el, tag: str) -> Optional[str]:
    if tag in _TAG_KINDS:
        return _TAG_KINDS[tag]
    names = f"{el.get('class') or ''} {el.get('id') or ''} {el.get('role') or ''}".strip()
    if not names:
        return None
    for kind, pattern in _HINTS:
        if pattern.search(names):
            return kind
    return None


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def align(article: str, blocks: list[tuple[str, str]]) -> tuple[str, list[tuple[int, int, str]]]:
    """The page text in page order (kept lines and dropped blocks, one a line) and the spans
    (start, end, kind) of the dropped blocks in it. Kept lines are trafilatura's own; a block
    is dropped when no kept line matches it where the reading has got to."""
    kept = [ln.strip() for ln in article.split("\n") if ln.strip()]
    where: dict[str, list[int]] = {}
    for i, (text, _) in enumerate(blocks):
        where.setdefault(_key(text), []).append(i)
    out: list[tuple[str, Optional[str]]] = []
    j = 0
    for line in kept:
        k = next((i for i in where.get(_key(line), ()) if i >= j), None)
        if k is not None:
            out.extend((text, kind) for text, kind in blocks[j:k])
            j = k + 1
        out.append((line, None))
    out.extend((text, kind) for text, kind in blocks[j:])
    kept_keys = {_key(line) for line in kept}
    parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    for text, kind in out:
        if kind is not None and _key(text) in kept_keys:
            continue  # the same words kept elsewhere (a repeated headline, a teaser of this story)
        if kind is not None and kind == "page_text" and not _key(text):
            continue
        parts.append(text)
        if kind is not None:
            spans.append((pos, pos + len(text), kind))
        pos += len(text) + 1
    return "\n".join(parts), spans
