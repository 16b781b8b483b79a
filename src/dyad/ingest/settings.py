"""Limits and switches for reading inputs. Defaults suit news articles on a laptop."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IngestSettings:
    """What the readers accept; anything beyond a limit is truncated or rejected with a reason."""

    # Body text longer than this is cut at a paragraph boundary (recorded as a
    # Removed span of kind "truncated"); news articles are rarely over 50 kB.
    max_doc_chars: int = 2_000_000
    # A single line (paragraph) longer than this is not prose but a dump or an
    # attack on the sentence splitter: the document is rejected.
    max_line_chars: int = 100_000
    # Single-document files (.txt/.md/.html/.json) larger than this are rejected unread.
    max_file_bytes: int = 20_000_000
    # One JSONL line or CSV field; longer lines are rejected (and skipped without
    # being held in memory).
    max_record_bytes: int = 5_000_000
    # HTML tags nested deeper than this are dropped (their text kept) before lxml and
    # trafilatura see the page: libxml2 silently stops at 256 levels, and deep trees
    # make the recursive walks slow.
    max_html_depth: int = 200
    # Extra folders holding a boilerplate.yaml whose patterns are added to ours.
    resource_dirs: tuple[str, ...] = ()


class IngestError(Exception):
    """An input that cannot be read; the message is the plain reason shown to the user."""
