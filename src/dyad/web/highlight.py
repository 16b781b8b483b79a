"""Cutting a document's text at span offsets for highlighting.

The text is never turned into markup here: it is cut into plain-text pieces,
each tagged with what covers it, and the templates render every piece with
autoescaping. Two layers nest cleanly: outer spans (event evidence sentences,
merged where they overlap) and inner spans (entity mentions, dates, claims;
overlaps dropped, and cut at outer boundaries).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

MAX_TEXT = 200_000  # characters of a document shown on one page


@dataclass
class Span:
    start: int
    end: int
    kind: str  # "evidence" | "mention" | "date" | "claim"
    data: Any = None


@dataclass
class Piece:
    text: str
    span: Optional[Span] = None


@dataclass
class Block:
    """An outer segment: either plain text (span None) or a highlighted evidence span."""

    pieces: list[Piece]
    span: Optional[Span] = None
    items: list[Any] = field(default_factory=list)  # everything merged into this outer span


def locate(text: str, start: Optional[int], end: Optional[int], needle: Optional[str]) -> Optional[tuple[int, int]]:
    """Offsets of a span, trusting the stored offsets when they match the text, else searching for it."""
    n = len(text)
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= n:
        if not needle or text[start:end] == needle:
            return start, end
    if needle:
        i = text.find(needle)
        if i >= 0:
            return i, i + len(needle)
    return None


def _valid(spans: Sequence[Span], n: int) -> list[Span]:
    return [s for s in spans if isinstance(s.start, int) and isinstance(s.end, int) and 0 <= s.start < s.end <= n]


def merge_outer(spans: Sequence[Span]) -> list[tuple[int, int, list[Span]]]:
    """Union of overlapping outer spans, each with the spans merged into it."""
    out: list[tuple[int, int, list[Span]]] = []
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        if out and s.start < out[-1][1]:
            a, b, members = out[-1]
            out[-1] = (a, max(b, s.end), members + [s])
        else:
            out.append((s.start, s.end, [s]))
    return out


def drop_overlaps(spans: Sequence[Span]) -> list[Span]:
    """Non-overlapping inner spans: earliest first, longer wins at the same start."""
    out: list[Span] = []
    end = -1
    for s in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if s.start >= end:
            out.append(s)
            end = s.end
    return out


def _inner_pieces(text: str, a: int, b: int, inner: list[Span]) -> list[Piece]:
    pieces: list[Piece] = []
    pos = a
    for s in inner:
        if s.end <= a or s.start >= b:
            continue
        lo, hi = max(s.start, a), min(s.end, b)
        if lo > pos:
            pieces.append(Piece(text[pos:lo]))
        pieces.append(Piece(text[lo:hi], s))
        pos = hi
    if pos < b:
        pieces.append(Piece(text[pos:b]))
    return pieces


def layer(text: str, outer: Sequence[Span], inner: Sequence[Span] = (), limit: int = MAX_TEXT) -> list[Block]:
    """Cut `text` (up to `limit` characters) into blocks of pieces, ready for an escaping template."""
    text = text[:limit]
    n = len(text)
    merged = merge_outer(_valid(outer, n))
    inner_ok = drop_overlaps(_valid(inner, n))
    blocks: list[Block] = []
    pos = 0
    for a, b, members in merged:
        if a > pos:
            blocks.append(Block(_inner_pieces(text, pos, a, inner_ok)))
        blocks.append(Block(_inner_pieces(text, a, b, inner_ok), Span(a, b, "evidence"),
                            [m.data for m in members]))
        pos = b
    if pos < n or not blocks:
        blocks.append(Block(_inner_pieces(text, pos, n, inner_ok)))
    return blocks


def window(text: str, start: int, end: int, before: int = 1500, after: int = 1500) -> tuple[int, int]:
    """A window of text around a span, widened to whitespace so words are not cut."""
    lo = max(0, start - before)
    hi = min(len(text), end + after)
    if lo > 0:
        sp = text.find(" ", lo)
        lo = sp + 1 if 0 <= sp < start else lo
    if hi < len(text):
        sp = text.rfind(" ", end, hi)
        hi = sp if sp > end else hi
    return lo, hi
