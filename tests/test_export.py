"""Exports an analyst opens in one line: typed Parquet, CSV that keeps codes as text,
event rows with their document's fields, and one row per real-world event."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from dyad.cli import app

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo"
runner = CliRunner()


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def demo(tmp_path_factory, nlp):
    """The demo corpus run once, exported as CSV and Parquet."""
    root = tmp_path_factory.mktemp("export")
    db = root / "demo.duckdb"
    result = runner.invoke(app, ["run", str(DEMO), "--db", str(db), "--out", str(root / "jsonl"), "-q"])
    assert result.exit_code == 0, result.output
    for fmt in ("csv", "parquet"):
        result = runner.invoke(app, ["export", "--db", str(db), "--format", fmt, "--to", str(root / fmt)])
        assert result.exit_code == 0, result.output
    return root


def test_csv_keeps_cameo_codes_as_text_and_reads_dates(demo):
    """The README's one-liner gives text codes with their leading zeros and real dates."""
    ev = pd.read_csv(demo / "csv" / "events.csv", dtype={"cameo": str, "cameo_root": str},
                     parse_dates=["doc_published", "date_start", "date_end"])
    assert len(ev) > 20
    coded = ev.dropna(subset=["cameo"])
    assert coded["cameo"].str.match(r"^\d{3,4}$").all()
    assert coded["cameo"].str.startswith("0").any()  # "042" stays "042", not 42
    assert (coded["cameo_root"] == coded["cameo"].str[:2]).all()
    assert pd.api.types.is_datetime64_any_dtype(ev["date_start"])
    # one country per cell: grouping by country works
    assert not ev["actor_country"].dropna().str.contains(";").any()
    assert ev.groupby("actor_country").size().sum() == ev["actor_country"].notna().sum()
    # the full lists are JSON text
    assert all(isinstance(json.loads(a), list) for a in ev["actors"])


def test_duckdb_reads_the_csv_with_text_codes(demo):
    path = str(demo / "csv" / "events.csv")
    sql = f"SELECT cameo, date_start FROM read_csv('{path}', types={{'cameo': 'VARCHAR', 'cameo_root': 'VARCHAR'}})"
    cur = duckdb.connect().execute(sql + " WHERE cameo LIKE '0%'")
    assert [d[1] for d in cur.description] == ["VARCHAR", "DATE"]
    assert cur.fetchone()[0].startswith("0")


def test_parquet_columns_are_typed(demo):
    schema = pq.read_schema(demo / "parquet" / "events.parquet")
    assert schema.field("date_start").type == pa.date32()
    assert schema.field("doc_published").type == pa.date32()
    assert schema.field("cameo").type == pa.string()
    assert schema.field("quad_class").type == pa.int64()
    assert schema.field("intensity").type == pa.float64()
    assert schema.field("negated").type == pa.bool_()
    assert pa.types.is_list(schema.field("actors").type)
    assert schema.field("actors").type.value_type.field("country").type == pa.string()
    assert pq.read_schema(demo / "parquet" / "documents.parquet").field("published").type == pa.date32()
    ev = pd.read_parquet(demo / "parquet" / "events.parquet", dtype_backend="pyarrow")
    csv = pd.read_csv(demo / "csv" / "events.csv")
    assert list(ev["date_start"].dt.year.dropna()) == [int(d[:4]) for d in csv["date_start"].dropna()]
    # DuckDB reads the same file with its types, lists of structs included
    con = duckdb.connect()
    got = con.execute(f"SELECT typeof(date_start), actors[1].country FROM '{demo / 'parquet' / 'events.parquet'}' "
                      "WHERE len(actors) > 0 LIMIT 1").fetchone()
    assert got[0] == "DATE" and len(got[1]) == 3


def test_event_rows_carry_their_document_and_sentence(demo, nlp):
    """What peers put on every row: the story's date, URL, publisher, headline, language, sentence."""
    docs = {d["doc_id"]: d for d in _jsonl(demo / "jsonl" / "documents.jsonl")}
    rows = pq.read_table(demo / "parquet" / "events.parquet").to_pylist()
    assert any(r["doc_publisher"] for r in rows) and any(r["doc_url"] for r in rows)
    for row in rows[::4]:
        d = docs[row["doc_id"]]
        assert row["doc_title"] == d["title"] and row["doc_publisher"] == d["publisher"]
        assert row["doc_url"] == d["url"] and row["language"] == d["language"]
        assert (row["doc_published"].isoformat() if row["doc_published"] else None) == d["published"]
        sents = list(nlp(d["text"]).sents)
        assert sents[row["sentence_index"]].text.strip() == row["evidence"]


def test_quad_class_follows_plover(demo):
    ev = pd.read_parquet(demo / "parquet" / "events.parquet")
    quad = dict(zip(ev["event_type"], ev["quad_class"]))
    expect = {"CONSULT": 1, "AGREE": 1, "SUPPORT": 1, "AID": 2, "COOPERATE": 2, "ACCUSE": 3,
              "THREATEN": 3, "REJECT": 3, "REQUEST": 3, "ASSAULT": 4, "COERCE": 4, "PROTEST": 4}
    for t, q in quad.items():
        if t in expect:
            assert q == expect[t], t
    assert set(ev["quad_class"]) <= {1, 2, 3, 4}
    # intensity is PLOVER's score, and cooperation scores positive
    assert (ev.loc[ev["quad_class"] <= 2, "intensity"].dropna() >= 0).all()


def test_primary_actor_and_full_lists(demo):
    rows = pq.read_table(demo / "parquet" / "events.parquet").to_pylist()
    assert any(len(r["actors"]) > 1 for r in rows)  # the demo has compound actors
    for row in rows:
        for role, many in (("actor", "actors"), ("recipient", "recipients")):
            countries = [p["country"] for p in row[many] if p["country"]]
            assert row[f"{role}_country"] == (countries[0] if countries else None)
            assert row[f"{role}_name"] in [p["name"] for p in row[many]] + ([None] if not row[many] else [])


def test_location_and_source_actor_columns(demo):
    ev = pd.read_parquet(demo / "parquet" / "events.parquet", dtype_backend="pyarrow")
    placed = ev.dropna(subset=["location_geonameid"])
    assert len(placed) > 0
    assert str(placed["location_geonameid"].dtype).startswith("int64")
    assert placed["location_feature"].notna().all()
    said = ev.dropna(subset=["source_actor"])
    assert len(said) > 0 and said["source_actor_country"].notna().any()


def test_jsonl_contract_is_unchanged(demo):
    """The flat columns are added to the exports, not to the contract's evidence object."""
    for e in _jsonl(demo / "jsonl" / "events.jsonl"):
        assert set(e["evidence"]) == {"text", "start", "end"}
        assert "sentence_index" not in e and "document" not in e


def test_clusters_one_row_per_real_world_event(demo):
    ev = pd.read_parquet(demo / "parquet" / "events.parquet")
    cl = pd.read_parquet(demo / "parquet" / "clusters.parquet")
    assert len(cl) == ev["cluster_id"].nunique()
    assert cl["cluster_id"].is_unique
    assert cl["n_events"].sum() == len(ev)
    both = cl.dropna(subset=["date_first", "date_last"])  # an open range has no last date
    assert (both["date_first"] <= both["date_last"]).all()
    assert (cl["n_sources"] == cl["sources"].map(len)).all()
    for row in cl.itertuples():
        members = ev[ev["cluster_id"] == row.cluster_id]
        best = members.loc[members["confidence"].idxmax()]
        assert row.confidence == best["confidence"]
        assert row.event_type in set(members["event_type"])
        assert row.evidence in set(members["evidence"])
        if isinstance(row.actor_country, str) and isinstance(row.recipient_country, str):
            assert row.dyad == f"{row.actor_country}:{row.recipient_country}"
    csv = pd.read_csv(demo / "csv" / "clusters.csv", dtype={"cameo": str}, parse_dates=["date_first", "date_last"])
    assert len(csv) == len(cl)


def _filtered(demo, tmp_path, *args: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    out = tmp_path / "f"
    result = runner.invoke(app, ["export", "--db", str(demo / "demo.duckdb"), "--format", "parquet",
                                 "--to", str(out), *args])
    assert result.exit_code == 0, result.output
    assert not (out / "documents.parquet").exists()  # a filtered export writes events and clusters
    return (pq.read_table(out / "events.parquet").to_pandas(),
            pq.read_table(out / "clusters.parquet").to_pandas())


def test_export_filters_by_type_dates_country_and_dyad(demo, tmp_path):
    every = pq.read_table(demo / "parquet" / "events.parquet").to_pylist()

    ev, cl = _filtered(demo, tmp_path, "--type", "CONSULT")
    assert len(ev) == sum(e["event_type"] == "CONSULT" for e in every) > 0
    assert set(ev["event_type"]) == {"CONSULT"} and set(cl["event_type"]) == {"CONSULT"}

    ev, _ = _filtered(demo, tmp_path, "--since", "2021-08", "--until", "2021-12-31")
    want = [e for e in every if e["date_start"] and "2021-08-01" <= e["date_start"].isoformat() <= "2021-12-31"]
    assert len(ev) == len(want) > 0

    ev, _ = _filtered(demo, tmp_path, "--country", "IRN")
    assert len(ev) == sum("IRN" in {p["country"] for p in e["actors"] + e["recipients"]} for e in every) > 0

    ev, cl = _filtered(demo, tmp_path, "--dyad", "IRN:AFG")
    assert len(ev) > 0 and len(cl) <= len(ev)
    for actors, recipients in zip(ev["actors"], ev["recipients"]):
        a, r = {p["country"] for p in actors}, {p["country"] for p in recipients}
        assert ("IRN" in a and "AFG" in r) or ("AFG" in a and "IRN" in r)


@pytest.mark.parametrize("args, message", [
    (["--since", "last week"], "YYYY"), (["--dyad", "IRN"], "A:B"), (["--dyad", "IRN:Nobody Anywhere"], "Nobody"),
    (["--type", "HUG"], "ASSAULT"), (["--country", "Iran"], "alpha-3"),
])
def test_export_filter_mistakes_are_clear(demo, tmp_path, args, message):
    result = runner.invoke(app, ["export", "--db", str(demo / "demo.duckdb"), "--format", "csv",
                                 "--to", str(tmp_path), *args])
    assert result.exit_code == 2 and message in result.output
