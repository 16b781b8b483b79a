"""One `dyad run` over a folder of good articles mixed with every kind of bad input.

The run must go on past each bad input, record it as a document with a plain
reason, code the good ones, exit with status 3, write files that pass
`dyad.validate.validate_dir`, and give the same files when run again.
(Per-reader reasons are checked in test_ingest_errors.py, the web API's bounds
in test_api.py, kill -9 and resume in test_resume.py.)
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyad.cli import EXIT_REJECTED, app
from dyad.validate import validate_dir

runner = CliRunner()

GOOD = {
    "visit.txt": (
        "Iranian Foreign Minister Hossein Amir-Abdollahian met Taliban Foreign Minister Amir Khan Muttaqi "
        "in Tehran on Sunday, January 9, 2022, to discuss trade and refugees, officials said.\n\n"
        "The two ministers agreed to reopen the Islam Qala crossing for traders."
    ),
    "clash.md": (
        "---\ntitle: Border guards exchange fire\ndate: 2023-05-27\n---\n\n"
        "Iranian border guards clashed with Taliban fighters near the Sasuli post on Saturday, "
        "killing two people, local officials said."
    ),
}
# Legacy encodings: decoded, never rejected. Each text is spelled so that only its own encoding works.
ENCODED = {
    "latin1.txt": ("latin-1", "Pakistan's army accused Afghan forces of shelling a border post near Chaman "
                               "on Monday; the délégation from Kâbul denied it."),
    "cp1252.txt": ("cp1252", "The Taliban’s spokesman condemned the “raid” on Tuesday – and "
                             "Iran’s envoy urged both sides to show restraint."),
    "bom.txt": ("utf-8-sig", "China sent 200 tonnes of food aid to Afghanistan on Wednesday, "
                             "the Chinese embassy in Kabul said."),
}
N_GOOD = len(GOOD) + len(ENCODED) + 4  # + two JSONL records, the file with a non-UTF-8 name, the deep page


def _write_bad_inputs(folder: Path) -> dict[str, tuple[str, ...]]:
    """Every kind of unreadable input; returns {file name (or name:line): words the reason must hold}."""
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "garbage.txt").write_bytes(bytes(range(128, 256)) * 16)
    (folder / "nul.txt").write_bytes(b"Talks resumed\x00 on Monday in the capital.")
    depth = 5000  # read, not refused: the tree is cut at the depth limit, the text kept
    (folder / "deep.html").write_text(
        "<html><body>" + "<div>" * depth + "<p>Iran met the Taliban.</p>" + "</div>" * depth + "</body></html>",
        encoding="utf-8",
    )
    (folder / "huge.txt").write_text("word " * 2_000_000, encoding="ascii")  # one 10 MB line
    records = [
        json.dumps({"id": "wire-1", "text": "Pakistan closed the Torkham crossing on Thursday after Taliban "
                                            "guards fired on a convoy, officials said.",
                    "published": "2023-02-23", "title": "Torkham closed"}),
        "{this is not json",
        json.dumps({"id": "wire-notext", "title": "Headline without a body"}),
        # JSON escapes can spell lone surrogates, which no encoder accepts: replaced, then coded
        json.dumps({"id": "wire-surrogate", "title": "Bad \udc80 title",
                    "text": "Iran condemned the \ud800 attack on its consulate in Mazar-i-Sharif on Friday."}),
        json.dumps({"id": "nul\u0000id", "text": "China met Russia in Moscow on Friday."}),
    ]
    (folder / "wire.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    return {
        "image.txt": ("binary",),
        "empty.txt": ("empty",),
        "garbage.txt": ("undecodable",),
        "nul.txt": ("nul",),
        "huge.txt": ("single line",),
        "wire.jsonl:line 2": ("not valid json",),
        "wire.jsonl:line 3": ("no text",),
        "wire.jsonl:line 5": ("'id'", "control characters"),
    }


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.jsonl"))}


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory, nlp):
    corpus = tmp_path_factory.mktemp("mixed")
    for name, text in GOOD.items():
        (corpus / name).write_text(text, encoding="utf-8")
    for name, (encoding, text) in ENCODED.items():
        (corpus / name).write_bytes(text.encode(encoding))
    # a file name that is not UTF-8 (Linux keeps the bytes; Python spells them as surrogates)
    (corpus / os.fsdecode(b"caf\xe9-\xff.txt")).write_text(
        "Turkmenistan agreed to supply electricity to Afghanistan, officials said on Monday.", encoding="utf-8")
    bad = _write_bad_inputs(corpus)
    work = tmp_path_factory.mktemp("run")
    db, out = work / "store.duckdb", work / "out"
    args = ["run", str(corpus), "--db", str(db), "--out", str(out), "-q"]
    t0 = time.perf_counter()
    first = runner.invoke(app, args)
    seconds = time.perf_counter() - t0
    snapshot = _snapshot(out)
    second = runner.invoke(app, args)
    return {"corpus": corpus, "bad": bad, "db": db, "out": out, "first": first, "second": second,
            "seconds": seconds, "snapshot": snapshot}


def _by_source(out: Path, corpus: Path) -> dict[str, dict]:
    return {str(d["source"]).replace(str(corpus) + "/", ""): d for d in _jsonl(out / "documents.jsonl")}


def test_bad_inputs_give_exit_3_and_are_counted(mixed_run):
    first = mixed_run["first"]
    assert first.exit_code == EXIT_REJECTED, first.output
    assert first.exception is None or isinstance(first.exception, SystemExit), first.exception
    n_bad = len(mixed_run["bad"])
    assert f"{n_bad} rejected" in first.output
    assert mixed_run["seconds"] < 120, "bad inputs must not make the run hang"


def test_each_bad_input_is_a_document_with_a_plain_reason(mixed_run):
    docs = _by_source(mixed_run["out"], mixed_run["corpus"])
    for source, words in mixed_run["bad"].items():
        doc = docs[source]
        assert doc["error"], source
        assert doc["text"] == ""
        assert "Traceback" not in doc["error"] and "unexpected error" not in doc["error"], doc["error"]
        for word in words:
            assert word in doc["error"].lower(), (source, doc["error"])
    assert docs["wire.jsonl:line 3"]["doc_id"] == "wire-notext"  # a given id is kept on the error record


def test_lone_surrogates_are_replaced_not_fatal(mixed_run):
    docs = _by_source(mixed_run["out"], mixed_run["corpus"])
    rec = docs["wire.jsonl:line 4"]
    assert rec["doc_id"] == "wire-surrogate" and rec["error"] is None
    assert rec["title"] == "Bad \ufffd title" and "the \ufffd attack" in rec["text"]


def test_good_and_re_encoded_inputs_are_coded(mixed_run):
    out, corpus = mixed_run["out"], mixed_run["corpus"]
    docs = _by_source(out, corpus)
    good = [*GOOD, *ENCODED, "wire.jsonl:line 1", "wire.jsonl:line 4", "caf\ufffd-\ufffd.txt", "deep.html"]
    assert set(docs) == set(good) | set(mixed_run["bad"])
    for name, (_, text) in ENCODED.items():
        assert docs[name]["error"] is None
        assert docs[name]["text"] == text, "decoded, not mangled"
    coded = {e["doc_id"] for e in _jsonl(out / "events.jsonl")}
    for name in good:
        assert docs[name]["error"] is None, (name, docs[name]["error"])
        assert docs[name]["doc_id"] in coded, f"{name}: no event coded"


def test_output_passes_the_contract_validator(mixed_run):
    assert validate_dir(mixed_run["out"]) == {}


def test_second_identical_run_changes_nothing(mixed_run):
    second = mixed_run["second"]
    assert second.exit_code == EXIT_REJECTED, second.output  # the bad inputs are still bad
    n_good = N_GOOD
    assert f"{n_good} already stored" in second.output
    assert _snapshot(mixed_run["out"]) == mixed_run["snapshot"]


def test_rejected_inputs_are_stored_once(mixed_run):
    from dyad.store import open_store

    with open_store(str(mixed_run["db"]), read_only=True) as store:
        rows = store.query("SELECT doc_id, error FROM documents")
    ids = [r["doc_id"] for r in rows]
    assert len(ids) == len(set(ids)) == N_GOOD + len(mixed_run["bad"])
    assert sum(1 for r in rows if r["error"]) == len(mixed_run["bad"])


def test_a_text_spacy_cannot_take_costs_only_its_own_document(nlp):
    from dyad.model import Document
    from dyad.nlp import DEFAULT_MODEL
    from dyad.pipeline import process_batch

    docs = [Document(doc_id="bad", text="Iran met \udc80 the Taliban."),  # only possible when built by hand
            Document(doc_id="good", text="Iran met the Taliban in Kabul on Monday.", published="2022-01-11")]
    bad, good = process_batch(docs, DEFAULT_MODEL)
    assert bad.document.error.startswith("parsing failed") and not bad.events
    assert good.document.error is None and good.events


# Lines under the line limit (100,000 characters) that once made a regular expression backtrack
# for minutes: "# a<50,000 spaces>b" took over four minutes at 5,000 spaces in the Markdown reader.
HOSTILE_MARKDOWN = {
    "heading_spaces.md": "# a" + " " * 90_000 + "b",
    "emphasis.md": "*a " * 30_000,
    "underscores.md": "_a " * 30_000,
    "links.md": "[a" * 45_000,
    "images.md": "![" * 45_000,
    "urls.md": "[a](" * 24_000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE_MARKDOWN))
def test_hostile_markdown_lines_are_read_in_linear_time(tmp_path, name):
    from dyad.ingest import iter_documents

    path = tmp_path / name
    path.write_text(HOSTILE_MARKDOWN[name] + "\n\nIran met the Taliban in Kabul on Monday.\n", encoding="utf-8")
    t0 = time.perf_counter()
    (doc,) = iter_documents([str(path)])
    assert time.perf_counter() - t0 < 5
    assert doc.error is None and doc.text.endswith("Iran met the Taliban in Kabul on Monday.")


def test_markdown_front_matter_nested_too_deeply_is_ignored(tmp_path):
    from dyad.ingest import iter_documents

    path = tmp_path / "deep.md"
    path.write_text("---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\n\nIran met the Taliban in Kabul on Monday.\n",
                    encoding="utf-8")
    (doc,) = iter_documents([str(path)])
    assert doc.error is None and doc.text == "Iran met the Taliban in Kabul on Monday."


def test_markdown_headings_still_lose_their_markup():
    from dyad.ingest.markdown import markdown_to_text

    text, meta = markdown_to_text("# Talks in Kabul ##\n\n## C#\n\nSee [the report](http://x.org/a_(b)) and **this**.")
    assert meta["title"] == "Talks in Kabul"
    assert text.split("\n") == ["Talks in Kabul", "", "C#", "", "See the report and this."]
