"""Markdown to plain text, line by line (so paragraphs stay where they were).

Only the markup an article uses is undone: front matter, headings, emphasis,
links, images, block quotes, rules and code fences.
"""
from __future__ import annotations

import re
from typing import Any

import yaml

from dyad.ingest.pubdate import parse_date

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*)$")  # closing #s are cut by _heading_text (no backtracking)
# Every pattern runs in linear time on hostile lines ("[a[a[a...", "*a *a *a ..." 100,000
# characters long): brackets do not nest inside link text, a URL holds at most one level of
# parentheses, and an emphasised span is at most 400 characters.
_URL = r"\((?:[^()]|\([^()]*\))*\)"
_IMAGE = re.compile(r"!\[[^\]\[]*\]" + _URL)
_LINK = re.compile(r"\[([^\]\[]+)\]" + _URL)
_REF_LINK = re.compile(r"\[([^\]\[]+)\]\[[^\]\[]*\]")
_LINK_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+.*$")
_EMPHASIS = re.compile(r"(?<!\w)(\*\*|__|\*|_)(?=\S)(.{1,400}?)(?<=\S)\1(?!\w)")
_CODE = re.compile(r"`([^`]*)`")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

_FIELDS = {
    "title": "title", "headline": "title", "date": "published", "published": "published",
    "author": "author", "publisher": "publisher", "source": "publisher", "url": "url", "link": "url",
}


def markdown_to_text(markdown: str) -> tuple[str, dict[str, str]]:
    """(plain text, metadata) from a Markdown article; metadata from YAML front matter and a `# Title`."""
    meta: dict[str, str] = {}
    m = _FRONT_MATTER.match(markdown)
    if m:
        meta.update(_front_matter(m.group(1)))
        markdown = markdown[m.end() :]
    markdown = _HTML_COMMENT.sub("", markdown)
    out: list[str] = []
    in_fence = False
    for line in markdown.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            out.append(line)
            continue
        if _RULE.match(line) or _LINK_DEF.match(line):
            out.append("")
            continue
        heading = _HEADING.match(line)
        if heading:
            line = _heading_text(heading.group(2))
            if heading.group(1) == "#" and "title" not in meta and not any(s.strip() for s in out):
                meta["title"] = _inline(line)
        line = _QUOTE.sub("", line)
        out.append(_inline(line))
    return "\n".join(out), meta


def _heading_text(text: str) -> str:
    """A heading's text without trailing spaces and its optional closing `#`s ("## Title ##")."""
    text = text.rstrip()
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1].isspace()):
        text = bare.rstrip()
    return text


def _inline(line: str) -> str:
    line = _IMAGE.sub("", line)
    line = _LINK.sub(r"\1", line)
    line = _REF_LINK.sub(r"\1", line)
    line = _CODE.sub(r"\1", line)
    for _ in range(2):  # ***bold italic***
        line = _EMPHASIS.sub(r"\2", line)
    return line


def _front_matter(block: str) -> dict[str, str]:
    try:
        data: Any = yaml.safe_load(block)
    except (yaml.YAMLError, RecursionError):  # broken, or nested too deeply to be metadata
        return {}
    if not isinstance(data, dict):
        return {}
    meta: dict[str, str] = {}
    for key, value in data.items():
        field = _FIELDS.get(str(key).lower())
        if not field or value is None or isinstance(value, (dict, list)):
            continue
        text = str(value).strip()  # a date is kept as written: make_document reads its zone
        if field == "published" and not parse_date(text):
            continue
        if text:
            meta.setdefault(field, text)
    return meta
