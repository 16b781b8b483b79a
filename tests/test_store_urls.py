"""`--db` is parsed, not guessed: PostgreSQL URLs, DuckDB paths, and clear refusals; DuckDB stays offline."""
from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyad.cli import app
from dyad.store import StoreURLError, open_store, parse_store_url

runner = CliRunner()


@pytest.mark.parametrize(
    "url, kind, target",
    [
        ("dyad.duckdb", "duckdb", "dyad.duckdb"),
        ("out/run 1/store.duckdb", "duckdb", "out/run 1/store.duckdb"),
        ("/abs/store.duckdb", "duckdb", "/abs/store.duckdb"),
        ("duckdb:out/store.duckdb", "duckdb", "out/store.duckdb"),
        ("duckdb:///abs/store.duckdb", "duckdb", "/abs/store.duckdb"),
        ("postgresql://me@localhost/dyad", "postgresql", "postgresql://me@localhost/dyad"),
        ("postgres://me@localhost:5433/dyad", "postgresql", "postgres://me@localhost:5433/dyad"),
    ],
)
def test_accepted_forms(url, kind, target):
    parsed = parse_store_url(url)
    assert (parsed.kind, parsed.target) == (kind, target)


@pytest.mark.parametrize("url", ["mysql://u@h/db", "postgres:/x", "sqlite:///x.db", "duckdb:", "  "])
def test_other_urls_are_refused_naming_the_accepted_forms(url):
    with pytest.raises(StoreURLError) as info:
        parse_store_url(url)
    if url.strip():
        assert "postgresql://" in str(info.value) and "duckdb" in str(info.value)


def test_typo_of_postgres_gets_a_hint():
    with pytest.raises(StoreURLError, match="did you mean postgresql://"):
        parse_store_url("postgres:/x")


@pytest.mark.parametrize("command", ["run", "info", "export"])
@pytest.mark.parametrize("url", ["mysql://u@h/db", "postgres:/x"])
def test_cli_refuses_a_bad_store_url_and_creates_nothing(tmp_path, monkeypatch, command, url):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.txt").write_text("Officials met on Monday in the capital to discuss trade.", encoding="utf-8")
    args = {"run": ["run", "in.txt", "--db", url, "-q"], "info": ["info", "--db", url],
            "export": ["export", "--db", url, "--to", "exp"]}[command]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "postgresql://" in result.output and "accepted" in result.output.lower()
    assert "another dyad process" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt"]  # no mysql:/ folders, no store


def test_duckdb_prefix_opens_a_file(tmp_path):
    path = tmp_path / "sub" / "s.duckdb"
    with open_store(f"duckdb:{path}") as store:
        store.set_meta("k", "v")
    assert path.is_file()


def test_duckdb_never_installs_or_loads_an_extension(tmp_path):
    """An https:// path would make DuckDB fetch httpfs from the internet; dyad's store refuses instead."""
    with open_store(str(tmp_path / "s.duckdb")) as store:
        con = store.con
        settings = con.execute(
            "SELECT current_setting('autoinstall_known_extensions'), current_setting('autoload_known_extensions')"
        ).fetchone()
        assert settings == (False, False)
        before = set(con.execute("SELECT extension_name FROM duckdb_extensions() WHERE loaded").fetchall())
        with pytest.raises(Exception, match="httpfs"):
            con.execute("SELECT * FROM read_csv('https://127.0.0.1:9/x.csv')")
        after = set(con.execute("SELECT extension_name FROM duckdb_extensions() WHERE loaded").fetchall())
        assert after == before
        assert ("httpfs",) not in after
    assert not Path(tmp_path / "extensions").exists()
