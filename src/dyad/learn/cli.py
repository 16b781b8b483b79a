"""`dyad train`: fit the event model on the corpus, cross-validate it, score the held-out split."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import List, Optional

import typer

from dyad.nlp import DEFAULT_MODEL

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "resources" / "models" / "events.json.gz"


def train_command(
    corpus: List[Path] = typer.Argument([Path("corpus/train")], help="Corpus JSONL files or folders (corpus/GUIDE.md)."),
    out: Optional[Path] = typer.Option(DEFAULT_OUT, "--out", help="Where to write the model (the package's own file by default)."),
    cv: int = typer.Option(0, "--cv", help="Also report K-fold cross-validated figures on the training pool (0: skip)."),
    held_out: bool = typer.Option(False, "--held-out", help="Also score the held-out split with the model just trained."),
    rules: bool = typer.Option(False, "--rules", help="Also score the lexicon and rules without a model, for comparison."),
    report: Optional[Path] = typer.Option(None, "--report", help="Write all figures as JSON here."),
    model: str = typer.Option(DEFAULT_MODEL, "--model", help="Installed spaCy pipeline to parse with."),
    no_write: bool = typer.Option(False, "--no-write", help="Score only; leave the shipped model as it is."),
) -> None:
    """Train the event model (seeded, CPU) on the team's corpus; optionally cross-validate."""
    from dyad.learn import train as tr
    from dyad.learn.corpus import read_corpus
    from dyad.nlp import load_pipeline
    from dyad.resources import load_resources

    t0 = time.perf_counter()
    sentences = read_corpus(corpus)
    if not sentences:
        typer.echo(f"error: no corpus sentences in {', '.join(map(str, corpus))}", err=True)
        raise typer.Exit(1)
    pool, held = tr.split(sentences)
    typer.echo(f"{len(sentences)} sentences: {len(pool)} in the training pool, {len(held)} held out")
    nlp = load_pipeline(model)
    res = tr.rules_only(load_resources())
    docs = tr.parse(sentences, nlp)
    by_id = {s.id: d for s, d in zip(sentences, docs)}
    pool_docs = [by_id[s.id] for s in pool]
    figures: dict = {"sentences": len(sentences), "pool": len(pool), "held_out": len(held)}
    if cv:
        typer.echo(f"{cv}-fold cross-validation on the training pool:")
        figures["cv"] = tr.cross_validate(pool, pool_docs, res, k=cv, log=typer.echo)
        typer.echo(format_figures(f"cross-validated (threshold {figures['cv']['threshold']})", figures["cv"]))
    cands = tr.collect(pool, pool_docs, res)
    m = tr.fit(cands, threshold=figures["cv"]["threshold"] if cv else 0.5)
    figures["model"] = m.meta
    if rules:
        figures["rules_pool"] = tr.score(pool, [tr.code(s, d, res) for s, d in zip(pool, pool_docs)])
        typer.echo(format_figures("lexicon and rules alone, training pool", figures["rules_pool"]))
    if held_out:
        r = tr.with_model(res, m)
        figures["held_out_scores"] = tr.score(held, [tr.code(s, by_id[s.id], r) for s in held])
        typer.echo(format_figures("held-out split, model trained on the pool", figures["held_out_scores"]))
        if rules:
            figures["rules_held_out"] = tr.score(held, [tr.code(s, by_id[s.id], res) for s in held])
            typer.echo(format_figures("held-out split, lexicon and rules alone", figures["rules_held_out"]))
    if out is not None and not no_write:
        tr.write(m, out)
        typer.echo(f"model: {out} ({out.stat().st_size // 1024} KB, {m.meta['features']} features, "
                   f"{m.meta['candidates']} training candidates)")
    if report is not None:
        report.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    typer.echo(f"done in {time.perf_counter() - t0:.0f}s")


def format_figures(title: str, f: dict) -> str:
    lines = [f"{title}: {f['event_sentences']} event sentences, {f['non_event_sentences']} non-event sentences",
             f"  primary event type {f['type_acc']:.3f}, actor country {f['actor_acc']:.3f}, both {f['type_actor_acc']:.3f}, "
             f"coverage {f['coverage']:.3f}",
             f"  events micro P/R/F1 {f['micro_precision']:.3f} / {f['micro_recall']:.3f} / {f['micro_f1']:.3f}; "
             f"non-event sentences: {f['non_event_rate_per_1000']:.0f} events per 1,000, {f['non_event_clean']:.3f} clean",
             f"  places: {f['place_share']:.3f} of primary events carry one; of gold events with a place, "
             f"{f['place_recall']:.3f} get one, {f['place_precision']:.3f} of those right",
             "  type        P      R      F1    gold"]
    for t, c in f["per_type"].items():
        lines.append(f"  {t:10} {c['precision']:.3f}  {c['recall']:.3f}  {c['f1']:.3f}  {c['gold']:5}")
    return "\n".join(lines)
