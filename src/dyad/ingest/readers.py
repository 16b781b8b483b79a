"""Inputs to Documents: files, folders (recursive, sorted) and `-` (JSONL on stdin).

Errors are data: every input that cannot be read yields a Document with
`error` set and the iteration goes on. Doc ids are unique within one call: the
same content read twice is skipped (and reported), a repeated id with other
content is reported on the later document, never silently overwritten.
"""
from __future__ import annotations

import io
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator, Optional

from dyad.ingest.decode import declared_charset, decode_bytes
from dyad.ingest.document import content_hash, error_document, make_document
from dyad.ingest.feeds import read_feed
from dyad.ingest.html import extract_html
from dyad.ingest.markdown import markdown_to_text
from dyad.ingest.records import iter_csv, iter_json, iter_jsonl
from dyad.ingest.settings import IngestError, IngestSettings
from dyad.ingest.warc import read_warc
from dyad.model import Document

logger = logging.getLogger("dyad.ingest")

STDIN = "-"

# Extensions no article reader can use: skipped in folder walks, an error when named explicitly.
NOT_TEXT = frozenset(
    ".pdf .png .jpg .jpeg .gif .webp .svg .ico .bmp .tif .tiff .zip .gz .tgz .bz2 .xz .7z .rar .tar "
    ".doc .docx .xls .xlsx .ppt .pptx .odt .ods .epub .mp3 .mp4 .wav .avi .mov .mkv .exe .dll .so .bin "
    ".pyc .db .sqlite .duckdb .parquet .pkl .pickle .npy .woff .woff2 .ttf .otf .css .js .map".split()
)


def _read_text(path: Path, settings: IngestSettings) -> Iterator[Document]:
    text = _decoded(path, settings)
    yield make_document(text, source=str(path), settings=settings)


def _read_markdown(path: Path, settings: IngestSettings) -> Iterator[Document]:
    source = _decoded(path, settings)
    text, meta = markdown_to_text(source)
    yield make_document(text, source=str(path), settings=settings, hash_source=source, **meta)


def _read_html(path: Path, settings: IngestSettings) -> Iterator[Document]:
    markup = _decoded(path, settings, html=True)
    page = extract_html(markup, settings.max_html_depth)
    yield make_document(
        page.text,
        source=str(path),
        title=page.title,
        url=page.url,
        publisher=page.publisher,
        author=page.author,
        published=page.published,
        dropped=page.dropped,
        settings=settings,
        hash_source=markup,
    )


def _read_json(path: Path, settings: IngestSettings) -> Iterator[Document]:
    yield from iter_json(_decoded(path, settings), str(path), settings)


def _read_jsonl(path: Path, settings: IngestSettings) -> Iterator[Document]:
    with path.open("rb") as fh:
        yield from iter_jsonl(fh, str(path), settings)


def _read_csv(path: Path, settings: IngestSettings) -> Iterator[Document]:
    with path.open("rb") as fh:
        yield from iter_csv(fh, str(path), settings)


Reader = Callable[[Path, IngestSettings], Iterator[Document]]

# One reader per format; add a format by adding an entry.
READERS: dict[str, Reader] = {
    ".txt": _read_text,
    ".text": _read_text,
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".html": _read_html,
    ".htm": _read_html,
    ".xhtml": _read_html,
    ".json": _read_json,
    ".jsonl": _read_jsonl,
    ".ndjson": _read_jsonl,
    ".csv": _read_csv,
    ".rss": read_feed,
    ".atom": read_feed,
    ".xml": read_feed,  # only feeds (root rss / feed / RDF); any other XML is an error document
    ".warc": read_warc,
    ".warc.gz": read_warc,
}


def reader_for(path: Path) -> Optional[Reader]:
    """The reader for `path` by its extension; a two-part one (`.warc.gz`) wins over the last part."""
    double = "".join(path.suffixes[-2:]).lower()
    return READERS.get(double) or READERS.get(path.suffix.lower())


@dataclass(frozen=True)
class Skipped:
    """An input passed over on purpose, with the reason shown in the run's summary."""

    source: str
    kind: str  # "unsupported" (no reader for the type), "duplicate" (content already read), "empty_folder"
    reason: str


@dataclass
class InputPlan:
    """What a set of inputs holds once listed: the files to read (and `-`), and what is skipped."""

    files: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def list_inputs(inputs: Iterable[str]) -> InputPlan:
    """Files to read, in reading order: folders walked recursively and sorted, hidden entries
    left out, files of other types skipped with a reason. A file named twice is read once.
    A path that does not exist stays in the list, so reading reports it as an error document."""
    plan = InputPlan()
    seen: set[str] = set()

    def add(path: Path) -> None:
        key = str(path.resolve())
        if key in seen:
            return
        seen.add(key)
        plan.files.append(str(path))

    for item in map(str, inputs):
        path = Path(item)
        if item == STDIN:
            plan.files.append(STDIN)
        elif path.is_dir():
            found = False
            for file in _walk(path):
                if reader_for(file) is None:
                    ext = "".join(file.suffixes[-1:]).lower() or "no extension"
                    plan.skipped.append(Skipped(str(file), "unsupported", f"unsupported type ({ext})"))
                    continue
                found = True
                add(file)
            if not found:
                plan.skipped.append(Skipped(str(path), "empty_folder",
                                            f"folder has no readable files ({', '.join(sorted(READERS))})"))
        elif path.exists():
            add(path)
        else:
            plan.files.append(item)
    return plan


def iter_documents(
    inputs: Iterable[str],
    settings: Optional[IngestSettings] = None,
    on_skip: Optional[Callable[[Skipped], None]] = None,
) -> Iterator[Document]:
    """Documents from files, folders and `-` (JSONL on stdin), in a deterministic order.

    What is passed over goes to `on_skip` (default: logged on `dyad.ingest`): files of
    unsupported types in folders, folders with nothing readable, and a document whose
    content was already read (same id, same text). A repeated id with other content is
    a conflict and becomes an error document on the later one.
    """
    settings = settings or IngestSettings()
    report = on_skip or (lambda s: logger.info("skipping %s: %s", s.source, s.reason))
    plan = list_inputs(inputs)
    for skipped in plan.skipped:
        report(skipped)
    seen_ids: dict[str, tuple[str, str]] = {}
    for item in plan.files:
        for doc in _read_input(item, settings):
            unique = _unique(doc, seen_ids)
            if unique is None:
                first = seen_ids[doc.doc_id][0]
                report(Skipped(doc.source or doc.doc_id, "duplicate", f"duplicate content of {first}"))
                continue
            yield unique


def read_stdin(settings: Optional[IngestSettings] = None) -> Iterator[Document]:
    """JSONL records from standard input."""
    yield from _guarded("<stdin>", lambda: iter_jsonl(_stdin_bytes(), "<stdin>", settings or IngestSettings()))


def _read_input(item: str, settings: IngestSettings) -> Iterator[Document]:
    if item == STDIN:
        yield from read_stdin(settings)
        return
    path = Path(item)
    if path.exists():
        yield from _read_file(path, settings)
    else:
        yield error_document(item, "no such file or folder")


def _read_file(path: Path, settings: IngestSettings) -> Iterator[Document]:
    ext = path.suffix.lower()
    reader = reader_for(path)
    if reader is None:
        if ext in NOT_TEXT:
            yield error_document(str(path), f"unsupported format '{ext or path.name}' (dyad reads {', '.join(sorted(READERS))})")
            return
        reader = _read_text  # unknown extension (only reachable when named explicitly): try it as text
    yield from _guarded(str(path), lambda: reader(path, settings))


def _guarded(source: str, read: Callable[[], Iterator[Document]]) -> Iterator[Document]:
    """Run a reader; whatever goes wrong becomes an error document for `source`."""
    try:
        yield from read()
    except IngestError as exc:
        yield error_document(source, str(exc))
    except OSError as exc:
        yield error_document(source, f"cannot read: {exc.strerror or exc}")
    except Exception as exc:  # a reader bug must not end the run; the reason is kept
        logger.exception("unexpected error reading %s", source)
        yield error_document(source, f"unexpected error while reading: {type(exc).__name__}: {exc}")


def _decoded(path: Path, settings: IngestSettings, html: bool = False) -> str:
    size = path.stat().st_size
    if size > settings.max_file_bytes:
        raise IngestError(f"file of {size:,} bytes is larger than the limit ({settings.max_file_bytes:,} bytes)")
    data = path.read_bytes()
    text, _encoding = decode_bytes(data, declared_charset(data) if html else None)
    return text


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root) / name
            if name.startswith("."):
                continue
            yield path


def stdin_is_empty() -> bool:
    """Has standard input ended without a byte? (Waits for the first byte, reads none.)"""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        return False
    if hasattr(buffer, "peek"):
        return not buffer.peek(1)
    if buffer.seekable():
        pos = buffer.tell()
        empty = not buffer.read(1)
        buffer.seek(pos)
        return empty
    return False


def _stdin_bytes() -> BinaryIO:
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is not None:
        return buffer
    return io.BytesIO(sys.stdin.read().encode("utf-8", "surrogatepass"))  # a text-only stdin (tests, notebooks)


def _unique(doc: Document, seen: dict[str, tuple[str, str]]) -> Optional[Document]:
    """`doc`, or None when the same content was already read under its id; a repeated id
    with other content becomes an error document with an id of its own."""
    digest = content_hash(doc.text) if not doc.error else "error\0" + (doc.source or "")
    first = seen.get(doc.doc_id)
    if first is None:
        seen[doc.doc_id] = (doc.source or "", digest)
        return doc
    if first[1] == digest:
        return None
    new_id = f"{doc.doc_id}~{content_hash(doc.source or '')[:8]}"
    n = 2
    while new_id in seen:
        new_id = f"{doc.doc_id}~{content_hash(doc.source or '')[:8]}-{n}"
        n += 1
    seen[new_id] = (doc.source or "", digest)
    return error_document(
        doc.source,
        f"duplicate id {doc.doc_id!r}: already used by {first[0]}",
        doc_id=new_id,
        title=doc.title,
        url=doc.url,
        publisher=doc.publisher,
    )
