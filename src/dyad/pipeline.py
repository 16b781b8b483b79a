"""Running dyad over inputs: ingest, parse + extract (pure, per document), store, fuse.

The per-document work (`process_batch`) is a pure function of the documents
and read-only resources, so it runs the same inline, in a process pool
(`--workers N`) or in a Spark partition (`dyad.spark`).
"""
from __future__ import annotations

import time
import traceback
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import Callable, Iterable, Iterator, Optional, Sequence

from dyad.language import detect_language, models_by_language, pick_model
from dyad.model import DocResult, Document

DEFAULT_BATCH = 32  # documents per parse batch (and at least per store transaction)
STORE_BATCH = 256  # a store transaction holds up to this many documents...
STORE_SECONDS = 1.0  # ...or whatever was coded in this long, whichever comes first


@dataclass
class RunSummary:
    seen: int = 0  # documents read from the inputs
    processed: int = 0  # parsed and coded in this run
    skipped: int = 0  # already in the store (resumed / re-run)
    duplicates: int = 0  # the same content read twice in these inputs: read once, counted here
    ignored: list[tuple[str, str, str]] = field(default_factory=list)  # (source, kind, reason) passed over
    rejected: int = 0  # could not be processed: see documents.error
    events: int = 0
    seconds: float = 0.0
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (doc_id, source, reason)
    not_coded: dict[str, int] = field(default_factory=dict)  # language -> documents with no pipeline for it

    @property
    def docs_per_second(self) -> float:
        return self.processed / self.seconds if self.seconds else 0.0


NO_MODEL = "no model for "  # the reason a document in another language is not coded


def process_batch(docs: Sequence[Document], model: str, extra_dirs: tuple[str, ...] = ()) -> list[DocResult]:
    """Parse and code a batch of documents. Pure: same input, same output, in any process."""
    from dyad.extract import process_document
    from dyad.nlp import load_pipeline
    from dyad.resources import load_resources

    res = load_resources(tuple(extra_dirs))
    docs = [_with_language(d, model) for d in docs]
    # one parse per language pipeline, each over its documents in order
    groups: dict[str, list[Document]] = {}
    for d in docs:
        if not d.error and d.text.strip():
            groups.setdefault(pick_model(model, d.language) or "", []).append(d)
    parsed = {name: iter(_parse(load_pipeline(name), [d.text for d in group])) for name, group in groups.items()}
    out: list[DocResult] = []
    for doc in docs:
        if doc.error:
            out.append(DocResult(document=doc))
            continue
        if not doc.text.strip():
            out.append(DocResult(document=replace(doc, error="no article text after cleaning")))
            continue
        sdoc = next(parsed[pick_model(model, doc.language) or ""])
        if isinstance(sdoc, Exception):
            out.append(DocResult(document=replace(doc, error=f"parsing failed: {type(sdoc).__name__}: {sdoc}")))
            continue
        try:
            out.append(process_document(doc, sdoc, res))
        except Exception as exc:  # one bad document must not stop the run
            reason = f"extraction failed: {type(exc).__name__}: {exc}"
            tb = traceback.extract_tb(exc.__traceback__)
            if tb:
                reason += f" (at {tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno})"
            out.append(DocResult(document=replace(doc, error=reason)))
    return out


def _with_language(doc: Document, model: str) -> Document:
    """The document with its detected language; with a reason and no coding when `model` has no
    pipeline for that language."""
    if doc.error or not doc.text.strip():
        return doc
    lang, p = detect_language(doc.text, default=doc.language or "en")
    doc = replace(doc, language=lang)
    if pick_model(model, lang) is None:
        known = ", ".join(sorted(models_by_language(model)))
        doc.error = (f"{NO_MODEL}{lang} (detected with confidence {p:.2f}); dyad codes {known}: pass "
                     f"--model {known.split(', ')[0]}=...,{lang}=<a spaCy pipeline for {lang}> to parse it")
    return doc


def _parse(nlp, texts: list[str]) -> list:
    """spaCy Docs for `texts`, batched; if the batch fails, each text alone, so that one text
    spaCy cannot take costs only its own document (its slot holds the exception)."""
    try:
        return list(nlp.pipe(texts, batch_size=max(8, len(texts))))
    except Exception:
        pass
    out: list = []
    for text in texts:
        try:
            out.append(nlp(text))
        except Exception as exc:
            out.append(exc)
    return out


_WARM_TEXT = ("Iran's foreign minister met Taliban officials in Kabul on Monday, January 10, 2022, "
              "and about 40 people protested outside the embassy.")


def _warm(model: str, extra_dirs: tuple[str, ...]) -> None:
    """Pool initializer: load the pipeline and resources once per worker process, and code one
    small document so lazily built indexes (gazetteers, matchers) are ready before real work."""
    from dyad.nlp import load_pipeline
    from dyad.resources import load_resources

    for name in models_by_language(model).values():
        load_pipeline(name)
    load_resources(tuple(extra_dirs))
    try:
        process_batch([Document(doc_id="warm-up", text=_WARM_TEXT, published="2022-01-11")], model, extra_dirs)
    except Exception:  # warming is an optimisation; real documents report their own errors
        pass


def _chunks(it: Iterable[Document], size: int) -> Iterator[list[Document]]:
    it = iter(it)
    while chunk := list(islice(it, size)):
        yield chunk


def iter_processed(
    docs: Iterable[Document],
    model: str,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH,
    extra_dirs: tuple[str, ...] = (),
) -> Iterator[list[DocResult]]:
    """Yield DocResults batch by batch, in input order; memory stays flat (bounded in-flight batches)."""
    chunks = _chunks(docs, batch_size)
    if workers <= 1:
        for chunk in chunks:
            yield process_batch(chunk, model, extra_dirs)
        return
    import multiprocessing

    ctx = multiprocessing.get_context()
    if ctx.get_start_method() == "fork":
        # load the pipeline, resources and lazy indexes once, here: forked workers inherit them
        # (copy-on-write) instead of each loading its own copy
        _warm(model, extra_dirs)
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_warm,
                             initargs=(model, extra_dirs)) as pool:
        pending: deque[Future] = deque()
        for chunk in chunks:
            pending.append(pool.submit(process_batch, chunk, model, extra_dirs))
            if len(pending) >= workers * 2:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def run(
    inputs: Sequence[str],
    store,
    *,
    model: str,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH,
    extra_dirs: tuple[str, ...] = (),
    force: bool = False,
    on_progress: Optional[Callable[[RunSummary], None]] = None,
    fuse: bool = True,
    published: Optional[str] = None,
) -> RunSummary:
    """Process `inputs` into `store`. Documents already stored are skipped unless `force`.
    `published` (ISO date) dates the documents whose input gives no date."""
    from dyad.ingest import IngestSettings, iter_documents
    from dyad.ingest.readers import Skipped

    summary = RunSummary()

    def skipped(s: Skipped) -> None:
        summary.ignored.append((s.source, s.kind, s.reason))
        if s.kind == "duplicate":
            summary.duplicates += 1

    t0 = time.perf_counter()
    store.set_meta("spacy_model", model)

    def fresh() -> Iterator[Document]:
        docs = iter_documents(list(inputs), IngestSettings(resource_dirs=extra_dirs), on_skip=skipped)
        for chunk in _chunks(docs, 64):  # small chunks: progress moves while pages are read
            summary.seen += len(chunk)
            stored = set() if force else store.stored_ids(d.doc_id for d in chunk if not d.error)
            for d in chunk:
                if d.doc_id in stored:
                    summary.skipped += 1
                    continue
                # raw text is not needed past cleaning
                yield replace(d, raw_text=None, published=d.published or (published if not d.error else None))
            if on_progress:
                on_progress(summary)

    # Parse batches stay small (even work for the pool); store transactions group them up to
    # STORE_BATCH documents or STORE_SECONDS, whichever comes first: a transaction's fixed cost
    # (deletes, commit) is paid less often, and finished batches never wait more than a second.
    pending: list[DocResult] = []
    last_write = time.perf_counter()

    def flush() -> None:
        nonlocal last_write
        store.write_results(pending)
        for r in pending:
            summary.processed += 1
            summary.events += len(r.events)
            if r.document.error and r.document.error.startswith(NO_MODEL):
                summary.not_coded[r.document.language] = summary.not_coded.get(r.document.language, 0) + 1
            elif r.document.error:
                summary.rejected += 1
                summary.errors.append((r.document.doc_id, r.document.source or "", r.document.error))
        pending.clear()
        last_write = time.perf_counter()
        if on_progress:
            on_progress(summary)

    for results in iter_processed(fresh(), model, workers, batch_size, extra_dirs):
        pending.extend(results)
        if len(pending) >= max(batch_size, STORE_BATCH) or time.perf_counter() - last_write >= STORE_SECONDS:
            flush()
    if pending:
        flush()
    if fuse:
        fuse_store(store)
    summary.seconds = time.perf_counter() - t0
    return summary


def fuse_store(store) -> None:
    """Cross-document reading over everything stored; replaces the fusion tables."""
    from dyad.store.fusion import fuse_into

    fuse_into(store)
