"""`dyad bench`: the report a user reads, and a real (small, tokenizer-only) run of it.

Speed itself is not asserted here (that is what the command is for); these tests check
that the figures are there and add up."""
import json

from typer.testing import CliRunner

from dyad.bench import format_report, write_corpus
from dyad.cli import app


def _report(**dyad):
    return {"corpus": "c.jsonl", "corpus_bytes": 2_000_000, "workers": 2, "model": "m", "batch_size": 32,
            "memory_only": False, "machine": {"cpus": 2}, "load_average_after": 0.5,
            "bare": {"docs": 1000, "words": 74_000, "pipes": ["tok2vec", "parser"], "seconds": 10.0,
                     "cpu_seconds": 19.0, "peak_rss": 600 << 20, "peak_pss": 400 << 20,
                     "docs_per_second": 100.0, "words_per_second": 7400.0},
            "dyad": {"seconds": 12.5, "cpu_seconds": 22.0, "peak_rss": 900 << 20, "peak_pss": 560 << 20,
                     "peak_rss_at": 11.0, "processes": 3, "coded": 1000, "events": 1200, "rejected": 0,
                     "docs_per_second": 80.0, "words_per_second": 5920.0, **dyad},
            "ratio": 0.8, "cpu_ratio": 19.0 / 22.0}


def test_report_gives_both_phases_the_ratio_and_when_memory_peaked():
    text = format_report(_report())
    assert "bare spaCy" in text and "dyad run" in text
    assert "ratio dyad / bare parse: 0.80 (wall clock), 0.86 (CPU time)" in text
    assert "900 MB" in text and "560 MB" in text
    assert "peak RSS came 11 s into its 12 s" in text


def test_memory_only_bench_runs_dyad_over_a_synthetic_corpus(tmp_path):
    corpus = write_corpus(tmp_path / "c.jsonl", 40)
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(app, ["bench", str(corpus), "--memory-only", "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "40 documents" in result.output and "peak RSS" in result.output
    figures = json.loads(out.read_text())
    assert figures["dyad"]["coded"] == 40 and figures["dyad"]["rejected"] == 0
    assert figures["dyad"]["peak_rss"] > figures["dyad"]["peak_pss"] > 0
    assert 0 <= figures["dyad"]["peak_rss_at"] <= figures["dyad"]["seconds"]
