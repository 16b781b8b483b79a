"""PostgreSQL specifics: the CLI end to end with --db postgresql://, sharing, errors, odd text."""
from __future__ import annotations

import json
import threading

import pytest
from typer.testing import CliRunner

from dyad.store import StoreError, open_store
from pg import pg_server, pg_url  # noqa: F401  (fixtures)
from test_store import make_result

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    from dyad.bench import write_corpus

    d = tmp_path_factory.mktemp("pgcorpus")
    write_corpus(d / "news.jsonl", 12, seed=3, min_sentences=2, max_sentences=3)
    (d / "blank.txt").write_text("   \n")
    return d


def _lines(path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_cli_run_export_info_on_postgres_match_duckdb(small_corpus, pg_url, tmp_path):
    from dyad.cli import app

    runner = CliRunner()
    outs = {}
    for name, db in (("duckdb", str(tmp_path / "s.duckdb")), ("postgres", pg_url)):
        out = tmp_path / name
        res = runner.invoke(app, ["run", str(small_corpus), "--db", db, "--out", str(out), "--quiet"])
        assert res.exit_code == 3, res.output  # the blank file is rejected, the rest is coded
        res = runner.invoke(app, ["export", "--db", db, "--format", "csv", "--to", str(out / "csv")])
        assert res.exit_code == 0, res.output
        outs[name] = out
    for f in ("documents", "events", "entities", "claims", "contradictions"):
        assert _lines(outs["postgres"] / f"{f}.jsonl") == _lines(outs["duckdb"] / f"{f}.jsonl"), f
        assert (outs["postgres"] / "csv" / f"{f}.csv").read_bytes() == (outs["duckdb"] / "csv" / f"{f}.csv").read_bytes()
    assert len(_lines(outs["postgres"] / "events.jsonl")) > 0
    res = runner.invoke(app, ["info", "--db", pg_url, "--json"])
    assert res.exit_code == 0, res.output
    info = json.loads(res.output)
    assert info["counts"]["documents"] == 13 and info["counts"]["rejected"] == 1


def test_reader_sees_only_committed_batches_while_a_writer_runs(pg_url):
    """A team shares one store: a read-only connection (the web page) reads while a run writes."""
    with open_store(pg_url) as writer, open_store(pg_url, read_only=True) as reader:
        writer.write_results([make_result(f"w{i}", 1) for i in range(4)])
        gen = reader.iter_table("events", "event_id")  # a stream left open across the writer's commits
        first = next(gen)
        writer.write_results([make_result(f"w{i}", 1) for i in range(4, 8)])
        rest = list(gen)
        assert 1 + len(rest) == 4  # the open stream is a consistent snapshot
        assert reader.count("events") == 8 and first["event_id"] == "w0-e0"


def test_concurrent_writers(pg_server):
    """Two runs writing different documents into one store at the same time, schema created once."""
    url = pg_server.fresh_schema()
    errors = []

    def write(prefix: str) -> None:
        try:
            with open_store(url) as s:
                for b in range(5):
                    s.write_results([make_result(f"{prefix}{b}-{i}", 1) for i in range(10)])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(p,)) for p in ("a", "b", "c")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with open_store(url, read_only=True) as s:
        assert s.count("documents") == 150 and s.count("events") == 150


def test_nul_characters_are_stored_without_moving_offsets(pg_url):
    text = "Iran\x00 met the Taliban in Tehran."
    with open_store(pg_url) as s:
        s.write_results([make_result("nul", 1, text=text)])
        back = next(s.iter_results())
    assert len(back.document.text) == len(text) and back.document.text[4] == "\ufffd"
    assert back.document.text[5:] == text[5:]


def test_unreachable_server_is_a_clear_error(pg_server):
    bad = f"postgresql://postgres@127.0.0.1:{pg_server.port}/no_such_database"
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL"):
        open_store(bad)


def test_password_is_not_shown_in_errors():
    with pytest.raises(StoreError) as info:
        open_store("postgresql://someone:s3cret@127.0.0.1:1/x")
    assert "s3cret" not in str(info.value)


def test_schema_uses_c_collation_and_text_json(pg_url):
    with open_store(pg_url) as s:
        rows = s.query("SELECT column_name, data_type, collation_name FROM information_schema.columns "
                       "WHERE table_name = 'events' AND table_schema = current_schema()")
    by = {r["column_name"]: r for r in rows}
    assert by["event_id"]["collation_name"] == "C" and by["actor"]["data_type"] == "text"
    assert by["score"]["data_type"] == "double precision" and by["negated"]["data_type"] == "boolean"
